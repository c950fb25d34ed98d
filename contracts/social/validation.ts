/**
 * Stateless field checks shared by validateBasic (against the hard ceilings) and handlers
 * (against the current params). Deterministic: byte lengths of UTF-8, ASCII-only patterns, and an
 * explicit emoji grammar instead of Unicode property tables that differ between runtimes.
 */
import { decodeAddress } from "../../chain/crypto/address.js";
import { CodedError } from "../../chain/errors/codes.js";
import { SocialErrors } from "./errors.js";

export const SLUG_PATTERN = /^[a-z0-9_-]{2,32}$/;

export function utf8Length(text: string): number {
  return Buffer.byteLength(text, "utf8");
}

export function checkAddress(value: string, field: string): void {
  try {
    decodeAddress(value);
  } catch (err) {
    if (err instanceof CodedError) throw new CodedError(SocialErrors.InvalidField, `${field}: ${err.log}`);
    throw err;
  }
}

export function checkId(value: bigint, field: string): void {
  if (value <= 0n) throw new CodedError(SocialErrors.InvalidField, `${field} must be a positive id`);
}

/** C0 controls and DEL; `multiline` text may hold tab, line feed and carriage return. */
function hasControl(text: string, multiline: boolean): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x7f) return true;
    if (c < 0x20 && !(multiline && (c === 0x09 || c === 0x0a || c === 0x0d))) return true;
  }
  return false;
}

function hasVisible(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c !== 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) return true;
  }
  return false;
}

export interface TextRule {
  readonly maxBytes: number;
  readonly required?: boolean;
  readonly multiline?: boolean;
}

/** Checks a text field: size (FieldTooLong), control characters and emptiness (InvalidField). */
export function checkText(value: string, field: string, rule: TextRule): void {
  if (value.length > rule.maxBytes || utf8Length(value) > rule.maxBytes)
    throw new CodedError(SocialErrors.FieldTooLong, `${field} is longer than ${rule.maxBytes} bytes`);
  if (rule.required && !hasVisible(value))
    throw new CodedError(SocialErrors.InvalidField, `${field} must not be empty`);
  if (hasControl(value, rule.multiline ?? false))
    throw new CodedError(SocialErrors.InvalidField, `${field} must not contain control characters`);
}

export function checkSlug(slug: string): void {
  if (!SLUG_PATTERN.test(slug))
    throw new CodedError(SocialErrors.InvalidField, "slug must match [a-z0-9_-]{2,32}");
}

/**
 * An absolute http(s) URL in printable ASCII, host of letters, digits, dots and dashes (or a
 * bracketed IPv6 address), optional port, no user info.
 */
const LINK_PATTERN =
  /^https?:\/\/(?:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*|\[[0-9A-Fa-f:.]+\])(?::[0-9]{1,5})?(?:[/?#][!-~]*)?$/;

export function checkLink(link: string, maxBytes: number): void {
  if (link === "") return;
  if (link.length > maxBytes)
    throw new CodedError(SocialErrors.FieldTooLong, `link is longer than ${maxBytes} bytes`);
  if (!LINK_PATTERN.test(link))
    throw new CodedError(SocialErrors.InvalidField, "link must be an http(s) URL in printable ASCII");
}

export function checkAddressList(
  list: readonly string[],
  field: string,
  max: number,
  exclude?: string,
): void {
  if (list.length > max) throw new CodedError(SocialErrors.FieldTooLong, `${field} holds more than ${max}`);
  const seen = new Set<string>();
  for (const a of list) {
    checkAddress(a, field);
    if (seen.has(a)) throw new CodedError(SocialErrors.InvalidField, `${field} lists ${a} twice`);
    if (a === exclude) throw new CodedError(SocialErrors.InvalidField, `${field} must not list the author`);
    seen.add(a);
  }
}

// ---------------------------------------------------------------------------------------------
// Emoji: one emoji (a ZWJ sequence of emoji elements, a flag, a keycap) or a :shortcode:.

const SHORTCODE = /^:[a-z0-9_+-]{1,30}:$/;
const ZWJ = 0x200d;
const VS16 = 0xfe0f;
const KEYCAP = 0x20e3;
const TAG_END = 0xe007f;

const inRange = (cp: number, lo: number, hi: number) => cp >= lo && cp <= hi;
const isRegionalIndicator = (cp: number) => inRange(cp, 0x1f1e6, 0x1f1ff);
const isModifier = (cp: number) => inRange(cp, 0x1f3fb, 0x1f3ff);
const isTag = (cp: number) => inRange(cp, 0xe0020, 0xe007e);

/** Code points that start an emoji (pictographs, symbols and the few BMP ones used as emoji). */
function isEmojiBase(cp: number): boolean {
  if (isModifier(cp) || isRegionalIndicator(cp)) return false;
  return (
    inRange(cp, 0x1f000, 0x1faff) ||
    inRange(cp, 0x2600, 0x27bf) ||
    inRange(cp, 0x2300, 0x23ff) ||
    inRange(cp, 0x2b00, 0x2bff) ||
    inRange(cp, 0x2190, 0x21ff) ||
    inRange(cp, 0x25a0, 0x25ff) ||
    inRange(cp, 0x2900, 0x297f) ||
    cp === 0x00a9 ||
    cp === 0x00ae ||
    cp === 0x203c ||
    cp === 0x2049 ||
    cp === 0x2122 ||
    cp === 0x2139 ||
    cp === 0x24c2 ||
    cp === 0x3030 ||
    cp === 0x303d ||
    cp === 0x3297 ||
    cp === 0x3299
  );
}

/** Whether `text` is exactly one emoji or one `:shortcode:`, at most `maxBytes` of UTF-8. */
export function isValidReaction(text: string, maxBytes: number): boolean {
  if (text.length === 0 || utf8Length(text) > maxBytes) return false;
  if (text.startsWith(":")) return SHORTCODE.test(text);
  const cps = Array.from(text, (c) => c.codePointAt(0)!);
  // Keycap: [0-9#*] FE0F? 20E3
  if (cps.length <= 3 && cps[cps.length - 1] === KEYCAP) {
    const base = cps[0]!;
    const ok = inRange(base, 0x30, 0x39) || base === 0x23 || base === 0x2a;
    return ok && (cps.length === 2 || cps[1] === VS16);
  }
  // Flag: two regional indicators.
  if (isRegionalIndicator(cps[0]!)) return cps.length === 2 && isRegionalIndicator(cps[1]!);
  // ZWJ sequence of elements: base [FE0F] [modifier] [tags… E007F]
  let i = 0;
  for (;;) {
    const base = cps[i];
    if (base === undefined || !isEmojiBase(base)) return false;
    i++;
    if (cps[i] === VS16) i++;
    if (cps[i] !== undefined && isModifier(cps[i]!)) i++;
    if (cps[i] !== undefined && isTag(cps[i]!)) {
      while (cps[i] !== undefined && isTag(cps[i]!)) i++;
      if (cps[i] !== TAG_END) return false;
      i++;
    }
    if (i === cps.length) return true;
    if (cps[i] !== ZWJ) return false;
    i++;
  }
}
