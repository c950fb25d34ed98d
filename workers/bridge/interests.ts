/**
 * Which worker queue wants which events, and the one job per block and queue that carries them.
 * Pure: the bridge calls `blockJob` for every queue of every block.
 */
import { IdentityEventTypes } from "../../contracts/identity/events.js";
import { SocialEvents } from "../../contracts/social/events.js";
import type { BlockEvents, ChainEvent } from "./block-events.js";

export interface WorkerInterest {
  /** The BullMQ queue name (no ":"; BullMQ's `prefix` puts it under `vivim:`). */
  readonly queue: string;
  /** Event types wanted exactly. */
  readonly types?: readonly string[];
  /** Event type prefixes wanted (a whole module: "vivim.reputation.v1."). */
  readonly prefixes?: readonly string[];
  /** A job for every block, even one without a wanted event (health watches block progress). */
  readonly everyBlock?: boolean;
}

const CONTENT = [SocialEvents.PostCreated, SocialEvents.CommentCreated, SocialEvents.ContentEdited];

/** The workers of issue 6 and what they read. */
export const DEFAULT_INTERESTS: readonly WorkerInterest[] = [
  {
    queue: "feed",
    types: [
      ...CONTENT,
      SocialEvents.ContentDeleted,
      SocialEvents.Voted,
      SocialEvents.Reacted,
      SocialEvents.Followed,
      SocialEvents.Unfollowed,
      SocialEvents.CommunityCreated,
      SocialEvents.CommunityUpdated,
      SocialEvents.MemberJoined,
      SocialEvents.MemberLeft,
    ],
  },
  { queue: "moderation", types: CONTENT },
  {
    queue: "reputation",
    prefixes: ["vivim.reputation.v1."],
    types: [
      IdentityEventTypes.AgentRegistered,
      IdentityEventTypes.AgentTransferred,
      IdentityEventTypes.AgentRetired,
    ],
  },
  { queue: "health", everyBlock: true, prefixes: ["vivim.workers.v1."] },
];

export function wants(interest: WorkerInterest, type: string): boolean {
  return (interest.types ?? []).includes(type) || (interest.prefixes ?? []).some((p) => type.startsWith(p));
}

/** The idempotent id of a block's job on a queue (BullMQ refuses ":" in custom ids). */
export function blockJobId(queue: string, height: number): string {
  return `${queue}-${height}`;
}

export interface JobEvent {
  readonly type: string;
  /** The emitting tx's hash, or null for a finalize-block event. */
  readonly tx: string | null;
  readonly attributes: Readonly<Record<string, string>>;
}

/** A block job's data (version 1). */
export interface BlockJobData {
  readonly v: 1;
  readonly chainId: string;
  readonly height: number;
  readonly time: string;
  readonly queue: string;
  /** The block's successful txs, all of them (the health worker counts them). */
  readonly txCount: number;
  readonly failedTxs: number;
  /** How many wanted events the block had; `events` holds fewer when `truncated`. */
  readonly eventCount: number;
  readonly events: readonly JobEvent[];
  /** Events or attribute values were cut to fit the caps: read the block itself for the rest. */
  readonly truncated: boolean;
}

export interface JobLimits {
  /** The most bytes of JSON the events of one job take; default 256 KiB. */
  readonly maxEventBytes: number;
  /** Longer attribute values are cut to this many characters; default 1024. */
  readonly maxValueChars: number;
}

export const DEFAULT_JOB_LIMITS: JobLimits = { maxEventBytes: 256 * 1024, maxValueChars: 1024 };

function capped(e: ChainEvent, maxValueChars: number): { event: JobEvent; cut: boolean } {
  let cut = false;
  const attributes: Record<string, string> = {};
  for (const [k, v] of Object.entries(e.attributes)) {
    if (v.length > maxValueChars) {
      cut = true;
      attributes[k] = v.slice(0, maxValueChars);
    } else attributes[k] = v;
  }
  return { event: { type: e.type, tx: e.tx, attributes }, cut };
}

/** The job `interest` gets for `block`, or undefined when it wants nothing of it. */
export function blockJob(
  chainId: string,
  block: BlockEvents,
  interest: WorkerInterest,
  limits: JobLimits = DEFAULT_JOB_LIMITS,
): BlockJobData | undefined {
  const wanted = block.events.filter((e) => wants(interest, e.type));
  if (wanted.length === 0 && !interest.everyBlock) return undefined;
  const events: JobEvent[] = [];
  let bytes = 2;
  let truncated = false;
  for (const e of wanted) {
    const { event, cut } = capped(e, limits.maxValueChars);
    const size = Buffer.byteLength(JSON.stringify(event)) + 1;
    if (bytes + size > limits.maxEventBytes) {
      truncated = true;
      break;
    }
    bytes += size;
    events.push(event);
    truncated ||= cut;
  }
  return {
    v: 1,
    chainId,
    height: block.height,
    time: block.time,
    queue: interest.queue,
    txCount: block.txs.length,
    failedTxs: block.failedTxs,
    eventCount: wanted.length,
    events,
    truncated,
  };
}
