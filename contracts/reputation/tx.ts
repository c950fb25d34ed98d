/** Msgs of the reputation module and their responses (proto/vivim/reputation/v1/tx.proto). */
import { defineMessage } from "../../chain/codec/proto-message.js";
import { ReputationParams } from "./params.js";

export interface MsgRate {
  rater: string;
  subject: string;
  helped: boolean;
  stars: number;
  comment: string;
}

export const MsgRate = defineMessage<MsgRate>("vivim.reputation.v1.MsgRate", [
  { no: 1, name: "rater", kind: "string" },
  { no: 2, name: "subject", kind: "string" },
  { no: 3, name: "helped", kind: "bool" },
  { no: 4, name: "stars", kind: "uint32" },
  { no: 5, name: "comment", kind: "string" },
]);

export interface MsgRateResponse {
  /** True when this rating replaced the rater's earlier rating of the subject. */
  replaced: boolean;
  seq: bigint;
}

export const MsgRateResponse = defineMessage<MsgRateResponse>("vivim.reputation.v1.MsgRateResponse", [
  { no: 1, name: "replaced", kind: "bool" },
  { no: 2, name: "seq", kind: "uint64" },
]);

export interface MsgAttest {
  attester: string;
  subject: string;
  statement: string;
}

export const MsgAttest = defineMessage<MsgAttest>("vivim.reputation.v1.MsgAttest", [
  { no: 1, name: "attester", kind: "string" },
  { no: 2, name: "subject", kind: "string" },
  { no: 3, name: "statement", kind: "string" },
]);

export interface MsgAttestResponse {
  seq: bigint;
}

export const MsgAttestResponse = defineMessage<MsgAttestResponse>("vivim.reputation.v1.MsgAttestResponse", [
  { no: 1, name: "seq", kind: "uint64" },
]);

export interface MsgRevokeAttestation {
  attester: string;
  subject: string;
}

export const MsgRevokeAttestation = defineMessage<MsgRevokeAttestation>(
  "vivim.reputation.v1.MsgRevokeAttestation",
  [
    { no: 1, name: "attester", kind: "string" },
    { no: 2, name: "subject", kind: "string" },
  ],
);

export type MsgRevokeAttestationResponse = Record<string, never>;

export const MsgRevokeAttestationResponse = defineMessage<MsgRevokeAttestationResponse>(
  "vivim.reputation.v1.MsgRevokeAttestationResponse",
  [],
);

export interface MsgAcknowledgeDmThread {
  account: string;
  peer: string;
  /** 32 bytes naming the off-chain DM thread (e.g. a hash both clients derive). */
  threadId: Uint8Array;
}

export const MsgAcknowledgeDmThread = defineMessage<MsgAcknowledgeDmThread>(
  "vivim.reputation.v1.MsgAcknowledgeDmThread",
  [
    { no: 1, name: "account", kind: "string" },
    { no: 2, name: "peer", kind: "string" },
    { no: 3, name: "threadId", kind: "bytes" },
  ],
);

export interface MsgAcknowledgeDmThreadResponse {
  /** True when the peer had already acknowledged the thread, so the interaction is now recorded. */
  interactionRecorded: boolean;
}

export const MsgAcknowledgeDmThreadResponse = defineMessage<MsgAcknowledgeDmThreadResponse>(
  "vivim.reputation.v1.MsgAcknowledgeDmThreadResponse",
  [{ no: 1, name: "interactionRecorded", kind: "bool" }],
);

export interface MsgUpdateReputationParams {
  authority: string;
  params: ReputationParams | undefined;
}

export const MsgUpdateReputationParams = defineMessage<MsgUpdateReputationParams>(
  "vivim.reputation.v1.MsgUpdateParams",
  [
    { no: 1, name: "authority", kind: "string" },
    { no: 2, name: "params", kind: "message", type: () => ReputationParams },
  ],
);

export type MsgUpdateReputationParamsResponse = Record<string, never>;

export const MsgUpdateReputationParamsResponse = defineMessage<MsgUpdateReputationParamsResponse>(
  "vivim.reputation.v1.MsgUpdateParamsResponse",
  [],
);
