/** Bank balances and supply, through the bank module's gRPC query handlers. */
import {
  QueryAllBalancesRequest,
  QueryAllBalancesResponse,
  QueryBalanceRequest,
  QueryBalanceResponse,
  QueryTotalSupplyRequest,
  QueryTotalSupplyResponse,
} from "cosmjs-types/cosmos/bank/v1beta1/query";
import type { Coin } from "cosmjs-types/cosmos/base/v1beta1/coin";
import type { Json } from "../../rpc/json.js";
import { grpcQuery } from "../abci.js";
import { badRequest, type RouteResult } from "../http.js";
import { addressParam, pageRequestParam, pageResponseJson } from "../params.js";
import type { ApiContext, Route, RouteRequest } from "../router.js";

const coinJson = (c: Coin): Json => ({ denom: c.denom, amount: c.amount });

async function allBalances(ctx: ApiContext, req: RouteRequest): Promise<RouteResult> {
  const address = addressParam(req.params[0] ?? "");
  const res = await grpcQuery(
    ctx.node,
    "/cosmos.bank.v1beta1.Query/AllBalances",
    QueryAllBalancesRequest,
    { address, pagination: pageRequestParam(req.query), resolveDenom: false },
    QueryAllBalancesResponse,
  );
  return { json: { balances: res.balances.map(coinJson), pagination: pageResponseJson(res.pagination) } };
}

async function balanceByDenom(ctx: ApiContext, req: RouteRequest): Promise<RouteResult> {
  const address = addressParam(req.params[0] ?? "");
  const denom = req.query.get("denom");
  if (!denom) throw badRequest("denom query parameter is required");
  const res = await grpcQuery(
    ctx.node,
    "/cosmos.bank.v1beta1.Query/Balance",
    QueryBalanceRequest,
    { address, denom },
    QueryBalanceResponse,
  );
  return { json: { balance: res.balance ? coinJson(res.balance) : { denom, amount: "0" } } };
}

async function totalSupply(ctx: ApiContext, req: RouteRequest): Promise<RouteResult> {
  const res = await grpcQuery(
    ctx.node,
    "/cosmos.bank.v1beta1.Query/TotalSupply",
    QueryTotalSupplyRequest,
    { pagination: pageRequestParam(req.query) },
    QueryTotalSupplyResponse,
  );
  return { json: { supply: res.supply.map(coinJson), pagination: pageResponseJson(res.pagination) } };
}

export const bankRoutes: readonly Route[] = [
  {
    method: "GET",
    pattern: /^\/cosmos\/bank\/v1beta1\/balances\/([^/]+)$/,
    name: "bank.balances",
    handler: allBalances,
  },
  {
    method: "GET",
    pattern: /^\/cosmos\/bank\/v1beta1\/balances\/([^/]+)\/by_denom$/,
    name: "bank.balance_by_denom",
    handler: balanceByDenom,
  },
  { method: "GET", pattern: /^\/cosmos\/bank\/v1beta1\/supply$/, name: "bank.supply", handler: totalSupply },
];
