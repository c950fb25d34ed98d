/**
 * A devnet on a real node with the real MCP server (test/support/mcp.ts) and node0's app API, both
 * reading the workers' private redis-server as npm start configures them, the real block bridge, and worker agents run in this process by BullMQ Workers with the same
 * context the supervisor's agent processes build: a real `AgentRuntime` acting through the agent's
 * devnet MCP key (@operator/<agent>), its approval loop, a real audit log on disk and the offline
 * AI provider.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { type Job, Worker } from "bullmq";
import type { Redis } from "ioredis";
import { ApiServer } from "../../chain/api/server.js";
import { workerMcpKeyName } from "../../chain/node/devnet.js";
import type { NodeComponents } from "../../chain/node/node.js";
import { silentLogger } from "../../chain/util/logger.js";
import {
  AGENT_NAMES,
  type AgentContext,
  type AgentDefinition,
  type AgentName,
  type BackgroundTask,
} from "../../workers/agents/registry.js";
import { runApprovalLoop } from "../../workers/agents/runtime/approval-loop.js";
import { type Autonomy, setAutonomy } from "../../workers/agents/runtime/autonomy.js";
import { McpActor } from "../../workers/agents/runtime/mcp-actor.js";
import { AgentRuntime } from "../../workers/agents/runtime/runtime.js";
import { defaultChain } from "../../workers/ai/factory.js";
import { AuditLog } from "../../workers/audit/log.js";
import { BlockBridge } from "../../workers/bridge/block-bridge.js";
import type { BlockJobData } from "../../workers/bridge/interests.js";
import { httpNodeRpc, NewBlockListener } from "../../workers/bridge/node-rpc.js";
import { connectRedis, QUEUE_PREFIX } from "../../workers/redis/connection.js";
import { RedisServer } from "../../workers/redis/redis-server.js";
import { readStatus } from "../../workers/supervisor/control.js";
import { rpcPauseState } from "../../workers/supervisor/pause-state.js";
import { Supervisor } from "../../workers/supervisor/supervisor.js";
import { type McpTestNet, startMcpTestNet } from "./mcp.js";
import { freePort } from "./process.js";
import { until } from "./until.js";

export { until };

export interface RunningAgent {
  readonly ctx: AgentContext;
  readonly runtime: AgentRuntime;
  readonly audit: AuditLog;
  /** Heights whose job this agent finished, in completion order. */
  readonly processed: number[];
  /** Resolves once the agent's job for `height` (or a later one) has finished. */
  processedTo(height: number, ms?: number): Promise<void>;
  setPaused(paused: boolean): void;
  stop(): Promise<void>;
}

export interface WorkersTestNet {
  readonly net: McpTestNet;
  /** node0's app API, serving the workers' routes from this Redis. */
  readonly apiUrl: string;
  readonly redisUrl: string;
  readonly redis: Redis;
  /** Where the agents' audit logs live (`<dir>/<agent>.jsonl`). */
  readonly auditDir: string;
  /** The address of a worker agent's chain identity @operator/<agent>. */
  workerAddress(agent: AgentName): string;
  /** Runs `definition` as `agent` (its devnet MCP key, the given autonomy), fed by the bridge. */
  runAgent(
    agent: AgentName,
    definition: AgentDefinition,
    o?: { autonomy?: Autonomy; nodes?: string[] },
  ): Promise<RunningAgent>;
  stop(): Promise<void>;
}

export async function startWorkersTestNet(): Promise<WorkersTestNet> {
  const dir = mkdtempSync(path.join(tmpdir(), "vivim-workers-"));
  const server = new RedisServer({ dataDir: path.join(dir, "redis"), port: await freePort() });
  await server.start();
  const net = await startMcpTestNet({ redisUrl: server.url });
  // node0's app API with the workers' routes, as npm start configures it.
  const node = net.node;
  const config = {
    ...node.config,
    api: {
      ...node.config.api,
      address: "tcp://127.0.0.1:0",
      workers_redis: server.url,
      workers_operators: net.devnet.nodes[0]!.operator.address,
    },
  };
  const api = new ApiServer(Object.assign(Object.create(node) as NodeComponents, { config }));
  await api.start();
  const redis = connectRedis(server.url, "producer");
  const bridge = new BlockBridge(
    {
      node: httpNodeRpc(net.rpcUrl),
      redis,
      logger: silentLogger(),
      newBlocks: new NewBlockListener(net.rpcUrl),
    },
    { pollMs: 200 },
  );
  await bridge.start();
  const auditDir = path.join(dir, "audit");
  const running: RunningAgent[] = [];
  const workerAddress = (agent: AgentName) => {
    const w = net.devnet.workers?.find((x) => x.agent === agent);
    if (!w) throw new Error(`the devnet has no identity for the ${agent} worker`);
    return w.address;
  };

  return {
    net,
    apiUrl: `http://127.0.0.1:${api.port}`,
    redisUrl: server.url,
    redis,
    auditDir,
    workerAddress,
    async runAgent(agent, definition, o = {}) {
      if (o.autonomy) await setAutonomy(redis, QUEUE_PREFIX, agent, o.autonomy);
      const key = net.devnet.mcpKeys[workerMcpKeyName(agent)];
      if (!key) throw new Error(`no devnet MCP key for the ${agent} worker`);
      const actor = new McpActor(net.http.url, key, `test-${agent}`);
      const audit = AuditLog.open(auditDir, agent);
      let paused = false;
      const logger = silentLogger();
      const runtime = new AgentRuntime({
        agent,
        redis,
        prefix: QUEUE_PREFIX,
        audit,
        actor,
        paused: () => paused,
        logger,
      });
      const ctx: AgentContext = {
        agent,
        redis,
        logger,
        prefix: QUEUE_PREFIX,
        nodeRpcUrl: net.rpcUrl,
        nodes: o.nodes ?? [net.rpcUrl],
        runtime,
        ai: await defaultChain({ logger }),
        paused: () => paused,
        home: dir,
      };
      await definition.prepare?.(ctx);
      const processed: number[] = [];
      const connection = connectRedis(server.url, "worker");
      const worker = new Worker<BlockJobData>(
        agent,
        async (job: Job<BlockJobData>) => {
          const r = await definition.processor(job, ctx);
          processed.push(job.data.height);
          return r;
        },
        { connection, prefix: QUEUE_PREFIX, concurrency: 1 },
      );
      const background: BackgroundTask | undefined = definition.background?.(ctx);
      const approvals = runApprovalLoop({
        runtime,
        blocking: connectRedis(server.url, "worker"),
        paused: () => paused,
        logger,
      });
      const handle: RunningAgent = {
        ctx,
        runtime,
        audit,
        processed,
        processedTo: (height, ms) =>
          until(`${agent}'s job for block ${height}`, () => processed.some((h) => h >= height), ms),
        setPaused(p) {
          paused = p;
        },
        async stop() {
          await background?.stop();
          await approvals.stop();
          await worker.close();
          connection.disconnect();
          await actor.close();
          await audit.flush();
        },
      };
      running.push(handle);
      return handle;
    },
    async stop() {
      await Promise.all(running.map((r) => r.stop().catch(() => undefined)));
      await bridge.stop();
      await api.stop();
      redis.disconnect();
      await server.stop();
      await net.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * The real supervisor over `wn`, as `npm start` runs it: every agent forked as its own process,
 * acting through the MCP server with its devnet key (@operator/<agent>), its data under `home`.
 * Resolves once all four agents report running.
 */
export async function startSupervisor(
  wn: WorkersTestNet,
  home: string,
  o: { anchorEveryMs?: number } = {},
): Promise<Supervisor> {
  const keys: Partial<Record<AgentName, string>> = {};
  for (const agent of AGENT_NAMES) keys[agent] = wn.net.devnet.mcpKeys[workerMcpKeyName(agent)];
  const supervisor = new Supervisor(
    {
      redisUrl: wn.redisUrl,
      logger: silentLogger(),
      pauseState: rpcPauseState(wn.net.rpcUrl),
      rpcUrl: wn.net.rpcUrl,
    },
    {
      nodeRpcUrl: wn.net.rpcUrl,
      home,
      mcpUrl: wn.net.http.url,
      mcpKeys: keys,
      ...(o.anchorEveryMs ? { anchorEveryMs: o.anchorEveryMs } : {}),
      env: { VIVIM_LOG_LEVEL: "error" },
      stdio: "ignore",
    },
  );
  await supervisor.start();
  await until(
    "every agent running",
    async () =>
      (await readStatus(wn.redis, QUEUE_PREFIX)).agents.filter((a) => a.status === "running").length === 4,
    60_000,
  );
  return supervisor;
}
