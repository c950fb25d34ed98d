/** Parameters and registered errors of the validators module. */
import type { RegisteredError } from "../../chain/errors/codes.js";
import { moduleAddress } from "../auth/keeper.js";
import { ModulePrefix } from "../lib/store.js";
import type { KVReader, KVStore } from "../types.js";
import { Params } from "./codec.js";

export const VALIDATORS_PARAMS_KEY = new Uint8Array([ModulePrefix.validators, 0x06]);

/** CometBFT's MaxTotalVotingPower (int64 max / 8). */
export const MAX_TOTAL_VOTING_POWER = 1152921504606846975n;
export const MAX_MONIKER_LENGTH = 70;
export const MAX_VALIDATORS_LIMIT = 10_000;
export const MAX_PENDING_UPDATES_LIMIT = 10_000;

/**
 * Defaults: the gov module account decides (issue 5 brings governance; until then a genesis may
 * name another authority), at most 100 validators, and at most 33 % of the total power changed per
 * block, below the 1/3 at which the validators of two consecutive heights could stop sharing an
 * honest +1/3 (what light clients skipping heights rely on). 100 validators of the maximum power
 * stay far below MAX_TOTAL_VOTING_POWER.
 */
export const DEFAULT_VALIDATORS_PARAMS: Params = Object.freeze({
  authority: moduleAddress("gov"),
  maxValidators: 100,
  maxPowerChangePerBlockPercent: 33,
  maxValidatorPower: 1_000_000_000_000_000n,
  maxPendingUpdates: 100,
});

export function getValidatorsParams(store: KVReader): Params {
  const bytes = store.get(VALIDATORS_PARAMS_KEY);
  return bytes ? Params.decode(bytes) : DEFAULT_VALIDATORS_PARAMS;
}

export function setValidatorsParams(store: KVStore, params: Params): void {
  store.set(VALIDATORS_PARAMS_KEY, Params.encode(params).finish());
}

function register(code: number, description: string): RegisteredError {
  return Object.freeze({ codespace: "validators", code, description });
}

export const ValidatorsErrors = {
  InvalidAuthority: register(2, "invalid authority"),
  InvalidPubKey: register(3, "invalid validator public key"),
  InvalidPower: register(4, "invalid voting power"),
  InvalidMoniker: register(5, "invalid moniker"),
  UnknownValidator: register(6, "validator not found"),
  LastValidator: register(7, "cannot remove the last validator"),
  TooManyValidators: register(8, "too many validators"),
  TotalPowerTooLarge: register(9, "total voting power too large"),
  QueueFull: register(10, "too many pending validator updates"),
  NoChange: register(11, "validator update changes nothing"),
  InvalidOperator: register(12, "invalid validator operator"),
} as const;
