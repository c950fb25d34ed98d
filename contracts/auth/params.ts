import { Params } from "cosmjs-types/cosmos/auth/v1beta1/auth";
import { DecodedByIdentity } from "../lib/decoded-by-identity.js";
import type { KVReader, KVStore } from "../types.js";
import { AUTH_PARAMS_KEY } from "./keeper.js";

/** x/auth params with Cosmos SDK defaults; governance can change them later. */
export interface AuthParams {
  readonly maxMemoCharacters: bigint;
  readonly txSigLimit: bigint;
  readonly txSizeCostPerByte: bigint;
  readonly sigVerifyCostEd25519: bigint;
  readonly sigVerifyCostSecp256k1: bigint;
}

export const DEFAULT_AUTH_PARAMS: AuthParams = Object.freeze({
  maxMemoCharacters: 256n,
  txSigLimit: 7n,
  txSizeCostPerByte: 10n,
  sigVerifyCostEd25519: 590n,
  sigVerifyCostSecp256k1: 1000n,
});

/** The ante handler reads these for every tx. */
const decodedParams = new DecodedByIdentity<AuthParams>((bytes) => Object.freeze(Params.decode(bytes)));

export function getAuthParams(store: KVReader): AuthParams {
  const bytes = store.get(AUTH_PARAMS_KEY);
  return bytes ? decodedParams.decode(bytes) : DEFAULT_AUTH_PARAMS;
}

export function setAuthParams(store: KVStore, params: AuthParams): void {
  store.set(AUTH_PARAMS_KEY, Params.encode(Params.fromPartial(params)).finish());
}
