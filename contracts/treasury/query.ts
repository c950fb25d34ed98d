/**
 * `/cosmos.distribution.v1beta1.Query/CommunityPool`: the treasury account's bank balances as
 * `DecCoin`s (amounts in LegacyDec wire form, see dec.ts), as cosmjs's
 * `DistributionExtension.communityPool()` reads them.
 */
import {
  QueryCommunityPoolRequest,
  QueryCommunityPoolResponse,
} from "cosmjs-types/cosmos/distribution/v1beta1/query";
import { decodeAddress } from "../../chain/crypto/address.js";
import { CodedError, SdkErrors } from "../../chain/errors/codes.js";
import { balanceFromEntry, balancePrefix } from "../bank/keeper.js";
import { intToLegacyDec } from "../lib/decimal.js";
import type { QueryContext } from "../types.js";
import { TreasuryErrors } from "./errors.js";
import { TREASURY_ADDRESS } from "./keeper.js";

/** One answer lists at most this many denoms (more: page through bank's AllBalances instead). */
export const MAX_POOL_DENOMS = 1000;

export async function queryCommunityPool(ctx: QueryContext, request: Uint8Array): Promise<Uint8Array> {
  try {
    QueryCommunityPoolRequest.decode(request);
  } catch {
    throw new CodedError(
      SdkErrors.InvalidRequest,
      "malformed cosmos.distribution.v1beta1.QueryCommunityPoolRequest",
    );
  }
  const prefix = balancePrefix(decodeAddress(TREASURY_ADDRESS));
  const rows = await ctx.range(prefix, { limit: MAX_POOL_DENOMS + 1 });
  if (rows.length > MAX_POOL_DENOMS)
    throw new CodedError(
      TreasuryErrors.PoolTooLarge,
      `more than ${MAX_POOL_DENOMS} denoms; use /cosmos.bank.v1beta1.Query/AllBalances for ${TREASURY_ADDRESS}`,
    );
  const pool = rows.map(([k, v]) => {
    const coin = balanceFromEntry(prefix.length, k, v);
    return { denom: coin.denom, amount: intToLegacyDec(coin.amount) };
  });
  return QueryCommunityPoolResponse.encode({ pool }).finish();
}
