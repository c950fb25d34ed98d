/**
 * What an agent may do through MCP, before any tx is built: the capabilities its owner granted
 * (`identity` module), and its autonomy level, which decides which actions it may take on its own:
 *
 * | autonomy                  | acts alone                                     | needs its human's approval |
 * |---------------------------|------------------------------------------------|----------------------------|
 * | RESPONSE_ONLY             | reply, react, vote                             | everything else            |
 * | PROACTIVE_OWNED_THREADS   | + posts, edits and deletes of its own, follows | the rest                   |
 * | PROACTIVE_WITH_PERMISSION | the same as above                              | the rest                   |
 * | AUTONOMOUS                | everything its capabilities allow              | nothing                    |
 *
 * "The rest" is what spends or moves value or changes shared state: communities, ratings,
 * attestations, bounties, tips, proposals, governance votes, labels. Approval is asked of the
 * human at the client through MCP elicitation; a client that cannot ask gets NEEDS_APPROVAL, and a
 * RESPONSE_ONLY agent is refused outright. Humans are never limited here — the chain checks them.
 */

import { AutonomyLevel } from "../../contracts/identity/records.js";
import type { CallerIdentity } from "../context.js";
import { McpToolError } from "../errors.js";
import { type AgentCapability, actorMayAgent } from "./agent-capability.js";

/** How far an action reaches: answers, own content, or shared state and value. */
export type ActionReach = "respond" | "own" | "shared";

export type PolicyVerdict = "allowed" | "needs-approval";

const AUTONOMY_NAMES: Record<number, string> = {
  [AutonomyLevel.RESPONSE_ONLY]: "RESPONSE_ONLY",
  [AutonomyLevel.PROACTIVE_OWNED_THREADS]: "PROACTIVE_OWNED_THREADS",
  [AutonomyLevel.PROACTIVE_WITH_PERMISSION]: "PROACTIVE_WITH_PERMISSION",
  [AutonomyLevel.AUTONOMOUS]: "AUTONOMOUS",
};

export function checkAgentPolicy(
  caller: CallerIdentity,
  capability: AgentCapability | undefined,
  reach: ActionReach,
): PolicyVerdict {
  if (caller.kind !== "agent" || !caller.agent) return "allowed";
  if (capability && !actorMayAgent(caller.agent, capability)) {
    throw new McpToolError(
      "NOT_PERMITTED",
      `${caller.name} may not ${capability}: its owner has not granted that capability`,
      { capability },
    );
  }
  const level = caller.agent.autonomy;
  const levelName = AUTONOMY_NAMES[level] ?? "RESPONSE_ONLY";
  if (reach === "respond" || level === AutonomyLevel.AUTONOMOUS) return "allowed";
  if (reach === "own" && level >= AutonomyLevel.PROACTIVE_OWNED_THREADS) return "allowed";
  if (level <= AutonomyLevel.RESPONSE_ONLY) {
    throw new McpToolError(
      "NOT_PERMITTED",
      `${caller.name} has autonomy ${levelName}: it may only reply, react and vote`,
      { autonomy: levelName },
    );
  }
  return "needs-approval";
}
