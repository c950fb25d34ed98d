/**
 * VIVIM's own governance types (`vivim.gov.v1`, proto/vivim/gov/v1/gov.proto): the electorate
 * params x/gov does not have, and the per-proposal record of who decides it and how far its
 * execution went. The standard proposal, vote, deposit and params records are cosmjs-types'
 * `cosmos.gov.v1` objects, stored as they are encoded on the wire.
 */
import { defineMessage, prefixedEnumNames } from "../../chain/codec/proto-message.js";

/** Who decides a proposal. */
export enum Electorate {
  UNSPECIFIED = 0,
  /** The PoA council: each validator operator's account votes with its validators' power. */
  COUNCIL = 1,
  /** Members: every account votes with its reputation score, capped per voter. */
  MEMBERS = 2,
}
export const ELECTORATE_NAMES = prefixedEnumNames("ELECTORATE", Electorate);

/**
 * Where a proposal is in its life. x/gov's statuses stop at PASSED; VIVIM also tells a passed
 * proposal waiting out its timelock (QUEUED) from one whose messages ran (EXECUTED).
 */
export enum Stage {
  UNSPECIFIED = 0,
  DEPOSIT = 1,
  VOTING = 2,
  /** Passed; its messages run at `execute_after` (the timelock). */
  QUEUED = 3,
  EXECUTED = 4,
  REJECTED = 5,
  /** Passed, but a message failed when it ran: nothing of it was applied. */
  FAILED = 6,
}
export const STAGE_NAMES = prefixedEnumNames("STAGE", Stage);

export interface GovVivimParams {
  /** Seconds between passing and execution (0: at the end block that tallies). */
  timelockSeconds: bigint;
  /** Who decides a proposal with no messages (a text/signal proposal). */
  textElectorate: Electorate;
  /** Type URLs decided by members; every other message type is the council's. */
  memberMsgTypes: string[];
  /** The most weight one member (with their agents) carries: a reputation score, 1_000_000 = average. */
  memberWeightCap: bigint;
  /** Proposals in deposit, voting or timelock at once. */
  maxOpenProposals: number;
  maxMessages: number;
}

export const GovVivimParams = defineMessage<GovVivimParams>("vivim.gov.v1.Params", [
  { no: 1, name: "timelockSeconds", kind: "uint64" },
  { no: 2, name: "textElectorate", kind: "enum", values: ELECTORATE_NAMES },
  { no: 3, name: "memberMsgTypes", kind: "string", repeated: true },
  { no: 4, name: "memberWeightCap", kind: "uint64" },
  { no: 5, name: "maxOpenProposals", kind: "uint32" },
  { no: 6, name: "maxMessages", kind: "uint32" },
]);

export interface ProposalInfo {
  proposalId: bigint;
  electorate: Electorate;
  stage: Stage;
  /** Unix seconds at which a QUEUED proposal's messages run. */
  executeAfter: bigint;
  /** The height whose end block ran (or failed to run) the messages. */
  executedHeight: bigint;
  /** The electorate's total weight at the tally (the quorum's denominator). */
  totalWeight: string;
  /** Expedited proposals that failed their 2/3 converted to regular ones (x/gov). */
  convertedFromExpedited: boolean;
}

export const ProposalInfo = defineMessage<ProposalInfo>("vivim.gov.v1.ProposalInfo", [
  { no: 1, name: "proposalId", kind: "uint64" },
  { no: 2, name: "electorate", kind: "enum", values: ELECTORATE_NAMES },
  { no: 3, name: "stage", kind: "enum", values: STAGE_NAMES },
  { no: 4, name: "executeAfter", kind: "int64" },
  { no: 5, name: "executedHeight", kind: "uint64" },
  { no: 6, name: "totalWeight", kind: "string" },
  { no: 7, name: "convertedFromExpedited", kind: "bool" },
]);
