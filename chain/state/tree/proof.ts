/**
 * State proofs: a key's path from a leaf slot up to the root.
 *
 * A proof ends either in a leaf (the key's own leaf for membership, or another key's leaf that
 * occupies the key's slot for non-membership) or in an empty slot (non-membership). The verifier
 * rebuilds the root from the bottom using the key's path bits, so the proof needs no directions.
 */
import { bytesEqual, fromHex, sha256, toHex } from "../../crypto/hash.js";
import { bitAt, EMPTY_HASH, HASH_LEN, internalHash, isEmptyHash, leafHash, MAX_DEPTH } from "./node.js";

export interface ProofLeaf {
  readonly keyHash: Uint8Array;
  readonly valueHash: Uint8Array;
}

export interface StateProof {
  /** sha256 of the proven key. */
  readonly keyHash: Uint8Array;
  /** Leaf found at the end of the key's path, or null if the path ends in an empty slot. */
  readonly leaf: ProofLeaf | null;
  /** Sibling hashes from the slot's depth up to the root (bottom-up); length = depth of the slot. */
  readonly siblings: readonly Uint8Array[];
}

export interface StateProofJSON {
  key_hash: string;
  leaf: { key_hash: string; value_hash: string } | null;
  siblings: string[];
}

/** True iff the first `bits` bits of a and b agree. */
function samePrefix(a: Uint8Array, b: Uint8Array, bits: number): boolean {
  const full = bits >>> 3;
  for (let i = 0; i < full; i++) if (a[i] !== b[i]) return false;
  const rest = bits & 7;
  if (rest === 0) return true;
  const mask = (0xff << (8 - rest)) & 0xff;
  return ((a[full]! ^ b[full]!) & mask) === 0;
}

/**
 * Checks `proof` against `root`. `value` = the claimed value, or null to claim the key is absent.
 * Never throws on a well-typed proof; any inconsistency is just `false`.
 */
export function verifyStateProof(
  root: Uint8Array,
  key: Uint8Array,
  value: Uint8Array | null,
  proof: StateProof,
): boolean {
  const { siblings, leaf } = proof;
  if (root.length !== HASH_LEN || proof.keyHash.length !== HASH_LEN || siblings.length > MAX_DEPTH)
    return false;
  const keyHash = sha256(key);
  if (!bytesEqual(keyHash, proof.keyHash)) return false;
  const depth = siblings.length;

  let node: Uint8Array;
  if (leaf === null) {
    if (value !== null) return false;
    node = EMPTY_HASH;
  } else {
    if (leaf.keyHash.length !== HASH_LEN || leaf.valueHash.length !== HASH_LEN) return false;
    const own = bytesEqual(leaf.keyHash, keyHash);
    if (value === null) {
      if (own) return false;
    } else if (!own || !bytesEqual(leaf.valueHash, sha256(value))) {
      return false;
    }
    // A leaf sits on every path that shares its prefix down to its depth; any other leaf cannot
    // be in this slot. The root check implies this too, but checking it is cheap and explicit.
    if (!samePrefix(leaf.keyHash, keyHash, depth)) return false;
    node = leafHash(leaf.keyHash, leaf.valueHash);
  }

  for (let i = 0; i < depth; i++) {
    const sibling = siblings[i]!;
    if (sibling.length !== HASH_LEN) return false;
    node = bitAt(keyHash, depth - 1 - i) === 1 ? internalHash(sibling, node) : internalHash(node, sibling);
  }
  return bytesEqual(node, root);
}

// ---------------------------------------------------------------------------------------------
// JSON form (hex strings), for abci_query prove=true and offline verification in the CLI.

export function stateProofToJSON(proof: StateProof): StateProofJSON {
  return {
    key_hash: toHex(proof.keyHash),
    leaf:
      proof.leaf === null
        ? null
        : { key_hash: toHex(proof.leaf.keyHash), value_hash: toHex(proof.leaf.valueHash) },
    siblings: proof.siblings.map(toHex),
  };
}

const HASH_HEX = /^[0-9a-fA-F]{64}$/;

function hashFromJSON(v: unknown, where: string): Uint8Array {
  if (typeof v !== "string" || !HASH_HEX.test(v)) {
    throw new Error(`invalid state proof: ${where} must be a 64-character hex string`);
  }
  return fromHex(v);
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function checkKeys(obj: Record<string, unknown>, allowed: readonly string[], where: string): void {
  for (const k of Object.keys(obj)) {
    if (!allowed.includes(k)) throw new Error(`invalid state proof: unexpected field ${where}${k}`);
  }
}

/** Parses the JSON form (already `JSON.parse`d). Throws an Error naming the bad field. */
export function stateProofFromJSON(json: unknown): StateProof {
  if (!isPlainObject(json)) throw new Error("invalid state proof: expected an object");
  checkKeys(json, ["key_hash", "leaf", "siblings"], "");
  const keyHash = hashFromJSON(json.key_hash, "key_hash");

  let leaf: ProofLeaf | null = null;
  if (json.leaf !== null) {
    if (!isPlainObject(json.leaf)) throw new Error("invalid state proof: leaf must be an object or null");
    checkKeys(json.leaf, ["key_hash", "value_hash"], "leaf.");
    leaf = {
      keyHash: hashFromJSON(json.leaf.key_hash, "leaf.key_hash"),
      valueHash: hashFromJSON(json.leaf.value_hash, "leaf.value_hash"),
    };
  }

  const raw = json.siblings;
  if (!Array.isArray(raw)) throw new Error("invalid state proof: siblings must be an array");
  if (raw.length > MAX_DEPTH) throw new Error(`invalid state proof: more than ${MAX_DEPTH} siblings`);
  const siblings = raw.map((s: unknown, i) => hashFromJSON(s, `siblings[${i}]`));
  return { keyHash, leaf, siblings };
}

// ---------------------------------------------------------------------------------------------
// Compact binary form:
//   flags(1)            bit0 = leaf present; other bits must be 0
//   keyHash(32)
//   [leafKeyHash(32) leafValueHash(32)]   if bit0
//   count(2, BE)        number of siblings, <= 256
//   bitmap(ceil(count/8))  bit i (MSB first) = sibling i is non-empty; unused bits 0
//   non-empty siblings(32 each), bottom-up
// Empty siblings are common (single-child chains where two keys share a long prefix), so they
// cost one bit. Decoding accepts only this canonical form, so encode/decode is a bijection.

const FLAG_LEAF = 0x01;

export function encodeStateProof(proof: StateProof): Uint8Array {
  const n = proof.siblings.length;
  if (n > MAX_DEPTH) throw new Error(`state proof has more than ${MAX_DEPTH} siblings`);
  const bitmapLen = (n + 7) >>> 3;
  const present = proof.siblings.filter((s) => !isEmptyHash(s));
  const leafLen = proof.leaf === null ? 0 : 2 * HASH_LEN;
  const out = new Uint8Array(1 + HASH_LEN + leafLen + 2 + bitmapLen + present.length * HASH_LEN);
  let o = 0;
  out[o++] = proof.leaf === null ? 0 : FLAG_LEAF;
  out.set(proof.keyHash, o);
  o += HASH_LEN;
  if (proof.leaf !== null) {
    out.set(proof.leaf.keyHash, o);
    out.set(proof.leaf.valueHash, o + HASH_LEN);
    o += 2 * HASH_LEN;
  }
  out[o++] = n >>> 8;
  out[o++] = n & 0xff;
  const bitmapAt = o;
  o += bitmapLen;
  proof.siblings.forEach((s, i) => {
    if (isEmptyHash(s)) return;
    out[bitmapAt + (i >>> 3)]! |= 0x80 >>> (i & 7);
    out.set(s, o);
    o += HASH_LEN;
  });
  return out;
}

export function decodeStateProof(bytes: Uint8Array): StateProof {
  const fail = (why: string): never => {
    throw new Error(`invalid state proof encoding: ${why}`);
  };
  let o = 0;
  const take = (len: number): Uint8Array => {
    if (o + len > bytes.length) fail("truncated");
    const s = bytes.slice(o, o + len);
    o += len;
    return s;
  };
  const flags = take(1)[0]!;
  if ((flags & ~FLAG_LEAF) !== 0) fail(`unknown flags 0x${flags.toString(16)}`);
  const keyHash = take(HASH_LEN);
  const leaf = flags & FLAG_LEAF ? { keyHash: take(HASH_LEN), valueHash: take(HASH_LEN) } : null;
  const countBytes = take(2);
  const n = (countBytes[0]! << 8) | countBytes[1]!;
  if (n > MAX_DEPTH) fail(`${n} siblings (max ${MAX_DEPTH})`);
  const bitmap = take((n + 7) >>> 3);
  const siblings: Uint8Array[] = [];
  for (let i = 0; i < n; i++) {
    if ((bitmap[i >>> 3]! & (0x80 >>> (i & 7))) === 0) {
      siblings.push(new Uint8Array(HASH_LEN));
      continue;
    }
    const s = take(HASH_LEN);
    if (isEmptyHash(s)) fail(`sibling ${i} is marked present but empty`);
    siblings.push(s);
  }
  if ((n & 7) !== 0 && (bitmap[bitmap.length - 1]! & (0xff >>> (n & 7))) !== 0)
    fail("unused bitmap bits set");
  if (o !== bytes.length) fail(`${bytes.length - o} trailing bytes`);
  return { keyHash, leaf, siblings };
}
