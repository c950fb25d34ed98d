/**
 * The workers supervisor against a real redis-server, a real node (in-process, real RPC and
 * /websocket) and the agents as real child processes (dist/workers/supervisor/agent-process.js):
 * agents start and heartbeat; an agent SIGKILLed mid-job is restarted and the job completes exactly
 * once (BullMQ's stalled-job recovery); a frozen agent (SIGSTOP, no heartbeat) is killed and
 * restarted; pause/resume through the control channel stops and starts one agent's processing; the
 * chain's governance pause flag (MsgSetWorkerPause from the genesis' workers authority) pauses every
 * agent within one block; the emergency stop ends every agent process; `vivim workers` shows it.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { calculateFee, GasPrice, type SigningStargateClient } from "@cosmjs/stargate";
import { type Job, Queue } from "bullmq";
import type { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { workersCommand } from "../../chain/cli/commands/workers.js";
import { silentLogger } from "../../chain/util/logger.js";
import { connectVivim, MsgSetWorkerPause, vivimMsg } from "../../client/index.js";
import { acksKey } from "../../workers/agents/ack.js";
import { AGENT_NAMES, type AgentName } from "../../workers/agents/registry.js";
import type { BlockJobData } from "../../workers/bridge/interests.js";
import { connectRedis, QUEUE_PREFIX } from "../../workers/redis/connection.js";
import { RedisServer } from "../../workers/redis/redis-server.js";
import { readStatus, sendControl } from "../../workers/supervisor/control.js";
import { rpcPauseState } from "../../workers/supervisor/pause-state.js";
import type { AgentState } from "../../workers/supervisor/protocol.js";
import { Supervisor } from "../../workers/supervisor/supervisor.js";
import { startTestNode, type TestNode } from "../support/node.js";
import { freePort, isAlive } from "../support/process.js";

const FEE = calculateFee(300_000, GasPrice.fromString("0.025uvivim"));
const POLL = { broadcastPollIntervalMs: 100, broadcastTimeoutMs: 20_000 };
/** Each acknowledgement takes this long, so a test can kill an agent while it holds a job. */
const ACK_DELAY_MS = 1_500;

async function until<T>(
  what: string,
  check: () => T | undefined | false | Promise<T | undefined | false>,
  ms = 30_000,
): Promise<T> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    const v = await check();
    if (v) return v;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe("workers supervisor: agent processes on a real redis-server, following a real node", () => {
  let net: TestNode;
  let dataDir: string;
  let server: RedisServer;
  let redis: Redis;
  let client: SigningStargateClient;
  let authority: string;
  let supervisor: Supervisor;
  const queues = new Map<AgentName, Queue<BlockJobData>>();

  const states = async () => new Map((await readStatus(redis, QUEUE_PREFIX)).agents.map((a) => [a.agent, a]));
  const stateOf = async (agent: AgentName): Promise<AgentState | undefined> => (await states()).get(agent);
  const acks = async (agent: AgentName, height: number) =>
    Number((await redis.hget(acksKey(QUEUE_PREFIX, agent), String(height))) ?? 0);

  async function addJob(agent: AgentName, height: number): Promise<Job<BlockJobData>> {
    return queues.get(agent)!.add(
      "block",
      {
        v: 1,
        chainId: "vivim-test-1",
        height,
        time: new Date().toISOString(),
        queue: agent,
        txCount: 0,
        failedTxs: 0,
        eventCount: 0,
        events: [],
        truncated: false,
      },
      { jobId: `${agent}-${height}`, attempts: 5, removeOnFail: false },
    );
  }
  const jobState = (agent: AgentName, height: number) => queues.get(agent)!.getJobState(`${agent}-${height}`);

  async function setPause(paused: boolean): Promise<number> {
    const tx = await client.signAndBroadcast(
      authority,
      [vivimMsg(MsgSetWorkerPause, { authority, worker: "", paused, reason: "supervisor test" })],
      FEE,
    );
    expect(tx.code, tx.rawLog).toBe(0);
    return tx.height;
  }

  /** Runs `vivim workers ...args` in-process and returns what it printed on stdout. */
  async function cli(...args: string[]): Promise<string> {
    let out = "";
    const spy = vi.spyOn(process.stdout, "write").mockImplementation((chunk: string | Uint8Array) => {
      out += chunk.toString();
      return true;
    });
    try {
      await workersCommand().parseAsync(["node", "vivim", ...args, "--redis", server.url]);
    } finally {
      spy.mockRestore();
    }
    return out;
  }

  beforeAll(async () => {
    net = await startTestNode({
      editGenesis: (genesis, accounts) => {
        genesis.app_state.workers = { params: { authority: accounts[1]!.address } };
      },
    });
    authority = net.accounts[1]!.address;
    client = await connectVivim(net.rpcUrl, net.accounts[1]!.wallet, POLL);
    dataDir = mkdtempSync(path.join(tmpdir(), "vivim-redis-"));
    server = new RedisServer({ dataDir, port: await freePort() });
    await server.start();
    redis = connectRedis(server.url, "producer");
    for (const name of AGENT_NAMES)
      queues.set(name, new Queue<BlockJobData>(name, { connection: redis, prefix: QUEUE_PREFIX }));
    supervisor = new Supervisor(
      {
        redisUrl: server.url,
        logger: silentLogger(),
        pauseState: rpcPauseState(net.rpcUrl),
        rpcUrl: net.rpcUrl,
      },
      {
        heartbeatMs: 1_000,
        stallMs: 3_000,
        lockDurationMs: 2_000,
        stalledIntervalMs: 1_000,
        backoff: { initialMs: 200, maxMs: 2_000, resetAfterMs: 60_000 },
        env: {
          VIVIM_AGENT_MODE: "ack",
          VIVIM_AGENT_ACK_DELAY_MS: String(ACK_DELAY_MS),
          VIVIM_LOG_LEVEL: "error",
        },
        stdio: "ignore",
      },
    );
    await supervisor.start();
  });

  afterAll(async () => {
    await supervisor?.stop();
    for (const q of queues.values()) await q.close();
    client?.disconnect();
    redis?.disconnect();
    await server?.stop();
    await net?.stop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it("runs every agent in its own process, heartbeating into the state hash", async () => {
    const first = await until("every agent running", async () => {
      const s = await states();
      return AGENT_NAMES.every((n) => s.get(n)?.status === "running" && s.get(n)?.pid) && s;
    });
    const pids = AGENT_NAMES.map((n) => first.get(n)!.pid!);
    expect(new Set(pids).size).toBe(4);
    expect(pids).not.toContain(process.pid);
    for (const pid of pids) expect(isAlive(pid)).toBe(true);
    const beats = AGENT_NAMES.map((n) => first.get(n)!.lastHeartbeat!);
    await until(
      "a newer heartbeat from every agent",
      async () => {
        const s = await states();
        return AGENT_NAMES.every((n, i) => s.get(n)!.lastHeartbeat! > beats[i]!);
      },
      5_000,
    );

    // Each agent processes its own queue's job and records the height.
    await addJob("health", 101);
    await until("health to process 101", async () => (await jobState("health", 101)) === "completed");
    expect(await acks("health", 101)).toBe(1);
    await until(
      "the state to show height 101",
      async () => (await stateOf("health"))!.lastProcessedHeight >= 101,
    );
  });

  it("restarts an agent SIGKILLed mid-job, and the job completes exactly once", async () => {
    // The agents run in ack mode: the acknowledging processor counts acks per job (ack.ts).
    const before = (await stateOf("reputation"))!;
    await addJob("reputation", 1001);
    await until("reputation to take job 1001", async () => (await jobState("reputation", 1001)) === "active");
    process.kill(before.pid!, "SIGKILL");
    const after = await until("reputation restarted", async () => {
      const s = await stateOf("reputation");
      return s?.status === "running" && s.pid !== null && s.pid !== before.pid ? s : undefined;
    });
    expect(after.restarts).toBe(before.restarts + 1);
    await until(
      "job 1001 to complete",
      async () => (await jobState("reputation", 1001)) === "completed",
      30_000,
    );
    expect(await acks("reputation", 1001)).toBe(1);
    // Nothing runs it a second time.
    await new Promise((r) => setTimeout(r, ACK_DELAY_MS + 1_000));
    expect(await acks("reputation", 1001)).toBe(1);
    const job = await queues.get("reputation")!.getJob("reputation-1001");
    expect(job?.returnvalue).toEqual({ height: 1001 });
  });

  it("kills and restarts an agent that stops heartbeating", async () => {
    const before = (await stateOf("reputation"))!;
    process.kill(before.pid!, "SIGSTOP");
    const after = await until(
      "the frozen agent replaced",
      async () => {
        const s = await stateOf("reputation");
        return s?.status === "running" && s.pid !== null && s.pid !== before.pid ? s : undefined;
      },
      15_000,
    );
    expect(after.restarts).toBe(before.restarts + 1);
    await until("the frozen process gone", () => !isAlive(before.pid!), 5_000);
  });

  it("pauses and resumes one agent through the control channel", async () => {
    await sendControl(redis, QUEUE_PREFIX, { cmd: "pause", agent: "moderation" });
    await until("moderation paused", async () => {
      const s = await stateOf("moderation");
      return s?.status === "paused" && s.pausedBy === "operator";
    });
    expect((await stateOf("reputation"))!.status).toBe("running");
    await addJob("moderation", 2001);
    await addJob("reputation", 2001);
    await until(
      "reputation to process 2001 meanwhile",
      async () => (await jobState("reputation", 2001)) === "completed",
    );
    expect(await jobState("moderation", 2001)).toBe("waiting");
    expect(await acks("moderation", 2001)).toBe(0);

    await sendControl(redis, QUEUE_PREFIX, { cmd: "resume", agent: "moderation" });
    await until(
      "moderation to process 2001 after resume",
      async () => (await jobState("moderation", 2001)) === "completed",
    );
    expect(await acks("moderation", 2001)).toBe(1);
    expect((await stateOf("moderation"))!).toMatchObject({ status: "running", pausedBy: null });
  });

  it("obeys the chain's governance pause flag within one block", async () => {
    const height = await setPause(true);
    await until(
      "every agent paused by governance",
      async () => {
        const s = await states();
        return AGENT_NAMES.every((n) => s.get(n)?.status === "paused" && s.get(n)?.pausedBy === "governance");
      },
      10_000,
    );
    const latest = Number(net.node.blockStore.latestHeight);
    expect(latest).toBeLessThanOrEqual(height + 1);
    expect(supervisor.governanceState.allPaused).toBe(true);

    await addJob("reputation", 3001);
    await new Promise((r) => setTimeout(r, 1_500));
    expect(await jobState("reputation", 3001)).toBe("waiting");
    // An operator resume does not lift the governance pause.
    await sendControl(redis, QUEUE_PREFIX, { cmd: "resume", agent: "reputation" });
    await new Promise((r) => setTimeout(r, 1_000));
    expect((await stateOf("reputation"))!.pausedBy).toBe("governance");
    expect(await jobState("reputation", 3001)).toBe("waiting");

    await setPause(false);
    await until(
      "reputation to process 3001 after the chain resumed it",
      async () => (await jobState("reputation", 3001)) === "completed",
    );
    expect(await acks("reputation", 3001)).toBe(1);
    const s = await states();
    for (const n of AGENT_NAMES) expect(s.get(n)!.pausedBy).toBeNull();
  });

  it("vivim workers status|pause|resume|stop show and change the state", async () => {
    await until(
      "the state to show height 3001",
      async () => (await stateOf("reputation"))!.lastProcessedHeight >= 3001,
    );
    const status = JSON.parse(await cli("status", "--output", "json")) as {
      supervisor: { running: boolean };
      agents: Array<{
        agent: string;
        status: string;
        restarts: number;
        lastRestart: { reason: string; at: string } | null;
        lastProcessedHeight: number;
      }>;
    };
    expect(status.supervisor.running).toBe(true);
    expect(status.agents.map((a) => a.agent)).toEqual([...AGENT_NAMES].sort());
    const reputation = status.agents.find((a) => a.agent === "reputation")!;
    expect(reputation).toMatchObject({ status: "running", lastProcessedHeight: 3001 });
    expect(reputation.restarts).toBeGreaterThanOrEqual(1);
    // Its last restart was the frozen process's (the test before the pause tests).
    expect(reputation.lastRestart?.reason).toBe("stalled");
    expect(await cli("status")).toMatch(/^reputation\s+running\s+\d+\s+\d+\s+3001\s+-/m);

    const paused = JSON.parse(await cli("pause", "health", "--output", "json")) as typeof status;
    expect(paused.agents.find((a) => a.agent === "health")!.status).toBe("paused");
    await cli("resume", "health");
    expect((await stateOf("health"))!.status).toBe("running");

    const pids = [...(await states()).values()].map((a) => a.pid!);
    const stopped = JSON.parse(await cli("stop", "--output", "json")) as typeof status;
    expect(stopped.agents.every((a) => a.status === "stopped")).toBe(true);
    for (const pid of pids) expect(isAlive(pid)).toBe(false);
    // Stopped stays stopped: no restart.
    await new Promise((r) => setTimeout(r, 1_000));
    expect([...(await states()).values()].every((a) => a.status === "stopped" && a.pid === null)).toBe(true);

    await cli("resume", "all");
    await until("every agent running again", async () => {
      const s = await states();
      return AGENT_NAMES.every((n) => s.get(n)?.status === "running" && s.get(n)?.pid);
    });
  });

  it("an operator pause outlives a supervisor restart", async () => {
    await cli("pause", "health");
    await supervisor.stop();
    const pids = [...(await states()).values()].map((a) => a.pid);
    expect(pids.every((p) => p === null)).toBe(true);
    supervisor = new Supervisor(
      {
        redisUrl: server.url,
        logger: silentLogger(),
        pauseState: rpcPauseState(net.rpcUrl),
        rpcUrl: net.rpcUrl,
      },
      { heartbeatMs: 1_000, stdio: "ignore", env: { VIVIM_LOG_LEVEL: "error" } },
    );
    await supervisor.start();
    const s = await until("agents back (past their first heartbeat)", async () => {
      const m = await states();
      return AGENT_NAMES.every((n) => m.get(n)?.pid && m.get(n)?.status !== "starting") && m;
    });
    expect(s.get("health")).toMatchObject({ status: "paused", pausedBy: "operator" });
    expect(s.get("reputation")).toMatchObject({ status: "running", pausedBy: null });
  });
});
