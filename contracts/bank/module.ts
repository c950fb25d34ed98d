import {
  QueryAllBalancesRequest,
  QueryAllBalancesResponse,
  QueryBalanceRequest,
  QueryBalanceResponse,
  QueryParamsResponse,
  QuerySupplyOfRequest,
  QuerySupplyOfResponse,
  QueryTotalSupplyRequest,
  QueryTotalSupplyResponse,
} from "cosmjs-types/cosmos/bank/v1beta1/query";
import { decodeAddress } from "../../chain/crypto/address.js";
import { CodedError, SdkErrors } from "../../chain/errors/codes.js";
import { getOrCreateAccount } from "../auth/keeper.js";
import { type Coin, isValidDenom, validateCoins } from "../lib/coins.js";
import { asArray, asObject, asString, GenesisFieldError, rejectUnknownKeys } from "../lib/genesis.js";
import { paginate } from "../lib/pagination.js";
import type { ContractModule, QueryContext } from "../types.js";
import {
  balanceFromEntry,
  balancePrefix,
  getBalance,
  getSupply,
  mintGenesisCoins,
  SUPPLY_PREFIX,
  supplyFromEntry,
} from "./keeper.js";
import { msgSend } from "./msg-send.js";
import { type BankParams, DEFAULT_BANK_PARAMS, getBankParams, setBankParams } from "./params.js";

const MAX_GENESIS_BALANCES = 1_000_000;

function assertDenom(denom: string): void {
  if (!isValidDenom(denom))
    throw new CodedError(SdkErrors.InvalidCoins, `invalid denom ${JSON.stringify(denom).slice(0, 140)}`);
}

function queryBalance(ctx: QueryContext, request: Uint8Array): Uint8Array {
  const { address, denom } = QueryBalanceRequest.decode(request);
  assertDenom(denom);
  // cosmjs asserts `balance` is present: a missing balance is a zero coin, never an absent field.
  const amount = getBalance(ctx, address, denom);
  return QueryBalanceResponse.encode({ balance: { denom, amount: amount.toString() } }).finish();
}

async function queryAllBalances(ctx: QueryContext, request: Uint8Array): Promise<Uint8Array> {
  const req = QueryAllBalancesRequest.decode(request);
  const prefix = balancePrefix(decodeAddress(req.address));
  const { entries, pagination } = await paginate(ctx, prefix, req.pagination);
  const balances = entries.map(([k, v]) => balanceFromEntry(prefix.length, k, v));
  return QueryAllBalancesResponse.encode({ balances, pagination }).finish();
}

async function queryTotalSupply(ctx: QueryContext, request: Uint8Array): Promise<Uint8Array> {
  const req = QueryTotalSupplyRequest.decode(request);
  const { entries, pagination } = await paginate(ctx, SUPPLY_PREFIX, req.pagination);
  return QueryTotalSupplyResponse.encode({
    supply: entries.map(([k, v]) => supplyFromEntry(k, v)),
    pagination,
  }).finish();
}

function querySupplyOf(ctx: QueryContext, request: Uint8Array): Uint8Array {
  const { denom } = QuerySupplyOfRequest.decode(request);
  assertDenom(denom);
  return QuerySupplyOfResponse.encode({
    amount: { denom, amount: getSupply(ctx, denom).toString() },
  }).finish();
}

interface BankGenesis {
  readonly params: BankParams;
  readonly balances: ReadonlyArray<{ address: string; coins: Coin[] }>;
}

function parseGenesis(state: unknown): BankGenesis {
  const g = asObject(state ?? {}, "app_state.bank");
  rejectUnknownKeys(g, ["params", "balances"], "app_state.bank");
  let params = DEFAULT_BANK_PARAMS;
  if (g.params !== undefined) {
    const p = asObject(g.params, "app_state.bank.params");
    rejectUnknownKeys(p, ["default_send_enabled"], "app_state.bank.params");
    if (p.default_send_enabled !== undefined && typeof p.default_send_enabled !== "boolean") {
      throw new GenesisFieldError("app_state.bank.params.default_send_enabled", "must be a boolean");
    }
    params = { defaultSendEnabled: p.default_send_enabled !== false };
  }
  const seen = new Set<string>();
  const balances = asArray(g.balances ?? [], "app_state.bank.balances", MAX_GENESIS_BALANCES).map(
    (entry, i) => {
      const field = `app_state.bank.balances[${i}]`;
      const b = asObject(entry, field);
      rejectUnknownKeys(b, ["address", "coins"], field);
      const address = asString(b.address, `${field}.address`);
      try {
        decodeAddress(address);
      } catch {
        throw new GenesisFieldError(`${field}.address`, "not a valid vivim address");
      }
      if (seen.has(address)) throw new GenesisFieldError(`${field}.address`, "duplicate balance entry");
      seen.add(address);
      const coins = asArray(b.coins, `${field}.coins`, 64).map((c, j) => {
        const coin = asObject(c, `${field}.coins[${j}]`);
        rejectUnknownKeys(coin, ["denom", "amount"], `${field}.coins[${j}]`);
        return {
          denom: asString(coin.denom, `${field}.coins[${j}].denom`),
          amount: asString(coin.amount, `${field}.coins[${j}].amount`),
        };
      });
      try {
        validateCoins(coins);
      } catch (err) {
        throw new GenesisFieldError(`${field}.coins`, err instanceof Error ? err.message : "invalid coins");
      }
      return { address, coins };
    },
  );
  return { params, balances };
}

export const bankModule: ContractModule = {
  name: "bank",
  msgs: [msgSend as never],
  queries: {
    "/cosmos.bank.v1beta1.Query/Balance": queryBalance,
    "/cosmos.bank.v1beta1.Query/AllBalances": queryAllBalances,
    "/cosmos.bank.v1beta1.Query/TotalSupply": queryTotalSupply,
    "/cosmos.bank.v1beta1.Query/SupplyOf": querySupplyOf,
    "/cosmos.bank.v1beta1.Query/Params": (ctx) =>
      QueryParamsResponse.encode({
        params: { sendEnabled: [], defaultSendEnabled: getBankParams(ctx).defaultSendEnabled },
      }).finish(),
  },
  validateGenesis(state) {
    parseGenesis(state);
  },
  initGenesis(ctx, state) {
    const genesis = parseGenesis(state);
    setBankParams(ctx.store, genesis.params);
    for (const { address, coins } of genesis.balances) {
      // Funded addresses get accounts at genesis, as x/genutil gives them.
      getOrCreateAccount(ctx.store, address);
      mintGenesisCoins(ctx.store, address, coins);
    }
  },
};
