/** `MsgUpdateParams`: governance (the params' authority) replaces the labels params. */
import { decodeAddress } from "../../chain/crypto/address.js";
import { CodedError } from "../../chain/errors/codes.js";
import { defineMsg, respond } from "../lib/define.js";
import { indexedEvent } from "../lib/events.js";
import { LabelsErrors } from "./errors.js";
import { LabelsEvents } from "./events.js";
import { checkLabelsParams, getLabelsParams, setLabelsParams } from "./params.js";
import { MsgUpdateLabelsParams, MsgUpdateLabelsParamsResponse } from "./tx.js";

export const msgUpdateLabelsParams = defineMsg(MsgUpdateLabelsParams, {
  signers: (m) => [m.authority],
  validateBasic(m) {
    decodeAddress(m.authority);
    if (!m.params) throw new CodedError(LabelsErrors.InvalidParams, "params must be set");
    checkLabelsParams(m.params);
  },
  handle(ctx, m) {
    const current = getLabelsParams(ctx.store);
    if (m.authority !== current.authority)
      throw new CodedError(
        LabelsErrors.InvalidAuthority,
        `expected ${current.authority}, got ${m.authority}`,
      );
    if (!m.params) throw new CodedError(LabelsErrors.InvalidParams, "params must be set");
    setLabelsParams(ctx.store, m.params);
    ctx.emit(indexedEvent(LabelsEvents.ParamsUpdated, { authority: m.authority }));
    return respond(MsgUpdateLabelsParamsResponse, {});
  },
});
