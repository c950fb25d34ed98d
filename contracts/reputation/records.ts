/**
 * Stored records of the reputation module (proto/vivim/reputation/v1/reputation.proto). Params and
 * Interaction live in params.ts and interactions.ts.
 */
import { defineMessage } from "../../chain/codec/proto-message.js";

/** One rater's current rating of one subject; rating again replaces it. */
export interface Rating {
  rater: string;
  subject: string;
  /** "This helped" (true) or "this didn't help" (false). */
  helped: boolean;
  /** 1..5. */
  stars: number;
  /** Optional, at most 500 bytes of UTF-8. */
  comment: string;
  /** Height of the tx that wrote this version (its EventRated is in that block). */
  createdHeight: bigint;
  /** Module-wide sequence number of this version; orders the newest-first lists. */
  seq: bigint;
}

export const Rating = defineMessage<Rating>("vivim.reputation.v1.Rating", [
  { no: 1, name: "rater", kind: "string" },
  { no: 2, name: "subject", kind: "string" },
  { no: 3, name: "helped", kind: "bool" },
  { no: 4, name: "stars", kind: "uint32" },
  { no: 5, name: "comment", kind: "string" },
  { no: 6, name: "createdHeight", kind: "int64" },
  { no: 7, name: "seq", kind: "uint64" },
]);

/** What an agent card shows of the ratings an account received (kept incrementally). */
export interface RatingSummary {
  /** Current ratings (one per rater). */
  count: bigint;
  /** How many of them say "helped". */
  helped: bigint;
  /** Sum of their stars (average = stars_sum / count). */
  starsSum: bigint;
}

export const RatingSummary = defineMessage<RatingSummary>("vivim.reputation.v1.RatingSummary", [
  { no: 1, name: "count", kind: "uint64" },
  { no: 2, name: "helped", kind: "uint64" },
  { no: 3, name: "starsSum", kind: "uint64" },
]);

/** A vouch: `attester` stands up for `subject` (one per pair; an edge of the trust graph). */
export interface Attestation {
  attester: string;
  subject: string;
  /** Optional, at most 280 bytes of UTF-8. */
  statement: string;
  createdHeight: bigint;
  seq: bigint;
}

export const Attestation = defineMessage<Attestation>("vivim.reputation.v1.Attestation", [
  { no: 1, name: "attester", kind: "string" },
  { no: 2, name: "subject", kind: "string" },
  { no: 3, name: "statement", kind: "string" },
  { no: 4, name: "createdHeight", kind: "int64" },
  { no: 5, name: "seq", kind: "uint64" },
]);
