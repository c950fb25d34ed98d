/**
 * The entry of one agent's child process (`node dist/workers/supervisor/agent-process.js <agent>`,
 * forked by the supervisor with an IPC channel and `VIVIM_AGENT_OPTIONS`). It runs a BullMQ Worker on
 * the agent's queue with the processor the registry names, sends a heartbeat every second, and obeys
 * pause / resume / stop from the supervisor. It exits when the IPC channel closes (supervisor gone).
 */
import path from "node:path";
import { type Job, Worker } from "bullmq";
import { defaultHome } from "../../chain/config/home.js";
import { createLogger } from "../../chain/util/logger.js";
import { httpChainQuery } from "../agents/feed/chain.js";
import { type AgentContext, type AgentName, agentDefinition, isAgentName } from "../agents/registry.js";
import { runApprovalLoop } from "../agents/runtime/approval-loop.js";
import { McpActor } from "../agents/runtime/mcp-actor.js";
import { AgentRuntime } from "../agents/runtime/runtime.js";
import { defaultChain } from "../ai/factory.js";
import { AuditAnchorer } from "../audit/anchorer.js";
import { AuditLog } from "../audit/log.js";
import type { BlockJobData } from "../bridge/interests.js";
import { connectRedis } from "../redis/connection.js";
import { openVaultFromEnv } from "../vault/from-env.js";
import type { AgentProcessOptions, FromAgent, ToAgent } from "./protocol.js";

function parseOptions(text: string | undefined): AgentProcessOptions {
  if (!text || text.length > 16_384) throw new Error("VIVIM_AGENT_OPTIONS is missing or too long");
  const o = JSON.parse(text) as Partial<AgentProcessOptions>;
  const num = (v: unknown, min: number, max: number, name: string) => {
    if (typeof v !== "number" || !Number.isFinite(v) || v < min || v > max) throw new Error(`bad ${name}`);
    return v;
  };
  if (typeof o.redisUrl !== "string" || !/^rediss?:\/\//.test(o.redisUrl)) throw new Error("bad redisUrl");
  if (typeof o.prefix !== "string" || !/^[A-Za-z0-9_-]{1,32}$/.test(o.prefix)) throw new Error("bad prefix");
  return {
    redisUrl: o.redisUrl,
    prefix: o.prefix,
    paused: o.paused === true,
    heartbeatMs: num(o.heartbeatMs, 50, 60_000, "heartbeatMs"),
    lockDurationMs: num(o.lockDurationMs, 500, 600_000, "lockDurationMs"),
    stalledIntervalMs: num(o.stalledIntervalMs, 500, 600_000, "stalledIntervalMs"),
    concurrency: num(o.concurrency, 1, 64, "concurrency"),
    ...(httpUrl(o.nodeRpcUrl) ? { nodeRpcUrl: o.nodeRpcUrl } : {}),
    ...(Array.isArray(o.nodes) && o.nodes.length <= 64 && o.nodes.every(httpUrl) ? { nodes: o.nodes } : {}),
    ...(httpUrl(o.mcpUrl) ? { mcpUrl: o.mcpUrl } : {}),
    ...(httpUrl(o.webhookUrl) ? { webhookUrl: o.webhookUrl } : {}),
    ...(typeof o.home === "string" && o.home.length > 0 && o.home.length < 1024 ? { home: o.home } : {}),
    ...(o.anchorEveryRecords !== undefined
      ? { anchorEveryRecords: num(o.anchorEveryRecords, 1, 100_000, "anchorEveryRecords") }
      : {}),
    ...(o.anchorEveryMs !== undefined
      ? { anchorEveryMs: num(o.anchorEveryMs, 100, 86_400_000, "anchorEveryMs") }
      : {}),
  };
}

function httpUrl(v: unknown): v is string {
  return typeof v === "string" && /^https?:\/\/\S{1,200}$/.test(v);
}

const LEVELS = ["fatal", "error", "warn", "info", "debug", "trace", "silent"];
const logLevel = (v: string | undefined) => (v && LEVELS.includes(v) ? v : "info");

export async function runAgentProcess(agentArg: string | undefined): Promise<void> {
  if (!agentArg || !isAgentName(agentArg)) throw new Error(`unknown agent ${JSON.stringify(agentArg)}`);
  if (!process.send) throw new Error("the agent process must be forked with an IPC channel");
  const agent: AgentName = agentArg;
  // The supervisor may die while this process is still setting up: remember it, and leave as soon
  // as setting up is done (the handler below would miss a disconnect that already happened).
  let orphaned = false;
  process.once("disconnect", () => {
    orphaned = true;
  });
  const opts = parseOptions(process.env.VIVIM_AGENT_OPTIONS);
  // Plain lines like the supervisor's, so npm start shows one readable log.
  const logger = createLogger({ level: logLevel(process.env.VIVIM_LOG_LEVEL), format: "plain" }).child({
    component: `agent-${agent}`,
  });
  const send = (m: FromAgent) => {
    if (process.connected) process.send?.(m);
  };

  const redis = connectRedis(opts.redisUrl, "producer", logger);
  const workerConn = connectRedis(opts.redisUrl, "worker", logger);
  const approvalsConn = connectRedis(opts.redisUrl, "worker", logger);
  let paused = opts.paused;
  const mcpKey = process.env.VIVIM_AGENT_MCP_KEY;
  delete process.env.VIVIM_AGENT_MCP_KEY;
  const actor = opts.mcpUrl && mcpKey ? new McpActor(opts.mcpUrl, mcpKey, `vivim-${agent}`) : undefined;
  if (!actor && agent !== "feed") {
    logger.warn({ code: "NO_IDENTITY" }, "no MCP url or key: this agent's actions are audited but not taken");
  }
  const home = opts.home ?? defaultHome();
  const audit = AuditLog.open(path.join(home, "audit"), agent);
  const runtime = new AgentRuntime({
    agent,
    redis,
    prefix: opts.prefix,
    audit,
    ...(actor ? { actor } : {}),
    paused: () => paused,
    logger,
  });
  const vault = await openVaultFromEnv(home, logger);
  const ctx: AgentContext = {
    agent,
    redis,
    logger,
    prefix: opts.prefix,
    ...(opts.nodeRpcUrl ? { nodeRpcUrl: opts.nodeRpcUrl } : {}),
    nodes: opts.nodes ?? (opts.nodeRpcUrl ? [opts.nodeRpcUrl] : []),
    runtime,
    ai: await defaultChain({ ...(vault ? { vault } : {}), logger }),
    paused: () => paused,
    ...(opts.webhookUrl ? { webhookUrl: opts.webhookUrl } : {}),
    home,
  };
  // The audit log's Merkle roots go on chain as the agent's own identity, as it grows.
  const anchorer =
    actor && opts.nodeRpcUrl
      ? new AuditAnchorer(
          {
            log: audit,
            name: agent,
            tools: actor,
            chain: httpChainQuery(opts.nodeRpcUrl),
            logger,
            paused: () => paused,
          },
          {
            ...(opts.anchorEveryRecords ? { everyRecords: opts.anchorEveryRecords } : {}),
            ...(opts.anchorEveryMs ? { everyMs: opts.anchorEveryMs } : {}),
          },
        )
      : undefined;
  anchorer?.start();
  const definition = agentDefinition(agent);
  const processor = definition.processor;
  const worker = new Worker<BlockJobData>(
    agent,
    async (job: Job<BlockJobData>) => {
      const result = await processor(job, ctx);
      const height = Number(job.data?.height);
      if (Number.isSafeInteger(height)) send({ type: "processed", height });
      return result;
    },
    {
      connection: workerConn,
      prefix: opts.prefix,
      autorun: false,
      concurrency: opts.concurrency,
      lockDuration: opts.lockDurationMs,
      stalledInterval: opts.stalledIntervalMs,
      // A job whose agent was killed more than this many times is failed (dead letter), not retried forever.
      maxStalledCount: 3,
    },
  );
  worker.on("error", (err) => logger.warn({ code: "REDIS_UNAVAILABLE", err: err.message }, "worker error"));
  worker.on("failed", (job, err) =>
    logger.warn({ job: job?.id, attempts: job?.attemptsMade, err: err.message }, "job failed"),
  );
  worker.on("stalled", (jobId) => logger.warn({ job: jobId }, "stalled job recovered"));

  let running = false;
  let active = 0;
  worker.on("active", () => active++);
  const done = () => {
    active = Math.max(0, active - 1);
  };
  worker.on("completed", done);
  worker.on("failed", done);

  const start = () => {
    if (running) worker.resume();
    else {
      running = true;
      worker.run().catch((err: Error) => logger.error({ err: err.message }, "worker stopped with an error"));
    }
  };
  // Heartbeats first: preparing (the feed's first build) may take a while.
  const heartbeat = setInterval(() => send({ type: "heartbeat", paused, active }), opts.heartbeatMs);
  try {
    await definition.prepare?.(ctx);
  } catch (err) {
    // Failing to prepare is a crash: the supervisor restarts the process with backoff.
    logger.error(
      { code: (err as { code?: string }).code ?? "PREPARE_FAILED", err: (err as Error).message },
      "agent could not prepare",
    );
    process.exit(1);
  }
  if (!paused) start();
  const background = definition.background?.(ctx);
  const approvals = runApprovalLoop({ runtime, blocking: approvalsConn, paused: () => paused, logger });

  let stopping = false;
  const stop = async (code: number) => {
    if (stopping) return;
    stopping = true;
    clearInterval(heartbeat);
    const hard = setTimeout(() => process.exit(code), 10_000);
    hard.unref();
    await Promise.all([
      worker.close().catch(() => undefined),
      background?.stop().catch(() => undefined),
      approvals.stop(),
      anchorer?.stop(),
    ]);
    await actor?.close();
    await runtime.flush();
    redis.disconnect();
    workerConn.disconnect();
    process.exit(code);
  };

  process.on("message", (raw: unknown) => {
    const m = raw as ToAgent;
    if (m?.type === "pause") {
      paused = true;
      // Waits for the jobs in hand to finish, then takes no more.
      void (running ? worker.pause() : Promise.resolve()).then(() => send({ type: "paused" }));
    } else if (m?.type === "resume") {
      paused = false;
      start();
      send({ type: "resumed" });
    } else if (m?.type === "stop") {
      void stop(0);
    }
  });
  process.on("disconnect", () => void stop(0));
  process.on("SIGTERM", () => void stop(0));
  if (orphaned || !process.connected) {
    logger.warn("the supervisor is gone; stopping");
    await stop(0);
    return;
  }
  send({ type: "ready", paused });
  logger.info({ queue: agent, paused }, "agent process started");
}

runAgentProcess(process.argv[2]).catch((err: Error) => {
  process.stderr.write(`agent process: ${err.message}\n`);
  process.exit(1);
});
