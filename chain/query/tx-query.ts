/**
 * The CometBFT event query language as tx_search and /websocket subscribe accept it:
 * `tm.event='Tx' AND message.sender='vivim1…' AND tx.height>=5`. Operators =, <, <=, >, >=,
 * CONTAINS, EXISTS; values are 'quoted strings' or numbers. Bad queries get a clear error.
 */
export type QueryOp = "=" | "<" | "<=" | ">" | ">=" | "CONTAINS" | "EXISTS";

export interface QueryCondition {
  readonly key: string;
  readonly op: QueryOp;
  /** Strings keep their text; numbers are kept as text too and compared numerically. */
  readonly value?: { kind: "string" | "number"; text: string };
}

export class QueryParseError extends Error {
  readonly code = "INVALID_QUERY";
  constructor(reason: string) {
    super(`invalid query: ${reason}`);
    this.name = "QueryParseError";
  }
}

export const MAX_QUERY_LENGTH = 512;
const MAX_CONDITIONS = 16;
const CONDITION =
  /^\s*([A-Za-z0-9_.\-/]+)\s*(?:(<=|>=|=|<|>)\s*(?:'([^']*)'|(-?\d+(?:\.\d+)?))|(CONTAINS)\s*'([^']*)'|(EXISTS))\s*$/;

export function parseTxQuery(text: string): QueryCondition[] {
  if (typeof text !== "string" || text.trim().length === 0) throw new QueryParseError("empty query");
  if (text.length > MAX_QUERY_LENGTH) throw new QueryParseError(`longer than ${MAX_QUERY_LENGTH} characters`);
  const parts = text.split(/\s+AND\s+/);
  if (parts.length > MAX_CONDITIONS) throw new QueryParseError(`more than ${MAX_CONDITIONS} conditions`);
  return parts.map((part) => {
    const m = CONDITION.exec(part);
    if (!m) throw new QueryParseError(`cannot parse condition ${JSON.stringify(part.trim().slice(0, 80))}`);
    const key = m[1]!;
    if (m[7]) return { key, op: "EXISTS" };
    if (m[5]) return { key, op: "CONTAINS", value: { kind: "string", text: m[6] ?? "" } };
    const value =
      m[3] !== undefined ? { kind: "string" as const, text: m[3] } : { kind: "number" as const, text: m[4]! };
    return { key, op: m[2] as QueryOp, value };
  });
}

/** Whether one attribute value satisfies a condition. */
export function matchesValue(cond: QueryCondition, actual: string): boolean {
  if (cond.op === "EXISTS") return true;
  const v = cond.value;
  if (!v) return false;
  if (cond.op === "CONTAINS") return actual.includes(v.text);
  if (v.kind === "string" && cond.op === "=") return actual === v.text;
  const a = Number(actual);
  const b = Number(v.text);
  if (v.kind === "string" || Number.isNaN(a)) return false;
  switch (cond.op) {
    case "=":
      return a === b;
    case "<":
      return a < b;
    case "<=":
      return a <= b;
    case ">":
      return a > b;
    case ">=":
      return a >= b;
  }
}
