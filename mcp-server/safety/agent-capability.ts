/** The identity module's agent capabilities, checked against an agent record. */
import { AGENT_CAPABILITIES, type AgentCapability } from "../../contracts/identity/capabilities.js";
import type { Agent } from "../../contracts/identity/records.js";

export { AGENT_CAPABILITIES, type AgentCapability };

export function actorMayAgent(agent: Agent, capability: AgentCapability): boolean {
  return agent.capabilities.includes(capability);
}
