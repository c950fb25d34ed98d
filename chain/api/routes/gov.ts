/**
 * Governance over REST, at the paths and in the JSON of the Cosmos SDK's gateway for x/gov
 * (`/cosmos/gov/v1/…`, `/cosmos/gov/v1beta1/…`), so wallets and explorers read proposals as on any
 * Cosmos chain, plus VIVIM's own (`/vivim/gov/v1/…`: electorate, stage, timelock, voting power).
 * Every route runs the same protobuf query cosmjs sends over abci_query (gov-json.ts renders it).
 *
 * Errors as the SDK answers them: a bad path or query parameter is 400, an unknown proposal (gov/2)
 * or a missing vote or deposit is 404, offset pagination of proposals is 501.
 */
import { GovErrors } from "../../../contracts/gov/errors.js";
import { SdkErrors } from "../../errors/codes.js";
import {
  GovQueries,
  type GovQuery,
  PROPOSAL_STATUS_CHOICES,
  parseProposalId,
  parseProposalStatus,
} from "../gov-json.js";
import { ApiError, badRequest, notFound, type RouteResult } from "../http.js";
import { addressParam, pageRequestParam } from "../params.js";
import type { ApiContext, Route, RouteRequest } from "../router.js";

const NOT_FOUND_CODES: ReadonlySet<number> = new Set([SdkErrors.NotFound.code, SdkErrors.KeyNotFound.code]);
const NOT_IMPLEMENTED_CODES: ReadonlySet<number> = new Set([
  SdkErrors.NotSupported.code,
  SdkErrors.UnknownRequest.code,
]);
const BAD_REQUEST_CODES: ReadonlySet<number> = new Set([
  SdkErrors.InvalidRequest.code,
  SdkErrors.InvalidAddress.code,
  SdkErrors.InvalidCoins.code,
]);

/** The ABCI refusal of a gov query as the gateway's error (abci.ts's mapping, plus gov/2 → 404). */
function queryError(r: { code: number; codespace: string; log: string }): ApiError {
  const log = r.log.replace(/^rpc error: code = \w+ desc = /, "");
  if (r.codespace === GovErrors.UnknownProposal.codespace)
    return r.code === GovErrors.UnknownProposal.code ? notFound(log) : badRequest(log);
  if (r.codespace === "sdk") {
    if (NOT_FOUND_CODES.has(r.code)) return notFound(log);
    if (BAD_REQUEST_CODES.has(r.code)) return badRequest(log);
    if (NOT_IMPLEMENTED_CODES.has(r.code)) return new ApiError("NOT_IMPLEMENTED", log);
  }
  return new ApiError("INTERNAL", "internal error");
}

async function run<Req>(ctx: ApiContext, q: GovQuery<Req>, fields: Partial<Req>): Promise<RouteResult> {
  const r = await ctx.node.app.query({ path: q.path, data: q.request(fields), prove: false });
  if (r.code !== 0) throw queryError(r);
  return { json: q.json(r.value, ctx.resolvers.body) };
}

function route<Req>(
  name: string,
  pattern: string,
  q: GovQuery<Req>,
  build: (req: RouteRequest) => Partial<Req> = () => ({}),
): Route {
  return {
    method: "GET",
    pattern: new RegExp(`^${pattern.replace(/\//g, "\\/")}$`),
    name,
    handler: (ctx, req) => run(ctx, q, build(req)),
  };
}

// ---------------------------------------------------------------- parameters

function proposalIdParam(text: string): bigint {
  const id = parseProposalId(text);
  if (id === undefined) throw badRequest("proposal_id must be a positive integer");
  return id;
}

const id = (req: RouteRequest) => ({ proposalId: proposalIdParam(req.params[0] ?? "") });

function statusQuery(query: URLSearchParams): number {
  const status = parseProposalStatus(query.get("proposal_status") ?? "");
  if (status === undefined) throw badRequest(`proposal_status must be one of ${PROPOSAL_STATUS_CHOICES}`);
  return status;
}

function optionalAddress(query: URLSearchParams, name: string): string {
  const v = query.get(name);
  return v ? addressParam(v) : "";
}

function proposalsRequest(req: RouteRequest) {
  return {
    proposalStatus: statusQuery(req.query),
    voter: optionalAddress(req.query, "voter"),
    depositor: optionalAddress(req.query, "depositor"),
    pagination: pageRequestParam(req.query),
  };
}

const PARAMS_TYPES = ["voting", "deposit", "tallying"];

function paramsType(req: RouteRequest): { paramsType: string } {
  const t = req.params[0] ?? "";
  if (!PARAMS_TYPES.includes(t)) throw badRequest(`params_type must be one of ${PARAMS_TYPES.join(", ")}`);
  return { paramsType: t };
}

const ID = "([^/]+)";

/** The routes x/gov's gateway serves under `/cosmos/gov/<version>`. */
function cosmosRoutes(version: "v1" | "v1beta1"): Route[] {
  const q = GovQueries[version];
  const base = `/cosmos/gov/${version}`;
  const name = (n: string) => `gov.${version}.${n}`;
  return [
    route(name("proposals"), `${base}/proposals`, q.proposals, proposalsRequest),
    route(name("proposal"), `${base}/proposals/${ID}`, q.proposal, id),
    route(name("votes"), `${base}/proposals/${ID}/votes`, q.votes, (req) => ({
      ...id(req),
      pagination: pageRequestParam(req.query),
    })),
    route(name("vote"), `${base}/proposals/${ID}/votes/${ID}`, q.vote, (req) => ({
      ...id(req),
      voter: addressParam(req.params[1] ?? ""),
    })),
    route(name("deposits"), `${base}/proposals/${ID}/deposits`, q.deposits, (req) => ({
      ...id(req),
      pagination: pageRequestParam(req.query),
    })),
    route(name("deposit"), `${base}/proposals/${ID}/deposits/${ID}`, q.deposit, (req) => ({
      ...id(req),
      depositor: addressParam(req.params[1] ?? ""),
    })),
    route(name("tally"), `${base}/proposals/${ID}/tally`, q.tally, id),
    route(name("params"), `${base}/params/${ID}`, q.params, paramsType),
  ];
}

export const govRoutes: readonly Route[] = [
  ...cosmosRoutes("v1"),
  route("gov.v1.constitution", "/cosmos/gov/v1/constitution", GovQueries.v1.constitution),
  ...cosmosRoutes("v1beta1"),
  route("gov.vivim.proposal_info", `/vivim/gov/v1/proposals/${ID}/info`, GovQueries.vivim.proposalInfo, id),
  route("gov.vivim.params", "/vivim/gov/v1/params", GovQueries.vivim.params),
  route(
    "gov.vivim.voting_power",
    `/vivim/gov/v1/proposals/${ID}/voting_power/${ID}`,
    GovQueries.vivim.votingPower,
    (req) => ({
      ...id(req),
      voter: addressParam(req.params[1] ?? ""),
    }),
  ),
];
