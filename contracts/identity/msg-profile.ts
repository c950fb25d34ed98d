/**
 * Profiles: `/vivim.identity.v1.MsgRegisterProfile` (one per address, a unique permanent handle)
 * and `/vivim.identity.v1.MsgUpdateProfile` (display name, bio, avatar).
 */
import { CodedError } from "../../chain/errors/codes.js";
import { defineMsg, respond } from "../lib/define.js";
import { IdentityErrors } from "./errors.js";
import { profileRegistered, profileUpdated } from "./events.js";
import {
  displayName,
  getAgent,
  getProfile,
  handleKey,
  requireActor,
  setHandle,
  setProfile,
} from "./keeper.js";
import { AgentStatus, VerificationStatus } from "./records.js";
import {
  MsgRegisterProfile,
  MsgRegisterProfileResponse,
  MsgUpdateProfile,
  MsgUpdateProfileResponse,
} from "./tx.js";
import { checkAddress, checkHandle, checkProfileFields } from "./validation.js";

export const msgRegisterProfile = defineMsg(MsgRegisterProfile, {
  signers: (msg) => [msg.creator],
  validateBasic(msg) {
    checkAddress(msg.creator, "creator");
    checkHandle(msg.handle);
    checkProfileFields(msg.displayName, msg.bio, msg.avatarUri);
  },
  handle(ctx, msg) {
    const { store } = ctx;
    if (getProfile(store, msg.creator))
      throw new CodedError(IdentityErrors.AlreadyRegistered, `${msg.creator} already has a profile`);
    const agent = getAgent(store, msg.creator);
    if (agent) {
      if (agent.status === AgentStatus.RETIRED)
        throw new CodedError(IdentityErrors.AgentRetired, `${msg.creator} is a retired agent`);
      throw new CodedError(
        IdentityErrors.AlreadyRegistered,
        `${msg.creator} is an agent and cannot have a profile`,
      );
    }
    if (store.has(handleKey(msg.handle)))
      throw new CodedError(IdentityErrors.HandleTaken, `@${msg.handle} is taken`);
    setProfile(store, {
      address: msg.creator,
      handle: msg.handle,
      displayName: msg.displayName,
      bio: msg.bio,
      avatarUri: msg.avatarUri,
      verification: VerificationStatus.UNVERIFIED,
      createdHeight: ctx.block.height,
      createdAt: ctx.block.time.seconds,
    });
    setHandle(store, msg.handle, msg.creator);
    ctx.emit(profileRegistered(msg.creator, msg.handle));
    return respond(MsgRegisterProfileResponse, {});
  },
});

export const msgUpdateProfile = defineMsg(MsgUpdateProfile, {
  signers: (msg) => [msg.creator],
  validateBasic(msg) {
    checkAddress(msg.creator, "creator");
    checkProfileFields(msg.displayName, msg.bio, msg.avatarUri);
  },
  handle(ctx, msg) {
    const actor = requireActor(ctx, msg.creator);
    if (actor.kind === "agent")
      throw new CodedError(
        IdentityErrors.NotRegistered,
        `${displayName(actor)} is an agent: agents have no profile, their owner updates them with MsgUpdateAgent`,
      );
    setProfile(ctx.store, {
      ...actor.profile,
      displayName: msg.displayName,
      bio: msg.bio,
      avatarUri: msg.avatarUri,
    });
    ctx.emit(profileUpdated(msg.creator, actor.profile.handle));
    return respond(MsgUpdateProfileResponse, {});
  },
});
