/**
 * The supervisor's start-up grace, against a real redis-server and a real agent process
 * (dist/workers/supervisor/agent-process.js, in ack mode). A new process that is frozen (SIGSTOP)
 * before its first heartbeat stands for one starting on a saturated machine: within the grace it
 * is left alone however long past the stall time; without any heartbeat it is killed once the grace
 * ends and restarted, and the state says why. A crash during the grace is still seen at once.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { Redis } from "ioredis";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { connectRedis, QUEUE_PREFIX } from "../../workers/redis/connection.js";
import { RedisServer } from "../../workers/redis/redis-server.js";
import { readStatus } from "../../workers/supervisor/control.js";
import type { AgentState } from "../../workers/supervisor/protocol.js";
import { Supervisor, type SupervisorOptions } from "../../workers/supervisor/supervisor.js";
import { capturingLogger } from "../support/log-capture.js";
import { freePort, isAlive } from "../support/process.js";
import { until } from "../support/until.js";

const STALL_MS = 1_000;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("supervisor start-up grace: a new agent has until its first heartbeat", () => {
  let dataDir: string;
  let server: RedisServer;
  let redis: Redis;
  let supervisor: Supervisor | undefined;
  let logs: string[] = [];
  const frozen: number[] = [];

  /** One health agent (ack mode) under a supervisor whose stall time is 1 s. */
  async function startSupervisor(o: Pick<SupervisorOptions, "startupGraceMs">): Promise<Supervisor> {
    const capture = capturingLogger("info");
    logs = capture.lines;
    supervisor = new Supervisor(
      { redisUrl: server.url, logger: capture.logger },
      {
        agents: ["health"],
        heartbeatMs: 200,
        stallMs: STALL_MS,
        ...o,
        backoff: { initialMs: 100, maxMs: 1_000, resetAfterMs: 60_000 },
        env: { VIVIM_AGENT_MODE: "ack", VIVIM_LOG_LEVEL: "error" },
        stdio: "ignore",
      },
    );
    await supervisor.start();
    return supervisor;
  }

  const health = (s: Supervisor): AgentState => s.states().find((a) => a.agent === "health")!;

  /** Freezes the agent process before its first heartbeat, as a saturated machine would. */
  function freezeBeforeFirstHeartbeat(s: Supervisor): number {
    const state = health(s);
    process.kill(state.pid!, "SIGSTOP");
    frozen.push(state.pid!);
    // The process cannot have loaded its code yet; if it had heartbeated the test proves nothing.
    expect(state).toMatchObject({ status: "starting", lastHeartbeat: null, restarts: 0 });
    return state.pid!;
  }

  beforeAll(async () => {
    dataDir = mkdtempSync(path.join(tmpdir(), "vivim-redis-"));
    server = new RedisServer({ dataDir, port: await freePort() });
    await server.start();
    redis = connectRedis(server.url, "producer");
  });

  afterEach(async () => {
    for (const pid of frozen.splice(0)) if (isAlive(pid)) process.kill(pid, "SIGCONT");
    await supervisor?.stop();
    supervisor = undefined;
  });

  afterAll(async () => {
    redis?.disconnect();
    await server?.stop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it("leaves alone an agent whose first heartbeat comes after the stall time but within the grace", async () => {
    const s = await startSupervisor({ startupGraceMs: 20_000 });
    const pid = freezeBeforeFirstHeartbeat(s);
    await sleep(3 * STALL_MS);
    expect(health(s)).toMatchObject({ pid, status: "starting", restarts: 0, lastHeartbeat: null });
    expect(isAlive(pid)).toBe(true);

    process.kill(pid, "SIGCONT");
    await until("its first heartbeat", () => health(s).status === "running");
    expect(health(s)).toMatchObject({ pid, restarts: 0, lastRestart: null });
    expect(health(s).lastHeartbeat).not.toBeNull();
    // From the first heartbeat on, the stall time applies as before.
    process.kill(pid, "SIGSTOP");
    frozen.push(pid);
    await until("the silent agent replaced", () => health(s).restarts === 1 && health(s).pid !== pid, 15_000);
    expect(health(s).lastRestart?.reason).toBe("stalled");
  });

  it("restarts an agent that sends no heartbeat within the grace, and says why", async () => {
    // Long enough for the replacement process to start on a busy machine within it.
    const s = await startSupervisor({ startupGraceMs: 8_000 });
    const pid = freezeBeforeFirstHeartbeat(s);
    await sleep(2 * STALL_MS);
    expect(health(s)).toMatchObject({ pid, status: "starting", restarts: 0 });

    await until(
      "the agent restarted after its grace",
      () => health(s).pid !== pid && health(s).restarts === 1,
      20_000,
    );
    await until("the frozen process gone", () => !isAlive(pid), 5_000);
    await until("the new process running", () => health(s).status === "running", 20_000);
    expect(health(s).lastRestart?.reason).toBe("no-first-heartbeat");
    expect(logs.some((l) => l.includes("agent sent no heartbeat within its start-up grace"))).toBe(true);
    // The state hash that `vivim workers status` and the app API read carries the same.
    await until("the state hash to show the restart", async () => {
      const stored = (await readStatus(redis, QUEUE_PREFIX)).agents.find((a) => a.agent === "health");
      return (
        stored !== undefined && stored.restarts >= 1 && stored.lastRestart?.reason === "no-first-heartbeat"
      );
    });
  });

  it("still restarts a process that exits during its grace at once", async () => {
    const s = await startSupervisor({ startupGraceMs: 600_000 });
    const pid = health(s).pid!;
    process.kill(pid, "SIGKILL");
    await until(
      "the crashed agent restarted",
      () => health(s).restarts === 1 && health(s).pid !== pid,
      10_000,
    );
    expect(health(s).lastRestart?.reason).toBe("crashed");
    await until("the new process running", () => health(s).status === "running", 20_000);
  });
});
