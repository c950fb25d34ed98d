// The state tree's update alone, in memory: a tree of 200,000 random keys, then blocks of 3,700
// writes (2,900 new keys and 800 rewrites of 400 hot keys, the shape of a social-mix block of
// 1,000 txs), timing `AuthenticatedTree.update` per block. Given several builds (`--dist a,b`:
// directories holding a `dist/`), it runs them interleaved in one process on identical writes,
// alternating which goes first, so that this VM's drift falls on all of them alike, and checks
// that they reach the same root.
//
//   node scripts/bench/tree-update.mjs [--dist DIR,DIR...] [--blocks 120]
import { randomBytes } from "node:crypto";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { parseArgs } from "node:util";
import { ROOT } from "../lib/setup.mjs";

const { values: args } = parseArgs({
  options: {
    dist: { type: "string", default: ROOT },
    blocks: { type: "string", default: "120" },
  },
});
const FILL_BLOCKS = 20;
const FILL_KEYS = 10_000;
const NEW_KEYS = 2_900;
const REWRITES = 800;
const HOT_KEYS = 400;
const WARM_BLOCKS = 20;

const trees = [];
for (const dir of args.dist.split(",")) {
  const { AuthenticatedTree, EMPTY_ROOT } = await import(
    path.join(path.resolve(dir), "dist", "chain", "state", "tree", "index.js")
  );
  const store = new Map();
  const key = (hash) => Buffer.from(hash).toString("latin1");
  const tree = new AuthenticatedTree({ getNode: (hash) => store.get(key(hash)) });
  trees.push({ dir, tree, store, key, root: EMPTY_ROOT, ms: [] });
}

function commit(t, result) {
  for (const [hash, encoded] of result.nodes) t.store.set(t.key(hash), Uint8Array.from(encoded));
  t.tree.markPersisted(result.created);
  t.root = result.root;
}

const keys = [];
const newWrites = (n) =>
  Array.from({ length: n }, () => {
    const k = randomBytes(20);
    keys.push(k);
    return { key: k, value: randomBytes(60) };
  });

for (let b = 0; b < FILL_BLOCKS; b++) {
  const writes = newWrites(FILL_KEYS);
  for (const t of trees) commit(t, t.tree.update(t.root, writes));
}
const blocks = Number(args.blocks);
for (let b = 0; b < blocks; b++) {
  const writes = newWrites(NEW_KEYS);
  for (let i = 0; i < REWRITES; i++)
    writes.push({ key: keys[(b * REWRITES + i) % HOT_KEYS], value: randomBytes(60) });
  for (const t of b % 2 ? trees : [...trees].reverse()) {
    const t0 = performance.now();
    const result = t.tree.update(t.root, writes);
    t.ms.push(performance.now() - t0);
    commit(t, result);
  }
}

const writesPerBlock = NEW_KEYS + REWRITES;
const roots = new Set(trees.map((t) => Buffer.from(t.root).toString("hex")));
for (const t of trees) {
  const ms = t.ms.slice(WARM_BLOCKS).sort((a, b) => a - b);
  const median = ms[ms.length >> 1];
  process.stdout.write(
    `${JSON.stringify({
      dist: t.dir,
      blocks: ms.length,
      writesPerBlock,
      medianMsPerBlock: Number(median.toFixed(2)),
      p25MsPerBlock: Number(ms[ms.length >> 2].toFixed(2)),
      medianUsPerWrite: Number(((1000 * median) / writesPerBlock).toFixed(2)),
      sameRoots: roots.size === 1,
    })}\n`,
  );
}
