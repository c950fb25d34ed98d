/**
 * The tx, results and event roots of every header come from these trees: each root must equal the
 * RFC 6962-style tree computed independently (leaf 0x00 || data, inner 0x01 || left || right, an
 * odd node promoted a level unchanged), for any number of leaves and any leaf size, and every
 * index must prove against it.
 */
import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { BlockMerkleTree, EMPTY_TREE_ROOT, leafHash, verifyMerkleProof } from "./merkle.js";

function digest(...parts: Uint8Array[]): Uint8Array {
  const h = createHash("sha256");
  for (const p of parts) h.update(p);
  return new Uint8Array(h.digest());
}

function referenceRoot(items: readonly Uint8Array[]): Uint8Array {
  if (items.length === 0) return digest(new Uint8Array(0));
  let layer = items.map((item) => digest(Uint8Array.of(0), item));
  while (layer.length > 1) {
    const next: Uint8Array[] = [];
    for (let i = 0; i < layer.length; i += 2) {
      next.push(i + 1 < layer.length ? digest(Uint8Array.of(1), layer[i]!, layer[i + 1]!) : layer[i]!);
    }
    layer = next;
  }
  return layer[0]!;
}

function items(count: number, size: (i: number) => number): Uint8Array[] {
  return Array.from({ length: count }, (_, i) =>
    Uint8Array.from({ length: size(i) }, (_, j) => (i * 31 + j) & 0xff),
  );
}

describe("BlockMerkleTree", () => {
  it("has the reference root for every size up to 70 leaves", () => {
    expect(new BlockMerkleTree([]).root).toEqual(EMPTY_TREE_ROOT);
    for (let n = 1; n <= 70; n++) {
      const leaves = items(n, (i) => (i * 7) % 90);
      expect(new BlockMerkleTree(leaves).root, `${n} leaves`).toEqual(referenceRoot(leaves));
    }
  });

  it("is the same tree from leaves hashed beforehand", () => {
    for (const n of [0, 1, 2, 7, 33]) {
      const leaves = items(n, (i) => 10 + i);
      const hashed = BlockMerkleTree.ofLeafHashes(leaves.map(leafHash));
      expect(hashed.root).toEqual(new BlockMerkleTree(leaves).root);
      if (n > 0) expect(verifyMerkleProof(hashed.root, leaves[n - 1]!, hashed.proof(n - 1))).toBe(true);
    }
  });

  it("hashes leaves of any size, past its scratch buffer too", () => {
    const leaves = items(5, (i) => [0, 4094, 4095, 4096, 70_000][i]!);
    const tree = new BlockMerkleTree(leaves);
    expect(tree.root).toEqual(referenceRoot(leaves));
    for (const [i, leaf] of leaves.entries()) {
      expect(new Uint8Array(leafHash(leaf))).toEqual(digest(Uint8Array.of(0), leaf));
      expect(verifyMerkleProof(tree.root, leaf, tree.proof(i))).toBe(true);
    }
  });

  it("proves every index, and refuses a proof for other data or with a bad step", () => {
    const leaves = items(13, (i) => 20 + i);
    const tree = new BlockMerkleTree(leaves);
    for (const [i, leaf] of leaves.entries()) {
      const proof = tree.proof(i);
      expect(verifyMerkleProof(tree.root, leaf, proof)).toBe(true);
      expect(verifyMerkleProof(tree.root, leaves[(i + 1) % leaves.length]!, proof)).toBe(false);
      const [first, ...rest] = proof.steps;
      const flipped = { ...first!, hash: first!.hash.map((b, j) => (j === 0 ? b ^ 1 : b)) };
      expect(verifyMerkleProof(tree.root, leaf, { ...proof, steps: [flipped, ...rest] })).toBe(false);
      const short = { ...first!, hash: first!.hash.subarray(0, 31) };
      expect(verifyMerkleProof(tree.root, leaf, { ...proof, steps: [short, ...rest] })).toBe(false);
    }
  });
});
