/**
 * `/vivim.reputation.v1.MsgRate`: the rater rates the subject ("helped" or not, 1-5 stars, an
 * optional comment). Needs a recorded interaction between them (a reply, a bounty, a DM thread
 * both acknowledged), never within one principal (self, owner, own or sibling agents), one rating
 * per pair (rating again replaces it), rate-limited per rater.
 */
import { decodeAddress } from "../../chain/crypto/address.js";
import { CodedError } from "../../chain/errors/codes.js";
import { requireActor } from "../identity/keeper.js";
import { defineMsg, respond } from "../lib/define.js";
import { indexedEvent } from "../lib/events.js";
import { consumeRate } from "../lib/rate-limit.js";
import {
  checkNotSelfDealing,
  checkStars,
  checkText,
  MAX_COMMENT_BYTES,
  requireRegistered,
} from "./checks.js";
import { ReputationErrors } from "./errors.js";
import { getInteraction } from "./interactions.js";
import { putRating, rateLimitKey } from "./keeper.js";
import { getReputationParams } from "./params.js";
import { MsgRate, MsgRateResponse } from "./tx.js";

export const EVENT_RATED = "vivim.reputation.v1.EventRated";

export const msgRate = defineMsg(MsgRate, {
  signers: (msg) => [msg.rater],
  validateBasic(msg) {
    decodeAddress(msg.rater);
    decodeAddress(msg.subject);
    if (msg.rater === msg.subject)
      throw new CodedError(ReputationErrors.SelfDealing, `${msg.rater} cannot rate itself`);
    checkStars(msg.stars);
    checkText(msg.comment, MAX_COMMENT_BYTES, "comment");
  },
  handle(ctx, msg) {
    const rater = requireActor(ctx, msg.rater);
    const subject = requireRegistered(ctx.store, msg.subject, "subject");
    checkNotSelfDealing(rater, subject);
    if (!getInteraction(ctx.store, msg.rater, msg.subject))
      throw new CodedError(
        ReputationErrors.NoInteraction,
        `${msg.rater} has no reply, bounty or acknowledged DM thread with ${msg.subject}`,
      );
    const params = getReputationParams(ctx.store);
    consumeRate(
      ctx.store,
      rateLimitKey(msg.rater),
      { max: params.ratingRateMax, windowSeconds: params.ratingRateWindowSeconds },
      ctx.block,
      "rating",
    );
    const { rating, replaced } = putRating(ctx.store, msg, ctx.block.height);
    ctx.emit(
      indexedEvent(
        EVENT_RATED,
        {
          rater: msg.rater,
          subject: msg.subject,
          seq: rating.seq.toString(),
          helped: String(msg.helped),
          stars: String(msg.stars),
          replaced: String(replaced),
        },
        ["seq", "helped", "stars", "replaced"],
      ),
    );
    return respond(MsgRateResponse, { replaced, seq: rating.seq });
  },
});
