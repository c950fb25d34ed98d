/**
 * Checks an audit log against the chain: every record's shape, hash, link to the record before it
 * and place in the seq order, then each anchor the chain holds for (signer, log) — its Merkle root
 * recomputed from the records' recomputed hashes, its head against record to_seq's hash. Anything
 * edited, removed, reordered or cut off after it was anchored shows up as a coded problem at a seq.
 */
import { QueryAuditAnchorsRequest, QueryAuditAnchorsResponse } from "../../contracts/workers/query.js";
import type { AuditAnchor } from "../../contracts/workers/records.js";
import { type ChainQuery, httpChainQuery } from "../agents/feed/chain.js";
import { WorkersError } from "../errors.js";
import { auditMerkleRoot } from "./merkle.js";
import { type AuditLine, readAuditLog } from "./reader.js";
import { type AuditRecord, GENESIS_PREV, recordHash } from "./record.js";

export type AuditProblemCode =
  | "BAD_RECORD" // a line that is not a well-formed record (JSON, shape, length)
  | "BAD_HASH" // the record's hash is not the hash of its content
  | "BROKEN_CHAIN" // prev is not the hash of the record before it
  | "SEQ_ORDER" // a seq repeated or going backwards
  | "WRONG_AGENT" // a record of another agent's log
  | "MISSING_RECORDS" // seqs absent from the file (a gap, or the file ends before what is anchored)
  | "ROOT_MISMATCH" // an anchor's Merkle root differs from the records'
  | "HEAD_MISMATCH"; // an anchor's head hash differs from record to_seq's

export interface AuditProblem {
  /** The seq the problem is at (for a bad line: the seq it stands where). */
  readonly seq: number;
  readonly code: AuditProblemCode;
  readonly message: string;
  /** The file line, when the problem is one line's. */
  readonly line?: number;
}

export interface AnchorCheck {
  readonly fromSeq: number;
  readonly toSeq: number;
  readonly height: number;
  readonly root: string;
  readonly headHash: string;
  readonly ok: boolean;
}

export interface AuditVerification {
  readonly ok: boolean;
  /** Well-formed records read. */
  readonly records: number;
  /** The highest seq read (0 for an empty log). */
  readonly lastSeq: number;
  /** The last seq the chain has an anchor for (0: none). */
  readonly anchoredThrough: number;
  readonly anchors: AnchorCheck[];
  /** At most MAX_PROBLEMS, in file order; `problemCount` counts them all. */
  readonly problems: AuditProblem[];
  readonly problemCount: number;
}

export const MAX_PROBLEMS = 1000;
/** Anchors fetched per query page, and the most a verification fetches in all. */
const ANCHOR_PAGE = 1000n;
const MAX_ANCHORS = 1_000_000;

const hex = (b: Uint8Array) => Buffer.from(b).toString("hex");

/** Every anchor of (signer, log) on chain, in seq order. */
export async function fetchAuditAnchors(
  chain: ChainQuery,
  signer: string,
  log: string,
): Promise<AuditAnchor[]> {
  const out: AuditAnchor[] = [];
  let key: Uint8Array = new Uint8Array();
  for (;;) {
    const { value } = await chain.query(
      "/vivim.workers.v1.Query/AuditAnchors",
      QueryAuditAnchorsRequest,
      { signer, log, pagination: { key, limit: ANCHOR_PAGE } },
      QueryAuditAnchorsResponse,
    );
    out.push(...value.anchors);
    key = value.pagination?.nextKey ?? new Uint8Array();
    if (key.length === 0) return out;
    if (out.length >= MAX_ANCHORS)
      throw new WorkersError("BAD_BLOCK", `log ${log} has more than ${MAX_ANCHORS} anchors`);
  }
}

/** The hash a record should have: sha256 of its canonical JSON without `hash`. */
function contentHash(r: AuditRecord): string {
  const { hash: _hash, ...body } = r;
  return recordHash(body);
}

/** Checks the lines of one log against its anchors (in seq order, as the chain lists them). */
export async function checkAuditLines(
  lines: AsyncIterable<AuditLine>,
  anchors: readonly AuditAnchor[],
  o: { agent?: string } = {},
): Promise<AuditVerification> {
  const problems: AuditProblem[] = [];
  let problemCount = 0;
  const report = (p: AuditProblem) => {
    problemCount += 1;
    if (problems.length < MAX_PROBLEMS) problems.push(p);
  };

  const checks: AnchorCheck[] = [];
  let next = 0; // the anchor whose range is being collected
  let slots: Array<string | undefined> = [];
  const open = () => {
    const a = anchors[next];
    slots = a ? new Array<string | undefined>(Number(a.toSeq - a.fromSeq) + 1) : [];
  };
  const finish = () => {
    const a = anchors[next]!;
    const from = Number(a.fromSeq);
    const to = Number(a.toSeq);
    let ok = true;
    let missing = 0;
    let first = from;
    for (let i = slots.length - 1; i >= 0; i--) {
      if (slots[i] === undefined) {
        missing += 1;
        first = from + i;
      }
    }
    if (slots.length === 0 || missing > 0) {
      ok = false;
      report({
        seq: first,
        code: "MISSING_RECORDS",
        message: `${missing} record(s) of anchor ${from}..${to} (height ${a.height}) are missing or unreadable, from seq ${first}`,
      });
    } else {
      const hashes = slots as string[];
      if (auditMerkleRoot(hashes) !== hex(a.root)) {
        ok = false;
        report({
          seq: from,
          code: "ROOT_MISMATCH",
          message: `the records ${from}..${to} do not give the Merkle root anchored at height ${a.height}`,
        });
      }
      if (hashes[hashes.length - 1] !== hex(a.headHash)) {
        ok = false;
        report({
          seq: to,
          code: "HEAD_MISMATCH",
          message: `record ${to}'s hash is not the head anchored at height ${a.height}`,
        });
      }
    }
    checks.push({
      fromSeq: from,
      toSeq: to,
      height: Number(a.height),
      root: hex(a.root),
      headHash: hex(a.headHash),
      ok,
    });
    next += 1;
    open();
  };
  open();

  let records = 0;
  let lastSeq = 0;
  let expected = 1;
  /** The previous line's stored hash; undefined after a bad line (nothing to compare to). */
  let prevHash: string | undefined = GENESIS_PREV;
  for await (const l of lines) {
    if (!("record" in l)) {
      report({ seq: expected, line: l.line, code: "BAD_RECORD", message: `line ${l.line}: ${l.message}` });
      expected += 1;
      prevHash = undefined;
      continue;
    }
    const r = l.record;
    records += 1;
    if (r.seq > expected) {
      report({
        seq: expected,
        line: l.line,
        code: "MISSING_RECORDS",
        message: `seq ${r.seq} follows seq ${expected - 1}: ${r.seq - expected} record(s) missing`,
      });
    } else if (r.seq < expected) {
      report({
        seq: r.seq,
        line: l.line,
        code: "SEQ_ORDER",
        message: `seq ${r.seq} comes after seq ${expected - 1}`,
      });
    }
    expected = Math.max(expected, r.seq + 1);
    lastSeq = Math.max(lastSeq, r.seq);
    const computed = contentHash(r);
    if (computed !== r.hash)
      report({
        seq: r.seq,
        line: l.line,
        code: "BAD_HASH",
        message: `record ${r.seq}'s content does not hash to its hash`,
      });
    if (prevHash !== undefined && r.prev !== prevHash)
      report({
        seq: r.seq,
        line: l.line,
        code: "BROKEN_CHAIN",
        message: `record ${r.seq}'s prev is not the hash of the record before it`,
      });
    if (o.agent !== undefined && r.agent !== o.agent)
      report({
        seq: r.seq,
        line: l.line,
        code: "WRONG_AGENT",
        message: `record ${r.seq} is not of agent ${o.agent}`,
      });
    prevHash = r.hash;

    while (next < anchors.length && anchors[next]!.toSeq < BigInt(r.seq)) finish();
    const a = anchors[next];
    if (a && BigInt(r.seq) >= a.fromSeq) {
      const i = r.seq - Number(a.fromSeq);
      if (slots[i] === undefined) slots[i] = computed;
    }
  }
  while (next < anchors.length) finish();

  const anchoredThrough = anchors.length > 0 ? Number(anchors[anchors.length - 1]!.toSeq) : 0;
  return {
    ok: problemCount === 0,
    records,
    lastSeq,
    anchoredThrough,
    anchors: checks,
    problems,
    problemCount,
  };
}

export interface VerifyAuditOptions {
  /** The log file (`<home>/audit/<agent>.jsonl`). */
  readonly file: string;
  /** The account that anchored it: the agent's chain identity. */
  readonly signer: string;
  /** The log's name (the agent's). */
  readonly log: string;
  /** The node's CometBFT RPC URL, or a ChainQuery over it. */
  readonly node: string | ChainQuery;
}

export async function verifyAuditLog(o: VerifyAuditOptions): Promise<AuditVerification> {
  const chain = typeof o.node === "string" ? httpChainQuery(o.node) : o.node;
  const anchors = await fetchAuditAnchors(chain, o.signer, o.log);
  return checkAuditLines(readAuditLog(o.file), anchors, { agent: o.log });
}
