// What handing a row to LevelDB's chained batch costs, by where its bytes live: fresh small arrays
// (on V8's heap, as most keys are built), those same rows copied into one buffer first (what
// Database.write does), and rows that are already views of one buffer. Prints µs of wall and CPU
// time (all threads, so GC counts) per put, median of 30 batches of 20,000 rows.
//
//   node scripts/bench/batch-put.mjs [--value-bytes 40]
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { Level } from "level";

const { values: args } = parseArgs({ options: { "value-bytes": { type: "string", default: "40" } } });
const VALUE = Number(args["value-bytes"]);
const KEY = 33;
const ROWS = 20_000;
const dir = mkdtempSync(path.join(tmpdir(), "vivim-batch-put-"));
const db = new Level(dir, { keyEncoding: "view", valueEncoding: "view" });
await db.open();

const keyOf = (bytes, i) => {
  bytes[0] = 1;
  bytes[1] = i & 255;
  bytes[2] = (i >> 8) & 255;
  return bytes;
};
const heapRows = () =>
  Array.from({ length: ROWS }, (_, i) => [keyOf(new Uint8Array(KEY), i), new Uint8Array(VALUE)]);
function slabRows() {
  const slab = new Uint8Array(ROWS * (KEY + VALUE));
  return Array.from({ length: ROWS }, (_, i) => {
    const at = i * (KEY + VALUE);
    return [keyOf(slab.subarray(at, at + KEY), i), slab.subarray(at + KEY, at + KEY + VALUE)];
  });
}
function putAll(batch, rows) {
  for (const [key, value] of rows) batch.put(key, value);
}
function copyThenPut(batch, rows) {
  let size = 0;
  for (const [key, value] of rows) size += key.length + value.length;
  const slab = new Uint8Array(size);
  let at = 0;
  const view = (bytes) => {
    slab.set(bytes, at);
    at += bytes.length;
    return slab.subarray(at - bytes.length, at);
  };
  for (const [key, value] of rows) batch.put(view(key), view(value));
}

const cases = {
  heapRows: [heapRows, putAll],
  heapRowsCopiedToOneBuffer: [heapRows, copyThenPut],
  viewsOfOneBuffer: [slabRows, putAll],
};
const result = { rows: ROWS, keyBytes: KEY, valueBytes: VALUE };
for (const [name, [make, put]] of Object.entries(cases)) {
  const samples = [];
  for (let r = 0; r < 30; r++) {
    const rows = make();
    const cpu = process.cpuUsage();
    const t = performance.now();
    const batch = db.batch();
    put(batch, rows);
    const wall = performance.now() - t;
    const used = process.cpuUsage(cpu);
    await batch.write();
    samples.push([(wall * 1000) / ROWS, (used.user + used.system) / ROWS]);
  }
  const median = (i) => samples.map((s) => s[i]).sort((a, b) => a - b)[samples.length >> 1];
  result[name] = { wallUsPerPut: Number(median(0).toFixed(3)), cpuUsPerPut: Number(median(1).toFixed(3)) };
}
await db.close();
rmSync(dir, { recursive: true, force: true });
process.stdout.write(`${JSON.stringify(result)}\n`);
