/**
 * Cosmos `Dec` / `LegacyDec` values as exact 18-decimal fixed point (bigint × 10¹⁸), as x/gov's tally
 * and x/distribution's `DecCoin` use them.
 * Two wire forms exist: gov v1 carries the decimal text ("0.334000000000000000"); v1beta1's
 * gogoproto `customtype = Dec` fields carry the scaled integer ("334000000000000000").
 */
export const DEC_ONE = 10n ** 18n;
const DECIMALS = 18;

/** "0.5" → 5·10¹⁷; undefined when `text` is not a non-negative decimal with at most 18 places. */
export function parseDec(text: string): bigint | undefined {
  const m = /^(0|[1-9][0-9]{0,29})(?:\.([0-9]{1,18}))?$/.exec(text);
  if (!m) return undefined;
  return BigInt(m[1]!) * DEC_ONE + BigInt((m[2] ?? "").padEnd(DECIMALS, "0") || "0");
}

/** The scaled-integer form of v1beta1 (`"500000000000000000"` for 0.5). */
export function parseLegacyDec(text: string): bigint | undefined {
  return /^(0|[1-9][0-9]{0,48})$/.test(text) ? BigInt(text) : undefined;
}

/** 5·10¹⁷ → "0.500000000000000000", the SDK's canonical text. */
export function formatDec(value: bigint): string {
  const whole = value / DEC_ONE;
  const frac = (value % DEC_ONE).toString().padStart(DECIMALS, "0");
  return `${whole}.${frac}`;
}

/** a/b > dec, exactly (b > 0). */
export function ratioExceeds(a: bigint, b: bigint, dec: bigint): boolean {
  return a * DEC_ONE > dec * b;
}

/** a/b < dec, exactly (b > 0). */
export function ratioBelow(a: bigint, b: bigint, dec: bigint): boolean {
  return a * DEC_ONE < dec * b;
}

/** An integer amount as a LegacyDec's wire form (a `DecCoin` amount: "123" → "123000000000000000000"). */
export function intToLegacyDec(amount: string): string {
  const v = parseLegacyDec(amount);
  if (v === undefined) throw new RangeError(`not an integer amount: ${amount.slice(0, 40)}`);
  return (v * DEC_ONE).toString();
}

/** A LegacyDec's wire form as the decimal text the SDK's JSON shows ("123.000000000000000000"). */
export function legacyDecText(atomics: string): string {
  const v = parseLegacyDec(atomics);
  if (v === undefined) throw new RangeError(`not a LegacyDec: ${atomics.slice(0, 40)}`);
  return formatDec(v);
}
