/**
 * Identity state and the lookups every social module makes: who an address is (a human with a
 * profile, or an agent and its owner), and whether it may act right now.
 *
 * Keys (prefix 0x05): 01|addr → Profile · 02|handle → addr · 03|addr → Agent ·
 * 04|owner addr|name → agent addr (a prefix range lists an owner's agents by name) · 05 → Params ·
 * 06|owner addr → number of the owner's active (not retired) agents, uint64 BE.
 */
import { decodeAddress, encodeAddress } from "../../chain/crypto/address.js";
import { CodedError } from "../../chain/errors/codes.js";
import { moduleAddress } from "../auth/keeper.js";
import { DecodedByIdentity } from "../lib/decoded-by-identity.js";
import { key, ModulePrefix, readUint64, uint64Bytes, utf8 } from "../lib/store.js";
import type { KVReader, KVStore } from "../types.js";
import { IdentityErrors } from "./errors.js";
import { Agent, AgentStatus, IdentityParams, Profile } from "./records.js";

const P = ModulePrefix.identity;
export const PROFILE_PREFIX = new Uint8Array([P, 0x01]);
export const HANDLE_PREFIX = new Uint8Array([P, 0x02]);
export const AGENT_PREFIX = new Uint8Array([P, 0x03]);
export const OWNER_AGENTS_PREFIX = new Uint8Array([P, 0x04]);
const PARAMS_KEY = new Uint8Array([P, 0x05]);
export const AGENT_COUNT_PREFIX = new Uint8Array([P, 0x06]);

export const DEFAULT_IDENTITY_PARAMS: IdentityParams = Object.freeze({
  authority: moduleAddress("gov"),
  agentWritesFrozen: false,
  maxAgentsPerOwner: 32,
});

export const profileKey = (address: string) => key(PROFILE_PREFIX, decodeAddress(address));
export const handleKey = (handle: string) => key(HANDLE_PREFIX, utf8(handle));
export const agentKey = (address: string) => key(AGENT_PREFIX, decodeAddress(address));
export const ownerAgentsPrefix = (owner: string) => key(OWNER_AGENTS_PREFIX, decodeAddress(owner));
/** The owner part has a fixed length (20 bytes), so the name needs no length prefix. */
export const ownerAgentKey = (owner: string, name: string) => key(ownerAgentsPrefix(owner), utf8(name));
export const agentCountKey = (owner: string) => key(AGENT_COUNT_PREFIX, decodeAddress(owner));

export function getIdentityParams(store: KVReader): IdentityParams {
  const bytes = store.get(PARAMS_KEY);
  return bytes ? IdentityParams.decode(bytes) : DEFAULT_IDENTITY_PARAMS;
}

export function setIdentityParams(store: KVStore, params: IdentityParams): void {
  store.set(PARAMS_KEY, IdentityParams.toBytes(params));
}

/**
 * Profiles are read by every social write of their human and of the human's agents, so each stored
 * version is decoded once. Frozen (all fields are scalars), so a shared value cannot be changed.
 */
const profiles = new DecodedByIdentity<Readonly<Profile>>((bytes) => Object.freeze(Profile.decode(bytes)));

export function getProfile(store: KVReader, address: string): Readonly<Profile> | undefined {
  const bytes = store.get(profileKey(address));
  return bytes ? profiles.decode(bytes) : undefined;
}

export function setProfile(store: KVStore, profile: Readonly<Profile>): void {
  store.set(
    profileKey(profile.address),
    profiles.remember(Profile.toBytes(profile), Object.freeze({ ...profile })),
  );
}

export function addressOfHandle(store: KVReader, handle: string): string | undefined {
  const bytes = store.get(handleKey(handle));
  return bytes ? encodeAddress(bytes) : undefined;
}

/** An agent is read by every tx it signs; frozen like profiles (its capability list too). */
const agents = new DecodedByIdentity<Readonly<Agent>>((bytes) => {
  const agent = Agent.decode(bytes);
  Object.freeze(agent.capabilities);
  return Object.freeze(agent);
});

export function getAgent(store: KVReader, address: string): Readonly<Agent> | undefined {
  const bytes = store.get(agentKey(address));
  return bytes ? agents.decode(bytes) : undefined;
}

export function setAgent(store: KVStore, agent: Agent): void {
  store.set(agentKey(agent.address), Agent.toBytes(agent));
}

export function agentOfOwner(store: KVReader, owner: string, name: string): string | undefined {
  const bytes = store.get(ownerAgentKey(owner, name));
  return bytes ? encodeAddress(bytes) : undefined;
}

export function setAgentOfOwner(store: KVStore, owner: string, name: string, agent: string): void {
  store.set(ownerAgentKey(owner, name), decodeAddress(agent));
}

export function deleteAgentOfOwner(store: KVStore, owner: string, name: string): void {
  store.delete(ownerAgentKey(owner, name));
}

/** How many active (not retired) agents `owner` has: what params.maxAgentsPerOwner caps. */
export function activeAgentCount(store: KVReader, owner: string): number {
  const bytes = store.get(agentCountKey(owner));
  return bytes ? Number(readUint64(bytes)) : 0;
}

export function setActiveAgentCount(store: KVStore, owner: string, count: number): void {
  if (count === 0) store.delete(agentCountKey(owner));
  else store.set(agentCountKey(owner), uint64Bytes(BigInt(count)));
}

export function setHandle(store: KVStore, handle: string, address: string): void {
  store.set(handleKey(handle), decodeAddress(address));
}

/** Who stands behind an address: a human with a profile, or an agent and the human who owns it. */
export type Actor =
  | { readonly kind: "human"; readonly address: string; readonly profile: Readonly<Profile> }
  | {
      readonly kind: "agent";
      readonly address: string;
      readonly agent: Readonly<Agent>;
      readonly owner: Readonly<Profile>;
    };

export function getActor(store: KVReader, address: string): Actor | undefined {
  const profile = getProfile(store, address);
  if (profile) return { kind: "human", address, profile };
  const agent = getAgent(store, address);
  if (!agent) return undefined;
  const owner = getProfile(store, agent.owner);
  // An agent always has an owner profile: registration requires it and profiles are never deleted.
  if (!owner) return undefined;
  return { kind: "agent", address, agent, owner };
}

/** Unix seconds of the actor's registration (the agent's own, not its owner's). */
export function registeredAt(actor: Actor): bigint {
  return actor.kind === "human" ? actor.profile.createdAt : actor.agent.createdAt;
}

/** `@handle` for a human, `@owner/agent` for an agent: the attribution shown everywhere. */
export function displayName(actor: Actor): string {
  return actor.kind === "human" ? `@${actor.profile.handle}` : `@${actor.owner.handle}/${actor.agent.name}`;
}

/**
 * The actor behind a social write, or a coded refusal: unregistered accounts, retired agents and
 * (while governance's emergency stop is on) every agent are refused.
 */
export function requireActor(ctx: { readonly store: KVReader }, address: string): Actor {
  const actor = getActor(ctx.store, address);
  if (!actor) {
    throw new CodedError(IdentityErrors.NotRegistered, `${address} must register a profile first`);
  }
  if (actor.kind === "agent") {
    if (actor.agent.status === AgentStatus.RETIRED) {
      throw new CodedError(IdentityErrors.AgentRetired, `${displayName(actor)} is retired`);
    }
    if (getIdentityParams(ctx.store).agentWritesFrozen) {
      throw new CodedError(IdentityErrors.AgentWritesFrozen, `${displayName(actor)} may not write`);
    }
  }
  return actor;
}
