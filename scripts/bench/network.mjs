// The network a load benchmark runs against, and the load itself: N validator processes with
// production timeouts and the bench accounts funded in genesis; pre-signed txs offered over
// JSON-RPC from two client processes at a fixed rate; commit times from the node's own /websocket
// NewBlockHeader events. Shared by bench:chain (MsgSend) and bench:social (the social mix).
import { fork, spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { createWriteStream, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { NODE_V8_FLAGS } from "../lib/node-flags.mjs";
import { ROOT } from "../lib/setup.mjs";
import { ticksMsOf } from "./proc-cpu.mjs";

const DIST = path.join(ROOT, "dist");
const log = (...m) => process.stderr.write(`[bench] ${m.join(" ")}\n`);
/**
 * CPU ms a process has used: all its threads, and its main thread alone (the event loop, where
 * execution, the tree and RPC run; the rest is signature and merkle workers, GC helpers, LevelDB).
 */
function cpuMsOf(pid) {
  return { all: ticksMsOf(`/proc/${pid}/stat`), main: ticksMsOf(`/proc/${pid}/task/${pid}/stat`) };
}

/** Seconds of GC pauses on a node's main thread so far (its /metrics, nodejs_gc_duration_seconds). */
async function gcPauseSecondsOf(apiUrl) {
  try {
    const text = await (await fetch(`${apiUrl}/metrics`)).text();
    let seconds = 0;
    for (const m of text.matchAll(/^nodejs_gc_duration_seconds_sum\{[^}]*\} (\S+)$/gm))
      seconds += Number(m[1]);
    return seconds;
  } catch {
    return Number.NaN;
  }
}
const perTxUs = (ms, txs) => Math.round((ms * 1000) / Math.max(1, txs));

const pct = (sorted, p) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;

/** Count, mean size and p50 / max interval (ms) of consecutive blocks `{ at, txs }`. */
function blockFigures(blocks) {
  const intervals = blocks
    .slice(1)
    .map((b, i) => b.at - blocks[i].at)
    .sort((a, b) => a - b);
  return {
    count: blocks.length,
    meanTxs: Math.round(blocks.reduce((sum, b) => sum + b.txs, 0) / Math.max(1, blocks.length)),
    intervalP50Ms: pct(intervals, 50),
    intervalMaxMs: pct(intervals, 100),
  };
}

/**
 * Starts the network. `appState(funded)` builds genesis app_state from the funded accounts (default:
 * the devnet's). Returns what the load runner needs and `stop()`.
 */
export async function startBenchNetwork({ validators, accounts, appState }) {
  const { defaultConfig } = await import(path.join(DIST, "chain", "config", "config.js"));
  const { loadGenesis } = await import(path.join(DIST, "chain", "config", "genesis.js"));
  const { homePaths, writeGenesis } = await import(path.join(DIST, "chain", "config", "home.js"));
  const { createDevnet } = await import(path.join(DIST, "chain", "node", "devnet.js"));
  const { devnetAppState } = await import(path.join(DIST, "chain", "node", "devnet-genesis.js"));
  const { StargateClient } = await import("@cosmjs/stargate");

  const home = mkdtempSync(path.join(tmpdir(), "vivim-bench-"));
  const base = defaultConfig();
  const portsOf = (i) => ({ rpc: 36657 + 10 * i, p2p: 36656 + 10 * i, api: 31317 + i });
  const devnet = await createDevnet(home, {
    validators,
    ports: portsOf,
    config: {
      ...base,
      log_level: process.env.VIVIM_BENCH_LOG_LEVEL ?? "warn",
      rpc: { ...base.rpc, max_body_bytes: 4_000_000 },
      mempool: { ...base.mempool, size: 50_000, max_txs_bytes: 256 * 1024 * 1024, max_txs_per_account: 256 },
    },
  });
  // Every node gets the same genesis, with the bench accounts funded.
  const genesis = loadGenesis(homePaths(devnet.nodes[0].home).genesisFile, {
    validateAppState: () => undefined,
  });
  const funded = accounts.map((a) => ({ address: a.address, amount: 10n ** 15n }));
  genesis.app_state = appState ? appState(funded) : devnetAppState(funded);
  for (const n of devnet.nodes) writeGenesis(n.home, genesis);
  const rpcUrls = devnet.nodes.map((n) => n.rpc);
  const rpcUrl = rpcUrls[0];
  // VIVIM_BENCH_NODE_ARGS passes Node flags to the node processes only (e.g. "--cpu-prof").
  const nodeArgs = (process.env.VIVIM_BENCH_NODE_ARGS ?? "").split(" ").filter(Boolean);
  const procs = devnet.nodes.map((n) => {
    const proc = spawn(
      process.execPath,
      [...NODE_V8_FLAGS, ...nodeArgs, path.join(ROOT, "bin", "vivim.js"), "start", "--home", n.home],
      {
        stdio: ["ignore", "pipe", "pipe"],
      },
    );
    const logStream = createWriteStream(path.join(n.home, "node.log"));
    proc.stdout.pipe(logStream);
    proc.stderr.pipe(logStream);
    return proc;
  });
  const nodeLog = path.join(devnet.nodes[0].home, "node.log");
  const rpc = async (method, params = {}) => {
    const r = await fetch(rpcUrl, {
      method: "POST",
      body: JSON.stringify({ jsonrpc: "2.0", id: 1, method, params }),
    });
    return (await r.json()).result;
  };
  for (let i = 0; ; i++) {
    try {
      if (Number((await rpc("status")).sync_info.latest_block_height) > 0) break;
    } catch {}
    if (i > 600) throw new Error(`network did not start; see ${nodeLog}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  const stargate = await StargateClient.connect(rpcUrl);
  const chainId = await stargate.getChainId();
  const seq = await Promise.all(accounts.map((a) => stargate.getSequence(a.address)));
  stargate.disconnect();
  return {
    home,
    rpcUrls,
    rpcUrl,
    rpcPort: portsOf(0).rpc,
    apiUrl: `http://127.0.0.1:${portsOf(0).api}`,
    chainId,
    nodeLog,
    rpc,
    accounts,
    /** CPU ms each node process has used so far: { all, main } (see cpuMsOf). */
    nodeCpuMs: () => procs.map((p) => cpuMsOf(p.pid)),
    /** Seconds of GC pauses on the first node's main thread so far. */
    nodeGcPauseSeconds: () => gcPauseSecondsOf(`http://127.0.0.1:${portsOf(0).api}`),
    /** Next sequence per account, advanced by whoever builds txs. */
    next: seq.map((s) => ({ accountNumber: Number(s.accountNumber), sequence: s.sequence })),
    async stop() {
      await Promise.all(
        procs.map((p) => {
          p.kill("SIGTERM");
          return new Promise((r) => p.once("exit", r));
        }),
      );
      if (process.env.VIVIM_BENCH_KEEP_LOG) log(`node logs kept in ${home}`);
      else rmSync(home, { recursive: true, force: true });
    },
  };
}

/** Offers pre-signed txs at fixed rates and measures when each commits. */
export async function createLoadRunner(net) {
  const { WebSocket } = await import("ws");
  const { StargateClient } = await import("@cosmjs/stargate");
  const signWorkers = await import("./sign-batch.mjs");
  const committedAt = new Map();
  /** Each block seen: when its header was announced and how many txs it held. */
  const blocksSeen = [];
  const nodeRpc = `http://127.0.0.1:${net.rpcPort}`;
  /** Marks the txs of block `height` committed at `at`: their hashes from the node's /block. */
  async function recordBlock(height, at) {
    for (let attempt = 0; ; attempt++) {
      try {
        const res = await fetch(`${nodeRpc}/block?height=${height}`);
        const txs = (await res.json()).result.block.data.txs;
        blocksSeen.push({ at, txs: txs.length });
        for (const tx of txs)
          committedAt.set(
            createHash("sha256").update(Buffer.from(tx, "base64")).digest("hex").toUpperCase(),
            at,
          );
        return;
      } catch (err) {
        if (attempt >= 5) throw new Error(`block ${height}: ${err}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    }
  }
  // A block commits when its header is announced. NewBlockHeader, not NewBlock: NewBlock carries
  // every tx result as JSON, which the node would build and this process parse for each block,
  // on the same two cores the node runs on (~1-3 KB a tx, more for the social mix's events).
  const ws = new WebSocket(`ws://127.0.0.1:${net.rpcPort}/websocket`);
  await new Promise((r) => ws.once("open", r));
  ws.send(
    JSON.stringify({
      jsonrpc: "2.0",
      id: 1,
      method: "subscribe",
      params: { query: "tm.event='NewBlockHeader'" },
    }),
  );
  let recording = Promise.resolve();
  ws.on("message", (data) => {
    const now = Date.now();
    const height = JSON.parse(data.toString()).result?.data?.value?.header?.height;
    if (height === undefined) return;
    // A block whose txs cannot be read leaves them uncommitted here: the step then fails, visibly.
    recording = recording.then(() => recordBlock(height, now)).catch((err) => log(String(err)));
  });
  const clients = await Promise.all(
    [0, 1].map(
      () =>
        new Promise((resolve) => {
          const c = fork(path.join(ROOT, "scripts", "bench", "load-client.mjs"));
          c.once("message", () => resolve(c));
        }),
    ),
  );

  /** Resynchronises sequences with the chain (rejected txs leave gaps). */
  async function resync() {
    const client = await StargateClient.connect(net.rpcUrl);
    for (const [i, a] of net.accounts.entries())
      net.next[i].sequence = (await client.getSequence(a.address)).sequence;
    client.disconnect();
  }

  /**
   * Signs `specs` (see sign-worker.mjs), offers them at `rate` per second, waits for commits and
   * returns the step's figures; `sustained` says whether the chain kept up within the bounds.
   */
  async function runStep(rate, seconds, specs, { p99BoundMs = 1000 } = {}) {
    const count = specs.length;
    const signed = await signWorkers.signAll(specs, net.chainId);
    const halves = [signed.filter((_, i) => i % 2 === 0), signed.filter((_, i) => i % 2 === 1)];
    // Networks the harness did not start (the QA cluster) have no `nodeCpuMs`.
    const cpuBefore = net.nodeCpuMs?.();
    const gcBefore = await net.nodeGcPauseSeconds?.();
    const harnessCpu = process.cpuUsage();
    const results = await Promise.all(
      clients.map(
        (c, i) =>
          new Promise((resolve) => {
            c.once("message", resolve);
            // Each client sends half the accounts in batches of 8: that many batches make one cycle.
            c.send({
              type: "run",
              rpcUrl: net.rpcUrls[i % net.rpcUrls.length],
              txs: halves[i],
              rate: rate / 2,
              lanes: net.accounts.length / 2 / 8,
            });
          }),
      ),
    );
    const sent = results.flatMap((r) => r.sent);
    const offeredSeconds = Math.max(...results.map((r) => r.offeredSeconds));
    const accepted = sent.filter((s) => s.code === 0);
    const deadline = Date.now() + 15_000;
    while (Date.now() < deadline && accepted.some((s) => !committedAt.has(s.hash)))
      await new Promise((r) => setTimeout(r, 100));
    const cpuAfter = cpuBefore && net.nodeCpuMs();
    const harnessUsed = process.cpuUsage(harnessCpu);
    const gcPauseMs =
      gcBefore === undefined ? undefined : ((await net.nodeGcPauseSeconds()) - gcBefore) * 1000;
    const latencies = accepted
      .filter((s) => committedAt.has(s.hash))
      .map((s) => committedAt.get(s.hash) - s.sentAt)
      .sort((a, b) => a - b);
    const firstSend = Math.min(...sent.map((s) => s.sentAt));
    const lastCommit = Math.max(...accepted.map((s) => committedAt.get(s.hash) ?? 0));
    const stepBlocks = blocksSeen.filter((b) => b.at > firstSend && b.at <= lastCommit);
    const step = {
      offeredPerSec: rate,
      offered: count,
      accepted: accepted.length,
      committed: latencies.length,
      committedPerSec: Math.round(latencies.length / ((lastCommit - firstSend) / 1000)),
      offeredSeconds: Number(offeredSeconds.toFixed(2)),
      p50CommitMs: pct(latencies, 50),
      p99CommitMs: pct(latencies, 99),
      // CPU (all threads) the first node spent per committed tx during the step: what a tx costs
      // the node, whatever the step's latency. Then its main thread's share, and how much of that
      // went to GC pauses.
      nodeCpuUsPerTx: cpuAfter && perTxUs(cpuAfter[0].all - cpuBefore[0].all, latencies.length),
      nodeMainThreadUsPerTx: cpuAfter && perTxUs(cpuAfter[0].main - cpuBefore[0].main, latencies.length),
      nodeGcPauseUsPerTx: gcPauseMs === undefined ? undefined : perTxUs(gcPauseMs, latencies.length),
      // What offering the txs cost the machine besides the node: the two load clients while they
      // sent, and this process (commit events, block reads) from the first send to the last commit.
      clientCpuUsPerTx: perTxUs(
        results.reduce((sum, r) => sum + r.cpuMs, 0),
        latencies.length,
      ),
      harnessCpuUsPerTx: perTxUs((harnessUsed.user + harnessUsed.system) / 1000, latencies.length),
      // The heights that committed the step's txs: a tx waits for the next block and then for its
      // own, so commit latency follows the block interval.
      blocks: blockFigures(stepBlocks),
      rejectedExample: sent.find((s) => s.code !== 0)?.log,
      rejected: Object.fromEntries(
        [...new Set(sent.filter((s) => s.code !== 0).map((s) => s.code))].map((code) => [
          code,
          sent.filter((s) => s.code === code).length,
        ]),
      ),
    };
    step.sustained =
      step.committed >= 0.99 * count &&
      step.p99CommitMs < p99BoundMs &&
      step.p50CommitMs < 1000 &&
      offeredSeconds < seconds * 1.1;
    await resync();
    return { step, hashes: accepted.map((s) => s.hash) };
  }

  /**
   * Committed is not succeeded: samples up to `sample` committed txs and counts those whose
   * DeliverTx failed, with one example log.
   */
  async function deliverFailures(hashes, sample = 200) {
    const step = Math.max(1, Math.floor(hashes.length / sample));
    let failed = 0;
    let checked = 0;
    let example;
    for (let i = 0; i < hashes.length; i += step) {
      const r = await net.rpc("tx", { hash: hashes[i] });
      if (!r) continue;
      checked++;
      if (r.tx_result.code !== 0) {
        failed++;
        example ??= r.tx_result.log;
      }
    }
    return { checked, failed, example };
  }

  return {
    runStep,
    resync,
    deliverFailures,
    close() {
      for (const c of clients) c.kill();
      ws.close();
    },
  };
}

/**
 * The MsgSends both benches offer: the i-th of a step from account i mod n to the next account,
 * each account's in sequence order (`net.next` tracks the sequences).
 */
export function transferBuilder(net, addresses) {
  const n = addresses.length;
  return (i) => {
    const a = i % n;
    return {
      from: a,
      to: addresses[(a + 1) % n],
      accountNumber: net.next[a].accountNumber,
      sequence: net.next[a].sequence++,
    };
  };
}

/**
 * A rate ladder: `build(i)` specs offered at each of `rates` for `seconds` (after `warmupSeconds`
 * at the first rate, not counted: the node's JIT and caches) until a step is not sustained. Each
 * step's sample of committed txs is checked to have succeeded. Then `refine` more steps bisect
 * between the last sustained rate and the first failed one (to the nearest 50 tx/s), so that a
 * limit is not read off the ladder's spacing: with rungs 300-400 apart, two workloads' limits
 * compared by their last sustained rung could differ by 10 % more or less than they do.
 * Returns the steps (bisecting ones marked `refined`), the best sustained one, and
 * `limitedByLadder`: the last rate offered was sustained too, so the node's limit is above `best`.
 */
export async function runLadder(
  runner,
  { label, rates, seconds, build, warmupSeconds = 0, p99BoundMs = 1000, refine = 1 },
) {
  const specsFor = (rate, s) => Array.from({ length: rate * s }, (_, i) => build(i));
  if (warmupSeconds > 0) {
    const { step } = await runner.runStep(rates[0], warmupSeconds, specsFor(rates[0], warmupSeconds), {
      p99BoundMs: 60_000,
    });
    log(`${label} warm-up (not counted): ${JSON.stringify(step)}`);
  }
  const steps = [];
  const measure = async (rate, marks = {}) => {
    const { step, hashes } = await runner.runStep(rate, seconds, specsFor(rate, seconds), { p99BoundMs });
    step.deliverFailures = await runner.deliverFailures(hashes);
    Object.assign(step, marks);
    steps.push(step);
    log(label, JSON.stringify(step));
    return step;
  };
  let best;
  for (const rate of rates) {
    const step = await measure(rate);
    if (!step.sustained) break;
    best = step;
  }
  const limitedByLadder = steps.length === rates.length && best === steps.at(-1);
  let failedRate = steps.at(-1)?.sustained === false ? steps.at(-1).offeredPerSec : undefined;
  for (let i = 0; i < refine && best && failedRate !== undefined; i++) {
    const rate = Math.round((best.offeredPerSec + failedRate) / 2 / 50) * 50;
    if (rate <= best.offeredPerSec || rate >= failedRate) break;
    // A failed step can leave the node a backlog and a heap to collect: let it settle first.
    await new Promise((r) => setTimeout(r, 3000));
    const step = await measure(rate, { refined: true });
    if (step.sustained) best = step;
    else failedRate = rate;
  }
  return { steps, best, limitedByLadder };
}
