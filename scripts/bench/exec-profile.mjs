// Where a block's time goes, in-process: executes blocks of 1,000 pre-signed txs (MsgSend, or the
// social mix of bench:social) through the node's Application over real LevelDB state, and splits
// each block into execution, app-hash update and the fsynced write. Signature checks are left out
// (the node verifies on worker threads). Each block's txs first pass CheckTx (decode + ante against
// the check state, as the mempool does), and the block's own rows (tx results, locations, event
// index) are built as the commit does. Each phase reports wall time and CPU time (all threads, so
// the LevelDB write counts too); CPU time is the figure to compare on a busy machine. Run with
// --cpu-prof to see hot spots.
//
// --heap (run node with --expose-gc) prints instead what the last block's execution leaves alive per
// tx until it commits (its writes, results, events, new tree nodes: what a loaded node carries
// across scavenges), by object type, from heap snapshots taken around `executeBlock`.
//
//   npm run build && node scripts/bench/exec-profile.mjs [--kind social|send] [--blocks 8] [--pattern P]
//   npm run build && node --expose-gc scripts/bench/exec-profile.mjs --heap [--kind social|send]
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { parseArgs } from "node:util";
import v8 from "node:v8";
import { ROOT } from "../lib/setup.mjs";

const { values: args } = parseArgs({
  options: {
    kind: { type: "string", default: "social" },
    blocks: { type: "string", default: "8" },
    accounts: { type: "string", default: "400" },
    txs: { type: "string", default: "1000" },
    // The social mix per 20 txs (P post, C comment, V vote, R react, F follow); one letter alone
    // measures that message by itself.
    pattern: { type: "string", default: "PCVCVRPCVFCVCVRPCVFC" },
    heap: { type: "boolean", default: false },
  },
});
if (args.heap && typeof globalThis.gc !== "function") {
  process.stderr.write("exec-profile: --heap needs node --expose-gc\n");
  process.exit(2);
}
const DIST = path.join(ROOT, "dist");
const load = (...p) => import(path.join(DIST, ...p));
const { Database } = await load("chain", "db", "database.js");
const { BlockStore } = await load("chain", "db", "block-store.js");
const { Application } = await load("chain", "execution", "app.js");
const { CommittedState } = await load("chain", "state", "committed.js");
const { EMPTY_ROOT } = await load("chain", "state", "tree", "index.js");
const { DEFAULT_TX_LIMITS } = await load("chain", "tx", "decode.js");
const { MsgRegistry } = await load("chain", "tx", "msg-registry.js");
const { defaultModuleRegistry } = await load("contracts", "index.js");
const { devnetAppState } = await load("chain", "node", "devnet-genesis.js");
const { getAccount } = await load("contracts", "auth", "keeper.js");
const social = await load("contracts", "social", "tx.js");
const { benchAccount, signedSend, signedTx } = await import("./keys.mjs");

const N = Number(args.accounts);
const TXS = Number(args.txs);
const CHAIN = "vivim-exec-bench";
const accounts = Array.from({ length: N }, (_, i) => benchAccount(i));
const addresses = accounts.map((a) => a.address);
const rule = { max: 1_000_000, window_seconds: 1 };
const tiers = { normal: rule, new_account: rule, agent: rule, limited_reach: rule };
const appState = {
  ...devnetAppState(addresses.map((address) => ({ address, amount: 10n ** 15n }))),
  identity: { profiles: addresses.map((address, i) => ({ address, handle: `bench${i}` })) },
  social: {
    params: {
      rate_limits: Object.fromEntries(["post", "comment", "vote", "react", "follow"].map((a) => [a, tiers])),
    },
    communities: ["c0", "c1", "c2", "c3"].map((slug) => ({
      slug,
      name: slug,
      visibility: "PUBLIC",
      creator: addresses[0],
      members: addresses.slice(1),
    })),
  },
};

const dir = mkdtempSync(path.join(tmpdir(), "vivim-exec-bench-"));
const db = new Database(dir);
await db.open();
const modules = defaultModuleRegistry();
const state = new CommittedState(db, EMPTY_ROOT);
let height = 0n;
const info = (h) => ({ chainId: CHAIN, height: h, time: { seconds: 1_700_000_000n + h * 5n, nanos: 0 } });
const app = new Application({
  chainId: CHAIN,
  modules,
  msgRegistry: new MsgRegistry(modules.modules.flatMap((m) => m.msgs)),
  state,
  txLimits: DEFAULT_TX_LIMITS,
  minGasPrices: [],
  verifier: { verify: async () => true },
  latestBlock: info(0n),
});
const genesis = app.initGenesis(appState, info(0n)).bufferedWrites();
const g = state.computeRoot(genesis);
await db.write(state.commitOps(genesis, g.nodes), { sync: false });
state.markCommitted(genesis, g);

const seq = addresses.map((a) => getAccount(state, a)?.sequence ?? 0n);
const num = addresses.map((a) => getAccount(state, a)?.accountNumber ?? 0n);
const enc = (type, value) => ({
  typeUrl: type.typeUrl,
  value: type.encode(type.fromPartial(value)).finish(),
});
const tx = (a, msg) =>
  signedTx(accounts[a], [msg], { chainId: CHAIN, accountNumber: num[a], sequence: seq[a]++ });

const blockStore = new BlockStore(db);

/** Count and self size of a heap snapshot's objects by type (and constructor, see below). */
function heapByType() {
  gc();
  gc();
  const file = v8.writeHeapSnapshot(path.join(dir, "heap.heapsnapshot"));
  const { snapshot, nodes, strings } = JSON.parse(readFileSync(file, "utf8"));
  rmSync(file);
  const fields = snapshot.meta.node_fields;
  const types = snapshot.meta.node_types[0];
  const [type, name, size] = ["type", "name", "self_size"].map((f) => fields.indexOf(f));
  const byType = new Map();
  for (let i = 0; i < nodes.length; i += fields.length) {
    const t = types[nodes[i + type]];
    // Constructor names for objects and arrays only: the names of code, closures and strings are
    // nearly all distinct, and this Map, alive while the second snapshot is taken, must stay small.
    const named = t === "object" || t === "array" || t === "native";
    const k = named ? `${t}:${strings[nodes[i + name]].slice(0, 40)}` : t;
    const e = byType.get(k) ?? { count: 0, bytes: 0 };
    e.count++;
    e.bytes += nodes[i + size];
    byType.set(k, e);
  }
  return byType;
}

/** Per tx, what `after` holds beyond `before`, largest first. */
function heapGrowth(before, after, txs) {
  const rows = [];
  for (const [k, e] of after) {
    const b = before.get(k) ?? { count: 0, bytes: 0 };
    if (e.bytes > b.bytes) rows.push([k, (e.count - b.count) / txs, (e.bytes - b.bytes) / txs]);
  }
  rows.sort((x, y) => y[2] - x[2]);
  const total = rows.reduce((sum, r) => sum + r[2], 0);
  return {
    retainedBytesPerTx: Math.round(total),
    byType: rows.slice(0, 10).map(([k, count, bytes]) => ({
      type: k,
      perTx: Number(count.toFixed(2)),
      bytesPerTx: Math.round(bytes),
    })),
  };
}

async function runBlock(txs, heap = false) {
  height++;
  const cpu = [process.cpuUsage()];
  const tc = performance.now();
  const checked = new Map();
  for (const bytes of txs) {
    const begun = app.beginCheck(bytes);
    if ("outcome" in begun) throw new Error(`CheckTx refused: ${begun.outcome.log}`);
    const outcome = app.applyCheck(begun.tx, true);
    if (outcome.code !== 0) throw new Error(`CheckTx refused: ${outcome.log}`);
    checked.set(begun.tx.hashHex, begun.tx);
  }
  const blockTxs = await app.prepareBlockTxs(txs, (h) => checked.get(h));
  const heapBefore = heap ? heapByType() : undefined;
  const t0 = performance.now();
  cpu.push(process.cpuUsage());
  const exec = app.executeBlock(info(height), blockTxs);
  const retained = heap ? heapGrowth(heapBefore, heapByType(), txs.length) : undefined;
  const t1 = performance.now();
  cpu.push(process.cpuUsage());
  const ops = [
    ...app.commitOps(exec),
    ...blockStore.txOps(height, exec.txHashes, exec.results, exec.endBlockEvents),
  ];
  const t2 = performance.now();
  cpu.push(process.cpuUsage());
  await db.write(ops, { sync: true });
  app.markCommitted(exec, info(height));
  const t3 = performance.now();
  cpu.push(process.cpuUsage());
  const cpuMs = (i) => (cpu[i + 1].user + cpu[i + 1].system - cpu[i].user - cpu[i].system) / 1000;
  const failed = exec.results.filter((r) => r.code !== 0);
  if (failed.length > 0) throw new Error(`${failed.length} txs failed: ${failed[0].log}`);
  const byModule = {};
  for (const w of exec.writes) byModule[w.key[0]] = (byModule[w.key[0]] ?? 0) + 1;
  const byBucket = {};
  for (const op of ops) {
    const bucket = op.bucket ?? op.key[0];
    byBucket[bucket] = (byBucket[bucket] ?? 0) + 1;
  }
  return {
    retained,
    checkMs: t0 - tc,
    execMs: t1 - t0,
    commitOpsMs: t2 - t1,
    writeMs: t3 - t2,
    cpuMs: [0, 1, 2, 3].map(cpuMs),
    ops: ops.length,
    keys: exec.writes.length,
    byModule,
    byBucket,
  };
}

// Posts to comment on and vote for.
const posts = [];
{
  const txs = addresses.map((a, i) =>
    tx(i, enc(social.MsgCreatePost, { author: a, communityId: 1n + BigInt(i % 4), title: "t", body: "b" })),
  );
  await runBlock(txs);
  for (let id = 1n; posts.length < N; id++) posts.push(id);
}
const PATTERN = args.pattern;
let k = 0;
const follows = new Array(N).fill(0);
function socialTx(i) {
  const a = i % N;
  const me = addresses[a];
  const other = (j) => (a + 1 + (j % (N - 1))) % N;
  switch (PATTERN[(k++ + Math.floor(i / N)) % PATTERN.length]) {
    case "P":
      return tx(
        a,
        enc(social.MsgCreatePost, {
          author: me,
          communityId: BigInt(1 + (i % 4)),
          title: `post ${i}`,
          body: "x".repeat(200),
        }),
      );
    case "C":
      return tx(
        a,
        enc(social.MsgCreateComment, { author: me, parentId: posts[other(i)], body: "y".repeat(120) }),
      );
    case "V":
      return tx(a, enc(social.MsgVote, { voter: me, targetId: posts[other(i + k)], direction: 1 }));
    case "R":
      return tx(a, enc(social.MsgReact, { reactor: me, targetId: posts[other(i)], emoji: "🔥" }));
    default:
      return tx(a, enc(social.MsgFollow, { follower: me, target: addresses[other(follows[a]++)] }));
  }
}
const samples = [];
for (let b = 0; b < Number(args.blocks); b++) {
  const txs = [];
  for (let i = 0; i < TXS; i++) {
    txs.push(
      args.kind === "send"
        ? (() => {
            const a = i % N;
            return signedSend(accounts[a], addresses[(a + 1) % N], {
              chainId: CHAIN,
              accountNumber: num[a],
              sequence: seq[a]++,
            });
          })()
        : socialTx(i),
    );
  }
  samples.push(await runBlock(txs, args.heap && b === Number(args.blocks) - 1));
}
if (args.heap) {
  process.stdout.write(`${JSON.stringify({ kind: args.kind, ...samples.at(-1).retained })}\n`);
  await db.close();
  rmSync(dir, { recursive: true, force: true });
  process.exit(0);
}
const median = (f) => samples.map(f).sort((x, y) => x - y)[Math.floor(samples.length / 2)];
const perTx = (ms) => Number(((ms * 1000) / TXS).toFixed(1));
process.stdout.write(
  `${JSON.stringify({
    kind: args.kind,
    ...(args.kind === "social" ? { pattern: PATTERN } : {}),
    txsPerBlock: TXS,
    checkUsPerTx: perTx(median((s) => s.checkMs)),
    execUsPerTx: perTx(median((s) => s.execMs)),
    appHashAndOpsUsPerTx: perTx(median((s) => s.commitOpsMs)),
    writeUsPerTx: perTx(median((s) => s.writeMs)),
    cpuUsPerTx: Object.fromEntries(
      ["check", "exec", "appHashAndOps", "write"].map((phase, i) => [
        phase,
        perTx(median((s) => s.cpuMs[i])),
      ]),
    ),
    opsPerTx: Number((median((s) => s.ops) / TXS).toFixed(2)),
    stateKeysPerTx: Number((median((s) => s.keys) / TXS).toFixed(2)),
    stateKeysByModulePrefix: samples[samples.length - 1].byModule,
    // Database rows per block by bucket (chain/db/buckets.ts): 1 state values, 2 tree nodes,
    // 6 tx locations, 7 tx results, 8 event-attribute index.
    opsByBucket: samples[samples.length - 1].byBucket,
  })}\n`,
);
await db.close();
rmSync(dir, { recursive: true, force: true });
