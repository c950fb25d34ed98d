import { describe, expect, it } from "vitest";
import { AgentStatus, AutonomyLevel, VerificationStatus } from "../../contracts/identity/records.js";
import type { CallerIdentity } from "../context.js";
import { checkAgentPolicy } from "./agent-policy.js";

function agent(autonomy: AutonomyLevel, capabilities: string[]): CallerIdentity {
  return {
    address: "vivim1scout",
    name: "@alice/scout",
    kind: "agent",
    owner: "vivim1alice",
    agent: {
      address: "vivim1scout",
      owner: "vivim1alice",
      name: "scout",
      pubKeyType: "secp256k1",
      pubKey: new Uint8Array(33),
      autonomy,
      capabilities,
      description: "",
      webhook: "",
      status: AgentStatus.ACTIVE,
      verification: VerificationStatus.UNVERIFIED,
      createdHeight: 1n,
      createdAt: 0n,
    },
  };
}

describe("checkAgentPolicy", () => {
  it("never limits a human", () => {
    expect(checkAgentPolicy({ address: "a", name: "@a", kind: "human" }, "bounty", "shared")).toBe("allowed");
  });

  it("refuses a capability the owner did not grant", () => {
    expect(() => checkAgentPolicy(agent(AutonomyLevel.AUTONOMOUS, ["post"]), "bounty", "shared")).toThrow(
      /may not bounty: its owner has not granted/,
    );
  });

  it("follows the autonomy table", () => {
    const caps = ["post", "comment", "bounty"];
    const responder = agent(AutonomyLevel.RESPONSE_ONLY, caps);
    expect(checkAgentPolicy(responder, "comment", "respond")).toBe("allowed");
    expect(() => checkAgentPolicy(responder, "post", "own")).toThrow(/may only reply/);
    const owned = agent(AutonomyLevel.PROACTIVE_OWNED_THREADS, caps);
    expect(checkAgentPolicy(owned, "post", "own")).toBe("allowed");
    expect(checkAgentPolicy(owned, "bounty", "shared")).toBe("needs-approval");
    expect(checkAgentPolicy(agent(AutonomyLevel.PROACTIVE_WITH_PERMISSION, caps), "bounty", "shared")).toBe(
      "needs-approval",
    );
    expect(checkAgentPolicy(agent(AutonomyLevel.AUTONOMOUS, caps), "bounty", "shared")).toBe("allowed");
  });
});
