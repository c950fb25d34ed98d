/** Stateless checks of the treasury Msgs. */
import { decodeAddress } from "../../chain/crypto/address.js";
import { CodedError, SdkErrors } from "../../chain/errors/codes.js";
import { type Coin, validateCoins } from "../lib/coins.js";
import { TreasuryErrors } from "./errors.js";
import { TREASURY_AUTHORITY } from "./keeper.js";

/** At most this many denoms per spend or donation, as for a bank send. */
export const MAX_DENOMS = 16;

/** 1..16 valid, positive coins sorted by denom with no duplicates. */
export function checkAmount(amount: readonly Coin[]): void {
  if (amount.length === 0) throw new CodedError(SdkErrors.InvalidCoins, "amount must not be empty");
  if (amount.length > MAX_DENOMS)
    throw new CodedError(SdkErrors.InvalidCoins, `at most ${MAX_DENOMS} denoms per message`);
  validateCoins(amount);
}

export function checkTreasuryAuthority(authority: string): void {
  decodeAddress(authority);
  if (authority !== TREASURY_AUTHORITY)
    throw new CodedError(TreasuryErrors.InvalidAuthority, `expected ${TREASURY_AUTHORITY}, got ${authority}`);
}
