/**
 * The module's genesis section, `app_state.identity` (every key optional):
 *
 *   {
 *     "params": {                                  // every field optional
 *       "authority": "vivim1...",                  // default: the gov module account
 *       "agent_writes_frozen": false,
 *       "max_agents_per_owner": 32                 // 1..1000
 *     },
 *     "profiles": [
 *       { "address": "vivim1...", "handle": "alice", "display_name": "Alice", "bio": "...",
 *         "avatar_uri": "https://...",             // optional
 *         "verification": "VERIFIED" }             // optional: UNVERIFIED (default) | VERIFIED | REVOKED
 *     ],
 *     "agents": [
 *       { "owner": "vivim1...",                    // must be a profile above
 *         "name": "codebot",                       // the agent is @alice/codebot
 *         "pub_key_type": "secp256k1",             // or "ed25519"
 *         "pub_key": "<base64>",                   // 33-byte compressed secp256k1 / 32-byte ed25519
 *         "autonomy": "RESPONSE_ONLY",             // optional (default); PROACTIVE_OWNED_THREADS |
 *                                                  //   PROACTIVE_WITH_PERMISSION | AUTONOMOUS
 *         "capabilities": ["post", "comment"],     // optional, from AGENT_CAPABILITIES
 *         "description": "...", "webhook": "https://...",   // optional
 *         "verification": "UNVERIFIED" }           // optional
 *     ]
 *   }
 *
 * Enum values may also be written with their protobuf prefix (`VERIFICATION_STATUS_VERIFIED`,
 * `AUTONOMY_LEVEL_AUTONOMOUS`). Everything a Msg would check is checked here (unique handles and
 * agent names, owners that exist and are not agents, valid keys, the per-owner agent cap), and a
 * failure names the field. Seeded objects are created at the genesis height and time.
 */
import { addressOf } from "../../chain/crypto/address.js";
import { fromBase64 } from "../../chain/crypto/hash.js";
import { isCodedError } from "../../chain/errors/codes.js";
import {
  asArray,
  asEnum,
  asObject,
  asString,
  asUint,
  GenesisFieldError,
  rejectUnknownKeys,
} from "../lib/genesis.js";
import type { ExecContext } from "../types.js";
import {
  DEFAULT_IDENTITY_PARAMS,
  setActiveAgentCount,
  setAgent,
  setAgentOfOwner,
  setHandle,
  setIdentityParams,
  setProfile,
} from "./keeper.js";
import { checkIdentityParams } from "./params.js";
import {
  type Agent,
  AgentStatus,
  AUTONOMY_LEVEL_NAMES,
  AutonomyLevel,
  type IdentityParams,
  type Profile,
  VERIFICATION_STATUS_NAMES,
  VerificationStatus,
} from "./records.js";
import {
  type AgentKeyType,
  checkAddress,
  checkAgentFields,
  checkAgentKey,
  checkAgentName,
  checkHandle,
  checkProfileFields,
  normalizeCapabilities,
} from "./validation.js";

const SECTION = "app_state.identity";
export const MAX_GENESIS_PROFILES = 100_000;
export const MAX_GENESIS_AGENTS = 100_000;

type Seeded<T> = Omit<T, "createdHeight" | "createdAt">;

export interface IdentityGenesis {
  readonly params: IdentityParams;
  readonly profiles: readonly Seeded<Profile>[];
  readonly agents: readonly Seeded<Agent>[];
}

/** Runs a coded check and reports its failure as a GenesisFieldError on `field`. */
function check(field: string, fn: () => void): void {
  try {
    fn();
  } catch (err) {
    if (isCodedError(err)) throw new GenesisFieldError(field, err.log);
    throw err;
  }
}

function optString(obj: Record<string, unknown>, k: string, field: string): string {
  return obj[k] === undefined ? "" : asString(obj[k], `${field}.${k}`);
}

function parseParams(value: unknown): IdentityParams {
  const field = `${SECTION}.params`;
  if (value === undefined) return { ...DEFAULT_IDENTITY_PARAMS };
  const p = asObject(value, field);
  rejectUnknownKeys(p, ["authority", "agent_writes_frozen", "max_agents_per_owner"], field);
  const d = DEFAULT_IDENTITY_PARAMS;
  const authority = p.authority === undefined ? d.authority : asString(p.authority, `${field}.authority`);
  let frozen = d.agentWritesFrozen;
  if (p.agent_writes_frozen !== undefined) {
    if (typeof p.agent_writes_frozen !== "boolean")
      throw new GenesisFieldError(`${field}.agent_writes_frozen`, "must be true or false");
    frozen = p.agent_writes_frozen;
  }
  let max = d.maxAgentsPerOwner;
  if (p.max_agents_per_owner !== undefined) {
    const v = asUint(p.max_agents_per_owner, `${field}.max_agents_per_owner`);
    max = v > 1_000_000n ? Number.MAX_SAFE_INTEGER : Number(v);
  }
  const params: IdentityParams = { authority, agentWritesFrozen: frozen, maxAgentsPerOwner: max };
  check(field, () => checkIdentityParams(params));
  return params;
}

function parseProfile(entry: unknown, field: string): Seeded<Profile> {
  const o = asObject(entry, field);
  rejectUnknownKeys(o, ["address", "handle", "display_name", "bio", "avatar_uri", "verification"], field);
  const address = asString(o.address, `${field}.address`);
  check(`${field}.address`, () => checkAddress(address, "address"));
  const handle = asString(o.handle, `${field}.handle`);
  check(`${field}.handle`, () => checkHandle(handle));
  const displayName = optString(o, "display_name", field);
  const bio = optString(o, "bio", field);
  const avatarUri = optString(o, "avatar_uri", field);
  check(field, () => checkProfileFields(displayName, bio, avatarUri));
  const verification =
    o.verification === undefined
      ? VerificationStatus.UNVERIFIED
      : asEnum(o.verification, `${field}.verification`, VERIFICATION_STATUS_NAMES, "VERIFICATION_STATUS");
  return { address, handle, displayName, bio, avatarUri, verification };
}

function parseAgent(entry: unknown, field: string): Seeded<Agent> {
  const o = asObject(entry, field);
  rejectUnknownKeys(
    o,
    [
      "owner",
      "name",
      "pub_key_type",
      "pub_key",
      "autonomy",
      "capabilities",
      "description",
      "webhook",
      "verification",
    ],
    field,
  );
  const owner = asString(o.owner, `${field}.owner`);
  check(`${field}.owner`, () => checkAddress(owner, "owner"));
  const name = asString(o.name, `${field}.name`);
  check(`${field}.name`, () => checkAgentName(name));
  const pubKeyType = asString(o.pub_key_type, `${field}.pub_key_type`);
  const b64 = asString(o.pub_key, `${field}.pub_key`);
  let pubKey: Uint8Array;
  try {
    pubKey = fromBase64(b64);
  } catch {
    throw new GenesisFieldError(`${field}.pub_key`, "must be standard base64");
  }
  check(`${field}.pub_key`, () => checkAgentKey(pubKeyType, pubKey));
  const autonomy =
    o.autonomy === undefined
      ? AutonomyLevel.RESPONSE_ONLY
      : asEnum(o.autonomy, `${field}.autonomy`, AUTONOMY_LEVEL_NAMES, "AUTONOMY_LEVEL");
  const capabilities = asArray(o.capabilities ?? [], `${field}.capabilities`, 64).map((c, i) =>
    asString(c, `${field}.capabilities[${i}]`),
  );
  const description = optString(o, "description", field);
  const webhook = optString(o, "webhook", field);
  check(field, () => checkAgentFields(autonomy, false, capabilities, description, webhook));
  const verification =
    o.verification === undefined
      ? VerificationStatus.UNVERIFIED
      : asEnum(o.verification, `${field}.verification`, VERIFICATION_STATUS_NAMES, "VERIFICATION_STATUS");
  return {
    address: addressOf(pubKeyType as AgentKeyType, pubKey),
    owner,
    name,
    pubKeyType,
    pubKey,
    autonomy,
    capabilities: normalizeCapabilities(capabilities),
    description,
    webhook,
    status: AgentStatus.ACTIVE,
    verification,
  };
}

export function parseIdentityGenesis(state: unknown): IdentityGenesis {
  const g = asObject(state ?? {}, SECTION);
  rejectUnknownKeys(g, ["params", "profiles", "agents"], SECTION);
  const params = parseParams(g.params);

  const byAddress = new Map<string, Seeded<Profile>>();
  const handles = new Set<string>();
  const profiles = asArray(g.profiles ?? [], `${SECTION}.profiles`, MAX_GENESIS_PROFILES).map((entry, i) => {
    const field = `${SECTION}.profiles[${i}]`;
    const p = parseProfile(entry, field);
    if (byAddress.has(p.address))
      throw new GenesisFieldError(`${field}.address`, "duplicates an earlier profile");
    if (handles.has(p.handle)) throw new GenesisFieldError(`${field}.handle`, `@${p.handle} is taken`);
    byAddress.set(p.address, p);
    handles.add(p.handle);
    return p;
  });

  const agentAddresses = new Set<string>();
  const names = new Set<string>();
  const perOwner = new Map<string, number>();
  const agents = asArray(g.agents ?? [], `${SECTION}.agents`, MAX_GENESIS_AGENTS).map((entry, i) => {
    const field = `${SECTION}.agents[${i}]`;
    const a = parseAgent(entry, field);
    const owner = byAddress.get(a.owner);
    if (!owner) throw new GenesisFieldError(`${field}.owner`, "must be the address of a profile in profiles");
    if (byAddress.has(a.address) || agentAddresses.has(a.address))
      throw new GenesisFieldError(
        `${field}.pub_key`,
        `its address ${a.address} is already a profile or an agent`,
      );
    const ownerName = `${a.owner}/${a.name}`;
    if (names.has(ownerName))
      throw new GenesisFieldError(`${field}.name`, `@${owner.handle}/${a.name} exists`);
    const count = (perOwner.get(a.owner) ?? 0) + 1;
    if (count > params.maxAgentsPerOwner)
      throw new GenesisFieldError(`${field}.owner`, `owns more than ${params.maxAgentsPerOwner} agents`);
    agentAddresses.add(a.address);
    names.add(ownerName);
    perOwner.set(a.owner, count);
    return a;
  });
  return { params, profiles, agents };
}

export function initIdentityGenesis(ctx: ExecContext, state: unknown): void {
  const genesis = parseIdentityGenesis(state);
  const { store } = ctx;
  const createdHeight = ctx.block.height;
  const createdAt = ctx.block.time.seconds;
  setIdentityParams(store, genesis.params);
  for (const p of genesis.profiles) {
    setProfile(store, { ...p, createdHeight, createdAt });
    setHandle(store, p.handle, p.address);
  }
  const counts = new Map<string, number>();
  for (const a of genesis.agents) {
    setAgent(store, { ...a, createdHeight, createdAt });
    setAgentOfOwner(store, a.owner, a.name, a.address);
    counts.set(a.owner, (counts.get(a.owner) ?? 0) + 1);
  }
  // Map iteration follows insertion, i.e. the genesis file's order: the same on every node.
  for (const [owner, count] of counts) setActiveAgentCount(store, owner, count);
}
