/** `GET /cosmos/auth/v1beta1/accounts/{address}`: the account as a BaseAccount Any. */
import { QueryAccountRequest, QueryAccountResponse } from "cosmjs-types/cosmos/auth/v1beta1/query";
import { grpcQuery } from "../abci.js";
import { ApiError, type RouteResult } from "../http.js";
import { addressParam } from "../params.js";
import { protoToJson } from "../proto-json.js";
import type { ApiContext, Route, RouteRequest } from "../router.js";
import { resolveAccountAny } from "../schemas.js";

async function account(ctx: ApiContext, req: RouteRequest): Promise<RouteResult> {
  const address = addressParam(req.params[0] ?? "");
  const res = await grpcQuery(
    ctx.node,
    "/cosmos.auth.v1beta1.Query/Account",
    QueryAccountRequest,
    { address },
    QueryAccountResponse,
  );
  if (!res.account) throw new ApiError("NOT_FOUND", `account ${address} not found`);
  const schema = resolveAccountAny(res.account.typeUrl);
  if (!schema) throw new ApiError("INTERNAL", "internal error");
  return {
    json: {
      account: { "@type": res.account.typeUrl, ...protoToJson(res.account.value, schema, resolveAccountAny) },
    },
  };
}

export const authRoutes: readonly Route[] = [
  {
    method: "GET",
    pattern: /^\/cosmos\/auth\/v1beta1\/accounts\/([^/]+)$/,
    name: "auth.account",
    handler: account,
  },
];
