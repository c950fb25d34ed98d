/**
 * Abstract blocks: no transactions, only what consensus needs — a height, a parent, who proposed
 * it and a noise value so two proposals of one round differ. The hash covers all of it, so a
 * receiver can check that a block matches the id it is proposed or committed under.
 */
import { sha256, toHex } from "../../chain/crypto/hash.js";
import type { BlockId } from "../../chain/types/block.js";

export interface SimBlock {
  readonly height: bigint;
  readonly round: number;
  readonly proposer: number;
  /** Hex hash of the parent block ("genesis" at height 1). */
  readonly parent: string;
  readonly noise: number;
  /** A block that fails execution: honest receivers prevote nil on it. Only byzantine nodes make one. */
  readonly invalid: boolean;
  readonly id: BlockId;
  readonly hash: string;
}

export const GENESIS_HASH = "genesis";

function contentHash(b: Omit<SimBlock, "id" | "hash">): Uint8Array {
  const text = `${b.height}|${b.round}|${b.proposer}|${b.parent}|${b.noise}|${b.invalid ? 1 : 0}`;
  return sha256(new TextEncoder().encode(text));
}

export function makeBlock(content: Omit<SimBlock, "id" | "hash">): SimBlock {
  const hash = contentHash(content);
  return { ...content, id: { hash, parts: { total: 1, hash } }, hash: toHex(hash) };
}

/** The block's content hashes to the id it claims (what a real node checks on the block parts). */
export function blockIsIntact(block: SimBlock): boolean {
  return toHex(contentHash(block)) === block.hash && toHex(block.id.hash) === block.hash;
}

export function shortHash(hash: string): string {
  return hash === "" ? "nil" : hash.slice(0, 8);
}
