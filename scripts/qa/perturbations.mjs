// The faults, one after another on a schedule spread over the load: SIGKILL and restart a
// validator, SIGSTOP/SIGCONT one, cut one off from its peers and reconnect it, restart redis-server,
// SIGKILL a worker agent's process while it holds a job (its supervisor restarts it), restart the
// MCP server. Validator faults hit validators 1..3: node0 is the one the bridge, the MCP server and
// the DM client talk to, and the others' faults already cover what a validator fault does.
// For each: when it was applied and healed, and the time to recover — every validator's height past
// the highest height any of them had at the heal — plus, for the off-chain parts, their own
// recovery (bridge cursor moving, the killed job completed, an MCP tool answering).

import { mcpSession } from "./clients.mjs";
import { heightOf, log, sleep, waitFor } from "./cluster.mjs";

/** The stated bound: on this 2-core machine, 4 validators + workers + load recover within this. */
export const RECOVERY_BOUND_MS = 90_000;
const POLL_MS = 250;

const heights = (cluster) => Promise.all(cluster.rpcUrls.map((u) => heightOf(u).catch(() => null)));

/** Milliseconds from `since` until `check()` holds, or null past the bound. */
async function timeUntil(since, check) {
  for (;;) {
    try {
      if (await check()) return Date.now() - since;
    } catch {}
    if (Date.now() - since > RECOVERY_BOUND_MS) return null;
    await sleep(POLL_MS);
  }
}

/** Every validator past the highest height any had at `healedAt`. */
async function chainRecovery(cluster, healedAt) {
  const tip = Math.max(0, ...(await heights(cluster)).filter((h) => h !== null));
  const ms = await timeUntil(healedAt, async () =>
    (await heights(cluster)).every((h) => h !== null && h > tip),
  );
  return { tipAtHeal: tip, chainRecoveryMs: ms };
}

/** Holds validator i out of the load while `fault` runs, and until the chain has recovered. */
async function validatorFault(cluster, i, fault) {
  cluster.perturbed.add(i);
  try {
    const before = await heights(cluster);
    const detail = await fault();
    const healedAt = Date.now();
    const recovery = await chainRecovery(cluster, healedAt);
    return { target: `validator-${i}`, heightsBefore: before, healedAt, ...detail, ...recovery };
  } finally {
    cluster.perturbed.delete(i);
  }
}

/** What the others committed while validator i was out, and whether i itself moved. */
async function during(cluster, i, holdMs) {
  const a = await heights(cluster);
  await sleep(holdMs);
  const b = await heights(cluster);
  const others = cluster.rpcUrls.map((_, j) => j).filter((j) => j !== i);
  return {
    othersAdvancedDuringFault: Math.min(...others.map((j) => (b[j] ?? 0) - (a[j] ?? 0))),
    targetAdvancedDuringFault: a[i] === null || b[i] === null ? null : b[i] - a[i],
  };
}

async function killValidator(cluster) {
  return validatorFault(cluster, 1, async () => {
    const appliedAt = Date.now();
    await cluster.nodes[1].stop("SIGKILL");
    const d = await during(cluster, 1, 5_000);
    cluster.nodes[1].start();
    return { appliedAt, action: "SIGKILL, restart 5 s later", ...d };
  });
}

async function pauseValidator(cluster) {
  return validatorFault(cluster, 2, async () => {
    const appliedAt = Date.now();
    cluster.nodes[2].signal("SIGSTOP");
    const d = await during(cluster, 2, 10_000);
    cluster.nodes[2].signal("SIGCONT");
    return { appliedAt, action: "SIGSTOP, SIGCONT 10 s later", ...d };
  });
}

async function isolateValidator(cluster) {
  return validatorFault(cluster, 3, async () => {
    const appliedAt = Date.now();
    const reconnect = await cluster.isolate(3);
    // Once it answers again, so that the hold shows it commit nothing while the others go on.
    await waitFor("the isolated validator answering", () => heightOf(cluster.rpcUrls[3]), 60_000);
    const d = await during(cluster, 3, 10_000);
    await reconnect();
    return {
      appliedAt,
      action:
        "restarted listening on an unknown port with no persistent peers, held 10 s once it answers, then restarted with its own config",
      ...d,
    };
  });
}

async function bridgeCursor(cluster) {
  return Number(await cluster.redisClient.hget("vivim:bridge", "height"));
}

async function restartRedis(cluster) {
  const appliedAt = Date.now();
  await cluster.restartRedis();
  const healedAt = Date.now();
  const recovery = await chainRecovery(cluster, healedAt);
  const tip = recovery.tipAtHeal;
  const componentRecoveryMs = await timeUntil(healedAt, async () => (await bridgeCursor(cluster)) > tip);
  return {
    target: "redis-server",
    action: "SIGTERM (AOF fsynced), start again on the same port and data dir",
    appliedAt,
    healedAt,
    ...recovery,
    componentRecoveryMs,
    componentRecovery: "the block bridge's cursor past the chain tip at the restart",
  };
}

/**
 * A job an agent holds right now (BullMQ's active list), polled for up to 20 s, and that agent's
 * pid, read beforehand so that the kill follows the sighting within a millisecond or two.
 */
async function activeJob(cluster) {
  const pids = new Map((await cluster.workerStatus()).agents.map((a) => [a.agent, a.pid]));
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    for (const queue of ["moderation", "feed", "reputation", "health"]) {
      const [id] = await cluster.redisClient.lrange(`vivim:${queue}:active`, 0, 0).catch(() => []);
      if (id) return { queue, id, pid: pids.get(queue) };
    }
    await sleep(10);
  }
  return undefined;
}

/** Kills the process of the agent holding a job; `heldAtKill` says whether it died holding it. */
async function killHolder(cluster) {
  const r = cluster.redisClient;
  const job = await activeJob(cluster);
  const agent = job?.queue ?? "moderation";
  const before = (await cluster.workerStatus()).agents.find((a) => a.agent === agent);
  const pid = job?.pid ?? before.pid;
  const at = Date.now();
  process.kill(pid, "SIGKILL");
  // Still in the active list after the kill: the process died holding it (its lock must expire).
  const heldAtKill = job ? (await r.lrange(`vivim:${job.queue}:active`, 0, -1)).includes(job.id) : false;
  return { job, agent, pid, before, at, heldAtKill };
}

/** The agent's new process running, and the job (if any) completed. */
async function agentBack(cluster, { agent, pid, job }) {
  const now = (await cluster.workerStatus()).agents.find((a) => a.agent === agent);
  const restarted = now?.status === "running" && now.pid && now.pid !== pid;
  return (
    restarted && (!job || (await cluster.redisClient.zscore(`vivim:${job.queue}:completed`, job.id)) !== null)
  );
}

/**
 * Jobs take milliseconds when the machine is idle, so a kill can land just after one finished: up
 * to three kills, each after the agent is back, until one lands while the job is held.
 */
async function killWorker(cluster) {
  let kill;
  const kills = [];
  for (let attempt = 0; attempt < 3; attempt++) {
    kill = await killHolder(cluster);
    kills.push({ pid: kill.pid, job: kill.job?.id ?? null, heldAtKill: kill.heldAtKill });
    if (kill.heldAtKill || attempt === 2) break;
    if ((await timeUntil(kill.at, () => agentBack(cluster, kill))) === null) break;
  }
  const { job, agent, pid, before, at: appliedAt, heldAtKill } = kill;
  const recovery = await chainRecovery(cluster, appliedAt);
  const componentRecoveryMs = await timeUntil(appliedAt, () => agentBack(cluster, kill));
  const after = (await cluster.workerStatus()).agents.find((a) => a.agent === agent);
  return {
    target: `worker ${agent}`,
    action: job
      ? `SIGKILL of pid ${pid} ${heldAtKill ? "while it held" : "just after it finished"} job ${job.id} (kill ${kills.length} of at most 3)`
      : `SIGKILL of pid ${pid} (no job was active within 20 s)`,
    appliedAt,
    healedAt: appliedAt,
    kills,
    job: job?.id ?? null,
    heldAtKill,
    jobAttemptsStarted: job
      ? Number(await cluster.redisClient.hget(`vivim:${job.queue}:${job.id}`, "ats"))
      : null,
    pidBefore: pid,
    pidAfter: after?.pid ?? null,
    // The supervisor's restart count of the agent (also counts restarts of a stalled process).
    restartsBefore: before?.restarts ?? null,
    restartsAfter: after?.restarts ?? null,
    ...recovery,
    componentRecoveryMs,
    componentRecovery: "the supervisor's new agent process running and the interrupted job completed",
  };
}

async function restartMcp(cluster) {
  const appliedAt = Date.now();
  await cluster.mcp.stop();
  cluster.mcp.start();
  const healedAt = Date.now();
  const recovery = await chainRecovery(cluster, healedAt);
  const componentRecoveryMs = await timeUntil(healedAt, async () => {
    const s = await mcpSession(cluster.mcpUrl, cluster.mcpKeys.alice);
    try {
      return Boolean(await s.call("chain_status", {}));
    } finally {
      await s.close();
    }
  });
  return {
    target: "mcp server",
    action: "SIGTERM, start again",
    appliedAt,
    healedAt,
    ...recovery,
    componentRecoveryMs,
    componentRecovery: "a new MCP session answering chain_status",
  };
}

export const PERTURBATIONS = [
  ["kill-validator", killValidator],
  ["pause-validator", pauseValidator],
  ["isolate-validator", isolateValidator],
  ["restart-redis", restartRedis],
  ["kill-worker-mid-job", killWorker],
  ["restart-mcp", restartMcp],
];

/**
 * Runs every perturbation once, the i-th starting at start + (i + 0.25) × seconds / count (or as
 * soon as the one before has recovered). Returns their records.
 */
export async function runPerturbations(cluster, { start, seconds }) {
  const slot = (seconds * 1000) / PERTURBATIONS.length;
  const out = [];
  for (const [i, [name, apply]] of PERTURBATIONS.entries()) {
    const at = start + (i + 0.25) * slot;
    if (at > Date.now()) await sleep(at - Date.now());
    log(`perturbation ${name}`);
    try {
      const r = await apply(cluster);
      const recovered =
        r.chainRecoveryMs !== null && (r.componentRecoveryMs === undefined || r.componentRecoveryMs !== null);
      out.push({ name, ...r, recovered });
      log(
        `  ${name}: chain recovered in ${r.chainRecoveryMs} ms${r.componentRecoveryMs !== undefined ? `, component in ${r.componentRecoveryMs} ms` : ""}`,
      );
    } catch (err) {
      out.push({ name, error: String(err.stack ?? err), recovered: false });
      log(`  ${name} failed: ${err.message}`);
    }
  }
  return out;
}
