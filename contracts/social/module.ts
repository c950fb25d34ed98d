/**
 * The social module: communities with roles, capabilities, trust levels and bans; posts and
 * threaded comments with votes, reactions, edits and tombstone deletes; follows; per-account rate
 * limits in block order. Layout of its state: keys.ts; rules of who may do what: capabilities.ts
 * and msg-membership.ts; params and rate-limit tiers: params.ts; genesis shape: genesis.ts.
 */
import type { ContractModule } from "../types.js";
import { initSocialGenesis, parseSocialGenesis } from "./genesis.js";
import { msgCreateCommunity, msgSetCommunityRules, msgUpdateCommunity } from "./msg-community.js";
import { msgCreateComment, msgCreatePost, msgDeleteContent, msgEditContent } from "./msg-content.js";
import { msgFollow, msgUnfollow } from "./msg-follow.js";
import {
  msgBanMember,
  msgInviteMember,
  msgJoinCommunity,
  msgLeaveCommunity,
  msgSetMemberRole,
  msgUnbanMember,
} from "./msg-membership.js";
import { msgUpdateSocialParams } from "./msg-params.js";
import { msgReact, msgVote } from "./msg-vote.js";
import { socialQueries } from "./query.js";

export const socialModule: ContractModule = {
  name: "social",
  msgs: [
    msgCreateCommunity,
    msgUpdateCommunity,
    msgSetCommunityRules,
    msgJoinCommunity,
    msgInviteMember,
    msgLeaveCommunity,
    msgSetMemberRole,
    msgBanMember,
    msgUnbanMember,
    msgCreatePost,
    msgCreateComment,
    msgVote,
    msgReact,
    msgEditContent,
    msgDeleteContent,
    msgFollow,
    msgUnfollow,
    msgUpdateSocialParams,
  ] as never[],
  queries: socialQueries,
  validateGenesis(state) {
    parseSocialGenesis(state);
  },
  initGenesis(ctx, state) {
    initSocialGenesis(ctx, state);
  },
};
