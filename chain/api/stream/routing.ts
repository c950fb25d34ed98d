/**
 * Which subscriptions an event goes to, from its attributes (pure). Some social events do not name
 * what a topic needs: a vote, reaction, edit or deletion names only its content (not its community
 * or thread), a reaction not its content's author, a comment not its parent's author. For those
 * `lookupIdOf` names the content to read from chain state (see content-meta.ts), once per event,
 * and `matches` takes what was read.
 */
import { SocialEvents } from "../../../contracts/social/events.js";
import { NEW_BLOCK_EVENT, type StreamEvent } from "./block-events.js";
import type { Topic } from "./protocol.js";

/** The never-changing facts of a post or comment that routing needs. */
export interface ContentMeta {
  readonly author: string;
  readonly communityId: bigint;
  /** The thread's post (a post's own id). */
  readonly rootId: bigint;
}

export const REPUTATION_RATED = "vivim.reputation.v1.EventRated";
export const REPUTATION_ATTESTED = "vivim.reputation.v1.EventAttested";
/** x/gov's event for a proposal leaving its voting period (passed, rejected, failed). */
export const GOV_VOTING_ENDED = "active_proposal";

/** Community-scoped social events that carry `community_id` themselves. */
const COMMUNITY_EVENTS: ReadonlySet<string> = new Set([
  SocialEvents.CommunityUpdated,
  SocialEvents.CommunityRulesSet,
  SocialEvents.MemberJoined,
  SocialEvents.MemberInvited,
  SocialEvents.MemberLeft,
  SocialEvents.MemberRoleSet,
  SocialEvents.MemberBanned,
  SocialEvents.MemberUnbanned,
  SocialEvents.PostCreated,
  SocialEvents.CommentCreated,
]);

/** Events on one piece of content that name only `content_id`. */
const CONTENT_EVENTS: ReadonlySet<string> = new Set([
  SocialEvents.Voted,
  SocialEvents.Reacted,
  SocialEvents.ContentEdited,
  SocialEvents.ContentDeleted,
]);

function id(text: string | undefined): bigint | undefined {
  return text !== undefined && /^\d{1,20}$/.test(text) ? BigInt(text) : undefined;
}

/** The content whose state routing needs for this event, if any. */
export function lookupIdOf(e: StreamEvent): bigint | undefined {
  if (CONTENT_EVENTS.has(e.type)) return id(e.attributes.content_id);
  if (e.type === SocialEvents.CommentCreated) return id(e.attributes.parent_id);
  return undefined;
}

/**
 * Whether `e` belongs to `topic` for a session of `account`. `meta` is the state of
 * `lookupIdOf(e)` (undefined when the event needs none, or the content could not be read).
 */
export function matches(
  topic: Topic,
  e: StreamEvent,
  account: string,
  meta: ContentMeta | undefined,
): boolean {
  const a = e.attributes;
  switch (topic.kind) {
    case "blocks":
      return e.type === NEW_BLOCK_EVENT;
    case "community":
      if (COMMUNITY_EVENTS.has(e.type)) return id(a.community_id) === topic.id;
      if (CONTENT_EVENTS.has(e.type)) return meta?.communityId === topic.id;
      return false;
    case "thread":
      if (e.type === SocialEvents.PostCreated) return id(a.content_id) === topic.post;
      if (e.type === SocialEvents.CommentCreated) return id(a.post_id) === topic.post;
      if (CONTENT_EVENTS.has(e.type)) return meta?.rootId === topic.post;
      return false;
    case "notifications":
      return notifies(e, account, meta);
  }
}

/** Notifications of `account`: what others did to it or its content, and governance deadlines. */
function notifies(e: StreamEvent, account: string, meta: ContentMeta | undefined): boolean {
  const a = e.attributes;
  switch (e.type) {
    case SocialEvents.CommentCreated: // a reply to one of its posts or comments
      return meta?.author === account && a.author !== account;
    case SocialEvents.Voted: // the event names the content's author
      return a.author === account && a.voter !== account;
    case SocialEvents.Reacted:
      return meta?.author === account && a.reactor !== account && a.added === "true";
    case SocialEvents.Followed:
      return a.target === account;
    case SocialEvents.MemberInvited:
      return a.invitee === account;
    case REPUTATION_RATED:
      return a.subject === account && a.rater !== account;
    case REPUTATION_ATTESTED:
      return a.subject === account;
    case GOV_VOTING_ENDED: // a public deadline: every account's notification
      return true;
    default:
      return false;
  }
}
