/**
 * DM identities and signed prekeys.
 *
 * A member's DM identity IS their account key: the secp256k1 private key behind their `vivim1…`
 * address (cosmjs HD path m/44'/118'/0'/0/0). Its compressed public key (33 bytes) is the identity
 * key, and the address is derivable from it (ripemd160(sha256(pk)), bech32 "vivim"), so anyone can
 * check that a DM identity belongs to an account without extra registration.
 *
 * Prekeys are secp256k1 too (ECDH), not x25519. Reason: the X3DH-style agreement (session.ts) mixes
 * the identity keys into the secret (DH(IK_a, SPK_b) and DH(EK_a, IK_b)), and the identity keys are
 * fixed to secp256k1 by the account scheme. With one curve throughout, the single ephemeral key
 * serves both DH(EK_a, IK_b) and DH(EK_a, SPK_b), no key is converted between curves, and every
 * public key on the wire has the same 33-byte form the account keys already use. noble's
 * `getSharedSecret` validates that the peer point is on the curve (secp256k1 has cofactor 1, so
 * there are no small-subgroup points to reject), which covers what x25519's low-order check buys.
 *
 * A prekey bundle is signed by the account key: ECDSA secp256k1 (low-S, 64-byte r||s, as the Cosmos
 * SDK) over sha256 of the canonical bytes
 *   bytes8("vivim-dm-prekey-v1") | bytes8(chain_id) | address(20) | identity_key(33) | prekey_id(u32)
 *   | prekey(33) | expires_at(u64 seconds)
 * so a bundle cannot be replayed on another chain, for another account or past its expiry.
 * Deleting the private prekey once it has expired (and every session that used it) gives forward
 * secrecy for whole sessions: see session.ts.
 */
import { secp256k1 } from "@noble/curves/secp256k1.js";
import { randomBytes } from "@noble/hashes/utils.js";
import {
  ADDRESS_BYTES,
  ADDRESS_PREFIX,
  addressBytesOfPubkey,
  chainIdBytes,
  decodeAddress,
  decodeUtf8,
  encodeAddress,
  equalBytes,
  PUBKEY_BYTES,
  Reader,
  SIGNATURE_BYTES,
  utf8,
  Writer,
} from "./bytes.js";
import { DmError, fail } from "./errors.js";

export const PREKEY_TAG = "vivim-dm-prekey-v1";
const PREKEY_BUNDLE_VERSION = 1;

/** A source of secure random bytes; injectable so tests can be deterministic. Default: WebCrypto. */
export type Rng = (length: number) => Uint8Array;
export const defaultRng: Rng = (n) => randomBytes(n);

export interface DmIdentity {
  /** The account's secp256k1 private key (32 bytes). Never leaves the client. */
  readonly privateKey: Uint8Array;
  /** Compressed secp256k1 public key (33 bytes) = the account pubkey. */
  readonly publicKey: Uint8Array;
  /** bech32 account address. */
  readonly address: string;
  readonly addressBytes: Uint8Array;
}

export interface PrekeyPair {
  readonly id: number;
  readonly privateKey: Uint8Array;
  readonly publicKey: Uint8Array;
  /** Seconds since the epoch; after it the owner should delete `privateKey`. */
  readonly expiresAt: number;
}

/** What a member publishes (via their node) so others can open sessions with them while offline. */
export interface PrekeyBundle {
  readonly chainId: string;
  readonly address: string;
  readonly identityKey: Uint8Array;
  readonly prekeyId: number;
  readonly prekey: Uint8Array;
  readonly expiresAt: number;
  readonly signature: Uint8Array;
}

export function dmIdentityFromPrivateKey(privateKey: Uint8Array, prefix = ADDRESS_PREFIX): DmIdentity {
  if (!(privateKey instanceof Uint8Array) || !secp256k1.utils.isValidSecretKey(privateKey)) {
    fail("BAD_KEY", "not a valid secp256k1 private key");
  }
  const publicKey = secp256k1.getPublicKey(privateKey, true);
  const addressBytes = addressBytesOfPubkey(publicKey);
  return { privateKey, publicKey, address: encodeAddress(addressBytes, prefix), addressBytes };
}

/** The address of a compressed secp256k1 public key. */
export function addressOfPubkey(publicKey: Uint8Array, prefix = ADDRESS_PREFIX): string {
  return encodeAddress(addressBytesOfPubkey(publicKey), prefix);
}

export function isValidPubkey(publicKey: Uint8Array): boolean {
  return (
    publicKey instanceof Uint8Array &&
    publicKey.length === PUBKEY_BYTES &&
    (publicKey[0] === 2 || publicKey[0] === 3) &&
    secp256k1.utils.isValidPublicKey(publicKey, true)
  );
}

/** ECDH on secp256k1: the 32-byte x-coordinate of priv·pub. BAD_KEY when `pub` is not a curve point. */
export function ecdh(privateKey: Uint8Array, publicKey: Uint8Array): Uint8Array {
  if (!isValidPubkey(publicKey)) fail("BAD_KEY", "peer public key is not a compressed secp256k1 point");
  try {
    return secp256k1.getSharedSecret(privateKey, publicKey, true).slice(1);
  } catch {
    throw new DmError("BAD_KEY", "ECDH failed");
  }
}

/** A fresh secp256k1 key pair from `rng` (rejection-free: noble reduces 48 bytes mod n). */
export function generateKeyPair(rng: Rng = defaultRng): { privateKey: Uint8Array; publicKey: Uint8Array } {
  const privateKey = secp256k1.utils.randomSecretKey(rng(48));
  return { privateKey, publicKey: secp256k1.getPublicKey(privateKey, true) };
}

export function generatePrekey(opts: { id: number; expiresAt: number; rng?: Rng }): PrekeyPair {
  if (!Number.isInteger(opts.id) || opts.id < 0 || opts.id > 0xffff_ffff)
    fail("BAD_PREKEY", "prekey id is a u32");
  if (!Number.isSafeInteger(opts.expiresAt) || opts.expiresAt <= 0) fail("BAD_PREKEY", "bad expiry");
  const kp = generateKeyPair(opts.rng);
  return { id: opts.id, expiresAt: opts.expiresAt, ...kp };
}

/** Domain-separated bytes to sign: bytes8(tag) | payload. Signing hashes them with sha256. */
export const taggedBytes = (tag: string, payload: Uint8Array): Uint8Array =>
  new Writer().bytes8(utf8(tag), "tag").raw(payload).finish();

/** ECDSA secp256k1 over sha256(bytes8(tag) | payload), low-S, 64-byte compact r||s (Cosmos form). */
export function signTagged(privateKey: Uint8Array, tag: string, payload: Uint8Array): Uint8Array {
  return secp256k1.sign(taggedBytes(tag, payload), privateKey, { prehash: true, lowS: true });
}

export function verifyTagged(
  publicKey: Uint8Array,
  tag: string,
  payload: Uint8Array,
  sig: Uint8Array,
): boolean {
  if (!(sig instanceof Uint8Array) || sig.length !== SIGNATURE_BYTES || !isValidPubkey(publicKey))
    return false;
  try {
    return secp256k1.verify(sig, taggedBytes(tag, payload), publicKey, { prehash: true, lowS: true });
  } catch {
    return false;
  }
}

export function prekeySignBytes(b: Omit<PrekeyBundle, "signature">): Uint8Array {
  return new Writer()
    .bytes8(chainIdBytes(b.chainId), "chain id")
    .fixed(decodeAddress(b.address, addressPrefixOf(b.address)), ADDRESS_BYTES, "address")
    .fixed(b.identityKey, PUBKEY_BYTES, "identity key")
    .u32(b.prekeyId)
    .fixed(b.prekey, PUBKEY_BYTES, "prekey")
    .u64(b.expiresAt)
    .finish();
}

export function signPrekeyBundle(identity: DmIdentity, prekey: PrekeyPair, chainId: string): PrekeyBundle {
  const unsigned = {
    chainId,
    address: identity.address,
    identityKey: identity.publicKey,
    prekeyId: prekey.id,
    prekey: prekey.publicKey,
    expiresAt: prekey.expiresAt,
  };
  return { ...unsigned, signature: signTagged(identity.privateKey, PREKEY_TAG, prekeySignBytes(unsigned)) };
}

/**
 * Checks a bundle before using it: chain id, that `address` is the identity key's address (and the
 * one expected, when given), both keys valid, the signature, and `now < expiresAt`. Throws DmError
 * WRONG_CHAIN, BAD_PREKEY, BAD_SIGNATURE or PREKEY_EXPIRED.
 */
export function verifyPrekeyBundle(
  b: PrekeyBundle,
  opts: { chainId: string; now: number; expectedAddress?: string },
): void {
  if (b.chainId !== opts.chainId)
    fail("WRONG_CHAIN", `bundle for chain ${b.chainId}, expected ${opts.chainId}`);
  if (opts.expectedAddress !== undefined && b.address !== opts.expectedAddress) {
    fail("BAD_PREKEY", `bundle is for ${b.address}, expected ${opts.expectedAddress}`);
  }
  if (!isValidPubkey(b.identityKey) || !isValidPubkey(b.prekey)) fail("BAD_PREKEY", "invalid key in bundle");
  let addr: Uint8Array;
  try {
    addr = decodeAddress(b.address, addressPrefixOf(b.address));
  } catch {
    throw new DmError("BAD_PREKEY", "invalid address in bundle");
  }
  if (!equalBytes(addr, addressBytesOfPubkey(b.identityKey))) {
    fail("BAD_PREKEY", "bundle address does not belong to its identity key");
  }
  let bytes: Uint8Array;
  try {
    bytes = prekeySignBytes(b);
  } catch (e) {
    throw new DmError("BAD_PREKEY", e instanceof Error ? e.message : String(e));
  }
  if (!verifyTagged(b.identityKey, PREKEY_TAG, bytes, b.signature))
    fail("BAD_SIGNATURE", "prekey bundle signature");
  if (!(opts.now < b.expiresAt)) fail("PREKEY_EXPIRED", `prekey ${b.prekeyId} expired at ${b.expiresAt}`);
}

/** Binary form: u8 version | sign bytes | signature(64). */
export function encodePrekeyBundle(b: PrekeyBundle): Uint8Array {
  return new Writer()
    .u8(PREKEY_BUNDLE_VERSION)
    .bytes8(utf8(addressPrefixOf(b.address)), "prefix")
    .raw(prekeySignBytes(b))
    .fixed(b.signature, SIGNATURE_BYTES, "signature")
    .finish();
}

/** Parses the binary form (structure only: call verifyPrekeyBundle before use). */
export function decodePrekeyBundle(bytes: Uint8Array): PrekeyBundle {
  const r = new Reader(bytes);
  if (r.u8("version") !== PREKEY_BUNDLE_VERSION) fail("BAD_ENVELOPE", "unknown prekey bundle version");
  const prefix = decodeUtf8(r.bytes8("prefix"), "prefix");
  const chainId = decodeUtf8(r.bytes8("chain id"), "chain id");
  const addressBytes = r.fixed(ADDRESS_BYTES, "address");
  const identityKey = r.fixed(PUBKEY_BYTES, "identity key");
  const prekeyId = r.u32("prekey id");
  const prekey = r.fixed(PUBKEY_BYTES, "prekey");
  const expiresAt = r.u64("expires at");
  const signature = r.fixed(SIGNATURE_BYTES, "signature");
  r.end();
  let address: string;
  try {
    address = encodeAddress(addressBytes, prefix);
  } catch {
    throw new DmError("BAD_ENVELOPE", "bad address prefix");
  }
  return { chainId, address, identityKey, prekeyId, prekey, expiresAt, signature };
}

/** The human-readable part of a bech32 address ("vivim" for "vivim1…"). */
export function addressPrefixOf(address: string): string {
  const i = typeof address === "string" ? address.lastIndexOf("1") : -1;
  if (i <= 0) fail("BAD_ENVELOPE", `invalid address ${JSON.stringify(address)}`);
  return address.slice(0, i);
}
