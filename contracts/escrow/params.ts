/** Escrow parameters (changed by governance through the module authority). */
import { decodeAddress } from "../../chain/crypto/address.js";
import { CodedError } from "../../chain/errors/codes.js";
import { moduleAddress } from "../auth/keeper.js";
import type { KVReader, KVStore } from "../types.js";
import { EscrowErrors } from "./errors.js";
import { EscrowKeys } from "./keys.js";
import { EscrowParams } from "./records.js";

export const BPS = 10_000n;
/** The fee can never take more than half of a payout. */
export const MAX_FEE_BPS = 5_000;
export const MAX_DURATION_LIMIT = 10n * 365n * 24n * 3600n;

/** Where fees go: the DAO treasury's module account. */
export { TREASURY_ADDRESS } from "../treasury/keeper.js";
/** Holds every escrowed amount. */
export const ESCROW_ADDRESS = moduleAddress("escrow");

export const DEFAULT_ESCROW_PARAMS: EscrowParams = Object.freeze({
  authority: moduleAddress("gov"),
  arbiter: moduleAddress("gov"),
  feeBps: 250,
  maxDurationSeconds: 365n * 24n * 3600n,
});

export function getEscrowParams(store: KVReader): EscrowParams {
  const bytes = store.get(EscrowKeys.params());
  return bytes ? EscrowParams.decode(bytes) : DEFAULT_ESCROW_PARAMS;
}

export function setEscrowParams(store: KVStore, params: EscrowParams): void {
  store.set(EscrowKeys.params(), EscrowParams.toBytes(params));
}

/** Throws InvalidParams naming the first bad field. */
export function checkEscrowParams(p: EscrowParams): void {
  const bad = (field: string, why: string) => new CodedError(EscrowErrors.InvalidParams, `${field} ${why}`);
  try {
    decodeAddress(p.authority);
  } catch {
    throw bad("authority", "must be a vivim address");
  }
  try {
    decodeAddress(p.arbiter);
  } catch {
    throw bad("arbiter", "must be a vivim address");
  }
  if (!Number.isInteger(p.feeBps) || p.feeBps < 0 || p.feeBps > MAX_FEE_BPS)
    throw bad("fee_bps", `must be between 0 and ${MAX_FEE_BPS}`);
  if (p.maxDurationSeconds < 60n || p.maxDurationSeconds > MAX_DURATION_LIMIT)
    throw bad("max_duration_seconds", `must be between 60 and ${MAX_DURATION_LIMIT}`);
}
