/** Coin arithmetic and validation with Cosmos SDK rules (denoms, non-negative integer amounts). */
import { CodedError, SdkErrors } from "../../chain/errors/codes.js";

/** The chain's base denom: fees, genesis funds and the staking-free PoA economy are in it. */
export const BASE_DENOM = "uvivim";

export interface Coin {
  readonly denom: string;
  readonly amount: string;
}

const DENOM = /^[a-zA-Z][a-zA-Z0-9/:._-]{2,127}$/;
const AMOUNT = /^(0|[1-9][0-9]{0,76})$/;

export function isValidDenom(denom: string): boolean {
  return DENOM.test(denom);
}

export function parseAmount(amount: string): bigint {
  if (typeof amount !== "string" || !AMOUNT.test(amount)) {
    throw new CodedError(
      SdkErrors.InvalidCoins,
      `invalid coin amount ${JSON.stringify(String(amount)).slice(0, 40)}`,
    );
  }
  return BigInt(amount);
}

/**
 * Validates a coin list as Cosmos `Coins.Validate` does: valid denoms, sorted by denom with no
 * duplicates, and (unless `allowZero`) every amount positive.
 */
export function validateCoins(coins: readonly Coin[], opts: { allowZero?: boolean } = {}): void {
  let previous = "";
  for (const c of coins) {
    if (!isValidDenom(c.denom))
      throw new CodedError(SdkErrors.InvalidCoins, `invalid denom ${JSON.stringify(c.denom).slice(0, 140)}`);
    const amount = parseAmount(c.amount);
    if (amount === 0n && !opts.allowZero)
      throw new CodedError(SdkErrors.InvalidCoins, `coin ${c.denom} amount must be positive`);
    if (c.denom <= previous)
      throw new CodedError(SdkErrors.InvalidCoins, "coins must be sorted by denom with no duplicates");
    previous = c.denom;
  }
}

export function formatCoins(coins: readonly Coin[]): string {
  return coins.map((c) => `${c.amount}${c.denom}`).join(",");
}
