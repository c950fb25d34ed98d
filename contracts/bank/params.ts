import { Params } from "cosmjs-types/cosmos/bank/v1beta1/bank";
import { BankErrors, CodedError } from "../../chain/errors/codes.js";
import type { Coin } from "../lib/coins.js";
import { ModulePrefix } from "../lib/store.js";
import type { KVReader, KVStore } from "../types.js";

export const BANK_PARAMS_KEY = new Uint8Array([ModulePrefix.bank, 0x03]);

export interface BankParams {
  readonly defaultSendEnabled: boolean;
}

export const DEFAULT_BANK_PARAMS: BankParams = Object.freeze({ defaultSendEnabled: true });

export function getBankParams(store: KVReader): BankParams {
  const bytes = store.get(BANK_PARAMS_KEY);
  return bytes ? { defaultSendEnabled: Params.decode(bytes).defaultSendEnabled } : DEFAULT_BANK_PARAMS;
}

export function setBankParams(store: KVStore, params: BankParams): void {
  store.set(BANK_PARAMS_KEY, Params.encode(Params.fromPartial(params)).finish());
}

export function assertSendEnabled(store: KVReader, coins: readonly Coin[]): void {
  if (!getBankParams(store).defaultSendEnabled) {
    throw new CodedError(
      BankErrors.SendDisabled,
      `${coins.map((c) => c.denom).join(",")} transfers are disabled`,
    );
  }
}
