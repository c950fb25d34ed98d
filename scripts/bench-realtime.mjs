// `npm run bench:realtime`: `/v1/stream` fan-out on one node (issue 8).
//
// One real validator process (`bin/vivim.js start`, default consensus timeouts) with N communities
// in genesis (and a few posts in each for votes to land on). Subscribers: real `ws` clients in
// separate processes (scripts/bench/realtime-clients.mjs), each authenticating with its own ADR-036
// signature over its connection's challenge (distinct secp256k1 accounts, at most 4 sessions per
// address by default) and subscribing to one community. A load driver in this process offers
// multi-Msg txs of MsgCreatePost and MsgVote spread evenly over the communities at a fixed rate of
// community events per second (signed beforehand on all cores, sent with broadcast_tx_sync).
//
// Delivery latency = a client's Date.now() when the event frame arrived − the node's commit time of
// the event's block: the `committed block` line the node logs (log level info) right before it
// hands the block to its listeners (the stream hub among them). All processes read one machine
// clock. The block header time (set by the proposer before executing the block) is reported too.
// Only blocks committed inside the measured window count; a warm-up runs before it. The node also
// logs (debug) how long the hub took to route and fan out each block: the node's share per block.
// By default the node runs alone on CPU 0, the subscribers and this process on the last CPU
// (`--no-pin` to leave them to the scheduler).
//
// Prints: subscribers held (authenticated + subscribed at the end), committed community events/s,
// event frames/s fanned out, p50/p99/max delivery latency, SLOW_CONSUMER drops, node RSS and CPU.
// A human summary goes to stderr; the last line on stdout is the JSON summary.
import { execFileSync, fork } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { availableParallelism } from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { ensureBuild, ensureDependencies, ROOT } from "./lib/setup.mjs";

const { values: args } = parseArgs({
  options: {
    subscribers: { type: "string", default: "10000" },
    communities: { type: "string", default: "100" },
    /** Committed community events per second (one per Msg). */
    rate: { type: "string", default: "500" },
    seconds: { type: "string", default: "30" },
    "warmup-seconds": { type: "string", default: "5" },
    /** Distinct subscriber addresses; sessions per address = subscribers / this (cap 8). */
    "subscriber-accounts": { type: "string" },
    /** Funded accounts that sign the load. */
    "load-accounts": { type: "string", default: "64" },
    "msgs-per-tx": { type: "string", default: "10" },
    "client-processes": { type: "string", default: "2" },
    "drain-seconds": { type: "string", default: "60" },
    /** Leave the processes unpinned (default: the node on CPU 0, everything else on the last CPU). */
    "no-pin": { type: "boolean", default: false },
    /** A smoke run: 1,000 subscribers over 10 communities, 100 events/s for 8 s. */
    quick: { type: "boolean", default: false },
  },
});
if (args.quick) {
  const given = new Set(process.argv.slice(2).map((a) => a.replace(/^--/, "").split("=")[0]));
  const quick = { subscribers: "1000", communities: "10", rate: "100", seconds: "8", "warmup-seconds": "3" };
  for (const [k, v] of Object.entries(quick)) if (!given.has(k)) args[k] = v;
}

function intArg(name, min, max) {
  const v = Number(args[name]);
  if (!Number.isSafeInteger(v) || v < min || v > max) {
    process.stderr.write(`--${name} takes a whole number from ${min} to ${max} (got ${args[name]})\n`);
    process.exit(2);
  }
  return v;
}
const SUBSCRIBERS = intArg("subscribers", 1, 20_000);
const COMMUNITIES = intArg("communities", 1, 1_000);
const RATE = intArg("rate", 1, 20_000);
const SECONDS = intArg("seconds", 1, 600);
const WARMUP = intArg("warmup-seconds", 0, 120);
args["subscriber-accounts"] ??= String(Math.ceil(SUBSCRIBERS / 4));
const SUB_ACCOUNTS = intArg("subscriber-accounts", Math.ceil(SUBSCRIBERS / 8), 100_000);
const LOAD_ACCOUNTS = intArg("load-accounts", 1, 4_000);
const MSGS = intArg("msgs-per-tx", 1, 100);
const PROCS = intArg("client-processes", 1, 8);
const DRAIN_MS = intArg("drain-seconds", 1, 3_600) * 1000;
/** Genesis posts per community (the vote targets). */
const POSTS_PER_COMMUNITY = 2;
/** Subscriber keys come from a range of bench account indexes the load accounts never use. */
const SUB_ACCOUNT_BASE = 1_000_000;

ensureDependencies();
ensureBuild();
const DIST = path.join(ROOT, "dist");
const load = (...p) => import(path.join(DIST, ...p));
const log = (...m) => process.stderr.write(`[bench] ${m.join(" ")}\n`);
const out = (value) => process.stdout.write(`${JSON.stringify(value)}\n`);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const round = (x, d = 1) => (Number.isFinite(x) ? Number(x.toFixed(d)) : null);
const loadavg = () => readFileSync("/proc/loadavg", "utf8").split(" ").slice(0, 3).join(" ");

const social = await load("contracts", "social", "tx.js");
const { SocialEvents } = await load("contracts", "social", "events.js");
const { devnetAppState } = await load("chain", "node", "devnet-genesis.js");
const { benchAccount } = await import("./bench/keys.mjs");
const { startBenchNetwork } = await import("./bench/network.mjs");
const { generousRateLimits } = await import("./bench/social-genesis.mjs");
const { specBuilder } = await import("./bench/social-mix.mjs");
const { signAll } = await import("./bench/sign-batch.mjs");
const { broadcastBatch } = await import("./bench/broadcast.mjs");

log(
  `${SUBSCRIBERS} subscribers (${SUB_ACCOUNTS} addresses) over ${COMMUNITIES} communities, ` +
    `${RATE} events/s (${MSGS} msgs/tx) for ${WARMUP}+${SECONDS} s; load ${loadavg()}`,
);

// ---------------------------------------------------------------- the node

const loadAccounts = Array.from({ length: LOAD_ACCOUNTS }, (_, i) => benchAccount(i));
const addresses = loadAccounts.map((a) => a.address);
const slug = (c) => `rt${c}`;
function appState(funded) {
  const communities = Array.from({ length: COMMUNITIES }, (_, c) => ({
    slug: slug(c),
    name: `Realtime ${c}`,
    visibility: "PUBLIC",
    creator: addresses[0],
    members: addresses.slice(1),
  }));
  // Post p (content id p + 1) is in community (p % COMMUNITIES) + 1.
  const posts = Array.from({ length: COMMUNITIES * POSTS_PER_COMMUNITY }, (_, p) => ({
    community: slug(p % COMMUNITIES),
    author: addresses[p % LOAD_ACCOUNTS],
    title: `target ${p}`,
    body: "a post to vote on",
  }));
  return {
    ...devnetAppState(funded),
    identity: {
      profiles: addresses.map((address, i) => ({ address, handle: `rt${i}`, display_name: `RT ${i}` })),
    },
    social: { params: { rate_limits: generousRateLimits() }, communities, posts },
  };
}
// The node logs each `committed block` (its commit time) at info, and how long the stream hub took
// to route and fan out each block at debug.
process.env.VIVIM_BENCH_LOG_LEVEL ??= "debug";
const net = await startBenchNetwork({ validators: 1, accounts: loadAccounts, appState });
const children = [];
const cleanup = async () => {
  for (const c of children) c.kill();
  await net.stop();
};
process.once("SIGINT", () => {
  log("interrupted: stopping");
  cleanup().finally(() => process.exit(130));
});

/** The node process (its home is under this run's temporary directory). */
function nodePid() {
  for (const pid of readdirSync("/proc").filter((p) => /^\d+$/.test(p))) {
    try {
      const cmd = readFileSync(`/proc/${pid}/cmdline`, "utf8");
      if (cmd.includes("vivim.js") && cmd.includes(net.home)) return Number(pid);
    } catch {}
  }
  return undefined;
}
const NODE_PID = nodePid();
/**
 * The node alone on CPU 0, this process (load driver) and the subscriber processes on the last CPU:
 * a subscriber woken by a frame then never preempts the node mid-fan-out, as it could not if it
 * ran on another machine. (Other processes on the machine still share both CPUs.)
 */
const PIN = !args["no-pin"] && availableParallelism() >= 2;
const LAST_CPU = String(availableParallelism() - 1);
function pin(pid, cpu) {
  if (!PIN || !pid) return;
  try {
    execFileSync("taskset", ["-a", "-p", "-c", cpu, String(pid)], { stdio: "ignore" });
  } catch (err) {
    log(`could not pin ${pid} to CPU ${cpu}: ${err.message}`);
  }
}
pin(NODE_PID, "0");
pin(process.pid, LAST_CPU);
/** CPU seconds (user + system) and RSS bytes of a process. */
function usage(pid) {
  try {
    const f = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1].split(" ");
    return {
      cpu: (Number(f[11]) + Number(f[12])) / 100,
      sys: Number(f[12]) / 100,
      rss: Number(f[21]) * 4096,
    };
  } catch {
    return { cpu: Number.NaN, sys: Number.NaN, rss: Number.NaN };
  }
}
async function streamMetrics() {
  const text = await (await fetch(`${net.apiUrl}/metrics`)).text();
  const m = (name) => Number(new RegExp(`^${name} (\\S+)$`, "m").exec(text)?.[1] ?? Number.NaN);
  return {
    sessions: m("vivim_stream_sessions"),
    delivered: m("vivim_stream_events_delivered_total"),
    slowDrops: m("vivim_stream_slow_consumer_drops_total"),
  };
}

// ---------------------------------------------------------------- subscribers

const url = `${net.apiUrl.replace("http", "ws")}/v1/stream`;
const procs = await Promise.all(
  Array.from(
    { length: PROCS },
    () =>
      new Promise((resolve) => {
        const c = fork(path.join(ROOT, "scripts", "bench", "realtime-clients.mjs"));
        children.push(c);
        pin(c.pid, LAST_CPU);
        c.once("message", () => resolve(c));
      }),
  ),
);
const ask = (c, msg, type) =>
  new Promise((resolve) => {
    const on = (m) => {
      if (m.type !== type) return;
      c.off("message", on);
      resolve(m);
    };
    c.on("message", on);
    c.send(msg);
  });
// Subscriber j: community (j % COMMUNITIES) + 1, account j % SUB_ACCOUNTS, process j % PROCS.
const plan = Array.from({ length: PROCS }, () => []);
for (let j = 0; j < SUBSCRIBERS; j++)
  plan[j % PROCS].push({ account: SUB_ACCOUNT_BASE + (j % SUB_ACCOUNTS), community: (j % COMMUNITIES) + 1 });
log(`connecting ${SUBSCRIBERS} subscribers from ${PROCS} processes ...`);
const connectStarted = Date.now();
const connected = await Promise.all(
  procs.map((c, k) =>
    ask(c, { type: "connect", url, chainId: net.chainId, subs: plan[k], concurrency: 128 }, "connected"),
  ),
);
const heldAtStart = connected.reduce((s, r) => s + r.held, 0);
log(
  `${heldAtStart} subscribed in ${((Date.now() - connectStarted) / 1000).toFixed(1)} s` +
    (connected.some((r) => Object.keys(r.failed).length)
      ? `; failed: ${JSON.stringify(connected.map((r) => r.failed))} (${connected.find((r) => r.errorExample)?.errorExample})`
      : ""),
);

// ---------------------------------------------------------------- the load

const spec = specBuilder(net);
const TX_PER_SEC = RATE / MSGS;
const totalTxs = Math.ceil((WARMUP + SECONDS) * TX_PER_SEC);
const specs = [];
for (let i = 0, g = 0; i < totalTxs; i++) {
  const a = i % LOAD_ACCOUNTS;
  const messages = [];
  for (let j = 0; j < MSGS; j++, g++) {
    const community = g % COMMUNITIES;
    const round_ = Math.floor(g / COMMUNITIES);
    if (round_ % 2 === 0) {
      messages.push({
        type: social.MsgCreatePost,
        value: {
          author: addresses[a],
          communityId: BigInt(community + 1),
          title: `live ${g}`,
          body: "z".repeat(160),
        },
      });
    } else {
      const post = community + COMMUNITIES * (Math.floor(round_ / 2) % POSTS_PER_COMMUNITY);
      messages.push({
        type: social.MsgVote,
        value: { voter: addresses[a], targetId: BigInt(post + 1), direction: 1 },
      });
    }
  }
  specs.push({ ...spec(a, messages), gas: 100_000 + 150_000 * MSGS });
}
log(`signing ${totalTxs} txs on all cores ...`);
const signed = await signAll(specs, net.chainId);

/** Offers the txs at TX_PER_SEC in 100 ms ticks over one keep-alive lane (sequence order kept). */
async function offer(txs, onTick) {
  const TICK = 100;
  const perTick = TX_PER_SEC / (1000 / TICK);
  const start = Date.now();
  const codes = {};
  let example;
  let sentCount = 0;
  for (let k = 0; sentCount < txs.length; k++) {
    const wait = start + k * TICK - Date.now();
    if (wait > 0) await sleep(wait);
    onTick(Date.now() - start);
    const upto = Math.min(txs.length, Math.round((k + 1) * perTick));
    const batch = txs.slice(sentCount, upto);
    const offset = sentCount;
    sentCount = upto;
    if (batch.length === 0) continue;
    try {
      const res = await broadcastBatch(net.rpcUrl, batch, offset);
      for (const r of res) {
        const code = r.result?.code ?? -1;
        codes[code] = (codes[code] ?? 0) + 1;
        if (code !== 0) example ??= r.result?.log ?? r.error?.data;
      }
    } catch (err) {
      codes[-1] = (codes[-1] ?? 0) + batch.length;
      example ??= String(err);
    }
  }
  return { codes, example };
}

const before = {
  node: usage(NODE_PID),
  metrics: await streamMetrics(),
  clients: procs.map((c) => usage(c.pid)),
  load: loadavg(),
};
let windowStart = 0;
let windowStartUsage;
let rssMax = 0;
const rssTimer = setInterval(() => {
  rssMax = Math.max(rssMax, usage(NODE_PID).rss);
}, 500);
log(`offering ${TX_PER_SEC} tx/s (${RATE} events/s): warm-up ${WARMUP} s, then ${SECONDS} s measured ...`);
const loadStarted = Date.now();
const offered = await offer(signed, (elapsed) => {
  if (!windowStart && elapsed >= WARMUP * 1000) {
    windowStart = Date.now();
    windowStartUsage = { node: usage(NODE_PID), clients: procs.map((c) => usage(c.pid)) };
  }
});
const windowEnd = Date.now();
const windowEndUsage = { node: usage(NODE_PID), clients: procs.map((c) => usage(c.pid)) };
const loadAtEnd = loadavg();
log(
  `offered in ${((windowEnd - loadStarted) / 1000).toFixed(1)} s; tx codes ${JSON.stringify(offered.codes)}`,
);
if (offered.example) log(`rejected example: ${offered.example}`);

// Drain: until no subscriber has received anything for 3 s (or the drain limit).
const drainStarted = Date.now();
let lastReceived = -1;
let quietSince = Date.now();
while (Date.now() - drainStarted < DRAIN_MS) {
  const st = await Promise.all(procs.map((c) => ask(c, { type: "status" }, "status")));
  const r = st.reduce((s, x) => s + x.received, 0);
  if (r !== lastReceived) {
    lastReceived = r;
    quietSince = Date.now();
  } else if (Date.now() - quietSince > 3000) break;
  await sleep(500);
}
const drainMs = Date.now() - drainStarted;
clearInterval(rssTimer);
const after = { metrics: await streamMetrics(), node: usage(NODE_PID) };
rssMax = Math.max(rssMax, after.node.rss);

// ---------------------------------------------------------------- figures

await sleep(500); // the node log is piped through this process
const commits = new Map(); // height -> ms
const dispatches = new Map(); // height -> { at (end), routeMs, fanoutMs }
for (const line of readFileSync(net.nodeLog, "utf8").split("\n")) {
  const m = /^(\S+) INFO\s+\[[^\]]*\] committed block height=(\d+)/.exec(line);
  if (m) commits.set(Number(m[2]), Date.parse(m[1]));
  const d =
    /^(\S+) DEBUG \[stream\] stream block dispatched height=(\d+).* routeMs=(\d+) fanoutMs=(\d+)/.exec(line);
  if (d)
    dispatches.set(Number(d[2]), { at: Date.parse(d[1]), routeMs: Number(d[3]), fanoutMs: Number(d[4]) });
}
const windowHeights = [...commits].filter(([, at]) => at > windowStart && at <= windowEnd).map(([h]) => h);
if (windowHeights.length === 0) {
  log(`no committed block lines in ${net.nodeLog} inside the window`);
  await cleanup();
  process.exit(1);
}
const COMMUNITY_EVENT_TYPES = new Set([SocialEvents.PostCreated, SocialEvents.Voted]);
let communityEvents = 0;
let blockTxs = 0;
let failedTxs = 0;
const headerLagMs = [];
for (const h of windowHeights) {
  const [results, block] = await Promise.all([
    net.rpc("block_results", { height: String(h) }),
    net.rpc("block", { height: String(h) }),
  ]);
  for (const r of results.txs_results ?? []) {
    blockTxs++;
    if (r.code !== 0) failedTxs++;
    for (const e of r.events ?? []) if (COMMUNITY_EVENT_TYPES.has(e.type)) communityEvents++;
  }
  headerLagMs.push(commits.get(h) - Date.parse(block.block.header.time));
}
const windowSec = (windowEnd - windowStart) / 1000;
const reports = await Promise.all(
  procs.map((c) =>
    ask(c, { type: "report", commits: windowHeights.map((h) => [h, commits.get(h)]) }, "report"),
  ),
);
const hist = new Map();
for (const r of reports) for (const [ms, n] of r.hist) hist.set(ms, (hist.get(ms) ?? 0) + n);
const sortedHist = [...hist].sort((a, b) => a[0] - b[0]);
const delivered = sortedHist.reduce((s, [, n]) => s + n, 0);
const pct = (p) => {
  let seen = 0;
  const want = Math.ceil((p / 100) * delivered);
  for (const [ms, n] of sortedHist) {
    seen += n;
    if (seen >= want) return ms;
  }
  return Number.NaN;
};
const heldAtEnd = reports.reduce((s, r) => s + r.held, 0);
const perCommunity = SUBSCRIBERS / COMMUNITIES;
const expected = communityEvents * perCommunity;
const wu = windowStartUsage;
const nodeCpu = (windowEndUsage.node.cpu - wu.node.cpu) / windowSec;
const nodeSys = (windowEndUsage.node.sys - wu.node.sys) / windowSec;
const clientCpu = windowEndUsage.clients.reduce((s, u, i) => s + u.cpu - wu.clients[i].cpu, 0) / windowSec;
const headerSorted = headerLagMs.sort((a, b) => a - b);
// Node side, per block: waiting for the previous block's dispatch, routing (state reads), fan-out.
const sortedOf = (f) =>
  windowHeights
    .filter((h) => dispatches.has(h))
    .map((h) => f(dispatches.get(h), commits.get(h)))
    .sort((a, b) => a - b);
const p = (arr, q) => arr[Math.min(arr.length - 1, Math.floor((q / 100) * arr.length))] ?? "n/a";
const dispatchDone = sortedOf((d, c) => d.at - c);
const fanouts = sortedOf((d) => d.fanoutMs);
const routes = sortedOf((d) => d.routeMs);
const waits = sortedOf((d, c) => d.at - d.routeMs - d.fanoutMs - c);
const summary = {
  subscribers: SUBSCRIBERS,
  subscriberAddresses: SUB_ACCOUNTS,
  communities: COMMUNITIES,
  offeredEventsPerSec: RATE,
  subscribersHeld: heldAtEnd,
  committedEventsPerSec: round(communityEvents / windowSec),
  fannedOutPerSec: round(delivered / windowSec, 0),
  deliveredOfExpected: round(delivered / expected, 4),
  p50DeliveryMs: pct(50),
  p99DeliveryMs: pct(99),
  maxDeliveryMs: sortedHist.at(-1)?.[0] ?? null,
  slowConsumerDrops: reports.reduce((s, r) => s + r.slowConsumer, 0),
  nodeSlowConsumerMetric: after.metrics.slowDrops - before.metrics.slowDrops,
  nodeRssMiB: round(after.node.rss / 2 ** 20, 0),
  nodeRssMaxMiB: round(rssMax / 2 ** 20, 0),
  nodeCpuCores: round(nodeCpu, 2),
  nodeSysCores: round(nodeSys, 2),
  /** Node CPU per frame fanned out (everything the node did in the window, consensus included). */
  nodeCpuUsPerFrame: round((nodeCpu * 1e6) / (delivered / windowSec), 1),
  clientCpuCores: round(clientCpu, 2),
  blocks: windowHeights.length,
  blockTxs,
  failedTxs,
  commitAfterHeaderP50Ms: headerSorted[Math.floor(headerSorted.length / 2)],
  /** Node side, per block (debug log): commit → last frame handed to the sockets, and its parts. */
  nodeDispatchDoneMs: {
    p50: p(dispatchDone, 50),
    p99: p(dispatchDone, 99),
    max: dispatchDone.at(-1) ?? "n/a",
  },
  nodeQueueWaitMs: { p50: p(waits, 50), max: waits.at(-1) ?? "n/a" },
  nodeRouteMs: { p50: p(routes, 50), max: routes.at(-1) ?? "n/a" },
  nodeFanoutMs: { p50: p(fanouts, 50), max: fanouts.at(-1) ?? "n/a" },
  drainSeconds: round(drainMs / 1000),
  windowSeconds: round(windowSec, 2),
  pinned: PIN,
  load: { before: before.load, end: loadAtEnd },
};
summary.goalMet =
  heldAtEnd >= 10_000 &&
  COMMUNITIES >= 100 &&
  summary.committedEventsPerSec >= 0.95 * 500 &&
  summary.p99DeliveryMs < 250;
log("");
log(`subscribers held           ${heldAtEnd} of ${SUBSCRIBERS} (at start ${heldAtStart})`);
log(
  `committed events/s         ${summary.committedEventsPerSec} (offered ${RATE}; ${windowHeights.length} blocks, ${failedTxs} failed txs of ${blockTxs})`,
);
log(
  `event frames fanned out/s  ${summary.fannedOutPerSec} (${(summary.deliveredOfExpected * 100).toFixed(2)}% of expected)`,
);
log(
  `delivery latency ms        p50 ${summary.p50DeliveryMs}  p99 ${summary.p99DeliveryMs}  max ${summary.maxDeliveryMs}  (commit − header time p50 ${summary.commitAfterHeaderP50Ms} ms)`,
);
log(
  `node side per block        commit → written p50 ${summary.nodeDispatchDoneMs.p50} max ${summary.nodeDispatchDoneMs.max}; ` +
    `wait p50 ${summary.nodeQueueWaitMs.p50}, route p50 ${summary.nodeRouteMs.p50} (max ${summary.nodeRouteMs.max}), fan-out p50 ${summary.nodeFanoutMs.p50} (max ${summary.nodeFanoutMs.max}) ms`,
);
log(
  `SLOW_CONSUMER drops        ${summary.slowConsumerDrops} (node metric ${summary.nodeSlowConsumerMetric})`,
);
log(
  `node                       RSS ${summary.nodeRssMiB} MiB (max ${summary.nodeRssMaxMiB}), CPU ${summary.nodeCpuCores} cores (system ${summary.nodeSysCores}; ${summary.nodeCpuUsPerFrame} µs per frame); clients CPU ${summary.clientCpuCores} cores`,
);
log(`machine load               ${before.load} → ${loadAtEnd}; drain ${summary.drainSeconds} s`);
log(`goal (10k subs, 100 communities, 500 events/s, p99 < 250 ms): ${summary.goalMet ? "met" : "not met"}`);
await Promise.all(procs.map((c) => c.send({ type: "close" })));
await cleanup();
out(summary);
