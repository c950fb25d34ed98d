/**
 * Reads an audit log back: streams `<agent>.jsonl` line by line (never more than one record's worth
 * of bytes buffered: a longer line is skipped and reported), checks each record's shape, and says
 * where each line ends so a reader can resume from there later.
 */
import { createReadStream } from "node:fs";
import { MAX_RECORD_BYTES } from "./log.js";
import type { AuditOutcome, AuditRecord } from "./record.js";

export type AuditLineProblem = "LINE_TOO_LONG" | "BAD_JSON" | "BAD_RECORD";

export type AuditLine =
  | { readonly line: number; readonly end: number; readonly record: AuditRecord }
  | {
      readonly line: number;
      readonly end: number;
      readonly problem: AuditLineProblem;
      readonly message: string;
    };

const OUTCOMES: ReadonlySet<AuditOutcome> = new Set<AuditOutcome>([
  "no-action",
  "recorded",
  "queued",
  "executing",
  "executed",
  "failed",
  "duplicate",
  "paused",
  "rejected",
]);
const HASH = /^[0-9a-f]{64}$/;
const MAX_TEXT = 4096;

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);
const isText = (v: unknown) => typeof v === "string" && v.length <= MAX_TEXT;
const isCount = (v: unknown) => Number.isSafeInteger(v) && (v as number) >= 0;

/** What is wrong with `v` as an audit record, or undefined when it is one. */
export function auditRecordProblem(v: unknown): string | undefined {
  if (!isObj(v)) return "not an object";
  if (!Number.isSafeInteger(v.seq) || (v.seq as number) < 1) return "seq is not a positive integer";
  if (!isCount(v.time)) return "time is not a non-negative integer";
  if (typeof v.prev !== "string" || !HASH.test(v.prev)) return "prev is not a hex hash";
  if (typeof v.hash !== "string" || !HASH.test(v.hash)) return "hash is not a hex hash";
  if (!isText(v.agent)) return "agent is not a string";
  if (!isCount(v.height)) return "height is not a non-negative integer";
  if (!isText(v.subject)) return "subject is not a string";
  if (!isText(v.inputsHash)) return "inputsHash is not a string";
  if (!OUTCOMES.has(v.outcome as AuditOutcome)) return "outcome is not known";
  if (!isText(v.reason)) return "reason is not a string";
  if (v.ai !== null) {
    const ai = v.ai;
    if (!isObj(ai)) return "ai is neither null nor an object";
    if (!isText(ai.provider) || !isText(ai.model)) return "ai.provider or ai.model is not a string";
    if (!isCount(ai.inputTokens) || !isCount(ai.outputTokens) || !isCount(ai.costMicroUsd))
      return "ai token counts or cost are not non-negative integers";
  }
  if (v.action !== null) {
    const a = v.action;
    if (!isObj(a)) return "action is neither null nor an object";
    if (!isText(a.id) || !isText(a.tool) || !isText(a.argsHash) || !isText(a.summary))
      return "action.id, tool, argsHash or summary is not a string";
  }
  for (const f of ["txHash", "code", "approvalId"] as const) {
    if (v[f] !== undefined && !isText(v[f])) return `${f} is not a string`;
  }
  return undefined;
}

function parseLine(text: string): { record: AuditRecord } | { problem: AuditLineProblem; message: string } {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { problem: "BAD_JSON", message: "the line is not JSON" };
  }
  const why = auditRecordProblem(value);
  return why ? { problem: "BAD_RECORD", message: why } : { record: value as AuditRecord };
}

/**
 * Every line of `file` from byte `start` (a line start: 0, or an `end` this reader returned), in
 * order. Empty lines are skipped; a last line without its newline (a torn write) is read as a line.
 * A missing file reads as empty.
 */
export async function* readAuditLog(
  file: string,
  o: { start?: number; firstLine?: number; maxLineBytes?: number } = {},
): AsyncGenerator<AuditLine> {
  const max = o.maxLineBytes ?? MAX_RECORD_BYTES;
  let offset = o.start ?? 0;
  let line = o.firstLine ?? 1;
  let parts: Buffer[] = [];
  let size = 0;
  let skipping = false;
  const stream = createReadStream(file, { start: offset, highWaterMark: 64 * 1024 });
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      let from = 0;
      while (from < chunk.length) {
        const nl = chunk.indexOf(0x0a, from);
        const stop = nl < 0 ? chunk.length : nl;
        if (!skipping) {
          if (size + (stop - from) > max) {
            skipping = true;
            parts = [];
          } else {
            parts.push(chunk.subarray(from, stop));
          }
        }
        size += stop - from;
        if (nl < 0) break;
        const end = offset + nl + 1;
        if (skipping) {
          yield { line, end, problem: "LINE_TOO_LONG", message: `the line is longer than ${max} bytes` };
        } else if (size > 0) {
          yield { line, end, ...parseLine(Buffer.concat(parts).toString("utf8")) };
        }
        line += 1;
        parts = [];
        size = 0;
        skipping = false;
        from = nl + 1;
      }
      offset += chunk.length;
    }
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return;
    throw err;
  }
  if (skipping) {
    yield { line, end: offset, problem: "LINE_TOO_LONG", message: `the line is longer than ${max} bytes` };
  } else if (size > 0) {
    yield { line, end: offset, ...parseLine(Buffer.concat(parts).toString("utf8")) };
  }
}
