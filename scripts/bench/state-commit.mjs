// Per-block commit time against the size of the state: fills a real LevelDB through the node's own
// CommittedState (flat values + authenticated tree) with N accounts (an account and a balance key
// each), then commits blocks of 2,000 MsgSend-shaped updates exactly as the node does: compute the
// new app hash, build the batch, write it with fsync. It must stay near flat as N grows (log n).
import { createHash } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";

const FILL_ACCOUNTS_PER_BATCH = 50_000;
const TXS_PER_BLOCK = 2_000;
const BLOCKS = 5;

function address(i) {
  return createHash("sha256").update(`acct-${i}`).digest().subarray(0, 20);
}
const accountKey = (a) => Buffer.concat([Buffer.from([0x01, 0x01]), a]);
const balanceKey = (a) => Buffer.concat([Buffer.from([0x02, 0x01]), a, Buffer.from("uvivim")]);
const accountValue = (i, seq) =>
  Buffer.concat([Buffer.alloc(60, i & 0xff), Buffer.from(String(seq).padStart(8, "0"))]);
const balanceValue = (v) => Buffer.from(String(v));

export async function measureStateCommit(dist, accounts) {
  const { Database } = await import(path.join(dist, "chain", "db", "database.js"));
  const { CommittedState } = await import(path.join(dist, "chain", "state", "committed.js"));
  const { EMPTY_ROOT } = await import(path.join(dist, "chain", "state", "tree", "index.js"));
  const dir = mkdtempSync(path.join(tmpdir(), "vivim-state-bench-"));
  const db = new Database(dir);
  await db.open();
  const state = new CommittedState(db, EMPTY_ROOT);
  const commit = async (writes) => {
    const t0 = performance.now();
    const update = state.computeRoot(writes);
    const t1 = performance.now();
    await db.write(state.commitOps(writes, update.nodes), { sync: true });
    state.markCommitted(writes, update);
    return { rootMs: t1 - t0, writeMs: performance.now() - t1, nodes: update.nodes.length };
  };
  const fillStart = performance.now();
  for (let start = 0; start < accounts; start += FILL_ACCOUNTS_PER_BATCH) {
    const writes = [];
    for (let i = start; i < Math.min(accounts, start + FILL_ACCOUNTS_PER_BATCH); i++) {
      const a = address(i);
      writes.push(
        { key: accountKey(a), value: accountValue(i, 0) },
        { key: balanceKey(a), value: balanceValue(1_000_000) },
      );
    }
    writes.sort((x, y) => Buffer.compare(x.key, y.key));
    await commit(writes);
  }
  const fillSeconds = (performance.now() - fillStart) / 1000;
  // xorshift32: seeded, so every size commits the same shape of blocks.
  let seed = 0x9e3779b9;
  const rnd = () => {
    seed ^= seed << 13;
    seed ^= seed >>> 17;
    seed ^= seed << 5;
    seed >>>= 0;
    return seed % accounts;
  };
  const samples = [];
  for (let b = 0; b < BLOCKS; b++) {
    const byKey = new Map();
    for (let t = 0; t < TXS_PER_BLOCK; t++) {
      const from = address(rnd());
      const to = address(rnd());
      byKey.set(accountKey(from).toString("hex"), { key: accountKey(from), value: accountValue(t, b + 1) });
      byKey.set(balanceKey(from).toString("hex"), {
        key: balanceKey(from),
        value: balanceValue(999_000 - b),
      });
      byKey.set(balanceKey(to).toString("hex"), { key: balanceKey(to), value: balanceValue(1_000_100 + b) });
    }
    const writes = [...byKey.values()].sort((x, y) => Buffer.compare(x.key, y.key));
    // Executing the block reads every key it writes first (the sender's account for its sequence,
    // both balances for the transfer), through the same flat-value cache the commit then uses.
    // That is execution, not commit, so it is not timed.
    for (const w of writes) state.get(w.key);
    const t0 = performance.now();
    const r = await commit(writes);
    samples.push({ totalMs: performance.now() - t0, ...r, writes: writes.length });
  }
  await db.close();
  rmSync(dir, { recursive: true, force: true });
  samples.sort((x, y) => x.totalMs - y.totalMs);
  const median = samples[Math.floor(samples.length / 2)];
  return {
    accounts,
    stateKeys: accounts * 2,
    fillSeconds: Number(fillSeconds.toFixed(1)),
    blockTxs: TXS_PER_BLOCK,
    blockWrites: median.writes,
    commitMs: Number(median.totalMs.toFixed(1)),
    appHashMs: Number(median.rootMs.toFixed(1)),
    fsyncedWriteMs: Number(median.writeMs.toFixed(1)),
    treeNodesWritten: median.nodes,
  };
}
