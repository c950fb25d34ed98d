/** `MsgUpdateEscrowParams`: governance (the params' authority) replaces the escrow params. */
import { CodedError } from "../../chain/errors/codes.js";
import { defineMsg, respond } from "../lib/define.js";
import { indexedEvent } from "../lib/events.js";
import { EscrowErrors } from "./errors.js";
import { EscrowEvents } from "./events.js";
import { checkEscrowParams, getEscrowParams, setEscrowParams } from "./params.js";
import { MsgUpdateEscrowParams, MsgUpdateEscrowParamsResponse } from "./tx.js";
import { checkAddress } from "./validate.js";

export const msgUpdateEscrowParams = defineMsg(MsgUpdateEscrowParams, {
  signers: (m) => [m.authority],
  validateBasic(m) {
    checkAddress(m.authority);
    if (!m.params) throw new CodedError(EscrowErrors.InvalidParams, "params must be set");
    checkEscrowParams(m.params);
  },
  handle(ctx, m) {
    const current = getEscrowParams(ctx.store);
    if (m.authority !== current.authority)
      throw new CodedError(
        EscrowErrors.InvalidAuthority,
        `expected ${current.authority}, got ${m.authority}`,
      );
    const params = m.params;
    if (!params) throw new CodedError(EscrowErrors.InvalidParams, "params must be set");
    setEscrowParams(ctx.store, params);
    ctx.emit(
      indexedEvent(
        EscrowEvents.ParamsUpdated,
        {
          authority: m.authority,
          arbiter: params.arbiter,
          fee_bps: String(params.feeBps),
        },
        ["fee_bps"],
      ),
    );
    return respond(MsgUpdateEscrowParamsResponse, {});
  },
});
