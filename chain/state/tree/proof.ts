/**
 * State proofs: a key's path from a leaf slot up to the root of the 16-ary tree.
 *
 * A proof ends either in a leaf (the key's own leaf for membership, or another key's leaf that
 * occupies the key's slot for non-membership) or in an empty slot (non-membership). Each level
 * carries the other children of the node on the path (a bitmap and their hashes in nibble order);
 * the verifier puts the hash it has so far into the key's own slot — the key's path nibble at that
 * depth — and hashes the node, from the bottom up, so the proof needs no directions.
 */
import { bytesEqual, fromHex, sha256, toHex } from "../../crypto/hash.js";
import {
  EMPTY_HASH,
  HASH_LEN,
  internalHash,
  isEmptyHash,
  leafHash,
  MAX_DEPTH,
  nibbleAt,
  popcount16,
  slotBit,
} from "./node.js";

export interface ProofLeaf {
  readonly keyHash: Uint8Array;
  readonly valueHash: Uint8Array;
}

/** One node on the path: its children other than the key's own slot. */
export interface ProofLevel {
  /** Bit 15 - n set = child n present; the key's own slot's bit is always clear. */
  readonly bitmap: number;
  /** Hashes of the present children, in nibble order. */
  readonly siblings: readonly Uint8Array[];
}

export interface StateProof {
  /** sha256 of the proven key. */
  readonly keyHash: Uint8Array;
  /** Leaf found at the end of the key's path, or null if the path ends in an empty slot. */
  readonly leaf: ProofLeaf | null;
  /** The nodes from the slot's parent up to the root (bottom-up); length = depth of the slot. */
  readonly levels: readonly ProofLevel[];
}

export interface StateProofJSON {
  key_hash: string;
  leaf: { key_hash: string; value_hash: string } | null;
  levels: Array<{ bitmap: number; siblings: string[] }>;
}

/** True iff the first `nibbles` nibbles of a and b agree. */
function samePrefix(a: Uint8Array, b: Uint8Array, nibbles: number): boolean {
  for (let d = 0; d < nibbles; d++) if (nibbleAt(a, d) !== nibbleAt(b, d)) return false;
  return true;
}

/** Why a level cannot be on the path of `keyHash` at `depth`, or undefined if its shape is right. */
function levelFault(level: ProofLevel, keyHash: Uint8Array, depth: number): string | undefined {
  const { bitmap, siblings } = level;
  if (!Number.isInteger(bitmap) || bitmap < 0 || bitmap > 0xffff) return "bitmap is not 16 bits";
  if ((bitmap & slotBit(nibbleAt(keyHash, depth))) !== 0) return "bitmap marks the key's own slot";
  if (popcount16(bitmap) !== siblings.length) return "sibling count differs from the bitmap";
  for (const s of siblings) {
    if (!(s instanceof Uint8Array) || s.length !== HASH_LEN) return "a sibling is not 32 bytes";
    if (isEmptyHash(s)) return "a present sibling is empty";
  }
  return undefined;
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
  const { levels, leaf } = proof;
  if (root.length !== HASH_LEN || proof.keyHash.length !== HASH_LEN || levels.length > MAX_DEPTH)
    return false;
  const keyHash = sha256(key);
  if (!bytesEqual(keyHash, proof.keyHash)) return false;
  const depth = levels.length;

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
    const at = depth - 1 - i;
    const level = levels[i]!;
    if (levelFault(level, keyHash, at) !== undefined) return false;
    const own = nibbleAt(keyHash, at);
    if (isEmptyHash(node)) {
      // Only the bottom slot can be empty, and its node still needs a child of its own.
      if (i > 0 || level.bitmap === 0) return false;
      node = internalHash(level.bitmap, level.siblings);
      continue;
    }
    const children = [...level.siblings];
    children.splice(popcount16(level.bitmap >>> (16 - own)), 0, node);
    node = internalHash(level.bitmap | slotBit(own), children);
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
    levels: proof.levels.map((l) => ({ bitmap: l.bitmap, siblings: l.siblings.map(toHex) })),
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

function levelFromJSON(v: unknown, where: string): ProofLevel {
  if (!isPlainObject(v)) throw new Error(`invalid state proof: ${where} must be an object`);
  checkKeys(v, ["bitmap", "siblings"], `${where}.`);
  const { bitmap, siblings } = v;
  if (typeof bitmap !== "number" || !Number.isInteger(bitmap) || bitmap < 0 || bitmap > 0xffff)
    throw new Error(`invalid state proof: ${where}.bitmap must be an integer from 0 to 65535`);
  if (!Array.isArray(siblings)) throw new Error(`invalid state proof: ${where}.siblings must be an array`);
  if (siblings.length !== popcount16(bitmap))
    throw new Error(`invalid state proof: ${where}.siblings must hold one hash per bitmap bit`);
  return { bitmap, siblings: siblings.map((s: unknown, i) => hashFromJSON(s, `${where}.siblings[${i}]`)) };
}

/** Parses the JSON form (already `JSON.parse`d). Throws an Error naming the bad field. */
export function stateProofFromJSON(json: unknown): StateProof {
  if (!isPlainObject(json)) throw new Error("invalid state proof: expected an object");
  checkKeys(json, ["key_hash", "leaf", "levels"], "");
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

  const raw = json.levels;
  if (!Array.isArray(raw)) throw new Error("invalid state proof: levels must be an array");
  if (raw.length > MAX_DEPTH) throw new Error(`invalid state proof: more than ${MAX_DEPTH} levels`);
  const levels = raw.map((l: unknown, i) => levelFromJSON(l, `levels[${i}]`));
  // Shape against the key's path too, so a parsed proof always has a canonical binary form.
  levels.forEach((level, i) => {
    const fault = levelFault(level, keyHash, levels.length - 1 - i);
    if (fault !== undefined) throw new Error(`invalid state proof: levels[${i}]: ${fault}`);
  });
  return { keyHash, leaf, levels };
}

// ---------------------------------------------------------------------------------------------
// Compact binary form:
//   flags(1)            bit0 = leaf present; other bits must be 0
//   keyHash(32)
//   [leafKeyHash(32) leafValueHash(32)]   if bit0
//   count(1)            number of levels, <= 64
//   per level, bottom-up: bitmap(2, BE), then one 32-byte hash per set bit, in nibble order
// Decoding accepts only this canonical form (the key's own slot clear, no empty siblings, no
// trailing bytes), so encode/decode is a bijection.

const FLAG_LEAF = 0x01;

export function encodeStateProof(proof: StateProof): Uint8Array {
  const n = proof.levels.length;
  if (n > MAX_DEPTH) throw new Error(`state proof has more than ${MAX_DEPTH} levels`);
  proof.levels.forEach((level, i) => {
    const fault = levelFault(level, proof.keyHash, n - 1 - i);
    if (fault !== undefined) throw new Error(`state proof level ${i}: ${fault}`);
  });
  const hashes = proof.levels.reduce((sum, l) => sum + l.siblings.length, 0);
  const leafLen = proof.leaf === null ? 0 : 2 * HASH_LEN;
  const out = new Uint8Array(1 + HASH_LEN + leafLen + 1 + 2 * n + hashes * HASH_LEN);
  let o = 0;
  out[o++] = proof.leaf === null ? 0 : FLAG_LEAF;
  out.set(proof.keyHash, o);
  o += HASH_LEN;
  if (proof.leaf !== null) {
    out.set(proof.leaf.keyHash, o);
    out.set(proof.leaf.valueHash, o + HASH_LEN);
    o += 2 * HASH_LEN;
  }
  out[o++] = n;
  for (const { bitmap, siblings } of proof.levels) {
    out[o++] = bitmap >>> 8;
    out[o++] = bitmap & 0xff;
    for (const s of siblings) {
      out.set(s, o);
      o += HASH_LEN;
    }
  }
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
  const n = take(1)[0]!;
  if (n > MAX_DEPTH) fail(`${n} levels (max ${MAX_DEPTH})`);
  const levels: ProofLevel[] = [];
  for (let i = 0; i < n; i++) {
    const b = take(2);
    const bitmap = (b[0]! << 8) | b[1]!;
    const siblings: Uint8Array[] = [];
    for (let k = popcount16(bitmap); k > 0; k--) siblings.push(take(HASH_LEN));
    const level = { bitmap, siblings };
    const fault = levelFault(level, keyHash, n - 1 - i);
    if (fault !== undefined) fail(`level ${i}: ${fault}`);
    levels.push(level);
  }
  if (o !== bytes.length) fail(`${bytes.length - o} trailing bytes`);
  return { keyHash, leaf, levels };
}
