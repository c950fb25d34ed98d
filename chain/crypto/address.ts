import { fromBech32, toBech32 } from "@cosmjs/encoding";
import { CodedError, SdkErrors } from "../errors/codes.js";
import { latin1String } from "../util/latin1.js";
import { LruCache } from "../util/lru.js";
import { ripemd160, sha256 } from "./hash.js";

export const ADDRESS_PREFIX = "vivim";
export const ADDRESS_LENGTH = 20;
const MAX_BECH32_LENGTH = 90;

export type PubKeyType = "secp256k1" | "ed25519";

/** Addresses of recently seen public keys: every tx re-derives its signer's (two hashes, ~6 µs). */
const addressesOfKeys = new LruCache<string, Uint8Array>(100_000);

/**
 * Cosmos account address of a public key: ripemd160(sha256(pk)) for secp256k1, sha256(pk)[:20]
 * for ed25519. The returned bytes must not be mutated.
 */
export function addressBytesOf(type: PubKeyType, pubkey: Uint8Array): Uint8Array {
  const cacheKey = `${type}|${latin1String(pubkey)}`;
  let bytes = addressesOfKeys.get(cacheKey);
  if (!bytes) {
    bytes = type === "secp256k1" ? ripemd160(sha256(pubkey)) : sha256(pubkey).subarray(0, ADDRESS_LENGTH);
    addressesOfKeys.set(cacheKey, bytes);
  }
  return bytes;
}

export function encodeAddress(bytes: Uint8Array, prefix = ADDRESS_PREFIX): string {
  return toBech32(prefix, bytes);
}

export function addressOf(type: PubKeyType, pubkey: Uint8Array, prefix = ADDRESS_PREFIX): string {
  return encodeAddress(addressBytesOf(type, pubkey), prefix);
}

/**
 * bech32 decoding costs ~20 µs and every tx decodes the same few addresses many times (signers,
 * keepers' store keys), so valid addresses are remembered. The returned bytes must not be mutated.
 */
const decoded = new LruCache<string, { readonly prefix: string; readonly bytes: Uint8Array }>(100_000);

/** Parses a bech32 account address with our prefix; a coded InvalidAddress error otherwise. */
export function decodeAddress(address: string, prefix = ADDRESS_PREFIX): Uint8Array {
  // Keyed by the address alone (a string the caller holds, whose hash V8 keeps): an address
  // decodes under one prefix only, the one it carries, so that prefix is kept and compared.
  const hit = decoded.get(address);
  if (hit !== undefined && hit.prefix === prefix) return hit.bytes;
  const bytes = decodeAddressUncached(address, prefix);
  decoded.set(address, { prefix, bytes });
  return bytes;
}

function decodeAddressUncached(address: string, prefix: string): Uint8Array {
  if (typeof address !== "string" || address.length === 0 || address.length > MAX_BECH32_LENGTH) {
    throw new CodedError(SdkErrors.InvalidAddress, "empty or oversized address");
  }
  let parsed: { prefix: string; data: Uint8Array };
  try {
    parsed = fromBech32(address, MAX_BECH32_LENGTH);
  } catch {
    throw new CodedError(SdkErrors.InvalidAddress, `invalid bech32 address ${JSON.stringify(address)}`);
  }
  if (parsed.prefix !== prefix) {
    throw new CodedError(SdkErrors.InvalidAddress, `address prefix must be ${prefix}, got ${parsed.prefix}`);
  }
  if (parsed.data.length !== ADDRESS_LENGTH) {
    throw new CodedError(SdkErrors.InvalidAddress, `address must be ${ADDRESS_LENGTH} bytes`);
  }
  return parsed.data;
}

export function isValidAddress(address: string, prefix = ADDRESS_PREFIX): boolean {
  try {
    decodeAddress(address, prefix);
    return true;
  } catch {
    return false;
  }
}
