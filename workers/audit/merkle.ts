/**
 * The Merkle root an audit anchor commits to: the chain's own binary Merkle tree (chain/block/merkle.ts,
 * the one behind the block tx root: RFC 6962 leaf and inner prefixes, odd nodes promoted) over the
 * 32-byte record hashes of a range, in seq order. A record's inclusion proof is the block proofs'
 * format, so `verifyMerkleProof` checks either.
 */
import { BlockMerkleTree, type MerkleProof, verifyMerkleProof } from "../../chain/block/merkle.js";
import { WorkersError } from "../errors.js";

const HEX_HASH = /^[0-9a-f]{64}$/;

/** The 32 bytes of a record hash in its log form (64 lowercase hex digits). */
export function hashBytes(hex: string): Uint8Array {
  if (!HEX_HASH.test(hex))
    throw new WorkersError("AUDIT_CORRUPT", "a record hash is 64 lowercase hex digits");
  return new Uint8Array(Buffer.from(hex, "hex"));
}

/** The Merkle tree over `hashes` (hex record hashes, in seq order). */
export function auditTree(hashes: readonly string[]): BlockMerkleTree {
  if (hashes.length === 0)
    throw new WorkersError("AUDIT_CORRUPT", "an anchored range holds at least one record");
  return new BlockMerkleTree(hashes.map(hashBytes));
}

/** The root, in hex, over the record hashes of a range. */
export function auditMerkleRoot(hashes: readonly string[]): string {
  return Buffer.from(auditTree(hashes).root).toString("hex");
}

/** The inclusion proof of the record at `index` within its anchored range. */
export function auditRecordProof(hashes: readonly string[], index: number): MerkleProof {
  return auditTree(hashes).proof(index);
}

/** Whether `recordHash` sits in the range whose root is `rootHex`, as `proof` says. */
export function verifyAuditRecordProof(rootHex: string, recordHash: string, proof: MerkleProof): boolean {
  if (!HEX_HASH.test(rootHex) || !HEX_HASH.test(recordHash)) return false;
  return verifyMerkleProof(hashBytes(rootHex), hashBytes(recordHash), proof);
}
