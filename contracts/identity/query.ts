/**
 * Queries of the identity module (proto/vivim/identity/v1/query.proto), at
 * `/vivim.identity.v1.Query/<Name>` over abci_query and under `/vivim/identity/v1/...` over REST.
 * A missing profile or agent is NotFound (404); a malformed argument InvalidRequest (400).
 */
import { defineMessage, prefixedEnumNames } from "../../chain/codec/proto-message.js";
import { encodeAddress } from "../../chain/crypto/address.js";
import { CodedError, SdkErrors } from "../../chain/errors/codes.js";
import { defineQuery } from "../lib/define.js";
import { PageRequest, PageResponse } from "../lib/proto-common.js";
import { key } from "../lib/store.js";
import type { QueryContext, QueryHandler } from "../types.js";
import {
  addressOfHandle,
  agentOfOwner,
  displayName,
  getActor,
  getAgent,
  getIdentityParams,
  getProfile,
  ownerAgentsPrefix,
} from "./keeper.js";
import { Agent, IdentityParams, Profile } from "./records.js";
import { checkAddress, HANDLE_PATTERN, parseAgentFullName } from "./validation.js";

const PKG = "vivim.identity.v1";

/** Who an address is, as Resolve answers. */
export enum ActorKind {
  NONE = 0,
  HUMAN = 1,
  AGENT = 2,
}

export const ACTOR_KIND_NAMES = prefixedEnumNames("ACTOR_KIND", ActorKind);

export interface QueryProfileRequest {
  address: string;
}
export const QueryProfileRequest = defineMessage<QueryProfileRequest>(`${PKG}.QueryProfileRequest`, [
  { no: 1, name: "address", kind: "string" },
]);

export interface QueryProfileResponse {
  profile: Profile | undefined;
}
export const QueryProfileResponse = defineMessage<QueryProfileResponse>(`${PKG}.QueryProfileResponse`, [
  { no: 1, name: "profile", kind: "message", type: () => Profile },
]);

export interface QueryProfileByHandleRequest {
  /** With or without the leading `@`; case-insensitive. */
  handle: string;
}
export const QueryProfileByHandleRequest = defineMessage<QueryProfileByHandleRequest>(
  `${PKG}.QueryProfileByHandleRequest`,
  [{ no: 1, name: "handle", kind: "string" }],
);

export interface QueryProfileByHandleResponse {
  profile: Profile | undefined;
}
export const QueryProfileByHandleResponse = defineMessage<QueryProfileByHandleResponse>(
  `${PKG}.QueryProfileByHandleResponse`,
  [{ no: 1, name: "profile", kind: "message", type: () => Profile }],
);

export interface QueryAgentRequest {
  address: string;
}
export const QueryAgentRequest = defineMessage<QueryAgentRequest>(`${PKG}.QueryAgentRequest`, [
  { no: 1, name: "address", kind: "string" },
]);

export interface QueryAgentResponse {
  agent: Agent | undefined;
  ownerHandle: string;
  /** `@<owner handle>/<name>`. */
  fullName: string;
}
export const QueryAgentResponse = defineMessage<QueryAgentResponse>(`${PKG}.QueryAgentResponse`, [
  { no: 1, name: "agent", kind: "message", type: () => Agent },
  { no: 2, name: "ownerHandle", kind: "string" },
  { no: 3, name: "fullName", kind: "string" },
]);

export interface QueryAgentByNameRequest {
  /** `@alice/codebot` or `alice/codebot`. */
  name: string;
}
export const QueryAgentByNameRequest = defineMessage<QueryAgentByNameRequest>(
  `${PKG}.QueryAgentByNameRequest`,
  [{ no: 1, name: "name", kind: "string" }],
);

export interface QueryAgentByNameResponse {
  agent: Agent | undefined;
  ownerHandle: string;
  fullName: string;
}
export const QueryAgentByNameResponse = defineMessage<QueryAgentByNameResponse>(
  `${PKG}.QueryAgentByNameResponse`,
  [
    { no: 1, name: "agent", kind: "message", type: () => Agent },
    { no: 2, name: "ownerHandle", kind: "string" },
    { no: 3, name: "fullName", kind: "string" },
  ],
);

export interface QueryAgentsOfOwnerRequest {
  owner: string;
  pagination: PageRequest | undefined;
}
export const QueryAgentsOfOwnerRequest = defineMessage<QueryAgentsOfOwnerRequest>(
  `${PKG}.QueryAgentsOfOwnerRequest`,
  [
    { no: 1, name: "owner", kind: "string" },
    { no: 2, name: "pagination", kind: "message", type: () => PageRequest },
  ],
);

export interface QueryAgentsOfOwnerResponse {
  /** By name; retired agents included (their status says so). */
  agents: Agent[];
  pagination: PageResponse | undefined;
}
export const QueryAgentsOfOwnerResponse = defineMessage<QueryAgentsOfOwnerResponse>(
  `${PKG}.QueryAgentsOfOwnerResponse`,
  [
    { no: 1, name: "agents", kind: "message", type: () => Agent, repeated: true },
    { no: 2, name: "pagination", kind: "message", type: () => PageResponse },
  ],
);

export interface QueryResolveRequest {
  address: string;
}
export const QueryResolveRequest = defineMessage<QueryResolveRequest>(`${PKG}.QueryResolveRequest`, [
  { no: 1, name: "address", kind: "string" },
]);

export interface QueryResolveResponse {
  kind: ActorKind;
  /** The human's profile (kind HUMAN). */
  profile: Profile | undefined;
  /** The agent (kind AGENT). */
  agent: Agent | undefined;
  /** The agent owner's handle (kind AGENT). */
  ownerHandle: string;
  /** `@handle` or `@owner/agent`; empty for NONE. */
  displayName: string;
}
export const QueryResolveResponse = defineMessage<QueryResolveResponse>(`${PKG}.QueryResolveResponse`, [
  { no: 1, name: "kind", kind: "enum", values: ACTOR_KIND_NAMES },
  { no: 2, name: "profile", kind: "message", type: () => Profile },
  { no: 3, name: "agent", kind: "message", type: () => Agent },
  { no: 4, name: "ownerHandle", kind: "string" },
  { no: 5, name: "displayName", kind: "string" },
]);

export type QueryIdentityParamsRequest = Record<string, never>;
/** `vivim.identity.v1.QueryParamsRequest`. */
export const QueryIdentityParamsRequest = defineMessage<QueryIdentityParamsRequest>(
  `${PKG}.QueryParamsRequest`,
  [],
);

export interface QueryIdentityParamsResponse {
  params: IdentityParams | undefined;
}
/** `vivim.identity.v1.QueryParamsResponse`. */
export const QueryIdentityParamsResponse = defineMessage<QueryIdentityParamsResponse>(
  `${PKG}.QueryParamsResponse`,
  [{ no: 1, name: "params", kind: "message", type: () => IdentityParams }],
);

export const DEFAULT_PAGE_LIMIT = 20;
export const MAX_PAGE_LIMIT = 100;
/** Longer than any page key this module hands out (an agent name). */
const MAX_PAGE_KEY = 64;

function addressArg(address: string, field: string): string {
  try {
    checkAddress(address, field);
  } catch (err) {
    throw new CodedError(SdkErrors.InvalidRequest, err instanceof CodedError ? err.log : `invalid ${field}`);
  }
  return address;
}

function notFound(what: string): CodedError {
  return new CodedError(SdkErrors.NotFound, what);
}

function agentAnswer(ctx: QueryContext, agent: Agent) {
  const ownerHandle = getProfile(ctx, agent.owner)?.handle ?? "";
  return { agent, ownerHandle, fullName: `@${ownerHandle}/${agent.name}` };
}

function profileByHandle(ctx: QueryContext, handle: string): Profile {
  const normalized = (handle.startsWith("@") ? handle.slice(1) : handle).toLowerCase();
  if (!HANDLE_PATTERN.test(normalized))
    throw new CodedError(SdkErrors.InvalidRequest, "handle must match [a-z0-9_]{3,32}");
  const address = addressOfHandle(ctx, normalized);
  const profile = address ? getProfile(ctx, address) : undefined;
  if (!profile) throw notFound(`no profile with handle @${normalized}`);
  return profile;
}

async function agentsOfOwner(
  ctx: QueryContext,
  req: QueryAgentsOfOwnerRequest,
): Promise<QueryAgentsOfOwnerResponse> {
  const owner = addressArg(req.owner, "owner");
  const page = req.pagination;
  const limit = page?.limit ? Number(page.limit) : DEFAULT_PAGE_LIMIT;
  if (limit > MAX_PAGE_LIMIT)
    throw new CodedError(SdkErrors.InvalidRequest, `pagination limit must be at most ${MAX_PAGE_LIMIT}`);
  if (page?.offset) throw new CodedError(SdkErrors.InvalidRequest, "use pagination.key, not offset");
  if (page?.reverse) throw new CodedError(SdkErrors.NotSupported, "reverse pagination");
  if (page && page.key.length > MAX_PAGE_KEY)
    throw new CodedError(SdkErrors.InvalidRequest, "bad pagination.key");
  if (!getProfile(ctx, owner)) throw notFound(`${owner} has no profile`);

  const prefix = ownerAgentsPrefix(owner);
  const after = page && page.key.length > 0 ? key(prefix, page.key) : undefined;
  const rows = await ctx.range(prefix, { limit: limit + 1, ...(after ? { after } : {}) });
  const window = rows.slice(0, limit);
  const agents: Agent[] = [];
  for (const [, value] of window) {
    const agent = getAgent(ctx, encodeAddress(value));
    if (agent) agents.push(agent);
  }
  const last = window[window.length - 1];
  return {
    agents,
    pagination: {
      nextKey: rows.length > limit && last ? last[0].subarray(prefix.length) : new Uint8Array(),
      total: 0n,
    },
  };
}

export const identityQueries: Readonly<Record<string, QueryHandler>> = {
  [`/${PKG}.Query/Profile`]: defineQuery(QueryProfileRequest, QueryProfileResponse, (ctx, req) => {
    const address = addressArg(req.address, "address");
    const profile = getProfile(ctx, address);
    if (!profile) throw notFound(`${address} has no profile`);
    return { profile };
  }),

  [`/${PKG}.Query/ProfileByHandle`]: defineQuery(
    QueryProfileByHandleRequest,
    QueryProfileByHandleResponse,
    (ctx, req) => ({ profile: profileByHandle(ctx, req.handle) }),
  ),

  [`/${PKG}.Query/Agent`]: defineQuery(QueryAgentRequest, QueryAgentResponse, (ctx, req) => {
    const address = addressArg(req.address, "address");
    const agent = getAgent(ctx, address);
    if (!agent) throw notFound(`no agent at ${address}`);
    return agentAnswer(ctx, agent);
  }),

  [`/${PKG}.Query/AgentByName`]: defineQuery(
    QueryAgentByNameRequest,
    QueryAgentByNameResponse,
    (ctx, req) => {
      const parsed = parseAgentFullName(req.name.toLowerCase());
      if (!parsed) throw new CodedError(SdkErrors.InvalidRequest, "name must look like @owner/agent");
      const owner = addressOfHandle(ctx, parsed.ownerHandle);
      const address = owner ? agentOfOwner(ctx, owner, parsed.name) : undefined;
      const agent = address ? getAgent(ctx, address) : undefined;
      if (!agent) throw notFound(`no agent @${parsed.ownerHandle}/${parsed.name}`);
      return agentAnswer(ctx, agent);
    },
  ),

  [`/${PKG}.Query/AgentsOfOwner`]: defineQuery(
    QueryAgentsOfOwnerRequest,
    QueryAgentsOfOwnerResponse,
    agentsOfOwner,
  ),

  [`/${PKG}.Query/Resolve`]: defineQuery(QueryResolveRequest, QueryResolveResponse, (ctx, req) => {
    const address = addressArg(req.address, "address");
    const actor = getActor(ctx, address);
    if (!actor) return { kind: ActorKind.NONE };
    if (actor.kind === "human")
      return { kind: ActorKind.HUMAN, profile: actor.profile, displayName: displayName(actor) };
    return {
      kind: ActorKind.AGENT,
      agent: actor.agent,
      ownerHandle: actor.owner.handle,
      displayName: displayName(actor),
    };
  }),

  [`/${PKG}.Query/Params`]: defineQuery(QueryIdentityParamsRequest, QueryIdentityParamsResponse, (ctx) => ({
    params: getIdentityParams(ctx),
  })),
};
