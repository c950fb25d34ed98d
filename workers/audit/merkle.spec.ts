import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { BlockMerkleTree } from "../../chain/block/merkle.js";
import { auditMerkleRoot, auditRecordProof, hashBytes, verifyAuditRecordProof } from "./merkle.js";

const h = (s: string) => createHash("sha256").update(s).digest("hex");
const sha = (...parts: Buffer[]) => createHash("sha256").update(Buffer.concat(parts)).digest();
const leaf = (hex: string) => sha(Buffer.from([0]), Buffer.from(hex, "hex"));
const inner = (a: Buffer, b: Buffer) => sha(Buffer.from([1]), a, b);

describe("audit Merkle root", () => {
  it("is the chain's block Merkle tree over the 32-byte record hashes", () => {
    const hashes = ["a", "b", "c"].map(h);
    // Three leaves: ((a b) c), the odd one promoted unchanged.
    const expected = inner(inner(leaf(hashes[0]!), leaf(hashes[1]!)), leaf(hashes[2]!)).toString("hex");
    expect(auditMerkleRoot(hashes)).toBe(expected);
    expect(auditMerkleRoot(hashes)).toBe(
      Buffer.from(new BlockMerkleTree(hashes.map((x) => Buffer.from(x, "hex"))).root).toString("hex"),
    );
    expect(auditMerkleRoot([hashes[0]!])).toBe(leaf(hashes[0]!).toString("hex"));
  });

  it("changes with any hash, the order, or the range", () => {
    const hashes = Array.from({ length: 10 }, (_, i) => h(String(i)));
    const root = auditMerkleRoot(hashes);
    const swapped = [...hashes];
    [swapped[3], swapped[4]] = [swapped[4]!, swapped[3]!];
    expect(auditMerkleRoot(swapped)).not.toBe(root);
    expect(auditMerkleRoot(hashes.slice(0, 9))).not.toBe(root);
    const flipped = [...hashes];
    flipped[7] = `${flipped[7]!.slice(0, 63)}${flipped[7]!.endsWith("0") ? "1" : "0"}`;
    expect(auditMerkleRoot(flipped)).not.toBe(root);
  });

  it("proves one record's inclusion in the block proofs' format", () => {
    const hashes = Array.from({ length: 7 }, (_, i) => h(`r${i}`));
    const root = auditMerkleRoot(hashes);
    for (let i = 0; i < hashes.length; i++) {
      const proof = auditRecordProof(hashes, i);
      expect(verifyAuditRecordProof(root, hashes[i]!, proof)).toBe(true);
      expect(verifyAuditRecordProof(root, hashes[(i + 1) % 7]!, proof)).toBe(false);
    }
    expect(verifyAuditRecordProof(h("other"), hashes[0]!, auditRecordProof(hashes, 0))).toBe(false);
  });

  it("refuses malformed hashes and empty ranges with a code", () => {
    expect(() => hashBytes("ABCD")).toThrow(expect.objectContaining({ code: "AUDIT_CORRUPT" }));
    expect(() => hashBytes(h("x").toUpperCase())).toThrow(expect.objectContaining({ code: "AUDIT_CORRUPT" }));
    expect(() => auditMerkleRoot([])).toThrow(expect.objectContaining({ code: "AUDIT_CORRUPT" }));
    expect(verifyAuditRecordProof("zz", h("a"), auditRecordProof([h("a")], 0))).toBe(false);
  });
});
