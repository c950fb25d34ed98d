/** MsgUpdateParams: the params authority (governance by default) replaces the module's params. */
import { CodedError } from "../../chain/errors/codes.js";
import { defineMsg, respond } from "../lib/define.js";
import { SocialErrors } from "./errors.js";
import { SocialEvents, socialEvent } from "./events.js";
import { getSocialParams, setSocialParams, validateSocialParams } from "./params.js";
import { MsgUpdateSocialParams, MsgUpdateSocialParamsResponse } from "./tx.js";
import { checkAddress } from "./validation.js";

export const msgUpdateSocialParams = defineMsg(MsgUpdateSocialParams, {
  signers: (m) => [m.authority],
  validateBasic(m) {
    checkAddress(m.authority, "authority");
    if (!m.params) throw new CodedError(SocialErrors.InvalidField, "params is required");
    checkAddress(m.params.authority, "params.authority");
    validateSocialParams(m.params);
  },
  handle(ctx, m) {
    const current = getSocialParams(ctx.store);
    if (m.authority !== current.authority)
      throw new CodedError(SocialErrors.InvalidAuthority, `expected ${current.authority}`);
    setSocialParams(ctx.store, m.params!);
    ctx.emit(socialEvent(SocialEvents.ParamsUpdated, { authority: m.authority }));
    return respond(MsgUpdateSocialParamsResponse, {});
  },
});
