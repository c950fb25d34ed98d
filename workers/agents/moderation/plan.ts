/**
 * Which posts and comments one `moderation` block job asks the agent to look at: created posts,
 * created comments and edits, each content id once (a post created and edited in the same block is
 * read once, as it now stands), in block order. Malformed events are counted and skipped.
 */
import { SocialEvents } from "../../../contracts/social/events.js";
import type { BlockJobData } from "../../bridge/interests.js";
import { EVENT_SLOTS, isId } from "../feed/plan.js";

export type ContentEventKind = "post" | "comment" | "edit";

export interface ContentToScan {
  readonly id: string;
  /** The first event of the block about it. */
  readonly event: ContentEventKind;
}

export interface ModerationPlan {
  readonly height: number;
  readonly items: readonly ContentToScan[];
  readonly rejected: number;
}

const KINDS: ReadonlyMap<string, ContentEventKind> = new Map([
  [SocialEvents.PostCreated, "post"],
  [SocialEvents.CommentCreated, "comment"],
  [SocialEvents.ContentEdited, "edit"],
]);

/** `job` must have passed feed/plan.ts `checkJob`. */
export function planModeration(job: BlockJobData): ModerationPlan {
  const seen = new Set<string>();
  const items: ContentToScan[] = [];
  let rejected = 0;
  for (const e of job.events.slice(0, EVENT_SLOTS)) {
    const kind = e && typeof e.type === "string" ? KINDS.get(e.type) : undefined;
    if (!kind) continue;
    const id = e.attributes && typeof e.attributes === "object" ? e.attributes.content_id : undefined;
    if (!isId(id)) {
      rejected += 1;
      continue;
    }
    if (seen.has(id)) continue;
    seen.add(id);
    items.push({ id, event: kind });
  }
  return { height: job.height, items, rejected };
}
