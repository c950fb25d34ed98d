/**
 * Token amounts as agents write them: "50vivim", "1.5 VIVIM" or "50000000uvivim". The chain only
 * knows its base denom (1 VIVIM = 1,000,000 uvivim), so everything becomes one uvivim coin here,
 * exactly: decimals beyond the sixth place are refused rather than rounded.
 */
import { BASE_DENOM, type Coin } from "../../contracts/lib/coins.js";
import { invalidArgument } from "../errors.js";

export const UVIVIM_PER_VIVIM = 1_000_000n;
const DECIMALS = 6;
/** Longer than any balance the chain can hold (Cosmos Int is 256 bits, ~78 digits). */
export const MAX_AMOUNT_TEXT = 40;

const AMOUNT = /^(\d+)(?:\.(\d+))?\s*(u?vivim)$/i;

/** One positive uvivim coin from "50vivim", "0.25 vivim" or "250000uvivim"; INVALID_ARGUMENT otherwise. */
export function parseVivimAmount(text: string): Coin {
  const m = AMOUNT.exec(text.trim());
  const bad = (why: string) =>
    invalidArgument(
      `amount "${text.slice(0, MAX_AMOUNT_TEXT)}" ${why}; write e.g. "50vivim", "1.5vivim" or "50000000uvivim"`,
    );
  if (!m || text.length > MAX_AMOUNT_TEXT) throw bad("is not an amount");
  const [, whole = "", fraction = "", unit = ""] = m;
  let micro: bigint;
  if (unit.toLowerCase() === BASE_DENOM) {
    if (fraction) throw bad(`has decimals, but ${BASE_DENOM} is the smallest unit`);
    micro = BigInt(whole);
  } else {
    if (fraction.length > DECIMALS) throw bad(`has more than ${DECIMALS} decimals`);
    micro = BigInt(whole) * UVIVIM_PER_VIVIM + BigInt(fraction.padEnd(DECIMALS, "0") || "0");
  }
  if (micro <= 0n) throw bad("must be more than zero");
  return { denom: BASE_DENOM, amount: micro.toString() };
}
