/**
 * anchor_audit: anchors a range of the caller's own audit log on chain (the workers module's
 * MsgAnchorAudit) — the Merkle root of the records' hashes and the last record's hash — so
 * `vivim workers audit verify` can later check the log against the chain. A log's ranges are
 * contiguous from seq 1; the tool says where the next one must start before building a tx.
 */
import { vivimMsg } from "../../client/connect.js";
import {
  QueryLatestAuditAnchorRequest,
  QueryLatestAuditAnchorResponse,
} from "../../contracts/workers/query.js";
import { MsgAnchorAudit } from "../../contracts/workers/tx.js";
import { MAX_ANCHOR_RECORDS } from "../../contracts/workers/validate.js";
import { invalidArgument, McpToolError } from "../errors.js";
import { defineTool, z } from "./define.js";
import { performWrite, waitArg, writeFields, writeResultShape } from "./write.js";

const HASH = /^[0-9a-f]{64}$/;
const SEQ = z.number().int().min(1).max(Number.MAX_SAFE_INTEGER);

export const anchorAudit = defineTool({
  name: "anchor_audit",
  title: "Anchor an audit log range",
  description:
    "Anchor records fromSeq..toSeq of your own hash-chained audit log (an AI worker's decisions) on chain: the Merkle root of the records' hashes and the last record's hash, both hex. A log's anchors are contiguous: the first starts at 1, each next one right after the last; at most 100000 records each.",
  scope: "social",
  input: {
    log: z.string().regex(/^[a-z0-9-]{1,32}$/, "a log name is 1-32 of a-z, 0-9 and -"),
    fromSeq: SEQ,
    toSeq: SEQ,
    root: z.string().regex(HASH, "root is 64 lowercase hex digits"),
    headHash: z.string().regex(HASH, "headHash is 64 lowercase hex digits"),
    wait: waitArg,
  },
  output: {
    ...writeResultShape,
    log: z.string(),
    fromSeq: z.number().int(),
    toSeq: z.number().int(),
  },
  annotations: { destructiveHint: false, idempotentHint: false },
  async run(args, call) {
    if (args.toSeq < args.fromSeq) throw invalidArgument("toSeq must not be below fromSeq");
    if (BigInt(args.toSeq - args.fromSeq + 1) > MAX_ANCHOR_RECORDS)
      throw invalidArgument(`an anchor covers at most ${MAX_ANCHOR_RECORDS} records`);
    const signer = call.session.address;
    const latest = await call.services.reader.query(
      "/vivim.workers.v1.Query/LatestAuditAnchor",
      QueryLatestAuditAnchorRequest,
      { signer, log: args.log },
      QueryLatestAuditAnchorResponse,
    );
    const next = (latest.anchor?.toSeq ?? 0n) + 1n;
    if (BigInt(args.fromSeq) !== next) {
      throw new McpToolError(
        "NOT_PERMITTED",
        `log ${args.log} is anchored through ${next - 1n}: the next anchor must start at ${next}`,
        { nextSeq: Number(next) },
      );
    }
    const r = await performWrite(call, {
      summary: `anchor records ${args.fromSeq}-${args.toSeq} of audit log ${args.log}`,
      msgs: [
        vivimMsg(MsgAnchorAudit, {
          signer,
          log: args.log,
          fromSeq: BigInt(args.fromSeq),
          toSeq: BigInt(args.toSeq),
          root: Buffer.from(args.root, "hex"),
          headHash: Buffer.from(args.headHash, "hex"),
        }),
      ],
      reach: "own",
      wait: args.wait,
    });
    return { ...writeFields(r), log: args.log, fromSeq: args.fromSeq, toSeq: args.toSeq };
  },
});

export const auditTools = [anchorAudit];
