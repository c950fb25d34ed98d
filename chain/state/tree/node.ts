/**
 * Node encoding and hashing for the authenticated state tree, a 16-ary (hexary) sparse Merkle
 * tree: each level consumes one nibble (4 bits) of the key's path, most significant first.
 *
 *   leaf      0x00 | keyHash(32) | valueHash(32)                              65 bytes
 *   internal  0x01 | bitmap(2, BE) | hash of each present child, nibble order   3 + 32·k bytes
 *
 * Bit 15 - n of the bitmap (the most significant bit is nibble 0) says child n is present; an
 * internal node has at least one child. A node's hash is sha256 of its encoding ("flat" hashing:
 * one hash per node, not a binary tree inside it), so a new key costs one hash per 4 bits of
 * depth instead of one per bit. Leaves commit to the key's path (sha256(key)) and
 * sha256(value) — never to their depth — so a leaf can move up or down the tree (split on insert,
 * collapse on delete) without being re-hashed.
 */
import { hash } from "node:crypto";
import { sha256 } from "../../crypto/hash.js";
import { latin1Bytes, latin1Range, latin1String, writeLatin1 } from "../../util/latin1.js";

export const HASH_LEN = 32;
export const RADIX = 16;
export const LEAF_LEN = 1 + 2 * HASH_LEN;
/** Encoded size of an internal node with `children` present children. */
export const internalLen = (children: number): number => 3 + children * HASH_LEN;
/** Number of nibbles in a key path, hence the maximum tree depth and number of proof levels. */
export const MAX_DEPTH = 64;

export const LEAF_TAG = 0x00;
export const INTERNAL_TAG = 0x01;

/** Hash of the empty subtree (and root of the empty tree): 32 zero bytes, never a real sha256 output. */
export const EMPTY_HASH: Uint8Array = new Uint8Array(HASH_LEN);

export interface LeafNode {
  readonly kind: typeof LEAF_TAG;
  readonly keyHash: Uint8Array;
  readonly valueHash: Uint8Array;
}

export interface InternalNode {
  readonly kind: typeof INTERNAL_TAG;
  readonly bitmap: number;
  /** Hashes of the present children, in nibble order (one per set bitmap bit). */
  readonly children: readonly Uint8Array[];
}

export type TreeNode = LeafNode | InternalNode;

/**
 * sha256 as a plain Uint8Array view (no copy). `crypto.hash` returns a Buffer, whose `slice()`
 * is a view rather than a copy; handing Buffers out invites callers to mutate tree hashes.
 */
function digest(data: Uint8Array): Uint8Array {
  const b = sha256(data);
  return new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
}

/** A key's position in the tree: sha256(key), read as 64 nibbles, most significant first. */
export function keyPath(key: Uint8Array): Uint8Array {
  return digest(key);
}

export function valueHashOf(value: Uint8Array): Uint8Array {
  return digest(value);
}

/** Nibble `depth` of a path (0 = high nibble of byte 0): the child slot taken at that level. */
export function nibbleAt(path: Uint8Array, depth: number): number {
  const byte = path[depth >>> 1]!;
  return depth & 1 ? byte & 0x0f : byte >>> 4;
}

/** The bitmap bit of child slot `nibble`. */
export const slotBit = (nibble: number): number => 0x8000 >>> nibble;

/** Number of set bits of a 16-bit bitmap. */
export function popcount16(bitmap: number): number {
  let x = bitmap - ((bitmap >>> 1) & 0x5555);
  x = (x & 0x3333) + ((x >>> 2) & 0x3333);
  x = (x + (x >>> 4)) & 0x0f0f;
  return (x + (x >>> 8)) & 0x1f;
}

export function isEmptyHash(hash: Uint8Array): boolean {
  // Cheap test first: a real sha256 output almost never starts with a zero byte.
  if (hash[0] !== 0) return false;
  for (let i = 1; i < HASH_LEN; i++) if (hash[i] !== 0) return false;
  return true;
}

export function encodeLeaf(keyHash: Uint8Array, valueHash: Uint8Array): Uint8Array {
  const out = new Uint8Array(LEAF_LEN);
  out[0] = LEAF_TAG;
  out.set(keyHash, 1);
  out.set(valueHash, 1 + HASH_LEN);
  return out;
}

/** `children` = the present children's hashes in nibble order, one per set bit of `bitmap`. */
export function encodeInternal(bitmap: number, children: readonly Uint8Array[]): Uint8Array {
  if (bitmap <= 0 || bitmap > 0xffff || popcount16(bitmap) !== children.length)
    throw new Error("state tree: an internal node needs a non-empty bitmap with one hash per set bit");
  const out = new Uint8Array(internalLen(children.length));
  out[0] = INTERNAL_TAG;
  out[1] = bitmap >>> 8;
  out[2] = bitmap & 0xff;
  children.forEach((c, i) => {
    out.set(c, 3 + i * HASH_LEN);
  });
  return out;
}

/** Content address of an encoded node. */
export function hashNode(encoded: Uint8Array): Uint8Array {
  return digest(encoded);
}

export function leafHash(keyHash: Uint8Array, valueHash: Uint8Array): Uint8Array {
  return digest(encodeLeaf(keyHash, valueHash));
}

export function internalHash(bitmap: number, children: readonly Uint8Array[]): Uint8Array {
  return digest(encodeInternal(bitmap, children));
}

/** Why an encoding is not a node, or undefined if it is one (tag, length and bitmap agree). */
function malformation(encoded: Uint8Array): string | undefined {
  const tag = encoded[0];
  if (tag === LEAF_TAG)
    return encoded.length === LEAF_LEN
      ? undefined
      : `a leaf must be ${LEAF_LEN} bytes, got ${encoded.length}`;
  if (tag !== INTERNAL_TAG) return `unknown node tag ${tag}`;
  if (encoded.length < 3) return "truncated internal node";
  const bitmap = (encoded[1]! << 8) | encoded[2]!;
  if (bitmap === 0) return "internal node without children";
  const want = internalLen(popcount16(bitmap));
  return encoded.length === want ? undefined : `internal node must be ${want} bytes, got ${encoded.length}`;
}

/**
 * Decodes a stored node. Throws on malformed bytes: a corrupt node must stop the node, not be
 * silently read as something else. The returned hashes are views into `encoded`.
 */
export function decodeNode(encoded: Uint8Array): TreeNode {
  const bad = malformation(encoded);
  if (bad !== undefined) throw new Error(`state tree: ${bad}`);
  if (encoded[0] === LEAF_TAG)
    return { kind: LEAF_TAG, keyHash: encoded.subarray(1, 33), valueHash: encoded.subarray(33, LEAF_LEN) };
  const bitmap = (encoded[1]! << 8) | encoded[2]!;
  const children: Uint8Array[] = [];
  for (let o = 3; o < encoded.length; o += HASH_LEN) children.push(encoded.subarray(o, o + HASH_LEN));
  return { kind: INTERNAL_TAG, bitmap, children };
}

// ---------------------------------------------------------------------------------------------
// Internal hash form used by the tree's hot path.
//
// Inside `AuthenticatedTree` hashes are 32-character latin1 strings rather than Uint8Arrays:
// `crypto.hash(…, "latin1")` returns one directly, and V8 allocates short strings on the heap,
// whereas every 32-byte Buffer gets its own off-heap backing store. Strings are also Map keys and
// compare with ===. latin1 maps bytes 0..255 one-to-one onto char codes, so string order is byte
// order.

/** A 32-byte hash as a 32-char latin1 string. */
export type HashStr = string;

/**
 * Built from bytes, so it is one flat string: `"\0".repeat(32)` would be a cons string, which every
 * comparison with a child hash (several per node an update rebuilds) would have to walk.
 */
export const EMPTY_HASH_STR: HashStr = latin1String(new Uint8Array(HASH_LEN));

export function sha256Str(data: Uint8Array): HashStr {
  return hash("sha256", data, "binary"); // "binary" is Node's alias for latin1
}

export function toHashStr(bytes: Uint8Array): HashStr {
  return latin1String(bytes);
}

/** A fresh plain Uint8Array (small, so on-heap; not a Buffer, whose slice() would alias). */
export function fromHashStr(h: HashStr): Uint8Array {
  return latin1Bytes(h);
}

export function nibbleAtStr(h: HashStr, depth: number): number {
  const byte = h.charCodeAt(depth >>> 1);
  return depth & 1 ? byte & 0x0f : byte >>> 4;
}

/** A decoded leaf with string hashes. */
export interface LeafStr {
  readonly kind: typeof LEAF_TAG;
  readonly keyHash: HashStr;
  readonly valueHash: HashStr;
}

/**
 * A decoded internal node: all 16 child slots, EMPTY_HASH_STR where there is no child, and the
 * bitmap of the present ones (slotBit(n) set for child n), so that nothing needs to compare every
 * slot with EMPTY_HASH_STR to learn which are there.
 */
export interface InternalStr {
  readonly kind: typeof INTERNAL_TAG;
  readonly children: readonly HashStr[];
  readonly bitmap: number;
}

export type NodeStr = LeafStr | InternalStr;

export function decodeNodeStr(encoded: Uint8Array): NodeStr {
  const bad = malformation(encoded);
  if (bad !== undefined) throw new Error(`state tree: ${bad}`);
  if (encoded[0] === LEAF_TAG)
    return {
      kind: LEAF_TAG,
      keyHash: latin1Range(encoded, 1, 1 + HASH_LEN),
      valueHash: latin1Range(encoded, 1 + HASH_LEN, LEAF_LEN),
    };
  const bitmap = (encoded[1]! << 8) | encoded[2]!;
  // One read of all the hashes, then a slice each: as with writes (below), one call into C++ per
  // node rather than one per child.
  const joined = latin1Range(encoded, 3, encoded.length);
  const children = new Array<HashStr>(RADIX);
  let o = 0;
  for (let n = 0; n < RADIX; n++) {
    if ((bitmap & slotBit(n)) === 0) children[n] = EMPTY_HASH_STR;
    else {
      children[n] = joined.slice(o, o + HASH_LEN);
      o += HASH_LEN;
    }
  }
  return { kind: INTERNAL_TAG, children, bitmap };
}

/**
 * Hashes go into a node's encoding as one concatenated string and one write: each `Buffer.write`
 * is a call into C++ that costs far more than copying 32 bytes, and an internal node has up to
 * 16 of them (one write of the joined string took ~0.7 µs against ~2.3 for 16 writes).
 */
function writeLeaf(buf: Buffer, at: number, keyHash: HashStr, valueHash: HashStr): void {
  buf[at] = LEAF_TAG;
  writeLatin1(buf, keyHash + valueHash, at + 1);
}

const leafScratch = Buffer.alloc(LEAF_LEN);

/** The hash of a leaf, computed in a scratch buffer (nothing is kept). */
export function leafHashStr(keyHash: HashStr, valueHash: HashStr): HashStr {
  writeLeaf(leafScratch, 0, keyHash, valueHash);
  return hash("sha256", leafScratch, "binary");
}

const SLAB_BYTES = 64 * 1024;

/**
 * The nodes an update created, in creation order, as [hash, encoding] pairs of views into shared
 * slabs (persist or copy them, don't mutate them).
 */
export interface TreeNodes extends Iterable<[hash: Uint8Array, encoded: Uint8Array]> {
  readonly length: number;
  forEach(visit: (hash: Uint8Array, encoded: Uint8Array) => void): void;
}

/**
 * Encodes new nodes into shared zero-filled slabs instead of one allocation per node. Each node
 * takes its encoding followed by its 32-byte hash. It is also the list of the nodes it encoded: a
 * block's nodes wait from its build until its batch is written, long enough for objects to
 * outlive a scavenge or two, so each is kept as three numbers and its views are made only when
 * the nodes are read (the batch copies them at once).
 */
export class NodeSlab implements TreeNodes {
  private readonly slabs: Buffer[] = [];
  private buf = Buffer.alloc(0);
  private off = 0;
  /** Per node: its slab's index, its offset there, its encoding's length. */
  private readonly spans: number[] = [];

  get length(): number {
    return this.spans.length / 3;
  }

  forEach(visit: (hash: Uint8Array, encoded: Uint8Array) => void): void {
    for (let i = 0; i < this.spans.length; i += 3) visit(this.hashAt(i), this.encodedAt(i));
  }

  *[Symbol.iterator](): Iterator<[Uint8Array, Uint8Array]> {
    for (let i = 0; i < this.spans.length; i += 3) yield [this.hashAt(i), this.encodedAt(i)];
  }

  /** The encoding of the node whose span starts at `spans[i]`, as a view. */
  private encodedAt(i: number): Uint8Array {
    const buf = this.slabs[this.spans[i]!]!;
    return new Uint8Array(buf.buffer, buf.byteOffset + this.spans[i + 1]!, this.spans[i + 2]!);
  }

  /** Its hash, which follows the encoding, as a view. */
  private hashAt(i: number): Uint8Array {
    const buf = this.slabs[this.spans[i]!]!;
    return new Uint8Array(buf.buffer, buf.byteOffset + this.spans[i + 1]! + this.spans[i + 2]!, HASH_LEN);
  }

  private reserve(size: number): number {
    if (this.off + size > this.buf.length) {
      this.buf = Buffer.alloc(Math.max(SLAB_BYTES, size));
      this.slabs.push(this.buf);
      this.off = 0;
    }
    const at = this.off;
    this.off += size;
    return at;
  }

  /** Hashes the encoding at `at`, writes the hash after it, and records the node. */
  private finish(at: number, length: number): HashStr {
    const { buf } = this;
    const h = hash("sha256", new Uint8Array(buf.buffer, buf.byteOffset + at, length), "binary");
    writeLatin1(buf, h, at + length);
    this.spans.push(this.slabs.length - 1, at, length);
    return h;
  }

  /** Encodes a new leaf; returns its hash. */
  leaf(keyHash: HashStr, valueHash: HashStr): HashStr {
    const at = this.reserve(LEAF_LEN + HASH_LEN);
    writeLeaf(this.buf, at, keyHash, valueHash);
    return this.finish(at, LEAF_LEN);
  }

  /**
   * `children`: all 16 slots, EMPTY_HASH_STR where absent; `bitmap` says which are present (at
   * least one must be).
   */
  internal(children: readonly HashStr[], bitmap: number): HashStr {
    const present = popcount16(bitmap);
    if (present === 0) throw new Error("state tree: an internal node needs a child");
    const length = internalLen(present);
    const at = this.reserve(length + HASH_LEN);
    const { buf } = this;
    buf[at] = INTERNAL_TAG;
    buf[at + 1] = bitmap >>> 8;
    buf[at + 2] = bitmap & 0xff;
    let joined = "";
    for (let n = 0; n < RADIX; n++) if ((bitmap & slotBit(n)) !== 0) joined += children[n]!;
    writeLatin1(buf, joined, at + 3);
    return this.finish(at, length);
  }
}
