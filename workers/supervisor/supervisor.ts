/**
 * The supervisor: runs each agent (feed, moderation, reputation, health) in its own child process
 * (`agent-process.js <agent>`, forked with IPC), watches their heartbeats (a new process has a
 * start-up grace until its first one), restarts a crashed or stalled agent with exponential
 * backoff, pauses and resumes agents (operator commands from the Redis list
 * `vivim:workers:control`, and the chain's governance pause flag, read on every new block), and
 * stops them all on an emergency stop. Its state is the Redis hash `vivim:workers:state`
 * (one JSON field per agent plus `_supervisor`), which the CLI and the app API read.
 *
 * A job that an agent was processing when it was killed is recovered by BullMQ itself: its lock
 * expires (`lockDurationMs`), the restarted Worker's stalled-job check (`stalledIntervalMs`) moves it
 * back to waiting, and it completes once.
 */
import { type ChildProcess, fork } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { Redis } from "ioredis";
import type { Logger } from "pino";
import { NEW_BLOCK_HEADER_QUERY, NodeEventSocket, newBlockHeight } from "../../client/node-events.js";
import { processedKey } from "../agents/ack.js";
import { AGENT_NAMES, type AgentName } from "../agents/registry.js";
import { WorkersError } from "../errors.js";
import { connectRedis, QUEUE_PREFIX } from "../redis/connection.js";
import { AI_SPEND_EVERY_MS, readAiSpend } from "./ai-spend.js";
import { type BackoffPolicy, DEFAULT_BACKOFF, nextFailures, restartDelayMs } from "./backoff.js";
import { parseControl } from "./control.js";
import { type GovernancePause, governancePaused, type PauseStateReader } from "./pause-state.js";
import {
  type AgentProcessOptions,
  type AgentState,
  type AgentStatus,
  AI_SPEND_FIELD,
  type ControlCommand,
  controlKey,
  type FromAgent,
  type RestartReason,
  SUPERVISOR_FIELD,
  type SupervisorState,
  stateKey,
  type ToAgent,
} from "./protocol.js";

/** The compiled agent entry: beside this file in dist/, or dist/'s copy when running from source. */
export function defaultAgentEntry(): string {
  const here = fileURLToPath(import.meta.url);
  if (here.endsWith(".js")) return path.join(path.dirname(here), "agent-process.js");
  return path.resolve(path.dirname(here), "../../dist/workers/supervisor/agent-process.js");
}

export interface SupervisorComponents {
  readonly redisUrl: string;
  readonly logger: Logger;
  /** Reads the chain's pause flag; without it governance is not followed. */
  readonly pauseState?: PauseStateReader;
  /** The node's RPC URL: its NewBlockHeader events trigger a pause-flag read. */
  readonly rpcUrl?: string;
}

export interface SupervisorOptions {
  readonly agents?: readonly AgentName[];
  readonly prefix?: string;
  readonly entry?: string;
  readonly backoff?: BackoffPolicy;
  /** How often agents send a heartbeat; default 1000 ms. */
  readonly heartbeatMs?: number;
  /** No heartbeat for this long (after the first one): SIGKILL and restart; default 10 s. */
  readonly stallMs?: number;
  /**
   * How long a new agent process has to send its first heartbeat before it counts as stalled;
   * default 60 s. Starting an agent (loading its code, connecting, opening its vault) can take
   * longer than `stallMs` on a saturated machine; a crash is still seen at once (process exit).
   */
  readonly startupGraceMs?: number;
  /** BullMQ lock duration; default 10 s (a killed agent's job is retried about this long after). */
  readonly lockDurationMs?: number;
  /** BullMQ stalled-job check interval; default 5 s. */
  readonly stalledIntervalMs?: number;
  readonly concurrency?: number;
  /** Read the pause flag this often even without NewBlock events; default 5 s. */
  readonly governancePollMs?: number;
  /** The node the agents read chain state from (e.g. the feed agent's vote counts). */
  readonly nodeRpcUrl?: string;
  /** Every node's RPC, for the health agent (default: nodeRpcUrl alone). */
  readonly nodes?: readonly string[];
  /** The MCP server agents act through, and each agent's bearer key there (its chain identity). */
  readonly mcpUrl?: string;
  readonly mcpKeys?: Readonly<Partial<Record<AgentName, string>>>;
  /** The workers' data directory (audit logs, AI-key vault). */
  readonly home?: string;
  /** Where the health agent also POSTs alerts. */
  readonly webhookUrl?: string;
  /** When agents anchor their audit logs: after this many records or this long (100, 60 s). */
  readonly anchorEveryRecords?: number;
  readonly anchorEveryMs?: number;
  /** Extra environment for the agent processes. */
  readonly env?: Readonly<Record<string, string>>;
  /** The agent processes' stdout/stderr; default inherit. */
  readonly stdio?: "inherit" | "ignore";
}

interface Agent {
  readonly name: AgentName;
  child: ChildProcess | undefined;
  status: AgentStatus;
  restarts: number;
  lastRestart: AgentState["lastRestart"];
  failures: number;
  startedAt: number;
  /** Null from the spawn until the process's first heartbeat. */
  lastHeartbeat: number | null;
  lastProcessedHeight: number;
  operatorPaused: boolean;
  governancePaused: boolean;
  /** The agent process confirmed it is paused. */
  agentPaused: boolean;
  /** An exit that we asked for (stop), not a crash. */
  stopping: boolean;
  /** Why we killed the process, until its exit restarts it. */
  killing: Exclude<RestartReason, "crashed"> | undefined;
  restartTimer: NodeJS.Timeout | undefined;
  exited: Promise<void> | undefined;
}

export class Supervisor {
  private readonly log: Logger;
  private readonly prefix: string;
  private readonly entry: string;
  private readonly backoff: BackoffPolicy;
  private readonly heartbeatMs: number;
  private readonly stallMs: number;
  private readonly startupGraceMs: number;
  private readonly agents = new Map<AgentName, Agent>();
  private redis: Redis | undefined;
  private control: Redis | undefined;
  private events: NodeEventSocket | undefined;
  private watchdog: NodeJS.Timeout | undefined;
  private govTimer: NodeJS.Timeout | undefined;
  private controlLoop: Promise<void> | undefined;
  private running = false;
  private startedAt = 0;
  private emergencyStop = false;
  private governance: GovernancePause = { allPaused: false, workers: [], height: 0 };
  private govBusy: Promise<void> | undefined;
  private govAgain = false;
  private spendReadAt = 0;

  constructor(
    private readonly c: SupervisorComponents,
    private readonly opts: SupervisorOptions = {},
  ) {
    this.log = c.logger.child({ component: "supervisor" });
    this.prefix = opts.prefix ?? QUEUE_PREFIX;
    this.entry = opts.entry ?? defaultAgentEntry();
    this.backoff = opts.backoff ?? DEFAULT_BACKOFF;
    this.heartbeatMs = opts.heartbeatMs ?? 1_000;
    this.stallMs = opts.stallMs ?? 10_000;
    this.startupGraceMs = opts.startupGraceMs ?? 60_000;
    for (const name of opts.agents ?? AGENT_NAMES) {
      this.agents.set(name, {
        name,
        child: undefined,
        status: "stopped",
        restarts: 0,
        lastRestart: null,
        failures: 0,
        startedAt: 0,
        lastHeartbeat: null,
        lastProcessedHeight: 0,
        operatorPaused: false,
        governancePaused: false,
        agentPaused: false,
        stopping: false,
        killing: undefined,
        restartTimer: undefined,
        exited: undefined,
      });
    }
  }

  /** The current state of every agent. */
  states(): AgentState[] {
    return [...this.agents.values()].map((a) => this.stateOf(a));
  }

  get governanceState(): GovernancePause {
    return this.governance;
  }

  async start(): Promise<void> {
    if (this.running) return;
    if (!existsSync(this.entry)) {
      throw new WorkersError(
        "AGENT_ENTRY_MISSING",
        `the agent entry ${this.entry} is missing; run \`npm run build\` first`,
      );
    }
    this.redis = connectRedis(this.c.redisUrl, "producer", this.log);
    this.control = connectRedis(this.c.redisUrl, "worker", this.log);
    const processed = await this.redis.hgetall(processedKey(this.prefix));
    for (const a of this.agents.values()) {
      const h = Number(processed[a.name] ?? 0);
      a.lastProcessedHeight = Number.isSafeInteger(h) ? h : 0;
    }
    // An operator's pause outlives a supervisor restart (governance's is read from the chain again).
    const previous = await this.redis.hgetall(stateKey(this.prefix));
    for (const a of this.agents.values()) {
      try {
        const s = previous[a.name] ? (JSON.parse(previous[a.name]!) as Partial<AgentState>) : undefined;
        a.operatorPaused = s?.operatorPaused === true;
      } catch {
        a.operatorPaused = false;
      }
    }
    this.running = true;
    this.startedAt = Date.now();
    if (this.c.pauseState) {
      // Agents start paused when governance has paused them.
      await this.refreshGovernance();
      if (this.c.rpcUrl) {
        this.events = new NodeEventSocket(this.c.rpcUrl, [NEW_BLOCK_HEADER_QUERY], (r) => {
          if (newBlockHeight(r) !== undefined) void this.refreshGovernance();
        });
        void this.events.start();
      }
      this.govTimer = setInterval(() => void this.refreshGovernance(), this.opts.governancePollMs ?? 5_000);
    }
    for (const a of this.agents.values()) this.spawn(a);
    this.watchdog = setInterval(() => void this.tick(), this.heartbeatMs);
    this.controlLoop = this.readControl();
    this.log.info({ agents: [...this.agents.keys()], pid: process.pid }, "supervisor started");
    await this.writeState();
  }

  /** Stops every agent process and the supervisor (the state shows them stopped). */
  async stop(): Promise<void> {
    if (!this.running) return;
    this.running = false;
    clearInterval(this.watchdog);
    clearInterval(this.govTimer);
    this.events?.stop();
    await Promise.all([...this.agents.values()].map((a) => this.stopAgent(a)));
    await this.govBusy;
    // Wakes the blocking pop so the control loop ends.
    this.control?.disconnect();
    await this.controlLoop;
    await this.writeState().catch(() => undefined);
    this.redis?.disconnect();
    this.log.info("supervisor stopped");
  }

  /** Applies an operator command (also what the control channel does). */
  async command(cmd: ControlCommand): Promise<void> {
    if (cmd.cmd === "stop") {
      this.log.warn("emergency stop: pausing and stopping every agent");
      this.emergencyStop = true;
      for (const a of this.agents.values()) a.operatorPaused = true;
      await Promise.all([...this.agents.values()].map((a) => this.stopAgent(a)));
    } else if (cmd.cmd === "restart") {
      const a = this.agents.get(cmd.agent);
      if (a?.child && !a.killing && !a.stopping) {
        // Killed like a stalled agent: its exit handler restarts it with backoff.
        a.killing = "operator";
        a.child.kill("SIGKILL");
      }
      this.log.warn({ cmd: cmd.cmd, agent: cmd.agent }, "operator command");
    } else {
      const targets =
        cmd.agent === "all" ? [...this.agents.values()] : [this.agents.get(cmd.agent)].filter((a) => a);
      for (const a of targets as Agent[]) {
        a.operatorPaused = cmd.cmd === "pause";
        if (cmd.cmd === "resume" && !a.child && a.status === "stopped" && this.running) {
          a.failures = 0;
          this.spawn(a);
        } else this.applyPause(a);
      }
      if (cmd.cmd === "resume" && cmd.agent === "all") this.emergencyStop = false;
      this.log.info({ cmd: cmd.cmd, agent: cmd.agent }, "operator command");
    }
    await this.writeState();
  }

  private stateOf(a: Agent): AgentState {
    return {
      agent: a.name,
      status: a.status,
      pid: a.child?.pid ?? null,
      restarts: a.restarts,
      lastRestart: a.lastRestart,
      lastHeartbeat: a.lastHeartbeat,
      lastProcessedHeight: a.lastProcessedHeight,
      pausedBy: a.governancePaused ? "governance" : a.operatorPaused ? "operator" : null,
      operatorPaused: a.operatorPaused,
      updatedAt: Date.now(),
    };
  }

  private wantsPause(a: Agent): boolean {
    return a.operatorPaused || a.governancePaused;
  }

  private spawn(a: Agent): void {
    if (!this.running || a.child) return;
    const options: AgentProcessOptions = {
      redisUrl: this.c.redisUrl,
      prefix: this.prefix,
      paused: this.wantsPause(a),
      heartbeatMs: this.heartbeatMs,
      lockDurationMs: this.opts.lockDurationMs ?? 10_000,
      stalledIntervalMs: this.opts.stalledIntervalMs ?? 5_000,
      concurrency: this.opts.concurrency ?? 1,
      ...(this.opts.nodeRpcUrl ? { nodeRpcUrl: this.opts.nodeRpcUrl } : {}),
      ...(this.opts.nodes ? { nodes: this.opts.nodes } : {}),
      ...(this.opts.mcpUrl ? { mcpUrl: this.opts.mcpUrl } : {}),
      ...(this.opts.home ? { home: this.opts.home } : {}),
      ...(this.opts.webhookUrl ? { webhookUrl: this.opts.webhookUrl } : {}),
      ...(this.opts.anchorEveryRecords ? { anchorEveryRecords: this.opts.anchorEveryRecords } : {}),
      ...(this.opts.anchorEveryMs ? { anchorEveryMs: this.opts.anchorEveryMs } : {}),
    };
    // The bearer key goes to its own agent only, in the environment (never in argv or logs).
    const mcpKey = this.opts.mcpKeys?.[a.name];
    const io = this.opts.stdio ?? "inherit";
    const child = fork(this.entry, [a.name], {
      env: {
        ...process.env,
        ...this.opts.env,
        VIVIM_AGENT_OPTIONS: JSON.stringify(options),
        ...(mcpKey ? { VIVIM_AGENT_MCP_KEY: mcpKey } : {}),
      },
      execArgv: [],
      stdio: ["ignore", io, io, "ipc"],
    });
    a.child = child;
    a.startedAt = Date.now();
    a.lastHeartbeat = null;
    a.agentPaused = false;
    a.stopping = false;
    a.killing = undefined;
    a.status = options.paused ? "paused" : "starting";
    child.on("message", (m: unknown) => this.onMessage(a, m as FromAgent));
    child.on("error", (err) => this.log.warn({ agent: a.name, err: err.message }, "agent process error"));
    a.exited = new Promise((resolve) =>
      child.once("exit", (code, signal) => {
        this.onExit(a, child, code, signal);
        resolve();
      }),
    );
    this.log.info({ agent: a.name, pid: child.pid, paused: options.paused }, "agent process started");
  }

  private onMessage(a: Agent, m: FromAgent): void {
    if (!m || typeof m !== "object") return;
    switch (m.type) {
      case "ready":
      case "heartbeat":
        a.lastHeartbeat = Date.now();
        a.agentPaused = m.paused;
        break;
      case "paused":
        a.agentPaused = true;
        break;
      case "resumed":
        a.agentPaused = false;
        break;
      case "processed":
        if (Number.isSafeInteger(m.height) && m.height > a.lastProcessedHeight) {
          a.lastProcessedHeight = m.height;
          void this.writeState().catch(() => undefined);
        }
        break;
    }
    this.refreshStatus(a);
  }

  private refreshStatus(a: Agent): void {
    if (!a.child) return;
    const before = a.status;
    // "paused" once the process confirmed it (its jobs in hand finished); "running" as soon as
    // asked, once the process has heartbeated ("starting" until then).
    if (this.wantsPause(a)) a.status = a.agentPaused ? "paused" : before;
    else a.status = a.lastHeartbeat === null ? "starting" : "running";
    if (a.status !== before) void this.writeState().catch(() => undefined);
  }

  private onExit(a: Agent, child: ChildProcess, code: number | null, signal: NodeJS.Signals | null): void {
    if (a.child !== child) return;
    a.child = undefined;
    if (a.stopping || !this.running) {
      a.status = "stopped";
      this.log.info({ agent: a.name, code, signal }, "agent process stopped");
    } else {
      a.failures = nextFailures(a.failures, Date.now() - a.startedAt, this.backoff);
      a.restarts++;
      a.lastRestart = { reason: a.killing ?? "crashed", at: Date.now() };
      const delay = restartDelayMs(a.failures, this.backoff);
      a.status = "restarting";
      this.log.warn(
        {
          agent: a.name,
          code,
          signal,
          reason: a.lastRestart.reason,
          restartInMs: delay,
          restarts: a.restarts,
        },
        "agent process died; restarting",
      );
      a.restartTimer = setTimeout(() => {
        a.restartTimer = undefined;
        if (this.running && !a.stopping && a.status === "restarting") this.spawn(a);
      }, delay);
    }
    void this.writeState().catch(() => undefined);
  }

  private async stopAgent(a: Agent): Promise<void> {
    clearTimeout(a.restartTimer);
    a.restartTimer = undefined;
    a.stopping = true;
    const child = a.child;
    if (!child) {
      a.status = "stopped";
      return;
    }
    this.send(child, { type: "stop" });
    const timer = setTimeout(() => child.kill("SIGKILL"), 15_000);
    await a.exited;
    clearTimeout(timer);
  }

  private send(child: ChildProcess, m: ToAgent): void {
    if (child.connected)
      child.send(m, (err) => err && this.log.debug({ err: err.message }, "ipc send failed"));
  }

  private applyPause(a: Agent): void {
    const child = a.child;
    if (!child) return;
    if (this.wantsPause(a)) {
      if (!a.agentPaused) this.send(child, { type: "pause" });
    } else if (a.agentPaused || a.status === "paused") {
      a.agentPaused = false;
      this.send(child, { type: "resume" });
    }
    this.refreshStatus(a);
  }

  /**
   * Heartbeat check: an agent silent for `stallMs` since its last heartbeat, or for
   * `startupGraceMs` since its start without any, is killed; its exit restarts it.
   */
  private async tick(): Promise<void> {
    const now = Date.now();
    for (const a of this.agents.values()) {
      if (a.child && !a.killing && !a.stopping) {
        if (a.lastHeartbeat === null && now - a.startedAt > this.startupGraceMs) {
          a.killing = "no-first-heartbeat";
          this.log.warn(
            {
              agent: a.name,
              pid: a.child.pid,
              startupGraceMs: this.startupGraceMs,
              sinceStartMs: now - a.startedAt,
            },
            "agent sent no heartbeat within its start-up grace; killing",
          );
          a.child.kill("SIGKILL");
        } else if (a.lastHeartbeat !== null && now - a.lastHeartbeat > this.stallMs) {
          a.killing = "stalled";
          this.log.warn(
            { agent: a.name, pid: a.child.pid, silentMs: now - a.lastHeartbeat },
            "agent stalled; killing",
          );
          a.child.kill("SIGKILL");
        }
      }
      // A healthy run long enough clears the backoff.
      if (a.child && now - a.startedAt >= this.backoff.resetAfterMs) a.failures = 0;
    }
    await this.writeState().catch((err: Error) =>
      this.log.warn({ code: "REDIS_UNAVAILABLE", err: err.message }, "could not write the workers state"),
    );
    if (this.opts.home && now - this.spendReadAt >= AI_SPEND_EVERY_MS) {
      this.spendReadAt = now;
      await this.publishAiSpend(this.opts.home);
    }
  }

  /** Publishes the AI keys' spend for the app API; a vault that cannot be read is logged, not fatal. */
  private async publishAiSpend(home: string): Promise<void> {
    try {
      const report = await readAiSpend(home);
      await this.redis?.hset(stateKey(this.prefix), AI_SPEND_FIELD, JSON.stringify(report));
    } catch (err) {
      this.log.warn(
        { code: (err as { code?: string }).code ?? "AI_SPEND_UNREADABLE" },
        "could not publish AI spend",
      );
    }
  }

  private async writeState(): Promise<void> {
    const redis = this.redis;
    if (!redis) return;
    const sup: SupervisorState = {
      pid: process.pid,
      startedAt: this.startedAt,
      updatedAt: Date.now(),
      emergencyStop: this.emergencyStop,
      governance: { ...this.governance, workers: [...this.governance.workers] },
    };
    const fields: Record<string, string> = {
      [SUPERVISOR_FIELD]: JSON.stringify({ ...sup, running: this.running }),
    };
    for (const a of this.agents.values()) fields[a.name] = JSON.stringify(this.stateOf(a));
    await redis.hset(stateKey(this.prefix), fields);
  }

  /** Reads the chain's pause flag and applies it; one read at a time, a request during one runs after. */
  private refreshGovernance(): Promise<void> {
    if (this.govBusy) {
      this.govAgain = true;
      return this.govBusy;
    }
    this.govBusy = (async () => {
      do {
        this.govAgain = false;
        try {
          const p = await this.c.pauseState!();
          const changed =
            p.allPaused !== this.governance.allPaused ||
            p.workers.join(",") !== this.governance.workers.join(",");
          this.governance = p;
          for (const a of this.agents.values()) {
            const paused = governancePaused(p, a.name);
            if (paused !== a.governancePaused) {
              a.governancePaused = paused;
              this.applyPause(a);
            }
          }
          if (changed) {
            this.log.warn(
              { allPaused: p.allPaused, workers: p.workers, height: p.height },
              "governance pause changed",
            );
            await this.writeState().catch(() => undefined);
          }
        } catch (err) {
          this.log.warn(
            { code: (err as { code?: string }).code ?? "NODE_UNAVAILABLE", err: (err as Error).message },
            "could not read the governance pause flag; keeping the last one",
          );
        }
      } while (this.govAgain && this.running);
    })().finally(() => {
      this.govBusy = undefined;
    });
    return this.govBusy;
  }

  private async readControl(): Promise<void> {
    const control = this.control!;
    while (this.running) {
      let popped: [string, string] | null;
      try {
        popped = await control.blpop(controlKey(this.prefix), 1);
      } catch (err) {
        if (!this.running) return;
        this.log.warn({ code: "REDIS_UNAVAILABLE", err: (err as Error).message }, "control channel error");
        await new Promise((r) => setTimeout(r, 500));
        continue;
      }
      if (!popped) continue;
      try {
        await this.command(parseControl(popped[1]));
      } catch (err) {
        this.log.warn({ code: (err as { code?: string }).code ?? "BAD_CONTROL" }, "control command refused");
      }
    }
  }
}
