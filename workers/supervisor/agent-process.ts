/**
 * The entry of one agent's child process (`node dist/workers/supervisor/agent-process.js <agent>`,
 * forked by the supervisor with an IPC channel and `VIVIM_AGENT_OPTIONS`). It runs a BullMQ Worker on
 * the agent's queue with the processor the registry names, sends a heartbeat every second, and obeys
 * pause / resume / stop from the supervisor. It exits when the IPC channel closes (supervisor gone).
 */
import { type Job, Worker } from "bullmq";
import { createLogger } from "../../chain/util/logger.js";
import { type AgentContext, type AgentName, isAgentName, processorFor } from "../agents/registry.js";
import type { BlockJobData } from "../bridge/interests.js";
import { connectRedis } from "../redis/connection.js";
import type { AgentProcessOptions, FromAgent, ToAgent } from "./protocol.js";

function parseOptions(text: string | undefined): AgentProcessOptions {
  if (!text || text.length > 4096) throw new Error("VIVIM_AGENT_OPTIONS is missing or too long");
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
    ...(typeof o.nodeRpcUrl === "string" && /^https?:\/\/\S{1,200}$/.test(o.nodeRpcUrl)
      ? { nodeRpcUrl: o.nodeRpcUrl }
      : {}),
  };
}

const LEVELS = ["fatal", "error", "warn", "info", "debug", "trace", "silent"];
const logLevel = (v: string | undefined) => (v && LEVELS.includes(v) ? v : "info");

export async function runAgentProcess(agentArg: string | undefined): Promise<void> {
  if (!agentArg || !isAgentName(agentArg)) throw new Error(`unknown agent ${JSON.stringify(agentArg)}`);
  if (!process.send) throw new Error("the agent process must be forked with an IPC channel");
  const agent: AgentName = agentArg;
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
  const ctx: AgentContext = {
    agent,
    redis,
    logger,
    prefix: opts.prefix,
    ...(opts.nodeRpcUrl ? { nodeRpcUrl: opts.nodeRpcUrl } : {}),
  };
  const processor = processorFor(agent);
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
  let paused = opts.paused;
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
  if (!paused) start();

  const heartbeat = setInterval(() => send({ type: "heartbeat", paused, active }), opts.heartbeatMs);
  let stopping = false;
  const stop = async (code: number) => {
    if (stopping) return;
    stopping = true;
    clearInterval(heartbeat);
    const hard = setTimeout(() => process.exit(code), 10_000);
    hard.unref();
    await worker.close().catch(() => undefined);
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
  send({ type: "ready", paused });
  logger.info({ queue: agent, paused }, "agent process started");
}

runAgentProcess(process.argv[2]).catch((err: Error) => {
  process.stderr.write(`agent process: ${err.message}\n`);
  process.exit(1);
});
