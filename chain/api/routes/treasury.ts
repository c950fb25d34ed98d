/**
 * The DAO treasury as the Cosmos community pool: `GET /cosmos/distribution/v1beta1/community_pool`
 * answers `{"pool":[{"denom","amount":"123.000000000000000000"}]}` as the SDK's REST does (the
 * protobuf carries the LegacyDec × 10^18 as an integer; the JSON shows the decimal).
 */
import {
  QueryCommunityPoolRequest,
  QueryCommunityPoolResponse,
} from "cosmjs-types/cosmos/distribution/v1beta1/query";
import { legacyDecText } from "../../../contracts/lib/decimal.js";
import { grpcQuery } from "../abci.js";
import type { RouteResult } from "../http.js";
import type { ApiContext, Route } from "../router.js";

async function communityPool(ctx: ApiContext): Promise<RouteResult> {
  const res = await grpcQuery(
    ctx.node,
    "/cosmos.distribution.v1beta1.Query/CommunityPool",
    QueryCommunityPoolRequest,
    {},
    QueryCommunityPoolResponse,
  );
  return { json: { pool: res.pool.map((c) => ({ denom: c.denom, amount: legacyDecText(c.amount) })) } };
}

export const treasuryRoutes: readonly Route[] = [
  {
    method: "GET",
    pattern: /^\/cosmos\/distribution\/v1beta1\/community_pool$/,
    name: "treasury.community_pool",
    handler: communityPool,
  },
];
