/**
 * `cosmos.gov.v1.MsgUpdateParams` (x/gov's params) and `vivim.gov.v1.MsgUpdateParams` (the
 * electorate params). Only the gov account sends them, so only a passed proposal changes how
 * governance itself works.
 */
import { MsgUpdateParams, MsgUpdateParamsResponse } from "cosmjs-types/cosmos/gov/v1/tx";
import { CodedError } from "../../chain/errors/codes.js";
import { defineMsg, respond } from "../lib/define.js";
import type { MsgDefinition } from "../types.js";
import { GovErrors } from "./errors.js";
import { GovEvents, govEvent } from "./events.js";
import {
  checkVivimGovParams,
  GOV_ADDRESS,
  parseGovParams,
  setGovParams,
  setVivimGovParams,
} from "./params.js";
import { V1Schemas } from "./schemas.js";
import { MsgUpdateGovVivimParams, MsgUpdateGovVivimParamsResponse } from "./tx.js";

function checkAuthority(authority: string): void {
  if (authority !== GOV_ADDRESS)
    throw new CodedError(
      GovErrors.InvalidSigner,
      `expected the gov account ${GOV_ADDRESS}, got ${authority.slice(0, 90)}`,
    );
}

export const msgUpdateGovParams: MsgDefinition<MsgUpdateParams> = {
  typeUrl: "/cosmos.gov.v1.MsgUpdateParams",
  type: MsgUpdateParams,
  schema: V1Schemas.MsgUpdateParams,
  signers: (m) => [m.authority],
  validateBasic(m) {
    checkAuthority(m.authority);
    if (!m.params) throw new CodedError(GovErrors.InvalidParams, "params must be set");
    parseGovParams(m.params);
  },
  handle(ctx, m) {
    checkAuthority(m.authority);
    if (!m.params) throw new CodedError(GovErrors.InvalidParams, "params must be set");
    parseGovParams(m.params);
    setGovParams(ctx.store, m.params);
    ctx.emit(govEvent(GovEvents.ParamsUpdated, { params: "cosmos.gov.v1.Params" }));
    return {
      typeUrl: "/cosmos.gov.v1.MsgUpdateParamsResponse",
      value: MsgUpdateParamsResponse.encode({}).finish(),
    };
  },
};

export const msgUpdateGovVivimParams = defineMsg(MsgUpdateGovVivimParams, {
  signers: (m) => [m.authority],
  validateBasic(m) {
    checkAuthority(m.authority);
    if (!m.params) throw new CodedError(GovErrors.InvalidParams, "params must be set");
    checkVivimGovParams(m.params);
  },
  handle(ctx, m) {
    checkAuthority(m.authority);
    if (!m.params) throw new CodedError(GovErrors.InvalidParams, "params must be set");
    checkVivimGovParams(m.params);
    setVivimGovParams(ctx.store, m.params);
    ctx.emit(govEvent(GovEvents.ParamsUpdated, { params: "vivim.gov.v1.Params" }));
    return respond(MsgUpdateGovVivimParamsResponse, {});
  },
});
