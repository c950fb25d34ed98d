/**
 * Stateless checks of identity fields, shared by the Msgs' validateBasic, the handlers and
 * genesis. Each failure is a coded error naming the field.
 *
 * Lengths are counted in Unicode code points (what a person sees as characters, near enough), so
 * a limit means the same in every language; at most 4 bytes each in UTF-8.
 */
import { ed25519 } from "@noble/curves/ed25519.js";
import { secp256k1 } from "@noble/curves/secp256k1.js";
import { decodeAddress } from "../../chain/crypto/address.js";
import { CodedError, SdkErrors } from "../../chain/errors/codes.js";
import { AGENT_CAPABILITIES, type AgentCapability, isAgentCapability } from "./capabilities.js";
import { IdentityErrors } from "./errors.js";
import { AutonomyLevel, VerificationStatus } from "./records.js";

export const HANDLE_PATTERN = /^[a-z0-9_]{3,32}$/;
export const AGENT_NAME_PATTERN = /^[a-z0-9_-]{2,32}$/;
export const MAX_DISPLAY_NAME = 64;
export const MAX_BIO = 512;
export const MAX_DESCRIPTION = 512;
export const MAX_URI = 256;
export const SECP256K1_KEY_BYTES = 33;
export const ED25519_KEY_BYTES = 32;

export type AgentKeyType = "secp256k1" | "ed25519";

/** A bech32 account address with our prefix, in its canonical lower-case form. */
export function checkAddress(address: string, field: string): void {
  try {
    decodeAddress(address);
  } catch {
    throw new CodedError(SdkErrors.InvalidAddress, `${field}: invalid address ${clip(address)}`);
  }
  if (address !== address.toLowerCase())
    throw new CodedError(SdkErrors.InvalidAddress, `${field}: address must be lower case`);
}

export function checkHandle(handle: string): void {
  if (!HANDLE_PATTERN.test(handle))
    throw new CodedError(IdentityErrors.InvalidHandle, `handle ${clip(handle)} must match [a-z0-9_]{3,32}`);
}

export function checkAgentName(name: string): void {
  if (!AGENT_NAME_PATTERN.test(name))
    throw new CodedError(
      IdentityErrors.InvalidAgentName,
      `agent name ${clip(name)} must match [a-z0-9_-]{2,32}`,
    );
}

/** Number of code points, stopping early once past `max`. */
function lengthAtMost(text: string, max: number): boolean {
  if (text.length <= max) return true;
  // Each code point is one or two UTF-16 units: more than 2*max units is always too long.
  if (text.length > 2 * max) return false;
  let n = 0;
  for (const _ of text) if (++n > max) return false;
  return true;
}

// Control characters (C0, DEL, C1); newlines only where text may span lines.
const CONTROL = /\p{Cc}/u;
const CONTROL_EXCEPT_NEWLINE = /[^\P{Cc}\n]/u;
// Bidirectional overrides and isolates: they let a name render as something else.
const BIDI = /[\u202a-\u202e\u2066-\u2069]/;

/** A one-line name: at most `max` characters, no control or bidi-override characters. */
export function checkName(value: string, field: string, max: number): void {
  if (!lengthAtMost(value, max))
    throw new CodedError(IdentityErrors.InvalidField, `${field} must be at most ${max} characters`);
  if (CONTROL.test(value) || BIDI.test(value))
    throw new CodedError(IdentityErrors.InvalidField, `${field} must not contain control characters`);
}

/** Free text (bio, description): at most `max` characters; newlines allowed, other controls not. */
export function checkText(value: string, field: string, max: number): void {
  if (!lengthAtMost(value, max))
    throw new CodedError(IdentityErrors.InvalidField, `${field} must be at most ${max} characters`);
  if (CONTROL_EXCEPT_NEWLINE.test(value))
    throw new CodedError(IdentityErrors.InvalidField, `${field} must not contain control characters`);
}

// Printable ASCII without spaces after the scheme: what a client can open without guessing.
const URI_BODY = /^[\x21-\x7e]+$/;

/** Empty, or `<scheme>...` with one of `schemes`, printable ASCII, at most MAX_URI bytes. */
export function checkUri(value: string, field: string, schemes: readonly string[]): void {
  if (value === "") return;
  if (value.length > MAX_URI)
    throw new CodedError(IdentityErrors.InvalidField, `${field} must be at most ${MAX_URI} characters`);
  const scheme = schemes.find((s) => value.startsWith(s));
  if (scheme === undefined || value.length === scheme.length || !URI_BODY.test(value))
    throw new CodedError(IdentityErrors.InvalidField, `${field} must be a ${schemes.join(" or ")} URI`);
}

export const AVATAR_SCHEMES = ["https://", "ipfs://"] as const;
export const WEBHOOK_SCHEMES = ["https://"] as const;

export function checkProfileFields(displayName: string, bio: string, avatarUri: string): void {
  checkName(displayName, "display_name", MAX_DISPLAY_NAME);
  checkText(bio, "bio", MAX_BIO);
  checkUri(avatarUri, "avatar_uri", AVATAR_SCHEMES);
}

/**
 * A valid public key of the given type: a compressed secp256k1 point on the curve, or an ed25519
 * point that is not of small order (a small-order key would let anyone forge signatures for it).
 */
export function checkAgentKey(type: string, key: Uint8Array): asserts type is AgentKeyType {
  if (type !== "secp256k1" && type !== "ed25519")
    throw new CodedError(IdentityErrors.InvalidAgentKey, `pub_key_type must be secp256k1 or ed25519`);
  const want = type === "secp256k1" ? SECP256K1_KEY_BYTES : ED25519_KEY_BYTES;
  if (key.length !== want)
    throw new CodedError(
      IdentityErrors.InvalidAgentKey,
      `${type} pub_key must be ${want} bytes, got ${key.length}`,
    );
  let ok: boolean;
  try {
    if (type === "secp256k1") {
      ok = (key[0] === 0x02 || key[0] === 0x03) && !secp256k1.Point.fromBytes(key).is0();
    } else {
      ok = !ed25519.Point.fromBytes(key).isSmallOrder();
    }
  } catch {
    ok = false;
  }
  if (!ok) throw new CodedError(IdentityErrors.InvalidAgentKey, `pub_key is not a valid ${type} public key`);
}

/** 1..4; `allowUnspecified` where 0 means "default" (registration) or "unchanged" (update). */
export function checkAutonomy(level: number, allowUnspecified: boolean): void {
  const ok =
    Number.isInteger(level) &&
    level >= (allowUnspecified ? AutonomyLevel.UNSPECIFIED : AutonomyLevel.RESPONSE_ONLY) &&
    level <= AutonomyLevel.AUTONOMOUS;
  if (!ok) throw new CodedError(IdentityErrors.InvalidField, `autonomy ${level} is not a valid level`);
}

/** The capabilities in canonical order (the order of AGENT_CAPABILITIES); unknown or repeated ones refused. */
export function normalizeCapabilities(list: readonly string[]): AgentCapability[] {
  if (list.length > AGENT_CAPABILITIES.length)
    throw new CodedError(IdentityErrors.InvalidField, `at most ${AGENT_CAPABILITIES.length} capabilities`);
  const seen = new Set<string>();
  for (const c of list) {
    if (!isAgentCapability(c))
      throw new CodedError(
        IdentityErrors.InvalidField,
        `unknown capability ${clip(c)}; known: ${AGENT_CAPABILITIES.join(", ")}`,
      );
    if (seen.has(c)) throw new CodedError(IdentityErrors.InvalidField, `capability ${c} listed twice`);
    seen.add(c);
  }
  return AGENT_CAPABILITIES.filter((c) => seen.has(c));
}

export function checkAgentFields(
  autonomy: number,
  allowUnspecifiedAutonomy: boolean,
  capabilities: readonly string[],
  description: string,
  webhook: string,
): void {
  checkAutonomy(autonomy, allowUnspecifiedAutonomy);
  normalizeCapabilities(capabilities);
  checkText(description, "description", MAX_DESCRIPTION);
  checkUri(webhook, "webhook", WEBHOOK_SCHEMES);
}

/** What the verification authority may set: UNVERIFIED, VERIFIED or REVOKED. */
export function checkVerificationStatus(status: number): void {
  if (
    status !== VerificationStatus.UNVERIFIED &&
    status !== VerificationStatus.VERIFIED &&
    status !== VerificationStatus.REVOKED
  )
    throw new CodedError(IdentityErrors.InvalidField, `verification status ${status} cannot be set`);
}

/** `@alice/codebot` or `alice/codebot` → its parts, or undefined when malformed. */
export function parseAgentFullName(text: string): { ownerHandle: string; name: string } | undefined {
  const body = text.startsWith("@") ? text.slice(1) : text;
  const slash = body.indexOf("/");
  if (slash < 0) return undefined;
  const ownerHandle = body.slice(0, slash);
  const name = body.slice(slash + 1);
  if (!HANDLE_PATTERN.test(ownerHandle) || !AGENT_NAME_PATTERN.test(name)) return undefined;
  return { ownerHandle, name };
}

/** A value quoted for an error log, cut short so a log never carries a large input. */
export function clip(value: string): string {
  return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
}
