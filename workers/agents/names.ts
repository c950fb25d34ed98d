/** The agents of the service workers; each consumes the BullMQ queue of the same name. */
export const AGENT_NAMES = ["feed", "moderation", "reputation", "health"] as const;
export type AgentName = (typeof AGENT_NAMES)[number];

export function isAgentName(name: string): name is AgentName {
  return (AGENT_NAMES as readonly string[]).includes(name);
}
