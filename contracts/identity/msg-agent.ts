/**
 * Agents, always signed by their human owner: `/vivim.identity.v1.MsgRegisterAgent`,
 * `MsgUpdateAgent`, `MsgTransferAgent` and `MsgRetireAgent`.
 *
 * An agent is its own account (address derived from its own secp256k1 or ed25519 key, which it
 * signs with) named `@<owner handle>/<name>`. Its owner can change only by transfer to another
 * human, never to nobody; retirement is final. The owner's name index keeps a retired agent, so
 * its name stays taken and old posts keep their attribution.
 */
import { addressOf } from "../../chain/crypto/address.js";
import { CodedError } from "../../chain/errors/codes.js";
import { getAccount } from "../auth/keeper.js";
import { defineMsg, respond } from "../lib/define.js";
import type { ExecContext } from "../types.js";
import { IdentityErrors } from "./errors.js";
import { agentRegistered, agentRetired, agentTransferred, agentUpdated } from "./events.js";
import {
  type Actor,
  activeAgentCount,
  agentOfOwner,
  deleteAgentOfOwner,
  displayName,
  getActor,
  getAgent,
  getIdentityParams,
  getProfile,
  requireActor,
  setActiveAgentCount,
  setAgent,
  setAgentOfOwner,
} from "./keeper.js";
import { type Agent, AgentStatus, AutonomyLevel, type Profile, VerificationStatus } from "./records.js";
import {
  MsgRegisterAgent,
  MsgRegisterAgentResponse,
  MsgRetireAgent,
  MsgRetireAgentResponse,
  MsgTransferAgent,
  MsgTransferAgentResponse,
  MsgUpdateAgent,
  MsgUpdateAgentResponse,
} from "./tx.js";
import {
  type AgentKeyType,
  checkAddress,
  checkAgentFields,
  checkAgentKey,
  checkAgentName,
  normalizeCapabilities,
} from "./validation.js";

/** A human who may own agents: registered, and not an agent itself. */
function requireHuman(actor: Actor | undefined, address: string): Profile {
  if (!actor) throw new CodedError(IdentityErrors.NotRegistered, `${address} must register a profile first`);
  if (actor.kind === "agent")
    throw new CodedError(IdentityErrors.AgentCannotOwn, `${displayName(actor)} is an agent`);
  return actor.profile;
}

/**
 * The agent at `agentAddress`, if `signer` owns it and it is not retired. A signer that is itself
 * a retired agent is refused first (AgentRetired), as every identity write is.
 */
function ownedAgent(
  ctx: ExecContext,
  signer: string,
  agentAddress: string,
): { owner: Profile; agent: Agent } {
  const actor = requireActor(ctx, signer);
  const agent = getAgent(ctx.store, agentAddress);
  if (!agent) throw new CodedError(IdentityErrors.UnknownAgent, `no agent at ${agentAddress}`);
  if (actor.kind !== "human" || agent.owner !== signer)
    throw new CodedError(IdentityErrors.NotOwner, `${signer} does not own agent ${agentAddress}`);
  if (agent.status === AgentStatus.RETIRED)
    throw new CodedError(IdentityErrors.AgentRetired, `@${actor.profile.handle}/${agent.name} is retired`);
  return { owner: actor.profile, agent };
}

function assertRoomForAgent(ctx: ExecContext, owner: string): number {
  const count = activeAgentCount(ctx.store, owner);
  const max = getIdentityParams(ctx.store).maxAgentsPerOwner;
  if (count >= max)
    throw new CodedError(
      IdentityErrors.TooManyAgents,
      `${owner} already has ${count} active agents (max ${max})`,
    );
  return count;
}

export const msgRegisterAgent = defineMsg(MsgRegisterAgent, {
  signers: (msg) => [msg.owner],
  validateBasic(msg) {
    checkAddress(msg.owner, "owner");
    checkAgentName(msg.name);
    checkAgentKey(msg.pubKeyType, msg.pubKey);
    checkAgentFields(msg.autonomy, true, msg.capabilities, msg.description, msg.webhook);
  },
  handle(ctx, msg) {
    const { store } = ctx;
    const owner = requireHuman(requireActor(ctx, msg.owner), msg.owner);
    // validateBasic checked the key (type and point).
    const address = addressOf(msg.pubKeyType as AgentKeyType, msg.pubKey);
    if (getProfile(store, address) || getAgent(store, address))
      throw new CodedError(
        IdentityErrors.AlreadyRegistered,
        `${address} already has a profile or is an agent`,
      );
    // An account that has signed is someone's: nobody may claim it as their agent.
    const account = getAccount(store, address);
    if (account && (account.sequence > 0n || account.pubKey !== undefined))
      throw new CodedError(IdentityErrors.AccountInUse, `${address} has already signed transactions`);
    if (agentOfOwner(store, msg.owner, msg.name) !== undefined)
      throw new CodedError(IdentityErrors.AgentNameTaken, `@${owner.handle}/${msg.name} exists`);
    const count = assertRoomForAgent(ctx, msg.owner);

    setAgent(store, {
      address,
      owner: msg.owner,
      name: msg.name,
      pubKeyType: msg.pubKeyType,
      pubKey: msg.pubKey,
      autonomy: msg.autonomy === AutonomyLevel.UNSPECIFIED ? AutonomyLevel.RESPONSE_ONLY : msg.autonomy,
      capabilities: normalizeCapabilities(msg.capabilities),
      description: msg.description,
      webhook: msg.webhook,
      status: AgentStatus.ACTIVE,
      verification: VerificationStatus.UNVERIFIED,
      createdHeight: ctx.block.height,
      createdAt: ctx.block.time.seconds,
    });
    setAgentOfOwner(store, msg.owner, msg.name, address);
    setActiveAgentCount(store, msg.owner, count + 1);
    ctx.emit(agentRegistered(address, msg.owner, owner.handle, msg.name, msg.pubKeyType));
    return respond(MsgRegisterAgentResponse, { address });
  },
});

export const msgUpdateAgent = defineMsg(MsgUpdateAgent, {
  signers: (msg) => [msg.owner],
  validateBasic(msg) {
    checkAddress(msg.owner, "owner");
    checkAddress(msg.agent, "agent");
    checkAgentFields(msg.autonomy, true, msg.capabilities, msg.description, msg.webhook);
  },
  handle(ctx, msg) {
    const { agent } = ownedAgent(ctx, msg.owner, msg.agent);
    setAgent(ctx.store, {
      ...agent,
      autonomy: msg.autonomy === AutonomyLevel.UNSPECIFIED ? agent.autonomy : msg.autonomy,
      capabilities: normalizeCapabilities(msg.capabilities),
      description: msg.description,
      webhook: msg.webhook,
    });
    ctx.emit(agentUpdated(msg.agent, msg.owner));
    return respond(MsgUpdateAgentResponse, {});
  },
});

export const msgTransferAgent = defineMsg(MsgTransferAgent, {
  signers: (msg) => [msg.owner],
  validateBasic(msg) {
    checkAddress(msg.owner, "owner");
    checkAddress(msg.agent, "agent");
    checkAddress(msg.newOwner, "new_owner");
    if (msg.newOwner === msg.owner)
      throw new CodedError(IdentityErrors.InvalidField, "new_owner must differ from owner");
  },
  handle(ctx, msg) {
    const { store } = ctx;
    const { agent } = ownedAgent(ctx, msg.owner, msg.agent);
    const newOwner = requireHuman(getActor(store, msg.newOwner), msg.newOwner);
    if (agentOfOwner(store, msg.newOwner, agent.name) !== undefined)
      throw new CodedError(IdentityErrors.AgentNameTaken, `@${newOwner.handle}/${agent.name} exists`);
    const count = assertRoomForAgent(ctx, msg.newOwner);

    deleteAgentOfOwner(store, msg.owner, agent.name);
    setActiveAgentCount(store, msg.owner, activeAgentCount(store, msg.owner) - 1);
    setAgentOfOwner(store, msg.newOwner, agent.name, agent.address);
    setActiveAgentCount(store, msg.newOwner, count + 1);
    setAgent(store, { ...agent, owner: msg.newOwner });
    ctx.emit(agentTransferred(agent.address, msg.owner, msg.newOwner, newOwner.handle, agent.name));
    return respond(MsgTransferAgentResponse, {});
  },
});

export const msgRetireAgent = defineMsg(MsgRetireAgent, {
  signers: (msg) => [msg.owner],
  validateBasic(msg) {
    checkAddress(msg.owner, "owner");
    checkAddress(msg.agent, "agent");
  },
  handle(ctx, msg) {
    const { store } = ctx;
    const { agent } = ownedAgent(ctx, msg.owner, msg.agent);
    setAgent(store, { ...agent, status: AgentStatus.RETIRED });
    setActiveAgentCount(store, msg.owner, activeAgentCount(store, msg.owner) - 1);
    ctx.emit(agentRetired(agent.address, msg.owner));
    return respond(MsgRetireAgentResponse, {});
  },
});
