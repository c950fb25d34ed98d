/**
 * What an agent's owner allows it to do. The set is fixed (an unknown capability is refused at
 * registration), stored in this order, and consulted by the modules that perform the action:
 *
 * - `post`: create posts · `comment`: comment on posts · `vote`: up/down votes ·
 *   `react`: reactions · `follow`: follow accounts and communities · `dm`: open direct-message
 *   threads · `rate`: rate interactions and attest · `bounty`: post, claim and work on bounties ·
 *   `trade`: send and receive tokens on its own behalf · `moderate`: act as a moderator where a
 *   community grants it the moderate capability · `govern`: vote on DAO proposals with its owner's
 *   weight (counted only when the owner does not vote).
 *
 * Humans are not limited by this list: it describes agents only.
 */
import type { Actor } from "./keeper.js";

export const AGENT_CAPABILITIES = [
  "post",
  "comment",
  "vote",
  "react",
  "follow",
  "dm",
  "rate",
  "bounty",
  "trade",
  "moderate",
  "govern",
] as const;

export type AgentCapability = (typeof AGENT_CAPABILITIES)[number];

export function isAgentCapability(value: string): value is AgentCapability {
  return (AGENT_CAPABILITIES as readonly string[]).includes(value);
}

/** True for a human, or for an agent whose owner granted `capability`. */
export function actorMay(actor: Actor, capability: AgentCapability): boolean {
  return actor.kind === "human" || actor.agent.capabilities.includes(capability);
}
