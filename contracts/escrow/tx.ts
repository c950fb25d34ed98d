/** Msgs of the escrow module and their responses (proto/vivim/escrow/v1/tx.proto). */
import { defineMessage } from "../../chain/codec/proto-message.js";
import { Coin } from "../lib/proto-common.js";
import { EscrowParams } from "./records.js";

const coins = (no: number, name: string) =>
  ({ no, name, kind: "message", type: () => Coin, repeated: true }) as const;

export interface MsgCreateBounty {
  creator: string;
  title: string;
  description: string;
  amount: Coin[];
  deadline: bigint;
  communityId: bigint;
  /** Optional: a bech32 address, `@handle` or `@handle/agent` that alone may claim it. */
  assignee: string;
}

export const MsgCreateBounty = defineMessage<MsgCreateBounty>("vivim.escrow.v1.MsgCreateBounty", [
  { no: 1, name: "creator", kind: "string" },
  { no: 2, name: "title", kind: "string" },
  { no: 3, name: "description", kind: "string" },
  coins(4, "amount"),
  { no: 5, name: "deadline", kind: "int64" },
  { no: 6, name: "communityId", kind: "uint64" },
  { no: 7, name: "assignee", kind: "string" },
]);

export interface MsgCreateBountyResponse {
  bountyId: bigint;
}

export const MsgCreateBountyResponse = defineMessage<MsgCreateBountyResponse>(
  "vivim.escrow.v1.MsgCreateBountyResponse",
  [{ no: 1, name: "bountyId", kind: "uint64" }],
);

export interface MsgClaimBounty {
  worker: string;
  bountyId: bigint;
}

export const MsgClaimBounty = defineMessage<MsgClaimBounty>("vivim.escrow.v1.MsgClaimBounty", [
  { no: 1, name: "worker", kind: "string" },
  { no: 2, name: "bountyId", kind: "uint64" },
]);

export type MsgClaimBountyResponse = Record<string, never>;
export const MsgClaimBountyResponse = defineMessage<MsgClaimBountyResponse>(
  "vivim.escrow.v1.MsgClaimBountyResponse",
  [],
);

export interface MsgUnclaimBounty {
  worker: string;
  bountyId: bigint;
}

export const MsgUnclaimBounty = defineMessage<MsgUnclaimBounty>("vivim.escrow.v1.MsgUnclaimBounty", [
  { no: 1, name: "worker", kind: "string" },
  { no: 2, name: "bountyId", kind: "uint64" },
]);

export type MsgUnclaimBountyResponse = Record<string, never>;
export const MsgUnclaimBountyResponse = defineMessage<MsgUnclaimBountyResponse>(
  "vivim.escrow.v1.MsgUnclaimBountyResponse",
  [],
);

export interface MsgSubmitWork {
  worker: string;
  bountyId: bigint;
  result: string;
}

export const MsgSubmitWork = defineMessage<MsgSubmitWork>("vivim.escrow.v1.MsgSubmitWork", [
  { no: 1, name: "worker", kind: "string" },
  { no: 2, name: "bountyId", kind: "uint64" },
  { no: 3, name: "result", kind: "string" },
]);

export type MsgSubmitWorkResponse = Record<string, never>;
export const MsgSubmitWorkResponse = defineMessage<MsgSubmitWorkResponse>(
  "vivim.escrow.v1.MsgSubmitWorkResponse",
  [],
);

export interface MsgAcceptWork {
  creator: string;
  bountyId: bigint;
}

export const MsgAcceptWork = defineMessage<MsgAcceptWork>("vivim.escrow.v1.MsgAcceptWork", [
  { no: 1, name: "creator", kind: "string" },
  { no: 2, name: "bountyId", kind: "uint64" },
]);

export interface MsgAcceptWorkResponse {
  /** What the worker received: the amount minus the fee. */
  payout: Coin[];
  fee: Coin[];
}

export const MsgAcceptWorkResponse = defineMessage<MsgAcceptWorkResponse>(
  "vivim.escrow.v1.MsgAcceptWorkResponse",
  [coins(1, "payout"), coins(2, "fee")],
);

export interface MsgDisputeWork {
  /** The creator or the worker. */
  actor: string;
  bountyId: bigint;
  reason: string;
}

export const MsgDisputeWork = defineMessage<MsgDisputeWork>("vivim.escrow.v1.MsgDisputeWork", [
  { no: 1, name: "actor", kind: "string" },
  { no: 2, name: "bountyId", kind: "uint64" },
  { no: 3, name: "reason", kind: "string" },
]);

export type MsgDisputeWorkResponse = Record<string, never>;
export const MsgDisputeWorkResponse = defineMessage<MsgDisputeWorkResponse>(
  "vivim.escrow.v1.MsgDisputeWorkResponse",
  [],
);

export interface MsgResolveDispute {
  arbiter: string;
  bountyId: bigint;
  /** The worker's share of the amount, 0..10000 basis points; the rest goes back to the creator. */
  workerShareBps: number;
}

export const MsgResolveDispute = defineMessage<MsgResolveDispute>("vivim.escrow.v1.MsgResolveDispute", [
  { no: 1, name: "arbiter", kind: "string" },
  { no: 2, name: "bountyId", kind: "uint64" },
  { no: 3, name: "workerShareBps", kind: "uint32" },
]);

export interface MsgResolveDisputeResponse {
  workerPayout: Coin[];
  fee: Coin[];
  creatorRefund: Coin[];
}

export const MsgResolveDisputeResponse = defineMessage<MsgResolveDisputeResponse>(
  "vivim.escrow.v1.MsgResolveDisputeResponse",
  [coins(1, "workerPayout"), coins(2, "fee"), coins(3, "creatorRefund")],
);

export interface MsgCancelBounty {
  creator: string;
  bountyId: bigint;
}

export const MsgCancelBounty = defineMessage<MsgCancelBounty>("vivim.escrow.v1.MsgCancelBounty", [
  { no: 1, name: "creator", kind: "string" },
  { no: 2, name: "bountyId", kind: "uint64" },
]);

export interface MsgCancelBountyResponse {
  refund: Coin[];
}

export const MsgCancelBountyResponse = defineMessage<MsgCancelBountyResponse>(
  "vivim.escrow.v1.MsgCancelBountyResponse",
  [coins(1, "refund")],
);

export interface MsgTip {
  from: string;
  to: string;
  amount: Coin[];
  /** Optional: the post or comment tipped for (0 = none); `to` must be its author or a collaborator. */
  contentId: bigint;
}

export const MsgTip = defineMessage<MsgTip>("vivim.escrow.v1.MsgTip", [
  { no: 1, name: "from", kind: "string" },
  { no: 2, name: "to", kind: "string" },
  coins(3, "amount"),
  { no: 4, name: "contentId", kind: "uint64" },
]);

export type MsgTipResponse = Record<string, never>;
export const MsgTipResponse = defineMessage<MsgTipResponse>("vivim.escrow.v1.MsgTipResponse", []);

export interface MsgWithdrawFromAgent {
  /** The agent's owner: the signer, who receives the coins. */
  owner: string;
  agent: string;
  amount: Coin[];
}

export const MsgWithdrawFromAgent = defineMessage<MsgWithdrawFromAgent>(
  "vivim.escrow.v1.MsgWithdrawFromAgent",
  [{ no: 1, name: "owner", kind: "string" }, { no: 2, name: "agent", kind: "string" }, coins(3, "amount")],
);

export type MsgWithdrawFromAgentResponse = Record<string, never>;
export const MsgWithdrawFromAgentResponse = defineMessage<MsgWithdrawFromAgentResponse>(
  "vivim.escrow.v1.MsgWithdrawFromAgentResponse",
  [],
);

export interface MsgUpdateEscrowParams {
  authority: string;
  params: EscrowParams | undefined;
}

export const MsgUpdateEscrowParams = defineMessage<MsgUpdateEscrowParams>("vivim.escrow.v1.MsgUpdateParams", [
  { no: 1, name: "authority", kind: "string" },
  { no: 2, name: "params", kind: "message", type: () => EscrowParams },
]);

export type MsgUpdateEscrowParamsResponse = Record<string, never>;
export const MsgUpdateEscrowParamsResponse = defineMessage<MsgUpdateEscrowParamsResponse>(
  "vivim.escrow.v1.MsgUpdateParamsResponse",
  [],
);
