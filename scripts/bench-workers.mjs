// `npm run bench:workers`: the service workers of issue 6 under the social workload.
//
//   1. Live: a real validator process takes the social mix of bench:social at a fixed rate (default
//      450 tx/s for 20 s) while, in this process, the real BlockBridge (its own redis-server on a
//      free port) feeds a BullMQ Worker running the feed agent and another running the moderation
//      agent (a real AgentRuntime in `manual` autonomy: decisions are recorded in an audit log, no
//      chain writes; the offline AI provider). For every post: commit-to-feed latency, from its
//      block's header time and from the moment this process saw the block committed (NewBlock) to
//      the feed job of that block completing, each post checked in `vivim:feeds:global:hot`.
//      Moderation: decisions/s while the load ran and its lag (blocks not yet decided) when it ended.
//   2. Bridge throughput: a second bridge under a fresh prefix (no cursor: from height 1) catches up
//      over every block of the run: blocks/s, txs/s, events/s.
//   3. Moderation decisions/s: the moderation jobs recorded in 1 replayed through the processor in
//      a BullMQ Worker as fast as it goes, at concurrency 1 and 4 (fresh prefixes and audit logs).
//
// A human table goes to stderr; the last line on stdout is the JSON summary.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { ensureBuild, ensureDependencies, ensureRedisServer, ROOT } from "./lib/setup.mjs";

const { values: args } = parseArgs({
  options: {
    rate: { type: "string", default: "450" },
    seconds: { type: "string", default: "20" },
    accounts: { type: "string", default: "400" },
    "replay-concurrency": { type: "string", default: "1,4" },
    /** The live Workers' BullMQ concurrency (the supervisor's default is 1). */
    "feed-concurrency": { type: "string", default: "1" },
    "moderation-concurrency": { type: "string", default: "1" },
    "drain-seconds": { type: "string", default: "180" },
    "skip-catchup": { type: "boolean", default: false },
    "skip-replay": { type: "boolean", default: false },
  },
});

/** A whole number option within [min, max], or exit with a usage line. */
function intArg(name, min, max) {
  const list = String(args[name]).split(",").map(Number);
  if (list.some((v) => !Number.isSafeInteger(v) || v < min || v > max)) {
    process.stderr.write(`--${name} takes whole numbers from ${min} to ${max} (got ${args[name]})\n`);
    process.exit(2);
  }
  return list;
}
const [RATE] = intArg("rate", 1, 5_000);
const [SECONDS] = intArg("seconds", 1, 600);
const [N] = intArg("accounts", 16, 4_000);
const DRAIN_MS = intArg("drain-seconds", 1, 3_600)[0] * 1000;
const [FEED_CONCURRENCY] = intArg("feed-concurrency", 1, 64);
const [MODERATION_CONCURRENCY] = intArg("moderation-concurrency", 1, 64);
const REPLAY_CONCURRENCY = intArg("replay-concurrency", 1, 64);

ensureDependencies();
ensureBuild();
if (!ensureRedisServer()) process.exit(1);
const DIST = path.join(ROOT, "dist");
const load = (...p) => import(path.join(DIST, ...p));
const log = (...m) => process.stderr.write(`[bench] ${m.join(" ")}\n`);
const out = (value) => process.stdout.write(`${JSON.stringify(value)}\n`);
const round = (x, d = 1) => (Number.isFinite(x) ? Number(x.toFixed(d)) : null);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

const { Queue, Worker } = await import("bullmq");
const { createLoadRunner } = await import("./bench/network.mjs");
const { socialMix, startSocialBenchNetwork, warmUpSocial } = await import("./bench/social-mix.mjs");
const { countingNodeRpc, latency, startPrivateRedis, watchBlocks } = await import(
  "./bench/workers-stack.mjs"
);
const { createLogger } = await load("chain", "util", "logger.js");
const { SocialEvents } = await load("contracts", "social", "events.js");
const { BlockBridge, BLOCK_JOB } = await load("workers", "bridge", "block-bridge.js");
const { httpNodeRpc, NewBlockListener } = await load("workers", "bridge", "node-rpc.js");
const { connectRedis, QUEUE_PREFIX } = await load("workers", "redis", "connection.js");
const { processFeedJob, feedKeys } = await load("workers", "agents", "feed", "index.js");
const { member } = await load("workers", "agents", "feed", "plan.js");
const { httpChainQuery } = await load("workers", "agents", "feed", "chain.js");
const { SOCIAL_QUERY_PATHS } = await load("contracts", "social", "query.js");
const { QueryContentRequest, QueryContentResponse } = await load("contracts", "social", "query-types.js");
const { moderationAgent } = await load("workers", "agents", "moderation", "index.js");
const { AgentRuntime } = await load("workers", "agents", "runtime", "runtime.js");
const { setAutonomy } = await load("workers", "agents", "runtime", "autonomy.js");
const { defaultChain } = await load("workers", "ai", "factory.js");
const { AuditLog } = await load("workers", "audit", "log.js");

const logger = createLogger({
  level: process.env.VIVIM_BENCH_LOG_LEVEL ?? "warn",
  format: "plain",
  name: "bench-workers",
});
const HOT = feedKeys.ranked("global", "hot");

async function until(what, check, ms) {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (await check()) return true;
    await sleep(50);
  }
  log(`gave up waiting for ${what} after ${Math.round(ms / 1000)} s`);
  return false;
}

/** A moderation agent context on `prefix` in manual autonomy, its audit log under `dir`. */
async function moderationContext(redis, prefix, dir, nodeRpcUrl) {
  await setAutonomy(redis, prefix, "moderation", "manual");
  const audit = AuditLog.open(dir, "moderation");
  // No MCP actor: in manual autonomy every action is recorded, none is taken.
  const runtime = new AgentRuntime({
    agent: "moderation",
    redis,
    prefix,
    audit,
    paused: () => false,
    logger,
  });
  const ctx = {
    agent: "moderation",
    redis,
    logger,
    prefix,
    nodeRpcUrl,
    nodes: [nodeRpcUrl],
    runtime,
    ai: await defaultChain({ logger }),
    paused: () => false,
    home: dir,
  };
  return { ctx, audit };
}

// ---------------------------------------------------------------- setup

const dir = mkdtempSync(path.join(tmpdir(), "vivim-bench-workers-"));
const { net, accounts } = await startSocialBenchNetwork(N);
const server = await startPrivateRedis(path.join(dir, "redis"));
const redis = connectRedis(server.url, "producer", logger);
const closers = [];
const cleanup = async () => {
  for (const c of closers.reverse()) await c().catch((e) => log(`cleanup: ${e.message}`));
  redis.disconnect();
  await server.stop();
  await net.stop();
  rmSync(dir, { recursive: true, force: true });
};
// Ctrl-C stops the node and redis-server too.
process.once("SIGINT", () => {
  log("interrupted: stopping");
  cleanup().finally(() => process.exit(130));
});

const blocks = await watchBlocks(net.rpcPort);
closers.push(async () => blocks.close());

// The live bridge from height 1, woken by NewBlockHeader like the supervisor's.
const bridged = new Map(); // height -> ms when its jobs were all added
const bridge = new BlockBridge(
  { node: httpNodeRpc(net.rpcUrl), redis, logger, newBlocks: new NewBlockListener(net.rpcUrl) },
  { pollMs: 200 },
);
bridge.on("processed", (h) => bridged.set(h, Date.now()));
await bridge.start();
closers.push(() => bridge.stop());

/** Times one QueryContent (as the agents read) every 100 ms until `stop()`, which returns the ms. */
function probeReads(rpcUrl, id) {
  const chain = httpChainQuery(rpcUrl);
  const samples = [];
  let stopped = false;
  const running = (async () => {
    while (!stopped) {
      const t0 = performance.now();
      await chain
        .query(SOCIAL_QUERY_PATHS.Content, QueryContentRequest, { id }, QueryContentResponse)
        .then(() => samples.push(performance.now() - t0))
        .catch(() => undefined);
      await sleep(100);
    }
  })();
  return {
    async stop() {
      stopped = true;
      await running;
      return samples;
    },
  };
}

/** When a job became active and how long its processor ran (BullMQ's own stamps). */
const jobTimes = (job, at) => ({
  startedAt: job.processedOn ?? at,
  runMs: (job.finishedOn ?? at) - (job.processedOn ?? at),
});

// The feed agent in its BullMQ Worker; each completed job's posts are checked in the hot feed.
const feedDone = new Map(); // height -> { at, posts }
const membership = { truncatedJobs: 0, failed: 0 };
const checks = [];
const feedConn = connectRedis(server.url, "worker", logger);
const feedWorker = new Worker(
  "feed",
  (job) => processFeedJob(job.data, { redis, log: logger, nodeRpcUrl: net.rpcUrl }),
  { connection: feedConn, prefix: QUEUE_PREFIX, concurrency: FEED_CONCURRENCY },
);
feedWorker.on("completed", (job) => {
  const at = Date.now();
  const posts = job.data.events
    .filter((e) => e.type === SocialEvents.PostCreated)
    .map((e) => e.attributes.content_id);
  if (job.data.truncated) membership.truncatedJobs += 1;
  const done = { at, posts: posts.length, checked: 0, missing: 0, ...jobTimes(job, at) };
  feedDone.set(job.data.height, done);
  if (posts.length === 0) return;
  checks.push(
    redis.zmscore(HOT, ...posts.map(member)).then((scores) => {
      done.checked = scores.length;
      done.missing = scores.filter((s) => s === null).length;
    }),
  );
});
feedWorker.on("failed", (job, err) => {
  membership.failed += 1;
  log(`feed job ${job?.id} failed: ${err.message}`);
});
closers.push(async () => {
  await feedWorker.close();
  feedConn.disconnect();
});

// The moderation agent in its BullMQ Worker, manual autonomy, its jobs kept for the replay.
const live = await moderationContext(redis, QUEUE_PREFIX, path.join(dir, "audit-live"), net.rpcUrl);
const modDone = new Map(); // height -> { at, decisions, contents, labels }
const modJobs = [];
let modFailed = 0;
const modConn = connectRedis(server.url, "worker", logger);
const modWorker = new Worker("moderation", (job) => moderationAgent.processor(job, live.ctx), {
  connection: modConn,
  prefix: QUEUE_PREFIX,
  concurrency: MODERATION_CONCURRENCY,
});
modWorker.on("completed", (job, r) => {
  const at = Date.now();
  modDone.set(job.data.height, {
    at,
    ...jobTimes(job, at),
    decisions: r.decisions,
    contents: r.contents,
    labels: r.labels,
  });
  modJobs.push(job.data);
});
modWorker.on("failed", (job, err) => {
  modFailed += 1;
  log(`moderation job ${job?.id} failed: ${err.message}`);
});
closers.push(async () => {
  await modWorker.close();
  modConn.disconnect();
  await live.audit.flush();
});

/** True when `queue` has no job waiting or running and its Worker has finished at least one. */
const watched = new Map(
  ["feed", "moderation"].map((q) => [q, new Queue(q, { connection: redis, prefix: QUEUE_PREFIX })]),
);
closers.push(() => Promise.all([...watched.values()].map((q) => q.close())));
async function drained(done, queue) {
  const counts = await watched.get(queue).getJobCounts("waiting", "active", "delayed", "prioritized");
  return Object.values(counts).every((c) => c === 0) && bridge.processedHeight > 0 && done.size > 0;
}

// ---------------------------------------------------------------- 1. live

const summary = {
  ratePerSec: RATE,
  seconds: SECONDS,
  feedConcurrency: FEED_CONCURRENCY,
  moderationConcurrency: MODERATION_CONCURRENCY,
};
const runner = await createLoadRunner(net);
closers.push(async () => runner.close());
try {
  log(`warm-up: ${N} posts and ${N} comments`);
  const postOf = await warmUpSocial(net, runner, accounts);
  const build = await socialMix(net, accounts, postOf);
  const specs = Array.from({ length: RATE * SECONDS }, (_, i) => build(i));
  // The workers start the live load with empty queues.
  const tip = Number((await net.rpc("status")).sync_info.latest_block_height);
  await until("the bridge to reach the warm-up's blocks", () => bridge.processedHeight >= tip, 60_000);
  await until(
    "the workers to drain the warm-up",
    async () => (await drained(feedDone, "feed")) && (await drained(modDone, "moderation")),
    DRAIN_MS,
  );
  log(`live: the social mix at ${RATE} tx/s for ${SECONDS} s`);
  // One QueryContent every 100 ms while the load runs: what a worker's chain read costs then.
  const probe = probeReads(net.rpcUrl, postOf[0]);
  const { step, hashes } = await runner.runStep(RATE, SECONDS, specs);
  const readMs = await probe.stop();
  log("chain", JSON.stringify(step));
  const { from, to } = blocks.range(hashes);
  if (!Number.isFinite(from)) throw new Error("no live tx was seen committed");
  const endAt = blocks.blocks.get(to).seenAt;
  const startAt = blocks.blocks.get(from - 1)?.seenAt ?? blocks.blocks.get(from).seenAt - 1000;
  // Lag when the load ended (the last live block seen committed): that queue's block jobs not
  // finished by then, the last block's own included; up to 2 is keeping up.
  const lagAtEnd = (done) => {
    let pending = 0;
    for (const [h, d] of done) if (h >= from && h <= to && d.at > endAt) pending += 1;
    return pending;
  };
  const drainedOk = await until(
    "the workers to finish the live blocks",
    async () => {
      if (bridge.processedHeight < to) return false;
      return (await drained(feedDone, "feed")) && (await drained(modDone, "moderation"));
    },
    DRAIN_MS,
  );
  await Promise.all(checks);
  const lastAt = (done) =>
    Math.max(0, ...[...done].filter(([h]) => h >= from && h <= to).map(([, d]) => d.at));

  // Commit-to-feed, per post: every post of a block waits for that block's feed job.
  const fromHeader = [];
  const fromNewBlock = [];
  const toBridged = [];
  let livePosts = 0;
  let liveContents = 0;
  let checked = 0;
  let missing = 0;
  const feedWait = [];
  const feedRun = [];
  const modRun = [];
  for (let h = from; h <= to; h++) {
    const b = blocks.blocks.get(h);
    const f = feedDone.get(h);
    if (b && bridged.has(h)) toBridged.push(bridged.get(h) - b.seenAt);
    const m = modDone.get(h);
    if (m) {
      liveContents += m.contents;
      modRun.push(m.runMs);
    }
    if (f && bridged.has(h)) {
      feedWait.push(Math.max(0, f.startedAt - bridged.get(h)));
      feedRun.push(f.runMs);
    }
    if (!b || !f || f.posts === 0) continue;
    livePosts += f.posts;
    checked += f.checked;
    missing += f.missing;
    for (let i = 0; i < f.posts; i++) {
      fromHeader.push(f.at - b.headerMs);
      fromNewBlock.push(f.at - b.seenAt);
    }
  }
  const windowSec = (endAt - startAt) / 1000;
  let liveDecisions = 0;
  let decisionsInWindow = 0;
  for (const [h, d] of modDone) {
    if (h < from || h > to) continue;
    liveDecisions += d.decisions;
    if (d.at <= endAt) decisionsInWindow += d.decisions;
  }
  const feedLag = lagAtEnd(feedDone);
  const modLag = lagAtEnd(modDone);
  summary.chain = {
    committedPerSec: step.committedPerSec,
    sustained: step.sustained,
    p99CommitMs: step.p99CommitMs,
    blocks: to - from + 1,
  };
  summary.chain.queryContentMs = latency(readMs);
  summary.feed = {
    posts: livePosts,
    postsPerSec: round(livePosts / windowSec),
    headerToFeedMs: latency(fromHeader),
    newBlockToFeedMs: latency(fromNewBlock),
    newBlockToBridgedMs: latency(toBridged),
    bridgedToJobStartMs: latency(feedWait),
    feedJobRunMs: latency(feedRun),
    inHotFeed: checked - missing,
    missingFromHotFeed: missing,
    truncatedJobs: membership.truncatedJobs,
    failedJobs: membership.failed,
    lagBlocksAtEnd: feedLag,
    drainMsAfterEnd: Math.max(0, lastAt(feedDone) - endAt),
  };
  summary.moderationLive = {
    contents: liveContents,
    contentsPerSec: round(liveContents / windowSec),
    decisions: liveDecisions,
    decisionsPerSec: round(decisionsInWindow / windowSec),
    jobRunMs: latency(modRun),
    lagBlocksAtEnd: modLag,
    drainMsAfterEnd: Math.max(0, lastAt(modDone) - endAt),
    keptUp: drainedOk && modLag <= 2,
    failedJobs: modFailed,
  };
  log("feed", JSON.stringify(summary.feed));
  log("moderation (live)", JSON.stringify(summary.moderationLive));
} catch (err) {
  log(`live phase failed: ${err.stack ?? err.message}`);
  summary.error = String(err.message).slice(0, 300);
}

// The live workers stop here: the next phases run alone.
await feedWorker.close();
await modWorker.close();
await bridge.stop();

// ---------------------------------------------------------------- 2. bridge catch-up

async function catchUp() {
  const { node, counts } = await countingNodeRpc(net.rpcUrl);
  const target = (await node.status()).latestHeight;
  const prefix = "vivim-catchup";
  const catchup = new BlockBridge({ node, redis, logger }, { prefix, pollMs: 60_000 });
  log(`bridge catch-up: heights 1..${target} under a fresh prefix`);
  let reachedAt;
  catchup.on("processed", (h) => {
    if (h >= target) reachedAt ??= performance.now();
  });
  const t0 = performance.now();
  await catchup.start();
  if (!(await until("the catch-up bridge", () => reachedAt !== undefined, 600_000)))
    throw new Error(`the catch-up bridge stopped at ${catchup.processedHeight} of ${target}`);
  const ms = reachedAt - t0;
  await catchup.stop();
  let events = 0;
  let txs = 0;
  for (const [h, c] of counts) {
    if (h > target) continue;
    events += c.events;
    txs += c.txs;
  }
  let jobs = 0;
  for (const queue of ["feed", "moderation", "reputation", "health"]) {
    const q = new Queue(queue, { connection: redis, prefix });
    jobs += Object.values(await q.getJobCounts()).reduce((a, b) => a + b, 0);
    await q.obliterate({ force: true });
    await q.close();
  }
  summary.bridge = {
    blocks: target,
    txs,
    events,
    jobs,
    seconds: round(ms / 1000, 2),
    blocksPerSec: round((target / ms) * 1000),
    txsPerSec: round((txs / ms) * 1000),
    eventsPerSec: round((events / ms) * 1000),
  };
  log("bridge catch-up", JSON.stringify(summary.bridge));
}

// ---------------------------------------------------------------- 3. moderation replay

async function replayModeration() {
  const jobs = [...modJobs].sort((a, b) => a.height - b.height);
  summary.moderationReplay = [];
  for (const concurrency of REPLAY_CONCURRENCY) {
    const prefix = `vivim-modreplay-${concurrency}`;
    const m = await moderationContext(
      redis,
      prefix,
      path.join(dir, `audit-replay-${concurrency}`),
      net.rpcUrl,
    );
    const q = new Queue("moderation", { connection: redis, prefix });
    await q.addBulk(
      jobs.map((data) => ({
        name: BLOCK_JOB,
        data,
        opts: { jobId: `moderation-${data.height}`, removeOnComplete: { count: 200_000 } },
      })),
    );
    let done = 0;
    let failed = 0;
    let decisions = 0;
    let contents = 0;
    const conn = connectRedis(server.url, "worker", logger);
    const t0 = performance.now();
    const w = new Worker("moderation", (job) => moderationAgent.processor(job, m.ctx), {
      connection: conn,
      prefix,
      concurrency,
    });
    let lastAt = t0;
    w.on("completed", (_job, r) => {
      lastAt = performance.now();
      done += 1;
      decisions += r.decisions;
      contents += r.contents;
    });
    w.on("failed", () => {
      lastAt = performance.now();
      failed += 1;
    });
    if (
      !(await until(`the replay at concurrency ${concurrency}`, () => done + failed >= jobs.length, 600_000))
    )
      throw new Error(`the replay finished ${done + failed} of ${jobs.length} jobs`);
    const ms = lastAt - t0;
    await w.close();
    conn.disconnect();
    await m.audit.flush();
    await q.obliterate({ force: true });
    await q.close();
    const r = {
      concurrency,
      jobs: jobs.length,
      failed,
      contents,
      decisions,
      seconds: round(ms / 1000, 2),
      decisionsPerSec: round((decisions / ms) * 1000),
      jobsPerSec: round((done / ms) * 1000),
    };
    summary.moderationReplay.push(r);
    log("moderation replay", JSON.stringify(r));
  }
}

for (const [skip, phase, name] of [
  [args["skip-catchup"] || summary.error, catchUp, "bridge catch-up"],
  [args["skip-replay"] || modJobs.length === 0, replayModeration, "moderation replay"],
]) {
  if (skip) continue;
  try {
    await phase();
  } catch (err) {
    log(`${name} failed: ${err.stack ?? err.message}`);
    summary.error = `${name}: ${String(err.message).slice(0, 300)}`;
  }
}

await cleanup().catch((e) => log(`cleanup failed: ${e.message}`));

// ---------------------------------------------------------------- report

const row = (k, v) => log(`  ${k.padEnd(44)} ${v}`);
log("");
log(
  `service workers under the social mix (${RATE} tx/s offered for ${SECONDS} s, 1 validator;` +
    ` Worker concurrency feed ${summary.feedConcurrency}, moderation ${summary.moderationConcurrency})`,
);
if (summary.chain) {
  const l = (x) => `p50 ${x.p50} / p99 ${x.p99} / max ${x.max}`;
  row(
    "chain committed tx/s (sustained?, p99 commit ms)",
    `${summary.chain.committedPerSec} (${summary.chain.sustained}, ${summary.chain.p99CommitMs})`,
  );
  row("QueryContent on the node under the load, ms", l(summary.chain.queryContentMs));
  const f = summary.feed;
  row("posts in live blocks (posts/s)", `${f.posts} (${f.postsPerSec})`);
  row("header time -> post in hot feed, ms", l(f.headerToFeedMs));
  row("NewBlock seen -> post in hot feed, ms", l(f.newBlockToFeedMs));
  row("NewBlock seen -> block's jobs added, ms", l(f.newBlockToBridgedMs));
  row("  then waiting in the feed queue, ms", l(f.bridgedToJobStartMs));
  row("  then the feed job (per block), ms", l(f.feedJobRunMs));
  row("posts checked in hot feed (missing)", `${f.inHotFeed} (${f.missingFromHotFeed})`);
  row("feed lag at end, blocks (drain ms)", `${f.lagBlocksAtEnd} (${f.drainMsAfterEnd})`);
  const m = summary.moderationLive;
  row("moderation contents/s offered", m.contentsPerSec);
  row("moderation decisions/s while live", m.decisionsPerSec);
  row("moderation job (per block), ms", l(m.jobRunMs));
  row("moderation lag at end, blocks (drain ms)", `${m.lagBlocksAtEnd} (${m.drainMsAfterEnd})`);
  row("moderation kept up", m.keptUp);
}
if (summary.bridge) {
  const b = summary.bridge;
  row("bridge catch-up blocks/s", `${b.blocksPerSec} (${b.blocks} blocks, ${b.seconds} s)`);
  row("bridge catch-up events/s (txs/s)", `${b.eventsPerSec} (${b.txsPerSec})`);
}
for (const r of summary.moderationReplay ?? [])
  row(
    `moderation replay decisions/s, concurrency ${r.concurrency}`,
    `${r.decisionsPerSec} (${r.decisions} in ${r.seconds} s)`,
  );

out({
  ratePerSec: RATE,
  seconds: SECONDS,
  committedTxPerSec: summary.chain?.committedPerSec ?? null,
  postsPerSec: summary.feed?.postsPerSec ?? null,
  p50HeaderToFeedMs: summary.feed?.headerToFeedMs.p50 ?? null,
  p99HeaderToFeedMs: summary.feed?.headerToFeedMs.p99 ?? null,
  p50CommitToFeedMs: summary.feed?.newBlockToFeedMs.p50 ?? null,
  p99CommitToFeedMs: summary.feed?.newBlockToFeedMs.p99 ?? null,
  maxCommitToFeedMs: summary.feed?.newBlockToFeedMs.max ?? null,
  missingFromHotFeed: summary.feed?.missingFromHotFeed ?? null,
  moderationDecisionsPerSecLive: summary.moderationLive?.decisionsPerSec ?? null,
  moderationLagBlocksAtEnd: summary.moderationLive?.lagBlocksAtEnd ?? null,
  moderationKeptUp: summary.moderationLive?.keptUp ?? null,
  bridgeEventsPerSec: summary.bridge?.eventsPerSec ?? null,
  bridgeBlocksPerSec: summary.bridge?.blocksPerSec ?? null,
  moderationDecisionsPerSec: Object.fromEntries(
    (summary.moderationReplay ?? []).map((r) => [`c${r.concurrency}`, r.decisionsPerSec]),
  ),
  ...(summary.error ? { error: summary.error } : {}),
  detail: summary,
});
process.exit(summary.error ? 1 : 0);
