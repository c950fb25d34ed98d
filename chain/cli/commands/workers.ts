/**
 * `vivim workers`: the supervised AI service workers.
 *
 *   vivim workers status                   every agent's state (from the Redis hash vivim:workers:state)
 *   vivim workers pause <agent|all>        operator pause (the agent finishes the job in hand)
 *   vivim workers resume <agent|all>       undoes an operator pause (a governance pause stays)
 *   vivim workers stop                     emergency stop: every agent paused and its process stopped
 *   vivim workers run --node <rpc>         the supervisor (and the block bridge) in the foreground
 *
 * Commands reach the supervisor through the Redis list vivim:workers:control; --redis defaults to
 * $REDIS_URL or redis://127.0.0.1:6379.
 */
import path from "node:path";
import { Command } from "commander";
import type { Redis } from "ioredis";
import { AGENT_NAMES } from "../../../workers/agents/registry.js";
import { BlockBridge } from "../../../workers/bridge/block-bridge.js";
import { httpNodeRpc, NewBlockListener } from "../../../workers/bridge/node-rpc.js";
import { connectRedis, QUEUE_PREFIX } from "../../../workers/redis/connection.js";
import {
  agentTarget,
  readStatus,
  sendControl,
  type WorkersStatus,
} from "../../../workers/supervisor/control.js";
import { rpcPauseState } from "../../../workers/supervisor/pause-state.js";
import type { AgentState, ControlCommand } from "../../../workers/supervisor/protocol.js";
import { Supervisor } from "../../../workers/supervisor/supervisor.js";
import { defaultHome } from "../../config/home.js";
import { createLogger } from "../../util/logger.js";
import { CliError, fail, nodeOption, nodeUrl, type OutputFormat, outputOption } from "./output.js";
import { workersApprovalCommands } from "./workers-approvals.js";
import { workersAuditCommand } from "./workers-audit.js";
import { httpUrl, readAgentMcpKeys, redisOption, redisUrl, withRedis } from "./workers-options.js";

/** How long `run` waits for its node to answer before giving up. */
const NODE_WAIT_MS = 60_000;

/** The supervisor rewrites its state every second; older than this, it is taken as not running. */
const FRESH_MS = 5_000;

interface WorkersOpts {
  redis: string;
  output: OutputFormat;
  wait: string;
}

function waitMs(text: string): number {
  const n = Number(text);
  if (!Number.isSafeInteger(n) || n < 0 || n > 600_000)
    throw new CliError("INVALID_WAIT", "--wait must be 0..600000 ms");
  return n;
}

function supervisorRunning(s: WorkersStatus, now = Date.now()): boolean {
  const sup = s.supervisor as (WorkersStatus["supervisor"] & { running?: boolean }) | null;
  return sup !== null && sup.running !== false && now - sup.updatedAt < FRESH_MS;
}

/** The status as printed: plain data, `supervisorRunning` computed from the state's age. */
export function statusView(s: WorkersStatus, now = Date.now()) {
  return {
    supervisor: s.supervisor
      ? {
          running: supervisorRunning(s, now),
          pid: s.supervisor.pid,
          emergencyStop: s.supervisor.emergencyStop,
          governance: s.supervisor.governance,
        }
      : { running: false },
    agents: s.agents.map((a) => ({
      agent: a.agent,
      status: a.status,
      pid: a.pid,
      restarts: a.restarts,
      // Absent in the state of a supervisor older than the field.
      lastRestart: a.lastRestart
        ? { reason: a.lastRestart.reason, at: new Date(a.lastRestart.at).toISOString() }
        : null,
      lastHeartbeat: a.lastHeartbeat === null ? null : new Date(a.lastHeartbeat).toISOString(),
      lastProcessedHeight: a.lastProcessedHeight,
      pausedBy: a.pausedBy,
    })),
  };
}

function printStatus(format: OutputFormat, s: WorkersStatus): void {
  const v = statusView(s);
  if (format === "json") {
    process.stdout.write(`${JSON.stringify(v, null, 2)}\n`);
    return;
  }
  const sup = v.supervisor;
  const lines = [
    `supervisor: ${sup.running ? `running (pid ${"pid" in sup ? sup.pid : "?"})` : "not running"}${"emergencyStop" in sup && sup.emergencyStop ? ", emergency stop" : ""}${"governance" in sup && sup.governance?.allPaused ? ", paused by governance" : ""}`,
    "AGENT       STATUS      PID      RESTARTS  HEIGHT    PAUSED-BY   LAST HEARTBEAT",
    ...v.agents.map(
      (a) =>
        `${a.agent.padEnd(11)} ${a.status.padEnd(11)} ${String(a.pid ?? "-").padEnd(8)} ${String(a.restarts).padEnd(9)} ${String(a.lastProcessedHeight).padEnd(9)} ${(a.pausedBy ?? "-").padEnd(11)} ${a.lastHeartbeat ?? "-"}`,
    ),
  ];
  process.stdout.write(`${lines.join("\n")}\n`);
}

/** Whether the state shows `cmd` applied. */
function applied(cmd: ControlCommand, agents: AgentState[]): boolean {
  if (cmd.cmd === "stop") return agents.every((a) => a.status === "stopped");
  const targets = cmd.agent === "all" ? agents : agents.filter((a) => a.agent === cmd.agent);
  if (targets.length === 0) return false;
  return cmd.cmd === "pause"
    ? targets.every((a) => a.status === "paused" || a.status === "stopped" || a.status === "crashed")
    : targets.every((a) => a.pausedBy !== "operator" && a.status !== "stopped");
}

/** Sends `cmd` to the running supervisor and waits (up to `wait` ms) until its state shows it. */
export async function controlWorkers(url: string, cmd: ControlCommand, wait: number): Promise<WorkersStatus> {
  return withRedis(url, async (redis) => {
    const before = await readStatus(redis, QUEUE_PREFIX);
    if (!supervisorRunning(before)) {
      throw new CliError(
        "SUPERVISOR_NOT_RUNNING",
        "no supervisor is running on this Redis (start it with `vivim workers run`)",
      );
    }
    await sendControl(redis, QUEUE_PREFIX, cmd);
    const deadline = Date.now() + wait;
    for (;;) {
      const s = await readStatus(redis, QUEUE_PREFIX);
      if (applied(cmd, s.agents)) return s;
      if (Date.now() >= deadline) {
        throw new CliError(
          "TIMEOUT",
          `the supervisor took the command but did not show it applied within ${wait} ms`,
        );
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  });
}

export function workersCommand(): Command {
  const workers = new Command("workers").description(
    "The supervised AI service workers (feed, moderation, reputation, health)",
  );

  const status = new Command("status")
    .description("Show every agent's state")
    .addOption(redisOption())
    .addOption(outputOption());
  status.action(async () => {
    const o = status.optsWithGlobals<WorkersOpts>();
    try {
      printStatus(o.output, await withRedis(o.redis, (r) => readStatus(r, QUEUE_PREFIX)));
    } catch (err) {
      fail(status, err);
    }
  });

  const control = (name: "pause" | "resume" | "stop", description: string) => {
    const cmd = new Command(name)
      .description(description)
      .addOption(redisOption())
      .addOption(outputOption())
      .option("--wait <ms>", "how long to wait for the supervisor to apply it", "10000");
    if (name !== "stop") cmd.argument("<agent>", `${AGENT_NAMES.join(", ")} or all`);
    cmd.action(async (agent?: string) => {
      const o = cmd.optsWithGlobals<WorkersOpts>();
      try {
        const c: ControlCommand =
          name === "stop" ? { cmd: "stop" } : { cmd: name, agent: agentTarget(agent ?? "") };
        printStatus(o.output, await controlWorkers(o.redis, c, waitMs(o.wait)));
      } catch (err) {
        fail(cmd, err);
      }
    });
    return cmd;
  };

  const run = new Command("run")
    .description("Run the supervisor (and the block bridge) in the foreground until SIGINT/SIGTERM")
    .addOption(redisOption())
    .addOption(nodeOption())
    .option("--no-bridge", "do not run the block bridge (another process feeds the queues)")
    .option("--no-governance", "do not follow the chain's worker pause flag")
    .option(
      "--home <dir>",
      "workers' data: audit logs (audit/), AI-key vault (ai-keys/) (default: $VIVIM_HOME or ~/.vivim)",
    )
    .option("--mcp <url>", "the MCP server the agents act through, e.g. http://127.0.0.1:8808/mcp")
    .option(
      "--mcp-keys <file>",
      'JSON with each agent\'s MCP bearer key: {"moderation": "vmcp_…"} or a devnet.json',
    )
    .option(
      "--nodes <urls>",
      "comma-separated RPC URLs of every node the health agent watches (default: --node)",
    )
    .option("--webhook <url>", "where the health agent also POSTs alerts")
    .option("--log-level <level>", "log level (logs go to stderr)", "info");
  run.action(async () => {
    const o = run.optsWithGlobals<{
      redis: string;
      node: string;
      bridge: boolean;
      governance: boolean;
      home?: string;
      mcp?: string;
      mcpKeys?: string;
      nodes?: string;
      webhook?: string;
      logLevel: string;
    }>();
    let supervisor: Supervisor | undefined;
    try {
      const logger = createLogger({ level: o.logLevel, format: "plain" }).child({ component: "workers" });
      const url = redisUrl(o.redis);
      const rpc = nodeUrl(o.node);
      supervisor = new Supervisor(
        {
          redisUrl: url,
          logger,
          ...(o.governance ? { pauseState: rpcPauseState(rpc), rpcUrl: rpc } : {}),
        },
        {
          env: { VIVIM_LOG_LEVEL: o.logLevel },
          nodeRpcUrl: rpc,
          home: path.resolve(o.home ?? defaultHome()),
          nodes: o.nodes ? o.nodes.split(",").map((u) => nodeUrl(u.trim())) : [rpc],
          ...(o.mcp ? { mcpUrl: httpUrl(o.mcp, "--mcp"), mcpKeys: readAgentMcpKeys(o.mcpKeys) } : {}),
          ...(o.webhook ? { webhookUrl: httpUrl(o.webhook, "--webhook") } : {}),
        },
      );
      await supervisor.start();
      let bridge: BlockBridge | undefined;
      let bridgeRedis: Redis | undefined;
      if (o.bridge) {
        bridgeRedis = connectRedis(url, "producer", logger);
        // npm start launches the node and the workers at once: wait for the node a while.
        const deadline = Date.now() + NODE_WAIT_MS;
        bridge = new BlockBridge({
          node: httpNodeRpc(rpc),
          redis: bridgeRedis,
          logger,
          newBlocks: new NewBlockListener(rpc),
        });
        for (;;) {
          try {
            await bridge.start();
            break;
          } catch (err) {
            if ((err as { code?: string }).code !== "NODE_UNAVAILABLE" || Date.now() > deadline) throw err;
            await new Promise((r) => setTimeout(r, 500));
          }
        }
      }
      await new Promise<void>((resolve) => {
        process.once("SIGINT", resolve);
        process.once("SIGTERM", resolve);
      });
      await bridge?.stop();
      bridgeRedis?.disconnect();
      await supervisor.stop();
    } catch (err) {
      // Its agent processes must not outlive it.
      await supervisor?.stop().catch(() => undefined);
      fail(run, err, o.node);
    }
  });

  return workers
    .addCommand(status)
    .addCommand(control("pause", "Pause an agent, or all"))
    .addCommand(control("resume", "Resume an agent, or all (a governance pause stays)"))
    .addCommand(control("stop", "Emergency stop: pause every agent and stop its process"))
    .addCommand(run)
    .addCommand(workersApprovalCommands.autonomy())
    .addCommand(workersApprovalCommands.approvals())
    .addCommand(workersAuditCommand());
}
