// `npm run qa -- [--minutes N] [--out dir] [--rate R]`: the whole system under load and faults.
// Starts 4 validators, redis-server, the workers and the MCP server as separate processes
// (scripts/qa/cluster.mjs), drives a fixed-rate mixed load (load.mjs, clients.mjs) while applying
// the perturbations on a schedule (perturbations.mjs), then checks the invariants over every
// node's public interfaces (invariants.mjs) and writes the report (report.mjs) under
// test/artifacts/qa/. Exits 1 when an invariant fails. docs/qa.md explains it all.
import path from "node:path";
import { parseArgs } from "node:util";
import { ensureBuild, ensureDependencies, ensureRedisServer, ROOT } from "./lib/setup.mjs";

const { values: args } = parseArgs({
  options: {
    minutes: { type: "string", default: "10" },
    out: { type: "string", default: path.join("test", "artifacts", "qa") },
    rate: { type: "string", default: "20" },
    accounts: { type: "string", default: "192" },
    "keep-home": { type: "boolean", default: false },
  },
  strict: true,
});
const minutes = Number(args.minutes);
const rate = Number(args.rate);
// A multiple of 16: the warm-up (scripts/bench/network.mjs) splits the accounts over two clients
// sending batches of 8.
const accountCount = Number(args.accounts);
if (
  !(minutes > 0 && minutes <= 24 * 60) ||
  !Number.isInteger(rate) ||
  rate < 1 ||
  rate > 1000 ||
  !Number.isInteger(accountCount) ||
  accountCount < 16 ||
  accountCount % 16 !== 0 ||
  accountCount > 1000
) {
  console.error(
    "usage: npm run qa -- [--minutes N (0 < N ≤ 1440)] [--rate tx/s (1..1000)] [--accounts a multiple of 16 up to 1000] [--out dir] [--keep-home]",
  );
  process.exit(2);
}
ensureDependencies();
ensureBuild();
if (!ensureRedisServer()) process.exit(1);

const outDir = path.resolve(ROOT, args.out);
const { dropBuildSnapshot, log, sleep, snapshotBuild, startCluster } = await import("./qa/cluster.mjs");
snapshotBuild();
const { sampleAgreement, startFollower } = await import("./qa/follower.mjs");
const { prepareLoad, proposalAndVotes } = await import("./qa/load.mjs");
const { startDmLoad, startMcpLoad } = await import("./qa/clients.mjs");
const { RECOVERY_BOUND_MS, runPerturbations } = await import("./qa/perturbations.mjs");
const inv = await import("./qa/invariants.mjs");
const { throughputSeries, writeReport } = await import("./qa/report.mjs");
const { latency } = await import("./bench/workers-stack.mjs");

const startedAt = new Date().toISOString();
const seconds = minutes * 60;
log(`starting 4 validators, redis-server, workers and the MCP server (logs in ${path.join(outDir, "logs")})`);
const cluster = await startCluster({ outDir, accounts: accountCount });
log(`devnet home ${cluster.home} (${args["keep-home"] ? "kept" : "deleted"} at the end)`);
// Ctrl-C or SIGTERM: stop every process of the run before leaving, and write no report.
for (const signal of ["SIGINT", "SIGTERM"]) {
  process.once(signal, () => {
    log(`${signal}: stopping the run`);
    void cluster.stop().finally(() => {
      dropBuildSnapshot();
      process.exit(130);
    });
  });
}
let exitCode = 1;
try {
  log("warm-up: a post and a comment from every load account");
  const load = await prepareLoad(cluster, { rate });
  const follower = startFollower(cluster, (hash, height, seenAt) => load.onCommit(hash, height, seenAt));
  const mcp = startMcpLoad(cluster);
  const dm = await startDmLoad(cluster, path.join(cluster.home, "qa-dm"));

  const agreement = sampleAgreement(cluster);

  const t0 = Date.now();
  log(`load: ${rate} tx/s for ${seconds} s, with ${accountCount} accounts; perturbations spread over it`);
  const gov = { proposalId: null, hashes: [], error: null };
  // The proposal and its votes at 10 % of the run.
  const govDone = sleep(seconds * 100).then(async () => {
    try {
      Object.assign(gov, await proposalAndVotes(cluster));
    } catch (err) {
      gov.error = String(err.message);
    }
  });
  const [perturbations] = await Promise.all([
    runPerturbations(cluster, { start: t0, seconds }),
    load.run(seconds),
    govDone,
  ]);
  await Promise.all([mcp.stop(), dm.stop()]);
  await agreement.stop();
  // Let every node reach what the follower has seen, then stop following.
  const seenTip = follower.blocks.size;
  const deadline = Date.now() + RECOVERY_BOUND_MS;
  while (Date.now() < deadline && !follower.latest().every((h) => h !== null && h >= seenTip))
    await sleep(500);
  await follower.stop();
  const loadEnd = Date.now();

  log("checking the invariants");
  const chain = await inv.commonChain(cluster);
  const settled = await inv.workersSettled(cluster, chain.H);
  const hashes = [
    ...new Set([
      ...load.committed.keys(),
      ...gov.hashes.map((h) => h.toUpperCase()),
      ...mcp.posts.map((p) => p.txHash),
    ]),
  ];
  // A check that cannot run (a node that does not answer) fails with the error as its evidence.
  const checked = async (name, check) => {
    try {
      return await check();
    } catch (err) {
      return { name, pass: false, evidence: { error: String(err.stack ?? err).slice(0, 2000) } };
    }
  };
  const txs = await inv.txsEverywhere(cluster, chain, hashes).catch((err) => ({
    check: {
      name: "every committed tx the load saw is on every node exactly once",
      pass: false,
      evidence: { error: String(err) },
    },
    results: new Map(),
  }));
  const posts = inv.postsOf(txs.results);
  const invariants = [
    await checked("same block hash and app hash on every node", () => inv.sameChain(cluster, chain)),
    txs.check,
    await checked("no double signs", () => inv.noDoubleSigns(cluster, chain)),
    await checked("worker jobs", () => inv.workerJobs(cluster, [...new Set(posts.map((p) => p.height))])),
    await checked("audit matches chain", () => inv.auditMatchesChain(cluster)),
    await checked("feed has the posts", () => inv.feedHasPosts(cluster, posts)),
    inv.progressAfterPerturbations(perturbations),
    inv.agreementSamples(agreement.samples),
    await checked("DMs delivered", async () => inv.dmsDelivered(await dm.verify())),
    inv.noUnexpectedExits(
      Object.fromEntries(
        [...cluster.nodes, cluster.mcp, cluster.workers].map((p) => [p.name, p.unexpectedExits]),
      ),
    ),
  ];
  const lat = latency(load.latencies);
  const perKind = {};
  for (const c of load.committed.values()) perKind[c.kind] = (perKind[c.kind] ?? 0) + 1;
  const activeSeconds = (loadEnd - t0) / 1000;
  const mcpP50 = Object.fromEntries(Object.entries(mcp.stats.latencies).map(([k, v]) => [k, latency(v).p50]));
  const report = {
    pass: invariants.every((i) => i.pass),
    startedAt,
    minutes,
    rate,
    validators: cluster.nodes.length,
    accounts: accountCount,
    recoveryBoundMs: RECOVERY_BOUND_MS,
    chain: { commonHeight: chain.H, tips: chain.tips, workersSettled: settled },
    load: {
      ...load.stats,
      offeredPerSec: rate,
      committed: load.committed.size,
      achievedPerSec: Number((load.committed.size / seconds).toFixed(2)),
      activeSeconds,
      latency: lat,
      perKind,
    },
    gov,
    mcp: { ...mcp.stats, latencies: undefined, p50: mcpP50, posts: mcp.posts.length },
    dm: dm.stats,
    // Restarts by the supervisor, the kill-worker perturbation's one included: the rest are its
    // own (a process that crashed, sent no first heartbeat within its start-up grace, or went
    // silent past its stall time afterwards is killed and started again).
    workerRestarts: Object.fromEntries(
      (await cluster.workerStatus()).agents.map((a) => [a.agent, a.restarts]),
    ),
    perturbations,
    invariants,
    series: {
      throughput: throughputSeries(load.committed, t0),
      heights: follower.samples
        .filter((_, i) => i % 4 === 0)
        .map((s) => ({ t: (s.t - t0) / 1000, heights: s.heights })),
    },
  };
  writeReport(outDir, report, {
    throughput: report.series.throughput,
    samples: follower.samples,
    t0,
    perturbations,
  });
  for (const i of invariants) log(`${i.pass ? "pass" : "FAIL"}  ${i.name}`);
  log(
    `load ${load.committed.size} committed (${report.load.achievedPerSec} tx/s of ${rate} offered), commit p50 ${lat.p50} ms p99 ${lat.p99} ms`,
  );
  log(`report: ${path.join(outDir, "qa-report.md")}`);
  process.stdout.write(
    `${JSON.stringify({ pass: report.pass, committed: load.committed.size, achievedPerSec: report.load.achievedPerSec, p50CommitMs: lat.p50, p99CommitMs: lat.p99, recovery: perturbations.map((p) => [p.name, p.chainRecoveryMs, p.componentRecoveryMs ?? null]) })}\n`,
  );
  exitCode = report.pass ? 0 : 1;
} catch (err) {
  log(`QA run failed: ${err.stack ?? err}`);
} finally {
  await cluster.stop({ keepHome: args["keep-home"] });
  dropBuildSnapshot();
}
process.exit(exitCode);
