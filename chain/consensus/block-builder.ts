/**
 * Turns an executed block into a header and block, and checks a proposed block against our own
 * execution of it: with immediate execution, a block's header commits to the state after it.
 */
import { bytesEqual, sha256 } from "../crypto/hash.js";
import { evidenceListHash } from "../evidence/codec.js";
import type { DuplicateVoteEvidence } from "../evidence/types.js";
import type { BlockExecution } from "../execution/block-executor.js";
import {
  APP_PROTOCOL_VERSION,
  BLOCK_PROTOCOL_VERSION,
  type Block,
  type BlockId,
  type Commit,
  type Header,
} from "../types/block.js";
import { encodeBlock, encodeHeader } from "../types/codec.js";
import type { Timestamp } from "../types/timestamp.js";
import { commitHash } from "./commit.js";

export interface BlockTemplate {
  readonly chainId: string;
  readonly height: bigint;
  readonly time: Timestamp;
  readonly lastBlockId: BlockId;
  readonly lastCommit: Commit;
  readonly validatorsHash: Uint8Array;
  readonly nextValidatorsHash: Uint8Array;
  readonly consensusHash: Uint8Array;
  readonly proposerAddress: Uint8Array;
}

/**
 * `evidence` must be what `exec` was executed with (the evidence module records it before the
 * txs run); its Merkle root is the header's evidence_hash (the empty-tree root when there is none).
 */
export function buildBlock(
  t: BlockTemplate,
  txs: readonly Uint8Array[],
  exec: BlockExecution,
  evidence: readonly DuplicateVoteEvidence[] = [],
): Block {
  const header: Header = {
    version: { block: BLOCK_PROTOCOL_VERSION, app: APP_PROTOCOL_VERSION },
    chainId: t.chainId,
    height: t.height,
    time: t.time,
    lastBlockId: t.lastBlockId,
    lastCommitHash: commitHash(t.lastCommit),
    dataHash: exec.txRoot,
    validatorsHash: t.validatorsHash,
    nextValidatorsHash: t.nextValidatorsHash,
    consensusHash: t.consensusHash,
    appHash: exec.appHash,
    lastResultsHash: exec.resultsRoot,
    eventRoot: exec.eventRoot,
    evidenceHash: evidenceListHash(evidence),
    proposerAddress: t.proposerAddress,
  };
  return { header, txs, evidence, lastCommit: t.lastCommit };
}

export function blockHash(header: Header): Uint8Array {
  return sha256(encodeHeader(header));
}

/** The block id: header hash, and one "part" covering the whole encoded block. */
export function blockIdOf(block: Block): BlockId {
  return { hash: blockHash(block.header), parts: { total: 1, hash: sha256(encodeBlock(block)) } };
}

/** Why a proposed block's header disagrees with our execution of it, or undefined if it agrees. */
export function headerMismatch(header: Header, exec: BlockExecution): string | undefined {
  if (!bytesEqual(header.dataHash, exec.txRoot)) return "data_hash";
  if (!bytesEqual(header.appHash, exec.appHash)) return "app_hash";
  if (!bytesEqual(header.lastResultsHash, exec.resultsRoot)) return "last_results_hash";
  if (!bytesEqual(header.eventRoot, exec.eventRoot)) return "event_root";
  return undefined;
}
