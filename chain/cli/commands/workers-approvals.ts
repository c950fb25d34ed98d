/**
 * `vivim workers autonomy` and `vivim workers approvals`: the operator's side of the autonomy gate,
 * at the terminal of the machine that runs the workers (its Redis is the credential here; the app
 * API asks for the agent owner's signature instead).
 *
 *   vivim workers autonomy                         every agent's level
 *   vivim workers autonomy <agent> <level>         manual | advisory | assisted | autonomous
 *   vivim workers approvals list [--all] [--agent A]
 *   vivim workers approvals approve|reject <id>
 */
import { Command } from "commander";
import { AGENT_NAMES } from "../../../workers/agents/registry.js";
import { type Approval, ApprovalStore } from "../../../workers/agents/runtime/approvals.js";
import { AUTONOMY_LEVELS, readAllAutonomy, setAutonomy } from "../../../workers/agents/runtime/autonomy.js";
import { QUEUE_PREFIX } from "../../../workers/redis/connection.js";
import { agentTarget } from "../../../workers/supervisor/control.js";
import { CliError, fail, type OutputFormat, outputOption } from "./output.js";
import { redisOption, withRedis } from "./workers-options.js";

interface Opts {
  redis: string;
  output: OutputFormat;
  all?: boolean;
  agent?: string;
}

const print = (format: OutputFormat, value: unknown, text: () => string) =>
  process.stdout.write(`${format === "json" ? JSON.stringify(value, null, 2) : text()}\n`);

function agentName(name: string) {
  const a = agentTarget(name);
  if (a === "all") throw new CliError("UNKNOWN_AGENT", "name one agent");
  return a;
}

function approvalLine(a: Approval): string {
  return `${a.id}  ${a.agent.padEnd(10)} ${a.status.padEnd(8)} ${a.confidence.padEnd(4)} h${a.height}  ${a.summary}`;
}

function autonomy(): Command {
  const cmd = new Command("autonomy")
    .description(`Show or set an agent's autonomy (${AUTONOMY_LEVELS.join(", ")})`)
    .argument("[agent]", AGENT_NAMES.join(", "))
    .argument("[level]", AUTONOMY_LEVELS.join(", "))
    .addOption(redisOption())
    .addOption(outputOption());
  return cmd.action(async (agent?: string, level?: string) => {
    const o = cmd.optsWithGlobals<Opts>();
    try {
      const levels = await withRedis(o.redis, async (r) => {
        if (agent !== undefined) {
          if (level === undefined)
            throw new CliError("MISSING_LEVEL", `give the level: ${AUTONOMY_LEVELS.join(", ")}`);
          await setAutonomy(r, QUEUE_PREFIX, agentName(agent), level);
        }
        return readAllAutonomy(r, QUEUE_PREFIX, AGENT_NAMES);
      });
      print(o.output, levels, () =>
        Object.entries(levels)
          .map(([a, l]) => `${a.padEnd(11)} ${l}`)
          .join("\n"),
      );
    } catch (err) {
      fail(cmd, err);
    }
  });
}

function approvals(): Command {
  const group = new Command("approvals").description("Actions the agents proposed, waiting for their owner");
  const list = new Command("list")
    .description("Pending approvals, oldest first (--all: every recent one, newest first)")
    .option("--all", "also decided ones")
    .option("--agent <agent>", "only this agent's")
    .addOption(redisOption())
    .addOption(outputOption());
  list.action(async () => {
    const o = list.optsWithGlobals<Opts>();
    try {
      const items = await withRedis(o.redis, (r) =>
        new ApprovalStore(r, QUEUE_PREFIX).list({
          status: o.all ? "all" : "pending",
          limit: 1000,
          ...(o.agent ? { agent: agentName(o.agent) } : {}),
        }),
      );
      print(o.output, items, () =>
        items.length === 0 ? "no approvals" : items.map(approvalLine).join("\n"),
      );
    } catch (err) {
      fail(list, err);
    }
  });
  const decide = (decision: "approve" | "reject") => {
    const cmd = new Command(decision)
      .description(
        `${decision === "approve" ? "Approve" : "Reject"} a pending action (its agent then acts or records it)`,
      )
      .argument("<id>", "approval id")
      .addOption(redisOption())
      .addOption(outputOption());
    return cmd.action(async (id: string) => {
      const o = cmd.optsWithGlobals<Opts>();
      try {
        if (!/^[0-9a-f]{32}$/.test(id))
          throw new CliError("INVALID_ID", "an approval id is 32 lowercase hex characters");
        const a = await withRedis(o.redis, (r) =>
          new ApprovalStore(r, QUEUE_PREFIX).decide(id, decision, "operator-cli"),
        );
        print(o.output, a, () => approvalLine(a));
      } catch (err) {
        fail(cmd, err);
      }
    });
  };
  return group.addCommand(list).addCommand(decide("approve")).addCommand(decide("reject"));
}

export const workersApprovalCommands = { autonomy, approvals };
