/**
 * Binary Merkle trees for the tx root, results root and event root, built with merkletreejs.
 *
 * Leaves are hashed as sha256(0x00 || data) and inner nodes as sha256(0x01 || left || right)
 * (RFC 6962 domain separation, so an inner node can never pass for a leaf). An odd node is promoted
 * unchanged, never duplicated (the CVE-2012-2459 trap). An empty tree's root is sha256("").
 */
import { hash } from "node:crypto";
import { MerkleTree } from "merkletreejs";
import { SizedWriter } from "../codec/sized-writer.js";
import { sha256 } from "../crypto/hash.js";

export const EMPTY_TREE_ROOT: Uint8Array = new Uint8Array(sha256(new Uint8Array(0)));
const MAX_PROOF_STEPS = 64;
const LEAF_PREFIX = Buffer.from([0]);
const INNER_PREFIX = Buffer.from([1]);

// A block hashes two nodes per tx and per event (leaf and inner): the prefixed input is built in a
// scratch buffer instead of a fresh concatenation, and each digest is a Buffer that merkletreejs
// takes as is. crypto.hash is synchronous, so nothing else can touch the scratch meanwhile.
const SCRATCH_BYTES = 4096;
const scratch = Buffer.alloc(SCRATCH_BYTES);

function sha256Buffer(data: Uint8Array): Buffer {
  return hash("sha256", data, "buffer") as unknown as Buffer;
}

export function leafHash(data: Uint8Array): Buffer {
  if (data.length >= SCRATCH_BYTES) return sha256Buffer(Buffer.concat([LEAF_PREFIX, data]));
  scratch[0] = 0;
  scratch.set(data, 1);
  return sha256Buffer(scratch.subarray(0, data.length + 1));
}

/**
 * A writer for `size` bytes of leaf data placed right in the hashing scratch (past the 0x00
 * prefix); `hashWrittenLeaf` then hashes them: a leaf hash with no leaf allocated. Nothing else may
 * hash between the two calls.
 */
export function leafWriter(size: number): SizedWriter {
  if (size >= SCRATCH_BYTES) return new SizedWriter(size);
  scratch[0] = 0;
  return new SizedWriter(scratch.subarray(1, size + 1));
}

export function hashWrittenLeaf(w: SizedWriter): Buffer {
  const data = w.finish();
  if (data.buffer !== scratch.buffer) return leafHash(data);
  return sha256Buffer(scratch.subarray(0, data.length + 1));
}

function innerHash(left: Uint8Array, right: Uint8Array): Buffer {
  if (left.length !== 32 || right.length !== 32)
    return sha256Buffer(Buffer.concat([INNER_PREFIX, left, right]));
  scratch[0] = 1;
  scratch.set(left, 1);
  scratch.set(right, 33);
  return sha256Buffer(scratch.subarray(0, 65));
}

export interface MerkleProofStep {
  /** Which side the sibling sits on. */
  readonly side: "left" | "right";
  readonly hash: Uint8Array;
}

export interface MerkleProof {
  readonly index: number;
  readonly total: number;
  readonly leafHash: Uint8Array;
  readonly steps: readonly MerkleProofStep[];
}

const HASHED: unique symbol = Symbol("leaves already hashed");

/** A Merkle tree over a block's items; proofs are taken by index (merkletreejs is O(n) without one). */
export class BlockMerkleTree {
  readonly root: Uint8Array;
  private readonly tree: MerkleTree | undefined;
  private readonly leaves: Buffer[];

  /** The tree over `items`, each hashed as a leaf (or, from `ofLeafHashes`, already hashed). */
  constructor(items: readonly Uint8Array[], hashed?: typeof HASHED) {
    this.leaves = hashed === HASHED ? (items as Buffer[]) : items.map(leafHash);
    if (this.leaves.length === 0) {
      this.tree = undefined;
      this.root = EMPTY_TREE_ROOT;
      return;
    }
    // merkletreejs applies its hash function to the concatenator's output; hashing inside the
    // concatenator with an identity hash function puts our inner-node prefix into every node.
    this.tree = new MerkleTree(this.leaves, (x: Buffer) => x, {
      hashLeaves: false,
      sortPairs: false,
      duplicateOdd: false,
      concatenator: (inputs: Buffer[]) => innerHash(inputs[0]!, inputs[1]!),
    });
    this.root = new Uint8Array(this.tree.getRoot());
  }

  /** The tree over leaf hashes from `leafHash` or `hashWrittenLeaf`. */
  static ofLeafHashes(hashes: readonly Buffer[]): BlockMerkleTree {
    return new BlockMerkleTree(hashes, HASHED);
  }

  get size(): number {
    return this.leaves.length;
  }

  proof(index: number): MerkleProof {
    const leaf = this.leaves[index];
    if (!this.tree || !leaf) throw new RangeError(`no leaf at index ${index}`);
    const steps = this.tree.getProof(leaf, index).map((p: { position: "left" | "right"; data: Buffer }) => ({
      side: p.position,
      hash: new Uint8Array(p.data),
    }));
    return { index, total: this.leaves.length, leafHash: new Uint8Array(leaf), steps };
  }
}

/** Recomputes the root from a leaf and its proof; false for any malformed proof. */
export function verifyMerkleProof(root: Uint8Array, data: Uint8Array, proof: MerkleProof): boolean {
  if (proof.steps.length > MAX_PROOF_STEPS) return false;
  let acc = leafHash(data);
  if (Buffer.compare(acc, proof.leafHash) !== 0) return false;
  for (const step of proof.steps) {
    if (step.hash.length !== 32) return false;
    acc = step.side === "left" ? innerHash(step.hash, acc) : innerHash(acc, step.hash);
  }
  return Buffer.compare(acc, root) === 0;
}
