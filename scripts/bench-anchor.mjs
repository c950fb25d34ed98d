#!/usr/bin/env node
/**
 * What anchoring costs the source chain's consensus, and how soon a checkpoint is on the target.
 * Two real one-validator VIVIM nodes in this process (B the target, A the source with `[anchor]`
 * enabled, every block a checkpoint, mode "vivim" or "memo"), talking over their real RPC with
 * cosmjs. Imports the compiled code, so build first:
 *   npx tsc -p tsconfig.build.json && node scripts/bench-anchor.mjs
 * Prints one JSON object:
 *   listenerUs   — time the commit path spends in the anchoring service's `committed` listener
 *                  (between a listener registered before it and one registered after it), per block;
 *   anchorMs     — from A committing a checkpointed block to the service seeing it included on B;
 *   anchors, records, failures, blocks — counts over the run.
 * Env: DURATION_S (default 20), MODE (vivim | memo | off), EVERY_BLOCKS (default 1).
 */
import { mkdtempSync, rmSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import path from "node:path";
import { defaultConfig } from "../dist/chain/config/config.js";
import { initHome } from "../dist/chain/config/home.js";
import { Keyring } from "../dist/chain/keys/keyring.js";
import { devnetAppState } from "../dist/chain/node/devnet-genesis.js";
import { VivimNode } from "../dist/chain/node/node.js";
import { RpcServer } from "../dist/chain/rpc/server.js";
import { silentLogger } from "../dist/chain/util/logger.js";

const SECONDS = Number(process.env.DURATION_S ?? 20);
const MODE = process.env.MODE ?? "vivim";
const EVERY_BLOCKS = Number(process.env.EVERY_BLOCKS ?? 1);
const FUNDS = 1_000_000_000_000n;

function nodeConfig(anchor = {}) {
  const c = defaultConfig();
  return {
    ...c,
    log_level: "error",
    rpc: { ...c.rpc, laddr: "tcp://127.0.0.1:0" },
    api: { ...c.api, enable: false, address: "tcp://127.0.0.1:0" },
    p2p: { ...c.p2p, laddr: "tcp://127.0.0.1:0" },
    consensus: { ...c.consensus, timeout_commit: 100, create_empty_blocks_interval: 0 },
    verify: { threads: 1 },
    anchor: { ...c.anchor, ...anchor },
  };
}

const percentile = (xs, p) => {
  if (xs.length === 0) return null;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
};
const summary = (xs, digits) => ({
  n: xs.length,
  p50: Number(percentile(xs, 50)?.toFixed(digits)),
  p99: Number(percentile(xs, 99)?.toFixed(digits)),
  max: Number(Math.max(...xs).toFixed(digits)),
});

const homeA = mkdtempSync(path.join(tmpdir(), "vivim-bench-anchor-a-"));
const homeB = mkdtempSync(path.join(tmpdir(), "vivim-bench-anchor-b-"));
const { key } = await new Keyring({ home: homeA, backend: "test" }).add("anchorer");
const funded = devnetAppState([{ address: key.address, amount: FUNDS }]);

const configB = nodeConfig();
initHome({ home: homeB, moniker: "b", chainId: "bench-target-1", config: configB, genesisAppState: funded });
const b = await VivimNode.open({ home: homeB, config: configB, logger: silentLogger() });
await b.start();
const rpcB = new RpcServer(b);
await rpcB.start();

const configA = nodeConfig({
  // MODE=off: the same run without anchoring, for the block count and the listener baseline.
  enabled: MODE !== "off",
  target_rpc: `http://127.0.0.1:${rpcB.port}`,
  target_chain_id: "bench-target-1",
  mode: MODE === "off" ? "memo" : MODE,
  every_blocks: EVERY_BLOCKS,
  every_minutes: 0,
  key: "anchorer",
  keyring_backend: "test",
  retry_initial: 100,
  retry_max: 1000,
});
initHome({ home: homeA, moniker: "a", chainId: "bench-source-1", config: configA, genesisAppState: funded });
const a = await VivimNode.open({ home: homeA, config: configA, logger: silentLogger() });

// Listeners run in registration order: one before the service's (registered in start) and one after.
const enteredAt = new Map();
const committedAt = new Map();
const listenerUs = [];
a.consensus.on("committed", (c) => enteredAt.set(c.block.header.height, performance.now()));
await a.start();
a.consensus.on("committed", (c) => {
  const h = c.block.header.height;
  const now = performance.now();
  listenerUs.push((now - enteredAt.get(h)) * 1000);
  enteredAt.delete(h);
  committedAt.set(h, now);
});
const rpcA = new RpcServer(a);
await rpcA.start();

const anchorMs = [];
let seen = 0n;
const started = performance.now();
while (performance.now() - started < SECONDS * 1000) {
  const h = a.anchor?.stats.lastAnchoredHeight ?? 0n;
  if (h > seen) {
    const t = committedAt.get(h);
    if (t !== undefined) anchorMs.push(performance.now() - t);
    seen = h;
  }
  await new Promise((r) => setTimeout(r, 2));
}

const recordsMetric = a.metrics.registry.getSingleMetric("vivim_anchor_records_total");
const records = recordsMetric ? Number((await recordsMetric.get()).values[0]?.value ?? 0) : 0;
const result = {
  mode: MODE,
  seconds: SECONDS,
  everyBlocks: EVERY_BLOCKS,
  blocks: Number(a.blockStore.latestHeight),
  anchors: a.anchor?.stats.anchored ?? 0,
  records,
  failures: a.anchor?.stats.failures ?? 0,
  // Other processes on the machine take cores too: read the figures next to this.
  loadavg1m: Number(loadavg()[0].toFixed(2)),
  listenerUs: summary(listenerUs, 1),
  anchorMs: summary(anchorMs, 0),
};
await rpcA.stop();
await a.stop();
await rpcB.stop();
await b.stop();
rmSync(homeA, { recursive: true, force: true });
rmSync(homeB, { recursive: true, force: true });
process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
