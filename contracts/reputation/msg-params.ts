/**
 * `/vivim.reputation.v1.MsgUpdateReputationParams`: replaces the module's params. Only the current authority
 * (the gov module account unless genesis names another) may send it.
 */
import { decodeAddress } from "../../chain/crypto/address.js";
import { CodedError } from "../../chain/errors/codes.js";
import { defineMsg, respond } from "../lib/define.js";
import { indexedEvent } from "../lib/events.js";
import { ReputationErrors } from "./errors.js";
import { checkReputationParams, getReputationParams, setReputationParams } from "./params.js";
import { MsgUpdateReputationParams, MsgUpdateReputationParamsResponse } from "./tx.js";

export const EVENT_PARAMS_UPDATED = "vivim.reputation.v1.EventParamsUpdated";

export const msgUpdateParams = defineMsg(MsgUpdateReputationParams, {
  signers: (msg) => [msg.authority],
  validateBasic(msg) {
    decodeAddress(msg.authority);
    if (!msg.params) throw new CodedError(ReputationErrors.InvalidParams, "params are required");
    try {
      decodeAddress(msg.params.authority);
    } catch {
      throw new CodedError(ReputationErrors.InvalidParams, "params.authority is not a valid address");
    }
    const bad = checkReputationParams(msg.params);
    if (bad) throw new CodedError(ReputationErrors.InvalidParams, `params.${bad[0]} ${bad[1]}`);
  },
  handle(ctx, msg) {
    const current = getReputationParams(ctx.store);
    if (msg.authority !== current.authority)
      throw new CodedError(
        ReputationErrors.InvalidAuthority,
        `expected ${current.authority}, got ${msg.authority}`,
      );
    setReputationParams(ctx.store, msg.params!);
    ctx.emit(indexedEvent(EVENT_PARAMS_UPDATED, { authority: msg.authority }));
    return respond(MsgUpdateReputationParamsResponse, {});
  },
});
