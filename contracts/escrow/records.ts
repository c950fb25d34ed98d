/**
 * Stored records of the escrow module (proto/vivim/escrow/v1/escrow.proto): bounties whose reward
 * sits in the escrow module account until the creator accepts the work, the arbiter resolves a
 * dispute, or the creator cancels.
 *
 * Status machine: OPEN → CLAIMED → SUBMITTED → PAID, or SUBMITTED → DISPUTED → RESOLVED;
 * CLAIMED → OPEN on unclaim; OPEN (or CLAIMED past the deadline) → CANCELLED.
 */
import { defineMessage, prefixedEnumNames } from "../../chain/codec/proto-message.js";
import { Coin } from "../lib/proto-common.js";

export enum BountyStatus {
  UNSPECIFIED = 0,
  OPEN = 1,
  CLAIMED = 2,
  SUBMITTED = 3,
  PAID = 4,
  DISPUTED = 5,
  RESOLVED = 6,
  CANCELLED = 7,
}

/** Statuses in which the escrowed amount has left the module account: nothing more is released. */
export const FINAL_STATUSES: readonly BountyStatus[] = [
  BountyStatus.PAID,
  BountyStatus.RESOLVED,
  BountyStatus.CANCELLED,
];

/** The protobuf value names (`BOUNTY_STATUS_OPEN`, ...): what gateway JSON shows. */
export const BOUNTY_STATUS_NAMES: readonly string[] = prefixedEnumNames("BOUNTY_STATUS", BountyStatus);

export interface Bounty {
  id: bigint;
  creator: string;
  title: string;
  description: string;
  /** The escrowed reward: one uvivim coin. */
  amount: Coin[];
  /** Unix seconds: work must be submitted by then; afterwards an unsubmitted claim lapses. */
  deadline: bigint;
  /** The community it was posted in; 0 = none. */
  communityId: bigint;
  /** When set, only this account (human or agent) may claim it. */
  assignee: string;
  status: BountyStatus;
  /** The current claimant (empty while OPEN), kept once paid, resolved or disputed. */
  worker: string;
  /** The submitted work: text or a URI. */
  result: string;
  disputeReason: string;
  /** Who disputed: the creator or the worker. */
  disputedBy: string;
  /** Resolution: the worker's share in basis points of the amount. */
  workerShareBps: number;
  /** What the worker received (after the fee), what the treasury and the creator got back. */
  workerPayout: Coin[];
  fee: Coin[];
  creatorRefund: Coin[];
  createdHeight: bigint;
  /** Block time (unix seconds) of creation. */
  createdAt: bigint;
  /** Height of the last status change. */
  updatedHeight: bigint;
}

export const Bounty = defineMessage<Bounty>("vivim.escrow.v1.Bounty", [
  { no: 1, name: "id", kind: "uint64" },
  { no: 2, name: "creator", kind: "string" },
  { no: 3, name: "title", kind: "string" },
  { no: 4, name: "description", kind: "string" },
  { no: 5, name: "amount", kind: "message", type: () => Coin, repeated: true },
  { no: 6, name: "deadline", kind: "int64" },
  { no: 7, name: "communityId", kind: "uint64" },
  { no: 8, name: "assignee", kind: "string" },
  { no: 9, name: "status", kind: "enum", values: BOUNTY_STATUS_NAMES },
  { no: 10, name: "worker", kind: "string" },
  { no: 11, name: "result", kind: "string" },
  { no: 12, name: "disputeReason", kind: "string" },
  { no: 13, name: "disputedBy", kind: "string" },
  { no: 14, name: "workerShareBps", kind: "uint32" },
  { no: 15, name: "workerPayout", kind: "message", type: () => Coin, repeated: true },
  { no: 16, name: "fee", kind: "message", type: () => Coin, repeated: true },
  { no: 17, name: "creatorRefund", kind: "message", type: () => Coin, repeated: true },
  { no: 18, name: "createdHeight", kind: "int64" },
  { no: 19, name: "createdAt", kind: "int64" },
  { no: 20, name: "updatedHeight", kind: "int64" },
]);

export interface EscrowParams {
  /** Who may change these params: the gov module account by default. */
  authority: string;
  /** Who resolves disputes: the gov module account by default. */
  arbiter: string;
  /** The treasury's cut of every payout to a worker, in basis points (250 = 2.5 %). */
  feeBps: number;
  /** How far in the future a bounty's deadline may be, in seconds. */
  maxDurationSeconds: bigint;
}

export const EscrowParams = defineMessage<EscrowParams>("vivim.escrow.v1.Params", [
  { no: 1, name: "authority", kind: "string" },
  { no: 2, name: "arbiter", kind: "string" },
  { no: 3, name: "feeBps", kind: "uint32" },
  { no: 4, name: "maxDurationSeconds", kind: "uint64" },
]);
