/**
 * `/vivim.reputation.v1.MsgAcknowledgeDmThread`: DMs stay off chain; each side acknowledges the
 * thread id on chain, and once both have acknowledged the same id the module records a
 * DM_THREAD interaction between them, after which they may rate each other.
 */
import { decodeAddress } from "../../chain/crypto/address.js";
import { toHex } from "../../chain/crypto/hash.js";
import { CodedError } from "../../chain/errors/codes.js";
import { requireActor } from "../identity/keeper.js";
import { defineMsg, respond } from "../lib/define.js";
import { indexedEvent } from "../lib/events.js";
import { requireRegistered, THREAD_ID_LENGTH } from "./checks.js";
import { ReputationErrors } from "./errors.js";
import { InteractionKind, recordInteraction } from "./interactions.js";
import { hasDmAck, putDmAck } from "./keeper.js";
import { MsgAcknowledgeDmThread, MsgAcknowledgeDmThreadResponse } from "./tx.js";

export const EVENT_DM_THREAD_ACKNOWLEDGED = "vivim.reputation.v1.EventDmThreadAcknowledged";

export const msgAcknowledgeDmThread = defineMsg(MsgAcknowledgeDmThread, {
  signers: (msg) => [msg.account],
  validateBasic(msg) {
    decodeAddress(msg.account);
    decodeAddress(msg.peer);
    if (msg.account === msg.peer)
      throw new CodedError(ReputationErrors.InvalidPeer, "a DM thread needs two different accounts");
    if (msg.threadId.length !== THREAD_ID_LENGTH)
      throw new CodedError(ReputationErrors.InvalidThreadId, `got ${msg.threadId.length} bytes`);
  },
  handle(ctx, msg) {
    requireActor(ctx, msg.account);
    requireRegistered(ctx.store, msg.peer, "peer");
    const thread = toHex(msg.threadId);
    if (hasDmAck(ctx.store, msg.account, msg.peer, msg.threadId))
      throw new CodedError(
        ReputationErrors.AlreadyAcknowledged,
        `${msg.account} already acknowledged thread ${thread} with ${msg.peer}`,
      );
    putDmAck(ctx.store, msg.account, msg.peer, msg.threadId, ctx.block.height);
    const complete = hasDmAck(ctx.store, msg.peer, msg.account, msg.threadId);
    if (complete) recordInteraction(ctx, msg.account, msg.peer, InteractionKind.DM_THREAD);
    ctx.emit(
      indexedEvent(
        EVENT_DM_THREAD_ACKNOWLEDGED,
        { account: msg.account, peer: msg.peer, thread_id: thread, interaction_recorded: String(complete) },
        ["interaction_recorded"],
      ),
    );
    return respond(MsgAcknowledgeDmThreadResponse, { interactionRecorded: complete });
  },
});
