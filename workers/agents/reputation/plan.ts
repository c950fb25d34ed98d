/**
 * The reputation agent's pure part of a block job: the rating edges, vouches and agent ownership
 * changes it carries, validated, and the accounts it touches (the ones the detectors look around).
 * Nothing here touches Redis or the node.
 */
import { IdentityEventTypes } from "../../../contracts/identity/events.js";
import { EVENT_ATTESTATION_REVOKED, EVENT_ATTESTED } from "../../../contracts/reputation/msg-attest.js";
import { EVENT_RATED } from "../../../contracts/reputation/msg-rate.js";
import type { BlockJobData, JobEvent } from "../../bridge/interests.js";
import { EVENT_SLOTS, isAddress } from "../feed/plan.js";

/** A rating as the chain holds it: the newest (highest seq) of a rater → subject pair wins. */
export interface RatingEdge {
  readonly rater: string;
  readonly subject: string;
  readonly stars: number;
  readonly helped: boolean;
  /** The reputation module's sequence number of this version of the rating. */
  readonly seq: number;
}

export interface VouchEdge {
  readonly attester: string;
  readonly subject: string;
  readonly active: boolean;
  /** `height * EVENT_SLOTS + index`: an edge only moves to a newer version. */
  readonly version: number;
}

export interface OwnerChange {
  readonly agent: string;
  readonly owner: string;
  readonly retired: boolean;
  /** `owner-handle/name` when the event names it (registered, transferred), else "". */
  readonly handle: string;
  readonly version: number;
}

export interface ReputationPlan {
  readonly height: number;
  readonly ratings: readonly RatingEdge[];
  readonly vouches: readonly VouchEdge[];
  readonly owners: readonly OwnerChange[];
  /** Every account an event named, in first-seen order (capped: MAX_TOUCHED). */
  readonly touched: readonly string[];
  /** Accounts named beyond MAX_TOUCHED (their edges are stored, the detectors do not start from them). */
  readonly overflow: number;
  /** Events that were not well formed and were left out (counted, never logged with values). */
  readonly rejected: number;
}

/** The most accounts one job looks around; more are left to later blocks (and counted). */
export const MAX_TOUCHED = 64;

const SEQ = /^[1-9][0-9]{0,15}$/;
const AGENT_HANDLE = /^[a-z0-9_]{3,32}\/[a-z0-9_-]{2,32}$/;
const STARS = /^[1-5]$/;

const seqOf = (s: unknown): number | undefined =>
  typeof s === "string" && SEQ.test(s) && Number.isSafeInteger(Number(s)) ? Number(s) : undefined;
const boolOf = (s: unknown): boolean | undefined => (s === "true" ? true : s === "false" ? false : undefined);

/** What `job` says about ratings, vouches and agent ownership; malformed events are counted and skipped. */
export function planReputationJob(job: BlockJobData): ReputationPlan {
  const ratings: RatingEdge[] = [];
  const vouches: VouchEdge[] = [];
  const owners: OwnerChange[] = [];
  const touched = new Set<string>();
  const overflow = new Set<string>();
  let rejected = 0;
  const touch = (...addresses: string[]) => {
    for (const a of addresses) {
      if (touched.has(a)) continue;
      if (touched.size < MAX_TOUCHED) touched.add(a);
      else overflow.add(a);
    }
  };
  job.events.slice(0, EVENT_SLOTS).forEach((e: JobEvent, index) => {
    const a = (e && typeof e.attributes === "object" && e.attributes) || {};
    const version = job.height * EVENT_SLOTS + index;
    switch (e?.type) {
      case EVENT_RATED: {
        const seq = seqOf(a.seq);
        const helped = boolOf(a.helped);
        if (
          isAddress(a.rater) &&
          isAddress(a.subject) &&
          a.rater !== a.subject &&
          seq !== undefined &&
          helped !== undefined &&
          typeof a.stars === "string" &&
          STARS.test(a.stars)
        ) {
          ratings.push({ rater: a.rater, subject: a.subject, stars: Number(a.stars), helped, seq });
          touch(a.rater, a.subject);
        } else rejected += 1;
        break;
      }
      case EVENT_ATTESTED:
      case EVENT_ATTESTATION_REVOKED:
        if (isAddress(a.attester) && isAddress(a.subject) && a.attester !== a.subject) {
          vouches.push({
            attester: a.attester,
            subject: a.subject,
            active: e.type === EVENT_ATTESTED,
            version,
          });
          touch(a.attester, a.subject);
        } else rejected += 1;
        break;
      case IdentityEventTypes.AgentRegistered:
      case IdentityEventTypes.AgentTransferred:
      case IdentityEventTypes.AgentRetired:
        if (isAddress(a.address) && isAddress(a.owner)) {
          owners.push({
            agent: a.address,
            owner: a.owner,
            retired: e.type === IdentityEventTypes.AgentRetired,
            handle: typeof a.handle === "string" && AGENT_HANDLE.test(a.handle) ? a.handle : "",
            version,
          });
          touch(a.address);
        } else rejected += 1;
        break;
      default:
        // Epochs, DM-thread acknowledgements, params: nothing for the rating graph.
        break;
    }
  });
  return {
    height: job.height,
    ratings,
    vouches,
    owners,
    touched: [...touched],
    overflow: overflow.size,
    rejected,
  };
}
