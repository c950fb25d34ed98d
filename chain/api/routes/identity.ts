/** Identity REST routes (`/vivim/identity/v1/...`) over the module's gRPC-style queries. */
import {
  QueryAgentByNameRequest,
  QueryAgentByNameResponse,
  QueryAgentRequest,
  QueryAgentResponse,
  QueryAgentsOfOwnerRequest,
  QueryAgentsOfOwnerResponse,
  QueryIdentityParamsRequest,
  QueryIdentityParamsResponse,
  QueryProfileByHandleRequest,
  QueryProfileByHandleResponse,
  QueryProfileRequest,
  QueryProfileResponse,
  QueryResolveRequest,
  QueryResolveResponse,
} from "../../../contracts/identity/query.js";
import { addressParam, pageRequestParam } from "../params.js";
import type { Route } from "../router.js";
import { moduleQueryRoute } from "./module-query.js";

const BASE = "^\\/vivim\\/identity\\/v1";
const Q = "/vivim.identity.v1.Query";
const pattern = (rest: string) => new RegExp(`${BASE}${rest}$`);

export const identityRoutes: readonly Route[] = [
  moduleQueryRoute({
    name: "identity.profile",
    pattern: pattern("\\/profiles\\/([^/]+)"),
    path: `${Q}/Profile`,
    request: QueryProfileRequest,
    response: QueryProfileResponse,
    build: (req) => ({ address: addressParam(req.params[0] ?? "") }),
  }),
  moduleQueryRoute({
    name: "identity.profile_by_handle",
    pattern: pattern("\\/handles\\/([^/]+)"),
    path: `${Q}/ProfileByHandle`,
    request: QueryProfileByHandleRequest,
    response: QueryProfileByHandleResponse,
    build: (req) => ({ handle: req.params[0] ?? "" }),
  }),
  moduleQueryRoute({
    name: "identity.agent_by_name",
    pattern: pattern("\\/agents\\/by-name\\/([^/]+)\\/([^/]+)"),
    path: `${Q}/AgentByName`,
    request: QueryAgentByNameRequest,
    response: QueryAgentByNameResponse,
    build: (req) => ({ name: `${req.params[0] ?? ""}/${req.params[1] ?? ""}` }),
  }),
  moduleQueryRoute({
    name: "identity.agent",
    pattern: pattern("\\/agents\\/([^/]+)"),
    path: `${Q}/Agent`,
    request: QueryAgentRequest,
    response: QueryAgentResponse,
    build: (req) => ({ address: addressParam(req.params[0] ?? "") }),
  }),
  moduleQueryRoute({
    name: "identity.agents_of_owner",
    pattern: pattern("\\/owners\\/([^/]+)\\/agents"),
    path: `${Q}/AgentsOfOwner`,
    request: QueryAgentsOfOwnerRequest,
    response: QueryAgentsOfOwnerResponse,
    build: (req) => ({ owner: addressParam(req.params[0] ?? ""), pagination: pageRequestParam(req.query) }),
  }),
  moduleQueryRoute({
    name: "identity.resolve",
    pattern: pattern("\\/resolve\\/([^/]+)"),
    path: `${Q}/Resolve`,
    request: QueryResolveRequest,
    response: QueryResolveResponse,
    build: (req) => ({ address: addressParam(req.params[0] ?? "") }),
  }),
  moduleQueryRoute({
    name: "identity.params",
    pattern: pattern("\\/params"),
    path: `${Q}/Params`,
    request: QueryIdentityParamsRequest,
    response: QueryIdentityParamsResponse,
    build: () => ({}),
  }),
];
