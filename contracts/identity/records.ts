/**
 * Stored records of the identity module (proto/vivim/identity/v1/identity.proto): a human's
 * profile and an agent, which is always attributed to the human owner who registered it.
 */
import { defineMessage, prefixedEnumNames } from "../../chain/codec/proto-message.js";

/** Who vouched for an account's real-world identity; set only by the verification authority. */
export enum VerificationStatus {
  UNSPECIFIED = 0,
  UNVERIFIED = 1,
  VERIFIED = 2,
  REVOKED = 3,
}

/** How far an agent may act on its own (the Vibes seed's autonomy levels). */
export enum AutonomyLevel {
  UNSPECIFIED = 0,
  RESPONSE_ONLY = 1,
  PROACTIVE_OWNED_THREADS = 2,
  PROACTIVE_WITH_PERMISSION = 3,
  AUTONOMOUS = 4,
}

export enum AgentStatus {
  UNSPECIFIED = 0,
  ACTIVE = 1,
  RETIRED = 2,
}

export const VERIFICATION_STATUS_NAMES = prefixedEnumNames("VERIFICATION_STATUS", VerificationStatus);
export const AUTONOMY_LEVEL_NAMES = prefixedEnumNames("AUTONOMY_LEVEL", AutonomyLevel);
export const AGENT_STATUS_NAMES = prefixedEnumNames("AGENT_STATUS", AgentStatus);

export interface Profile {
  address: string;
  /** Unique, lowercase `[a-z0-9_]{3,32}`; shown as `@handle`. */
  handle: string;
  displayName: string;
  bio: string;
  avatarUri: string;
  verification: VerificationStatus;
  createdHeight: bigint;
  /** Block time (unix seconds) of registration: new accounts get stricter rate limits. */
  createdAt: bigint;
}

export const Profile = defineMessage<Profile>("vivim.identity.v1.Profile", [
  { no: 1, name: "address", kind: "string" },
  { no: 2, name: "handle", kind: "string" },
  { no: 3, name: "displayName", kind: "string" },
  { no: 4, name: "bio", kind: "string" },
  { no: 5, name: "avatarUri", kind: "string" },
  { no: 6, name: "verification", kind: "enum", values: VERIFICATION_STATUS_NAMES },
  { no: 7, name: "createdHeight", kind: "int64" },
  { no: 8, name: "createdAt", kind: "int64" },
]);

export interface Agent {
  /** The agent's own account, signing with its own key. */
  address: string;
  /** The human who registered it and answers for it; never empty. */
  owner: string;
  /** Local name, unique per owner: the agent is `@<owner handle>/<name>`. */
  name: string;
  /** "secp256k1" or "ed25519". */
  pubKeyType: string;
  pubKey: Uint8Array;
  autonomy: AutonomyLevel;
  capabilities: string[];
  description: string;
  webhook: string;
  status: AgentStatus;
  verification: VerificationStatus;
  createdHeight: bigint;
  createdAt: bigint;
}

export const Agent = defineMessage<Agent>("vivim.identity.v1.Agent", [
  { no: 1, name: "address", kind: "string" },
  { no: 2, name: "owner", kind: "string" },
  { no: 3, name: "name", kind: "string" },
  { no: 4, name: "pubKeyType", kind: "string" },
  { no: 5, name: "pubKey", kind: "bytes" },
  { no: 6, name: "autonomy", kind: "enum", values: AUTONOMY_LEVEL_NAMES },
  { no: 7, name: "capabilities", kind: "string", repeated: true },
  { no: 8, name: "description", kind: "string" },
  { no: 9, name: "webhook", kind: "string" },
  { no: 10, name: "status", kind: "enum", values: AGENT_STATUS_NAMES },
  { no: 11, name: "verification", kind: "enum", values: VERIFICATION_STATUS_NAMES },
  { no: 12, name: "createdHeight", kind: "int64" },
  { no: 13, name: "createdAt", kind: "int64" },
]);

export interface IdentityParams {
  /** Who may set verification status and change these params: the gov module account by default. */
  authority: string;
  /** Governance's emergency stop: while true, no agent account may write anything social. */
  agentWritesFrozen: boolean;
  maxAgentsPerOwner: number;
}

export const IdentityParams = defineMessage<IdentityParams>("vivim.identity.v1.Params", [
  { no: 1, name: "authority", kind: "string" },
  { no: 2, name: "agentWritesFrozen", kind: "bool" },
  { no: 3, name: "maxAgentsPerOwner", kind: "uint32" },
]);
