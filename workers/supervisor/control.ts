/**
 * The control channel and the state hash as the CLI (and later the app API) uses them: commands are
 * JSON pushed onto the Redis list `vivim:workers:control` (the supervisor pops them); the state is
 * read from the hash `vivim:workers:state`. `parseControl` validates what the supervisor pops.
 */
import type { Redis } from "ioredis";
import { type AgentName, isAgentName } from "../agents/registry.js";
import { WorkersError } from "../errors.js";
import {
  type AgentState,
  type ControlCommand,
  controlKey,
  MAX_CONTROL_BYTES,
  SUPERVISOR_FIELD,
  type SupervisorState,
  stateKey,
} from "./protocol.js";

/** Validates a control command popped from the list; throws BAD_CONTROL. */
export function parseControl(text: string): ControlCommand {
  if (text.length > MAX_CONTROL_BYTES) throw new WorkersError("BAD_CONTROL", "control command too long");
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    throw new WorkersError("BAD_CONTROL", "control command is not JSON");
  }
  const o = v as { cmd?: unknown; agent?: unknown };
  if (o === null || typeof o !== "object")
    throw new WorkersError("BAD_CONTROL", "control command is not an object");
  if (o.cmd === "stop") return { cmd: "stop" };
  if (o.cmd === "pause" || o.cmd === "resume") {
    if (o.agent === "all") return { cmd: o.cmd, agent: "all" };
    if (typeof o.agent === "string" && isAgentName(o.agent)) return { cmd: o.cmd, agent: o.agent };
    throw new WorkersError("UNKNOWN_AGENT", "control command names no known agent");
  }
  if (o.cmd === "restart") {
    if (typeof o.agent === "string" && isAgentName(o.agent)) return { cmd: "restart", agent: o.agent };
    throw new WorkersError("UNKNOWN_AGENT", "restart names no known agent");
  }
  throw new WorkersError("BAD_CONTROL", "control command must be pause, resume, restart or stop");
}

/** Checks an agent argument ("all" or an agent name). */
export function agentTarget(name: string): AgentName | "all" {
  if (name === "all" || isAgentName(name)) return name;
  throw new WorkersError("UNKNOWN_AGENT", `unknown agent ${JSON.stringify(name.slice(0, 64))}`);
}

export async function sendControl(redis: Redis, prefix: string, cmd: ControlCommand): Promise<void> {
  await redis.rpush(controlKey(prefix), JSON.stringify(cmd));
}

export interface WorkersStatus {
  readonly supervisor: SupervisorState | null;
  readonly agents: AgentState[];
}

export async function readStatus(redis: Redis, prefix: string): Promise<WorkersStatus> {
  const hash = await redis.hgetall(stateKey(prefix));
  let supervisor: SupervisorState | null = null;
  const agents: AgentState[] = [];
  for (const [field, value] of Object.entries(hash)) {
    try {
      if (field === SUPERVISOR_FIELD) supervisor = JSON.parse(value) as SupervisorState;
      else if (isAgentName(field)) agents.push(JSON.parse(value) as AgentState);
    } catch {
      // A field that does not parse is left out.
    }
  }
  agents.sort((a, b) => a.agent.localeCompare(b.agent));
  return { supervisor, agents };
}
