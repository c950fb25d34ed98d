/**
 * What only the module's authority (params.authority, the gov module account by default) may do:
 * `/vivim.identity.v1.MsgSetVerification` on a profile or an agent, and
 * `/vivim.identity.v1.MsgUpdateParams`.
 */
import { CodedError } from "../../chain/errors/codes.js";
import { defineMsg, respond } from "../lib/define.js";
import { IdentityErrors } from "./errors.js";
import { paramsUpdated, verificationSet } from "./events.js";
import { getAgent, getProfile, setAgent, setIdentityParams, setProfile } from "./keeper.js";
import { assertIdentityAuthority, checkIdentityParams } from "./params.js";
import {
  MsgSetVerification,
  MsgSetVerificationResponse,
  MsgUpdateIdentityParams,
  MsgUpdateIdentityParamsResponse,
} from "./tx.js";
import { checkAddress, checkVerificationStatus } from "./validation.js";

export const msgSetVerification = defineMsg(MsgSetVerification, {
  signers: (msg) => [msg.authority],
  validateBasic(msg) {
    checkAddress(msg.authority, "authority");
    checkAddress(msg.subject, "subject");
    checkVerificationStatus(msg.status);
  },
  handle(ctx, msg) {
    assertIdentityAuthority(ctx, msg.authority);
    const profile = getProfile(ctx.store, msg.subject);
    if (profile) {
      setProfile(ctx.store, { ...profile, verification: msg.status });
      ctx.emit(verificationSet(msg.subject, "human", msg.status));
      return respond(MsgSetVerificationResponse, {});
    }
    const agent = getAgent(ctx.store, msg.subject);
    if (!agent)
      throw new CodedError(IdentityErrors.NotRegistered, `${msg.subject} has no profile and is not an agent`);
    setAgent(ctx.store, { ...agent, verification: msg.status });
    ctx.emit(verificationSet(msg.subject, "agent", msg.status));
    return respond(MsgSetVerificationResponse, {});
  },
});

export const msgUpdateIdentityParams = defineMsg(MsgUpdateIdentityParams, {
  signers: (msg) => [msg.authority],
  validateBasic(msg) {
    checkAddress(msg.authority, "authority");
    if (!msg.params) throw new CodedError(IdentityErrors.InvalidParams, "params are required");
    checkIdentityParams(msg.params);
  },
  handle(ctx, msg) {
    assertIdentityAuthority(ctx, msg.authority);
    // validateBasic guarantees params are present and valid.
    setIdentityParams(ctx.store, msg.params!);
    ctx.emit(paramsUpdated(msg.authority));
    return respond(MsgUpdateIdentityParamsResponse, {});
  },
});
