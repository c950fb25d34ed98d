/** Follows between accounts: both directions are keyed so Followers and Following are one range each. */
import { CodedError } from "../../chain/errors/codes.js";
import { getActor } from "../identity/keeper.js";
import { defineMsg, respond } from "../lib/define.js";
import { uint64Bytes } from "../lib/store.js";
import type { ExecContext } from "../types.js";
import { SocialErrors } from "./errors.js";
import { SocialEvents, socialEvent } from "./events.js";
import { getFollowCounts, isFollowing, limitRate, requireSocialActor, setFollowCounts } from "./keeper.js";
import { RateAction, SocialKeys } from "./keys.js";
import { getSocialParams } from "./params.js";
import { MsgFollow, MsgFollowResponse, MsgUnfollow, MsgUnfollowResponse } from "./tx.js";
import { checkAddress } from "./validation.js";

function checkPair(m: { follower: string; target: string }): void {
  checkAddress(m.follower, "follower");
  checkAddress(m.target, "target");
  if (m.follower === m.target) throw new CodedError(SocialErrors.SelfFollow, m.follower);
}

function adjust(ctx: ExecContext, follower: string, target: string, delta: bigint): void {
  const a = getFollowCounts(ctx.store, follower);
  setFollowCounts(ctx.store, follower, { ...a, following: a.following + delta });
  const b = getFollowCounts(ctx.store, target);
  setFollowCounts(ctx.store, target, { ...b, followers: b.followers + delta });
}

/** Writes a follow (Msg and genesis); the caller checked it is new and allowed. */
export function writeFollow(ctx: ExecContext, follower: string, target: string): void {
  const height = uint64Bytes(ctx.block.height);
  ctx.store.set(SocialKeys.following(follower, target), height);
  ctx.store.set(SocialKeys.followers(target, follower), height);
  adjust(ctx, follower, target, 1n);
  ctx.emit(socialEvent(SocialEvents.Followed, { follower, target }));
}

export const msgFollow = defineMsg(MsgFollow, {
  signers: (m) => [m.follower],
  validateBasic: checkPair,
  handle(ctx, m) {
    const actor = requireSocialActor(ctx, m.follower, "follow");
    if (!getActor(ctx.store, m.target)) throw new CodedError(SocialErrors.UnknownAccount, m.target);
    if (isFollowing(ctx.store, m.follower, m.target))
      throw new CodedError(SocialErrors.AlreadyFollowing, m.target);
    limitRate(ctx, getSocialParams(ctx.store), actor, RateAction.FOLLOW);
    writeFollow(ctx, m.follower, m.target);
    return respond(MsgFollowResponse, {});
  },
});

export const msgUnfollow = defineMsg(MsgUnfollow, {
  signers: (m) => [m.follower],
  validateBasic: checkPair,
  handle(ctx, m) {
    requireSocialActor(ctx, m.follower);
    if (!isFollowing(ctx.store, m.follower, m.target))
      throw new CodedError(SocialErrors.NotFollowing, m.target);
    ctx.store.delete(SocialKeys.following(m.follower, m.target));
    ctx.store.delete(SocialKeys.followers(m.target, m.follower));
    adjust(ctx, m.follower, m.target, -1n);
    ctx.emit(socialEvent(SocialEvents.Unfollowed, { follower: m.follower, target: m.target }));
    return respond(MsgUnfollowResponse, {});
  },
});
