/** Event types of the social module; attributes are ids and addresses, never member text. */
import { indexedEvent } from "../lib/events.js";
import type { AbciEvent } from "../types.js";

export const SocialEvents = {
  CommunityCreated: "vivim.social.v1.EventCommunityCreated",
  CommunityUpdated: "vivim.social.v1.EventCommunityUpdated",
  CommunityRulesSet: "vivim.social.v1.EventCommunityRulesSet",
  MemberJoined: "vivim.social.v1.EventMemberJoined",
  MemberInvited: "vivim.social.v1.EventMemberInvited",
  MemberLeft: "vivim.social.v1.EventMemberLeft",
  MemberRoleSet: "vivim.social.v1.EventMemberRoleSet",
  MemberBanned: "vivim.social.v1.EventMemberBanned",
  MemberUnbanned: "vivim.social.v1.EventMemberUnbanned",
  PostCreated: "vivim.social.v1.EventPostCreated",
  CommentCreated: "vivim.social.v1.EventCommentCreated",
  Voted: "vivim.social.v1.EventVoted",
  Reacted: "vivim.social.v1.EventReacted",
  ContentEdited: "vivim.social.v1.EventContentEdited",
  ContentDeleted: "vivim.social.v1.EventContentDeleted",
  Followed: "vivim.social.v1.EventFollowed",
  Unfollowed: "vivim.social.v1.EventUnfollowed",
  ParamsUpdated: "vivim.social.v1.EventParamsUpdated",
} as const;

export function socialEvent(
  type: (typeof SocialEvents)[keyof typeof SocialEvents],
  attributes: Record<string, string>,
  unindexed: readonly string[] = [],
): AbciEvent {
  return indexedEvent(type, attributes, unindexed);
}
