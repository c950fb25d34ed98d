import {
  Bech32PrefixResponse,
  QueryAccountRequest,
  QueryAccountResponse,
  QueryParamsResponse,
} from "cosmjs-types/cosmos/auth/v1beta1/query";
import { ADDRESS_PREFIX, decodeAddress } from "../../chain/crypto/address.js";
import { CodedError, SdkErrors } from "../../chain/errors/codes.js";
import { asArray, asObject, asString, asUint, GenesisFieldError, rejectUnknownKeys } from "../lib/genesis.js";
import type { ContractModule, ExecContext, QueryContext } from "../types.js";
import { accountKey, createAccount } from "./keeper.js";
import { type AuthParams, DEFAULT_AUTH_PARAMS, getAuthParams, setAuthParams } from "./params.js";

const MAX_GENESIS_ACCOUNTS = 1_000_000;

function queryAccount(ctx: QueryContext, request: Uint8Array): Uint8Array {
  const { address } = QueryAccountRequest.decode(request);
  const bytes = ctx.get(accountKey(decodeAddress(address)));
  if (!bytes) {
    // The exact text cosmjs maps to a `null` account (see cosmjs-surface.md §4.2).
    throw new CodedError(
      SdkErrors.KeyNotFound,
      `rpc error: code = NotFound desc = account ${address} not found`,
    );
  }
  return QueryAccountResponse.encode({
    account: { typeUrl: "/cosmos.auth.v1beta1.BaseAccount", value: bytes },
  }).finish();
}

function queryParams(ctx: QueryContext): Uint8Array {
  return QueryParamsResponse.encode({ params: getAuthParams(ctx) }).finish();
}

interface AuthGenesis {
  readonly params: AuthParams;
  readonly accounts: readonly string[];
}

function parseParams(value: unknown, field: string): AuthParams {
  if (value === undefined) return DEFAULT_AUTH_PARAMS;
  const p = asObject(value, field);
  rejectUnknownKeys(
    p,
    [
      "max_memo_characters",
      "tx_sig_limit",
      "tx_size_cost_per_byte",
      "sig_verify_cost_ed25519",
      "sig_verify_cost_secp256k1",
    ],
    field,
  );
  const pick = (k: string, d: bigint): bigint => (p[k] === undefined ? d : asUint(p[k], `${field}.${k}`));
  return {
    maxMemoCharacters: pick("max_memo_characters", DEFAULT_AUTH_PARAMS.maxMemoCharacters),
    txSigLimit: pick("tx_sig_limit", DEFAULT_AUTH_PARAMS.txSigLimit),
    txSizeCostPerByte: pick("tx_size_cost_per_byte", DEFAULT_AUTH_PARAMS.txSizeCostPerByte),
    sigVerifyCostEd25519: pick("sig_verify_cost_ed25519", DEFAULT_AUTH_PARAMS.sigVerifyCostEd25519),
    sigVerifyCostSecp256k1: pick("sig_verify_cost_secp256k1", DEFAULT_AUTH_PARAMS.sigVerifyCostSecp256k1),
  };
}

function parseGenesis(state: unknown): AuthGenesis {
  const g = asObject(state ?? {}, "app_state.auth");
  rejectUnknownKeys(g, ["params", "accounts"], "app_state.auth");
  const seen = new Set<string>();
  const accounts = asArray(g.accounts ?? [], "app_state.auth.accounts", MAX_GENESIS_ACCOUNTS).map(
    (entry, i) => {
      const field = `app_state.auth.accounts[${i}]`;
      const a = asObject(entry, field);
      rejectUnknownKeys(a, ["address"], field);
      const address = asString(a.address, `${field}.address`);
      try {
        decodeAddress(address);
      } catch {
        throw new GenesisFieldError(`${field}.address`, `not a valid ${ADDRESS_PREFIX} address`);
      }
      if (seen.has(address)) throw new GenesisFieldError(`${field}.address`, "duplicate account");
      seen.add(address);
      return address;
    },
  );
  return { params: parseParams(g.params, "app_state.auth.params"), accounts };
}

export const authModule: ContractModule = {
  name: "auth",
  msgs: [],
  queries: {
    "/cosmos.auth.v1beta1.Query/Account": queryAccount,
    "/cosmos.auth.v1beta1.Query/Params": (ctx) => queryParams(ctx),
    "/cosmos.auth.v1beta1.Query/Bech32Prefix": () =>
      Bech32PrefixResponse.encode({ bech32Prefix: ADDRESS_PREFIX }).finish(),
  },
  validateGenesis(state) {
    parseGenesis(state);
  },
  initGenesis(ctx: ExecContext, state) {
    const genesis = parseGenesis(state);
    setAuthParams(ctx.store, genesis.params);
    for (const address of genesis.accounts) createAccount(ctx.store, address);
  },
};
