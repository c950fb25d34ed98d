/** Escrow REST routes (`/vivim/escrow/v1/...`) over the module's gRPC-style queries. */
import {
  QueryBountiesRequest,
  QueryBountiesResponse,
  QueryBountyRequest,
  QueryBountyResponse,
  QueryEscrowParamsRequest,
  QueryEscrowParamsResponse,
} from "../../../contracts/escrow/query.js";
import { BOUNTY_STATUS_NAMES, BountyStatus } from "../../../contracts/escrow/records.js";
import { badRequest } from "../http.js";
import { addressParam, pageRequestParam } from "../params.js";
import type { Route } from "../router.js";
import { moduleQueryRoute } from "./module-query.js";

const BASE = "^\\/vivim\\/escrow\\/v1";
const Q = "/vivim.escrow.v1.Query";
const pattern = (rest: string) => new RegExp(`${BASE}${rest}$`);

/** `?status=OPEN`, `BOUNTY_STATUS_OPEN` or its number; absent = any status. */
function statusParam(query: URLSearchParams): BountyStatus {
  const v = query.get("status");
  if (v === null || v === "") return BountyStatus.UNSPECIFIED;
  const upper = v.toUpperCase();
  const byName = BOUNTY_STATUS_NAMES.findIndex((n) => n === upper || n === `BOUNTY_STATUS_${upper}`);
  if (byName >= 0) return byName;
  if (/^\d$/.test(v) && Number(v) < BOUNTY_STATUS_NAMES.length) return Number(v);
  throw badRequest(`status must be one of ${BOUNTY_STATUS_NAMES.slice(1).join(", ")}`);
}

function optionalAddress(query: URLSearchParams, name: string): string {
  const v = query.get(name);
  return v ? addressParam(v) : "";
}

export const escrowRoutes: readonly Route[] = [
  moduleQueryRoute({
    name: "escrow.bounty",
    pattern: pattern("\\/bounties\\/([^/]+)"),
    path: `${Q}/Bounty`,
    request: QueryBountyRequest,
    response: QueryBountyResponse,
    build: (req) => {
      const id = req.params[0] ?? "";
      if (!/^[1-9]\d{0,19}$/.test(id) || BigInt(id) >= 2n ** 64n)
        throw badRequest("id must be a positive integer");
      return { id: BigInt(id) };
    },
  }),
  moduleQueryRoute({
    name: "escrow.bounties",
    pattern: pattern("\\/bounties"),
    path: `${Q}/Bounties`,
    request: QueryBountiesRequest,
    response: QueryBountiesResponse,
    build: (req) => ({
      status: statusParam(req.query),
      creator: optionalAddress(req.query, "creator"),
      worker: optionalAddress(req.query, "worker"),
      pagination: pageRequestParam(req.query),
    }),
  }),
  moduleQueryRoute({
    name: "escrow.params",
    pattern: pattern("\\/params"),
    path: `${Q}/Params`,
    request: QueryEscrowParamsRequest,
    response: QueryEscrowParamsResponse,
    build: () => ({}),
  }),
];
