/**
 * Votes and reactions on posts and comments. Both need LISTEN in the content's community (not
 * banned; a member if it is private) and refuse deleted content.
 *
 * A vote is one key per (target, voter). Voting the same direction again removes the vote; the
 * opposite direction switches it. Counts live in the content header; the author's karma moves by
 * the difference (+1 up, -1 down), except for votes on one's own content.
 */
import { CodedError } from "../../chain/errors/codes.js";
import { defineMsg, respond } from "../lib/define.js";
import { readUint64, uint64Bytes } from "../lib/store.js";
import { addKarma } from "../reputation/interactions.js";
import type { ExecContext } from "../types.js";
import { Capability, VOTE_DIRECTION_NAMES, VoteDirection } from "./enums.js";
import { SocialErrors } from "./errors.js";
import { SocialEvents, socialEvent } from "./events.js";
import {
  getVote,
  limitRate,
  requireCapability,
  requireCommunity,
  requireContent,
  requireSocialActor,
  type StoredContent,
  setCounts,
} from "./keeper.js";
import { RateAction, SocialKeys } from "./keys.js";
import { getSocialParams, HARD_LIMITS } from "./params.js";
import { type ContentCounts, Vote } from "./records.js";
import { MsgReact, MsgReactResponse, MsgVote, MsgVoteResponse } from "./tx.js";
import { checkAddress, checkId, isValidReaction } from "./validation.js";

const weight = (d: VoteDirection | undefined): bigint =>
  d === VoteDirection.UP ? 1n : d === VoteDirection.DOWN ? -1n : 0n;

/** Applies `voter`'s vote (toggle semantics) to `content`; returns the voter's resulting direction. */
export function applyVote(
  ctx: ExecContext,
  content: StoredContent,
  voter: string,
  direction: VoteDirection,
): { direction: VoteDirection; counts: ContentCounts } {
  const { record } = content;
  const voteKey = SocialKeys.vote(record.id, voter);
  const previous = getVote(ctx.store, record.id, voter)?.direction ?? VoteDirection.NONE;
  const next = previous === direction ? VoteDirection.NONE : direction;
  let { upvotes, downvotes } = content.counts;
  if (previous === VoteDirection.UP) upvotes -= 1n;
  if (previous === VoteDirection.DOWN) downvotes -= 1n;
  if (next === VoteDirection.UP) upvotes += 1n;
  if (next === VoteDirection.DOWN) downvotes += 1n;
  const counts = { ...content.counts, upvotes, downvotes };
  setCounts(ctx.store, record.id, counts);
  if (next === VoteDirection.NONE) ctx.store.delete(voteKey);
  else ctx.store.set(voteKey, Vote.toBytes({ direction: next, createdHeight: ctx.block.height }));
  if (voter !== record.author) addKarma(ctx, record.author, weight(next) - weight(previous));
  ctx.emit(
    socialEvent(
      SocialEvents.Voted,
      {
        content_id: record.id.toString(),
        voter,
        author: record.author,
        direction: VOTE_DIRECTION_NAMES[next]!,
      },
      ["direction"],
    ),
  );
  return { direction: next, counts };
}

function votableContent(ctx: ExecContext, id: bigint, actor: string): StoredContent {
  const content = requireContent(ctx.store, id);
  if (content.record.deleted) throw new CodedError(SocialErrors.ContentDeleted, `content ${id}`);
  requireCapability(
    ctx.store,
    requireCommunity(ctx.store, content.record.communityId),
    actor,
    Capability.LISTEN,
  );
  return content;
}

export const msgVote = defineMsg(MsgVote, {
  signers: (m) => [m.voter],
  validateBasic(m) {
    checkAddress(m.voter, "voter");
    checkId(m.targetId, "target_id");
    if (m.direction !== VoteDirection.UP && m.direction !== VoteDirection.DOWN)
      throw new CodedError(SocialErrors.InvalidField, "direction must be UP or DOWN");
  },
  handle(ctx, m) {
    const actor = requireSocialActor(ctx, m.voter, "vote");
    const params = getSocialParams(ctx.store);
    const content = votableContent(ctx, m.targetId, m.voter);
    limitRate(ctx, params, actor, RateAction.VOTE);
    const result = applyVote(ctx, content, m.voter, m.direction);
    return respond(MsgVoteResponse, {
      direction: result.direction,
      upvotes: result.counts.upvotes,
      downvotes: result.counts.downvotes,
    });
  },
});

export const msgReact = defineMsg(MsgReact, {
  signers: (m) => [m.reactor],
  validateBasic(m) {
    checkAddress(m.reactor, "reactor");
    checkId(m.targetId, "target_id");
    if (!isValidReaction(m.emoji, HARD_LIMITS.emojiBytes))
      throw new CodedError(SocialErrors.InvalidEmoji, `at most ${HARD_LIMITS.emojiBytes} bytes`);
  },
  handle(ctx, m) {
    const actor = requireSocialActor(ctx, m.reactor, "react");
    const params = getSocialParams(ctx.store);
    votableContent(ctx, m.targetId, m.reactor);
    limitRate(ctx, params, actor, RateAction.REACT);
    const reactionKey = SocialKeys.reaction(m.targetId, m.emoji, m.reactor);
    const countKey = SocialKeys.reactionCount(m.targetId, m.emoji);
    const stored = ctx.store.get(countKey);
    let count = stored ? readUint64(stored) : 0n;
    const added = ctx.store.get(reactionKey) === undefined;
    if (added) {
      ctx.store.set(reactionKey, uint64Bytes(ctx.block.height));
      count += 1n;
    } else {
      ctx.store.delete(reactionKey);
      count -= 1n;
    }
    if (count === 0n) ctx.store.delete(countKey);
    else ctx.store.set(countKey, uint64Bytes(count));
    ctx.emit(
      socialEvent(
        SocialEvents.Reacted,
        {
          content_id: m.targetId.toString(),
          reactor: m.reactor,
          emoji: m.emoji,
          added: added ? "true" : "false",
        },
        ["emoji", "added"],
      ),
    );
    return respond(MsgReactResponse, { added, count });
  },
});
