/** What simulated nodes send each other: consensus messages and block-sync requests/replies. */
import type { Proposal, Vote } from "../../chain/consensus/messages.js";
import type { SimBlock } from "./blocks.js";

/** A committed block with the +2/3 precommits that prove it (what block sync serves). */
export interface CommittedEntry {
  readonly block: SimBlock;
  readonly round: number;
  readonly precommits: readonly Vote[];
}

export type SimMessage =
  /** The proposal travels with its block (a real node gossips the block parts alongside). */
  | { readonly kind: "proposal"; readonly proposal: Proposal; readonly block: SimBlock }
  | { readonly kind: "vote"; readonly vote: Vote }
  /** "I am at `height`: send me committed blocks from there." */
  | { readonly kind: "syncRequest"; readonly height: bigint }
  | { readonly kind: "syncReply"; readonly entries: readonly CommittedEntry[] };

export type ProposalMessage = SimMessage & { readonly kind: "proposal" };
export type VoteMessage = SimMessage & { readonly kind: "vote" };

export const SIM_CHAIN_ID = "vivim-sim-1";

export function messageHeight(message: SimMessage): bigint | undefined {
  if (message.kind === "proposal") return message.proposal.height;
  if (message.kind === "vote") return message.vote.height;
  return undefined;
}
