// What LevelDB's own threads spend on a social-mix block's rows, by where the state tree's rows go.
// Writes synthetic fsynced batches shaped like one 1,000-tx block of bench:social's mix (per block,
// from `exec-profile`: 3,600 state values, 5,300 tree nodes, 1,000 tx locations, 1,000 tx results,
// 8,500 event-index rows) with the node's LevelDB options, waits for compaction to settle, and
// prints each thread's CPU in ms (from /proc/self/task). Layouts:
//
//   one        every row in one database, tree nodes keyed by hash (the node's layout)
//   split-hash tree nodes in a database of their own, still keyed by hash
//   split-seq  tree nodes in a database of their own, keyed by height and sequence (as a layout that
//              finds nodes by version would key them): LevelDB can move such files down unmerged
//
// Node names every thread `node`; threads are listed by their id's offset from the process's.
// LevelDB's compaction thread is the one that appears while the batches are written (LevelDB starts
// it at its first compaction); libuv's pool (the batch writes and fsyncs) and V8's platform threads
// exist before, since opening the databases used them.
//
// `--write-buffer-mb` sets LevelDB's memtable size (the node's is 64): a larger one flushes fewer,
// larger files, so less is rewritten by compaction, while each batch's inserts into the larger
// memtable (libuv's pool) cost more. `otherThreadsCpuMs` sums every thread but the main one: the
// net of the two.
//
//   node scripts/bench/leveldb-layout.mjs [--layout one|split-hash|split-seq] [--blocks 150]
//     [--settle-seconds 15] [--write-buffer-mb 64]
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { Level } from "level";
import { threadCpuMs } from "./proc-cpu.mjs";

const { values: args } = parseArgs({
  options: {
    layout: { type: "string", default: "one" },
    blocks: { type: "string", default: "150" },
    "settle-seconds": { type: "string", default: "15" },
    "write-buffer-mb": { type: "string", default: "64" },
  },
});
const LAYOUTS = ["one", "split-hash", "split-seq"];
if (!LAYOUTS.includes(args.layout)) {
  process.stderr.write(`leveldb-layout: --layout must be one of ${LAYOUTS.join(", ")}\n`);
  process.exit(2);
}
/** The integer option `--name`, or exit with a usage error when it is not one in [min, max]. */
function intOption(name, min, max) {
  const value = Number(args[name]);
  if (!Number.isInteger(value) || value < min || value > max) {
    process.stderr.write(`leveldb-layout: --${name} must be an integer from ${min} to ${max}\n`);
    process.exit(2);
  }
  return value;
}
const BLOCKS = intOption("blocks", 1, 100_000);
const SETTLE_SECONDS = intOption("settle-seconds", 0, 3600);
const WRITE_BUFFER_MB = intOption("write-buffer-mb", 1, 1024);
// As chain/db/database.ts opens the node's database (but for the memtable's size, if asked).
const OPTIONS = {
  keyEncoding: "view",
  valueEncoding: "view",
  writeBufferSize: WRITE_BUFFER_MB * 1024 * 1024,
  cacheSize: 256 * 1024 * 1024,
  maxFileSize: 16 * 1024 * 1024,
};

/** bucket ‖ height ‖ index: the key of a row that a block appends. */
function sequentialKey(bucket, height, index) {
  const key = Buffer.alloc(13);
  key[0] = bucket;
  key.writeBigUInt64BE(BigInt(height), 1);
  key.writeUInt32BE(index, 9);
  return key;
}
const randomKey = (bucket, bytes) => Buffer.concat([Buffer.from([bucket]), randomBytes(bytes)]);

// Results compress like the real ones (protobuf with repeated event strings); hashes and tree
// nodes do not.
const RESULT = Buffer.from(
  "code 0 gas_wanted 200000 gas_used 51234 message action /vivim.social.v1.MsgCreatePost module social ".repeat(
    8,
  ),
).subarray(0, 600);
const ATTRIBUTES = Array.from({ length: 17 }, (_, i) => Buffer.from(`event.attribute${i}`));
const ACCOUNTS = Array.from({ length: 400 }, () => Buffer.from(randomBytes(20).toString("hex")));

function indexKey(height, i) {
  const attribute = ATTRIBUTES[i % ATTRIBUTES.length];
  const value = ACCOUNTS[(i * 7 + height) % ACCOUNTS.length];
  const key = Buffer.alloc(1 + 1 + attribute.length + 2 + value.length + 12);
  let o = 0;
  key[o++] = 8;
  key[o++] = attribute.length;
  o += attribute.copy(key, o);
  key.writeUInt16BE(value.length, o);
  o += 2;
  o += value.copy(key, o);
  key.writeBigUInt64BE(BigInt(height), o);
  key.writeUInt32BE(i, o + 8);
  return key;
}

const dir = mkdtempSync(path.join(tmpdir(), "vivim-leveldb-layout-"));
const main = new Level(path.join(dir, "main"), OPTIONS);
const tree = args.layout === "one" ? main : new Level(path.join(dir, "tree"), OPTIONS);
await main.open();
if (tree !== main) await tree.open();

const before = threadCpuMs();
const started = performance.now();
for (let height = 1; height <= BLOCKS; height++) {
  const batch = main.batch();
  const treeBatch = tree === main ? batch : tree.batch();
  for (let i = 0; i < 3600; i++) batch.put(randomKey(1, 30), randomBytes(40));
  for (let i = 0; i < 5300; i++) {
    const key = args.layout === "split-seq" ? sequentialKey(2, height, i) : randomKey(2, 32);
    treeBatch.put(key, randomBytes(i % 3 === 0 ? 200 : 65));
  }
  for (let i = 0; i < 1000; i++) {
    batch.put(randomKey(6, 32), randomBytes(13));
    batch.put(sequentialKey(7, height, i), RESULT);
  }
  for (let i = 0; i < 8500; i++) batch.put(indexKey(height, i), new Uint8Array(0));
  // A separate tree database must be durable first: the main batch makes its nodes reachable.
  if (treeBatch !== batch) await treeBatch.write({ sync: true });
  await batch.write({ sync: true });
}
const writeMs = performance.now() - started;
await new Promise((resolve) => setTimeout(resolve, SETTLE_SECONDS * 1000));
const after = threadCpuMs();
await main.close();
if (tree !== main) await tree.close();
rmSync(dir, { recursive: true, force: true });

const pid = process.pid;
const threads = Object.keys(after)
  .map((tid) => ({
    thread: tid === String(pid) ? "main" : Number(tid) - pid,
    cpuMs: after[tid] - (before[tid] ?? 0),
  }))
  .filter((t) => t.cpuMs > 0);
// Undefined when no compaction ran (too few blocks to fill a memtable).
const compaction = threads.find((t) => t.thread !== "main" && before[String(t.thread + pid)] === undefined);
process.stdout.write(
  `${JSON.stringify({
    layout: args.layout,
    blocks: BLOCKS,
    writeBufferMb: WRITE_BUFFER_MB,
    writeSeconds: Number((writeMs / 1000).toFixed(1)),
    // Each block stands for 1,000 txs, so ms a block reads as µs a tx.
    compactionThreadCpuMs: compaction?.cpuMs,
    compactionUsPerTx: compaction && Number((compaction.cpuMs / BLOCKS).toFixed(1)),
    otherThreadsCpuMs: threads.reduce((sum, t) => (t.thread === "main" ? sum : sum + t.cpuMs), 0),
    threads,
  })}\n`,
);
