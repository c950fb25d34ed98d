/**
 * Which subscriptions an event goes to, from its attributes (pure). Some events do not name what a
 * topic needs: a vote, reaction, edit or deletion names only its content (not its community or
 * thread), a reaction not its content's author, a comment not its parent's author; a post or
 * comment carries no text, so not whom it mentions; a voting reminder not who has voted. For
 * those `lookupsOf` names what to read from chain state (content-meta.ts `forEvent`, once per
 * event), and `matches` takes what was read as a `RouteMeta`.
 */
import { GovEvents } from "../../../contracts/gov/events.js";
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

/**
 * What routing read from state for one event (content-meta.ts `forEvent`): the looked-up content's
 * facts (`lookupsOf(e).content`), the accounts its own text mentions, the proposal's voters so far.
 * A field is absent when the event needs none or it could not be read.
 */
export interface RouteMeta extends Partial<ContentMeta> {
  /** Accounts the post's or comment's title and body mention (`@handle`, `@owner/agent`). */
  readonly mentions?: ReadonlySet<string>;
  /** Accounts that had voted on the reminded proposal when it was read. */
  readonly voters?: ReadonlySet<string>;
}

/** What `forEvent` must read for an event. */
export interface RouteLookups {
  /** The content whose author, community and thread routing needs. */
  readonly content?: bigint;
  /** The post or comment whose text to search for mentions. */
  readonly mentionsIn?: bigint;
  /** The proposal whose voters to read. */
  readonly votersOf?: bigint;
}

export const REPUTATION_RATED = "vivim.reputation.v1.EventRated";
export const REPUTATION_ATTESTED = "vivim.reputation.v1.EventAttested";
/** x/gov's event for a proposal leaving its voting period (passed, rejected, failed). */
export const GOV_VOTING_ENDED = GovEvents.ActiveProposal;
/** The gov end block's reminder that a proposal's voting period ends soon. */
export const GOV_VOTING_ENDS_SOON = GovEvents.VotingEndsSoon;

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

/** Everything routing needs read from state for this event (empty for most events). */
export function lookupsOf(e: StreamEvent): RouteLookups {
  const a = e.attributes;
  if (CONTENT_EVENTS.has(e.type)) return { content: id(a.content_id) };
  if (e.type === SocialEvents.CommentCreated)
    return { content: id(a.parent_id), mentionsIn: id(a.content_id) };
  if (e.type === SocialEvents.PostCreated) return { mentionsIn: id(a.content_id) };
  if (e.type === GOV_VOTING_ENDS_SOON) return { votersOf: id(a.proposal_id) };
  return {};
}

/**
 * Whether `e` belongs to `topic` for a session of `account`. `meta` is what `forEvent` read for
 * `lookupsOf(e)` (undefined when the event needs nothing, or nothing could be read).
 */
export function matches(topic: Topic, e: StreamEvent, account: string, meta: RouteMeta | undefined): boolean {
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
    case "dm":
    case "presence":
      return false; // off-chain topics (ephemeral.ts): no chain event belongs to them
  }
}

/**
 * Notifications of `account`: what others did to it or its content, mentions of it, and
 * governance deadlines.
 */
function notifies(e: StreamEvent, account: string, meta: RouteMeta | undefined): boolean {
  const a = e.attributes;
  switch (e.type) {
    case SocialEvents.PostCreated: // a post mentioning it
      return meta?.mentions?.has(account) === true && a.author !== account;
    case SocialEvents.CommentCreated: // a reply to one of its posts or comments, or mentioning it
      return (meta?.author === account || meta?.mentions?.has(account) === true) && a.author !== account;
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
    case GOV_VOTING_ENDED: // a public outcome: every account's notification
      return true;
    case GOV_VOTING_ENDS_SOON: // a deadline for those who have not voted (all, if unread)
      return meta?.voters?.has(account) !== true;
    default:
      return false;
  }
}
