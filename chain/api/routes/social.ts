/**
 * Social REST routes (`/vivim/social/v1/...`) over the module's gRPC-style queries. Lists take
 * `pagination.key` / `pagination.limit` (default 20, at most 100); content-returning routes take
 * `label_policy` = SHOW | ANNOTATE (default) | HIDE.
 */
import { LABEL_POLICY_NAMES, LabelPolicy } from "../../../contracts/social/enums.js";
import { SOCIAL_QUERY_PATHS as Q } from "../../../contracts/social/query.js";
import {
  QueryAuthorFeedRequest,
  QueryAuthorFeedResponse,
  QueryCommunitiesRequest,
  QueryCommunitiesResponse,
  QueryCommunityFeedRequest,
  QueryCommunityFeedResponse,
  QueryCommunityRequest,
  QueryCommunityResponse,
  QueryContentRequest,
  QueryContentResponse,
  QueryFollowersRequest,
  QueryFollowersResponse,
  QueryFollowingRequest,
  QueryFollowingResponse,
  QueryMembershipRequest,
  QueryMembershipResponse,
  QueryMembersRequest,
  QueryMembersResponse,
  QueryReactionsRequest,
  QueryReactionsResponse,
  QuerySocialParamsRequest,
  QuerySocialParamsResponse,
  QueryThreadRequest,
  QueryThreadResponse,
  QueryVoteRequest,
  QueryVoteResponse,
} from "../../../contracts/social/query-types.js";
import { badRequest } from "../http.js";
import { addressParam, pageRequestParam } from "../params.js";
import type { Route } from "../router.js";
import { moduleQueryRoute } from "./module-query.js";

const BASE = "^\\/vivim\\/social\\/v1";
const pattern = (rest: string) => new RegExp(`${BASE}${rest}$`);

function idParam(text: string | undefined, name: string): bigint {
  if (!text || !/^[1-9]\d{0,19}$/.test(text) || BigInt(text) >= 2n ** 64n)
    throw badRequest(`${name} must be a positive integer`);
  return BigInt(text);
}

/** `label_policy` = show | annotate (default) | hide, any case, short or prefixed. */
export function labelPolicyParam(query: URLSearchParams): LabelPolicy {
  const v = query.get("label_policy");
  if (v === null || v === "") return LabelPolicy.ANNOTATE;
  const name = v.toUpperCase();
  const p = LABEL_POLICY_NAMES.indexOf(name.startsWith("LABEL_POLICY_") ? name : `LABEL_POLICY_${name}`);
  if (p <= LabelPolicy.UNSPECIFIED) throw badRequest("label_policy must be SHOW, ANNOTATE or HIDE");
  return p;
}

export const socialRoutes: readonly Route[] = [
  moduleQueryRoute({
    name: "social.params",
    pattern: pattern("\\/params"),
    path: Q.Params,
    request: QuerySocialParamsRequest,
    response: QuerySocialParamsResponse,
    build: () => ({}),
  }),
  moduleQueryRoute({
    name: "social.communities",
    pattern: pattern("\\/communities"),
    path: Q.Communities,
    request: QueryCommunitiesRequest,
    response: QueryCommunitiesResponse,
    build: (req) => ({ pagination: pageRequestParam(req.query) }),
  }),
  moduleQueryRoute({
    name: "social.community",
    pattern: pattern("\\/communities\\/([^/]+)"),
    path: Q.Community,
    request: QueryCommunityRequest,
    response: QueryCommunityResponse,
    // A number is an id; anything else a slug.
    build: (req) => {
      const p = req.params[0] ?? "";
      return /^\d+$/.test(p) ? { id: idParam(p, "community id") } : { slug: p };
    },
  }),
  moduleQueryRoute({
    name: "social.members",
    pattern: pattern("\\/communities\\/([^/]+)\\/members"),
    path: Q.Members,
    request: QueryMembersRequest,
    response: QueryMembersResponse,
    build: (req) => ({
      communityId: idParam(req.params[0], "community id"),
      pagination: pageRequestParam(req.query),
    }),
  }),
  moduleQueryRoute({
    name: "social.membership",
    pattern: pattern("\\/communities\\/([^/]+)\\/members\\/([^/]+)"),
    path: Q.Membership,
    request: QueryMembershipRequest,
    response: QueryMembershipResponse,
    build: (req) => ({
      communityId: idParam(req.params[0], "community id"),
      address: addressParam(req.params[1] ?? ""),
    }),
  }),
  moduleQueryRoute({
    name: "social.community_feed",
    pattern: pattern("\\/communities\\/([^/]+)\\/feed"),
    path: Q.CommunityFeed,
    request: QueryCommunityFeedRequest,
    response: QueryCommunityFeedResponse,
    build: (req) => ({
      communityId: idParam(req.params[0], "community id"),
      pagination: pageRequestParam(req.query),
      labelPolicy: labelPolicyParam(req.query),
    }),
  }),
  moduleQueryRoute({
    name: "social.content",
    pattern: pattern("\\/content\\/([^/]+)"),
    path: Q.Content,
    request: QueryContentRequest,
    response: QueryContentResponse,
    build: (req) => ({ id: idParam(req.params[0], "content id"), labelPolicy: labelPolicyParam(req.query) }),
  }),
  moduleQueryRoute({
    name: "social.reactions",
    pattern: pattern("\\/content\\/([^/]+)\\/reactions"),
    path: Q.Reactions,
    request: QueryReactionsRequest,
    response: QueryReactionsResponse,
    build: (req) => ({
      targetId: idParam(req.params[0], "content id"),
      pagination: pageRequestParam(req.query),
    }),
  }),
  moduleQueryRoute({
    name: "social.vote",
    pattern: pattern("\\/content\\/([^/]+)\\/votes\\/([^/]+)"),
    path: Q.Vote,
    request: QueryVoteRequest,
    response: QueryVoteResponse,
    build: (req) => ({
      targetId: idParam(req.params[0], "content id"),
      voter: addressParam(req.params[1] ?? ""),
    }),
  }),
  moduleQueryRoute({
    name: "social.thread",
    pattern: pattern("\\/threads\\/([^/]+)"),
    path: Q.Thread,
    request: QueryThreadRequest,
    response: QueryThreadResponse,
    build: (req) => ({
      postId: idParam(req.params[0], "post id"),
      pagination: pageRequestParam(req.query),
      labelPolicy: labelPolicyParam(req.query),
    }),
  }),
  moduleQueryRoute({
    name: "social.author_feed",
    pattern: pattern("\\/authors\\/([^/]+)\\/feed"),
    path: Q.AuthorFeed,
    request: QueryAuthorFeedRequest,
    response: QueryAuthorFeedResponse,
    build: (req) => ({
      author: addressParam(req.params[0] ?? ""),
      pagination: pageRequestParam(req.query),
      labelPolicy: labelPolicyParam(req.query),
    }),
  }),
  moduleQueryRoute({
    name: "social.followers",
    pattern: pattern("\\/accounts\\/([^/]+)\\/followers"),
    path: Q.Followers,
    request: QueryFollowersRequest,
    response: QueryFollowersResponse,
    build: (req) => ({ address: addressParam(req.params[0] ?? ""), pagination: pageRequestParam(req.query) }),
  }),
  moduleQueryRoute({
    name: "social.following",
    pattern: pattern("\\/accounts\\/([^/]+)\\/following"),
    path: Q.Following,
    request: QueryFollowingRequest,
    response: QueryFollowingResponse,
    build: (req) => ({ address: addressParam(req.params[0] ?? ""), pagination: pageRequestParam(req.query) }),
  }),
];
