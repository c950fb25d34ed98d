// A node's real state (LevelDB + CommittedState: flat values and the authenticated tree) filled
// through the modules' own handlers, block by block, without consensus or signatures: how the
// state-heavy benchmarks build 100k ratings or 1M posts in minutes instead of hours.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { ROOT } from "../lib/setup.mjs";

const DIST = path.join(ROOT, "dist");
export const load = (...p) => import(path.join(DIST, ...p));

/** `secondsPerBlock` spaces block times (rate limits run on block time). */
export async function openBenchState({ name, secondsPerBlock = 5n }) {
  const { Database } = await load("chain", "db", "database.js");
  const { CommittedState } = await load("chain", "state", "committed.js");
  const { StoreOverlay } = await load("chain", "state", "overlay.js");
  const { EMPTY_ROOT } = await load("chain", "state", "tree", "index.js");
  const { makeExecContext, INFINITE_GAS } = await load("chain", "execution", "context.js");
  const { defaultModuleRegistry } = await load("contracts", "index.js");
  const modules = defaultModuleRegistry();
  const dir = mkdtempSync(path.join(tmpdir(), `vivim-${name}-bench-`));
  const db = new Database(dir);
  await db.open();
  const state = new CommittedState(db, EMPTY_ROOT);
  let height = 0n;
  /** Commits an overlay's writes as the node does; `rootMs` is the app-hash update's share. */
  async function commitStore(store) {
    const writes = store.bufferedWrites();
    const start = performance.now();
    const update = state.computeRoot(writes);
    const rootMs = performance.now() - start;
    await db.write(state.commitOps(writes, update.nodes), { sync: false });
    state.markCommitted(writes, update);
    return { writes: writes.length, rootMs };
  }
  const block = (h) => ({
    chainId: "bench",
    height: h,
    time: { seconds: 1_700_000_000n + h * BigInt(secondsPerBlock), nanos: 0 },
  });
  return {
    state,
    modules,
    block,
    get height() {
      return height;
    },
    /** An ExecContext over a fresh overlay of the committed state (for timing a hook or handler). */
    context(h, events = []) {
      const store = new StoreOverlay(state);
      return { store, ctx: makeExecContext(block(h), store, INFINITE_GAS, modules, events) };
    },
    /** Runs `fill(ctx)` as the next block and commits its writes; returns how many keys it wrote. */
    async commitBlock(fill) {
      height++;
      const store = new StoreOverlay(state);
      fill(makeExecContext(block(height), store, INFINITE_GAS, modules, []));
      return (await commitStore(store)).writes;
    },
    commitStore,
    async close() {
      await db.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
