/**
 * Msgs of the identity module and their responses (proto/vivim/identity/v1/tx.proto). TypeScript
 * names that every module would share (MsgUpdateParams) carry the module's name; the protobuf
 * names do not, as in the Cosmos SDK.
 */
import { defineMessage } from "../../chain/codec/proto-message.js";
import {
  AUTONOMY_LEVEL_NAMES,
  type AutonomyLevel,
  IdentityParams,
  VERIFICATION_STATUS_NAMES,
  type VerificationStatus,
} from "./records.js";

const PKG = "vivim.identity.v1";

export interface MsgRegisterProfile {
  creator: string;
  handle: string;
  displayName: string;
  bio: string;
  avatarUri: string;
}

export const MsgRegisterProfile = defineMessage<MsgRegisterProfile>(`${PKG}.MsgRegisterProfile`, [
  { no: 1, name: "creator", kind: "string" },
  { no: 2, name: "handle", kind: "string" },
  { no: 3, name: "displayName", kind: "string" },
  { no: 4, name: "bio", kind: "string" },
  { no: 5, name: "avatarUri", kind: "string" },
]);

export type MsgRegisterProfileResponse = Record<string, never>;
export const MsgRegisterProfileResponse = defineMessage<MsgRegisterProfileResponse>(
  `${PKG}.MsgRegisterProfileResponse`,
  [],
);

export interface MsgUpdateProfile {
  creator: string;
  displayName: string;
  bio: string;
  avatarUri: string;
}

export const MsgUpdateProfile = defineMessage<MsgUpdateProfile>(`${PKG}.MsgUpdateProfile`, [
  { no: 1, name: "creator", kind: "string" },
  { no: 2, name: "displayName", kind: "string" },
  { no: 3, name: "bio", kind: "string" },
  { no: 4, name: "avatarUri", kind: "string" },
]);

export type MsgUpdateProfileResponse = Record<string, never>;
export const MsgUpdateProfileResponse = defineMessage<MsgUpdateProfileResponse>(
  `${PKG}.MsgUpdateProfileResponse`,
  [],
);

export interface MsgRegisterAgent {
  owner: string;
  name: string;
  pubKeyType: string;
  pubKey: Uint8Array;
  autonomy: AutonomyLevel;
  capabilities: string[];
  description: string;
  webhook: string;
}

export const MsgRegisterAgent = defineMessage<MsgRegisterAgent>(`${PKG}.MsgRegisterAgent`, [
  { no: 1, name: "owner", kind: "string" },
  { no: 2, name: "name", kind: "string" },
  { no: 3, name: "pubKeyType", kind: "string" },
  { no: 4, name: "pubKey", kind: "bytes" },
  { no: 5, name: "autonomy", kind: "enum", values: AUTONOMY_LEVEL_NAMES },
  { no: 6, name: "capabilities", kind: "string", repeated: true },
  { no: 7, name: "description", kind: "string" },
  { no: 8, name: "webhook", kind: "string" },
]);

export interface MsgRegisterAgentResponse {
  /** The agent's own account address, derived from its public key. */
  address: string;
}

export const MsgRegisterAgentResponse = defineMessage<MsgRegisterAgentResponse>(
  `${PKG}.MsgRegisterAgentResponse`,
  [{ no: 1, name: "address", kind: "string" }],
);

export interface MsgUpdateAgent {
  owner: string;
  /** The agent's address. */
  agent: string;
  /** AUTONOMY_LEVEL_UNSPECIFIED (0) leaves the level unchanged. */
  autonomy: AutonomyLevel;
  capabilities: string[];
  description: string;
  webhook: string;
}

export const MsgUpdateAgent = defineMessage<MsgUpdateAgent>(`${PKG}.MsgUpdateAgent`, [
  { no: 1, name: "owner", kind: "string" },
  { no: 2, name: "agent", kind: "string" },
  { no: 3, name: "autonomy", kind: "enum", values: AUTONOMY_LEVEL_NAMES },
  { no: 4, name: "capabilities", kind: "string", repeated: true },
  { no: 5, name: "description", kind: "string" },
  { no: 6, name: "webhook", kind: "string" },
]);

export type MsgUpdateAgentResponse = Record<string, never>;
export const MsgUpdateAgentResponse = defineMessage<MsgUpdateAgentResponse>(
  `${PKG}.MsgUpdateAgentResponse`,
  [],
);

export interface MsgTransferAgent {
  owner: string;
  agent: string;
  newOwner: string;
}

export const MsgTransferAgent = defineMessage<MsgTransferAgent>(`${PKG}.MsgTransferAgent`, [
  { no: 1, name: "owner", kind: "string" },
  { no: 2, name: "agent", kind: "string" },
  { no: 3, name: "newOwner", kind: "string" },
]);

export type MsgTransferAgentResponse = Record<string, never>;
export const MsgTransferAgentResponse = defineMessage<MsgTransferAgentResponse>(
  `${PKG}.MsgTransferAgentResponse`,
  [],
);

export interface MsgRetireAgent {
  owner: string;
  agent: string;
}

export const MsgRetireAgent = defineMessage<MsgRetireAgent>(`${PKG}.MsgRetireAgent`, [
  { no: 1, name: "owner", kind: "string" },
  { no: 2, name: "agent", kind: "string" },
]);

export type MsgRetireAgentResponse = Record<string, never>;
export const MsgRetireAgentResponse = defineMessage<MsgRetireAgentResponse>(
  `${PKG}.MsgRetireAgentResponse`,
  [],
);

export interface MsgSetVerification {
  authority: string;
  /** A profile's or an agent's address. */
  subject: string;
  status: VerificationStatus;
}

export const MsgSetVerification = defineMessage<MsgSetVerification>(`${PKG}.MsgSetVerification`, [
  { no: 1, name: "authority", kind: "string" },
  { no: 2, name: "subject", kind: "string" },
  { no: 3, name: "status", kind: "enum", values: VERIFICATION_STATUS_NAMES },
]);

export type MsgSetVerificationResponse = Record<string, never>;
export const MsgSetVerificationResponse = defineMessage<MsgSetVerificationResponse>(
  `${PKG}.MsgSetVerificationResponse`,
  [],
);

/** `/vivim.identity.v1.MsgUpdateParams` (governance sends it). */
export interface MsgUpdateIdentityParams {
  authority: string;
  params: IdentityParams | undefined;
}

export const MsgUpdateIdentityParams = defineMessage<MsgUpdateIdentityParams>(`${PKG}.MsgUpdateParams`, [
  { no: 1, name: "authority", kind: "string" },
  { no: 2, name: "params", kind: "message", type: () => IdentityParams },
]);

export type MsgUpdateIdentityParamsResponse = Record<string, never>;
export const MsgUpdateIdentityParamsResponse = defineMessage<MsgUpdateIdentityParamsResponse>(
  `${PKG}.MsgUpdateParamsResponse`,
  [],
);
