// The social codec alone: decoding the Msgs and records a social tx reads, and encoding the records
// it writes, in ns per call (best of 5 rounds of 200,000). With several builds (`--dist a,b`:
// directories holding a `dist/`) it runs each in turn on the same values, for before/after figures.
//
//   npm run build && node scripts/bench/codec.mjs [--dist DIR,DIR...]
import path from "node:path";
import { parseArgs } from "node:util";
import { ROOT } from "../lib/setup.mjs";

const { values: args } = parseArgs({ options: { dist: { type: "string", default: ROOT } } });
const ROUNDS = 5;
const CALLS = 200_000;
const ADDRESS = "vivim1qqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqq";

async function cases(dir) {
  const load = (...p) => import(path.join(path.resolve(dir), "dist", ...p));
  await load("chain", "codec", "writer-alloc.js"); // the node's native UTF-8 codec, as in a node
  const rec = await load("contracts", "social", "records.js");
  const tx = await load("contracts", "social", "tx.js");
  const post = tx.MsgCreatePost.fromPartial({
    author: ADDRESS,
    communityId: 3n,
    title: "post 12",
    body: "x".repeat(200),
  });
  const vote = tx.MsgVote.fromPartial({ voter: ADDRESS, targetId: 1234n, direction: 1 });
  const record = rec.ContentRecord.fromPartial({
    id: 77n,
    kind: 1,
    author: ADDRESS,
    communityId: 3n,
    rootId: 77n,
    depth: 0,
    path: new Uint8Array(8),
    createdHeight: 12_345n,
    createdAt: 1_700_000_000n,
    title: "post 12",
    body: "x".repeat(200),
  });
  const counts = rec.ContentCounts.fromPartial({ upvotes: 3n, downvotes: 1n, replyCount: 7n });
  const postBytes = tx.MsgCreatePost.toBytes(post);
  const voteBytes = tx.MsgVote.toBytes(vote);
  const recordBytes = rec.ContentRecord.toBytes(record);
  return {
    decodePost: () => tx.MsgCreatePost.decode(postBytes),
    decodeVote: () => tx.MsgVote.decode(voteBytes),
    decodeContentRecord: () => rec.ContentRecord.decode(recordBytes),
    encodeContentRecord: () => rec.ContentRecord.toBytes(record),
    encodeCounts: () => rec.ContentCounts.toBytes(counts),
    fromPartialVote: () => tx.MsgVote.fromPartial(vote),
  };
}

for (const dir of args.dist.split(",")) {
  const result = { dist: dir };
  for (const [name, fn] of Object.entries(await cases(dir))) {
    for (let i = 0; i < CALLS; i++) fn();
    let best = Number.POSITIVE_INFINITY;
    for (let r = 0; r < ROUNDS; r++) {
      const t = process.hrtime.bigint();
      for (let i = 0; i < CALLS; i++) fn();
      best = Math.min(best, Number(process.hrtime.bigint() - t) / CALLS);
    }
    result[`${name}Ns`] = Math.round(best);
  }
  process.stdout.write(`${JSON.stringify(result)}\n`);
}
