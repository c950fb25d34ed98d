/**
 * The checks a block from a peer must pass before this node votes for it or adopts it: its header
 * must extend our tip with the validator sets, consensus params and proposer in force, its last
 * commit must carry +2/3 of the previous set, and (after execution) its roots must match ours.
 */
import { bytesEqual } from "../crypto/hash.js";
import { evidenceListHash } from "../evidence/codec.js";
import type { Block, BlockId, Commit } from "../types/block.js";
import { compareTimestamps, type Timestamp, timestampToMs } from "../types/timestamp.js";
import { commitHash, verifyCommit } from "./commit.js";
import type { ValidatorSet } from "./validator-set.js";

export class InvalidBlockError extends Error {
  readonly code = "BLOCK_INVALID";
  constructor(
    readonly height: bigint,
    reason: string,
  ) {
    super(`invalid block at height ${height}: ${reason}`);
    this.name = "InvalidBlockError";
  }
}

/** What the next block must extend and commit to. */
export interface BlockExpectations {
  readonly chainId: string;
  readonly height: bigint;
  readonly initialHeight: bigint;
  readonly lastTime: Timestamp;
  readonly lastBlockId: BlockId;
  /** The set that signed the previous block (verifies the block's last commit). */
  readonly lastValidators: ValidatorSet | undefined;
  readonly validators: ValidatorSet;
  readonly nextValidators: ValidatorSet;
  readonly consensusHash: Uint8Array;
  readonly maxBlockBytes: number;
  /** A block time further ahead of our clock than this is refused (a proposer cannot skew time far). */
  readonly maxFutureMs: number;
  readonly nowMs: number;
}

/** Throws InvalidBlockError when `block` (of `encodedBytes` bytes) cannot be the next block. */
export function checkBlockHeader(e: BlockExpectations, block: Block, encodedBytes: number): void {
  const h = block.header;
  const fail = (reason: string): never => {
    throw new InvalidBlockError(h.height, reason);
  };
  if (encodedBytes > e.maxBlockBytes) fail(`${encodedBytes} bytes exceeds max ${e.maxBlockBytes}`);
  if (h.chainId !== e.chainId) fail(`chain id ${JSON.stringify(h.chainId)}`);
  if (h.height !== e.height) fail(`expected height ${e.height}`);
  if (!bytesEqual(h.lastBlockId.hash, e.lastBlockId.hash)) fail("last_block_id does not match our tip");
  if (compareTimestamps(h.time, e.lastTime) <= 0) fail("time is not after the previous block");
  if (timestampToMs(h.time) > e.nowMs + e.maxFutureMs) fail("time is too far in the future");
  if (!bytesEqual(h.validatorsHash, e.validators.hash())) fail("validators_hash");
  if (!bytesEqual(h.nextValidatorsHash, e.nextValidators.hash())) fail("next_validators_hash");
  if (!bytesEqual(h.consensusHash, e.consensusHash)) fail("consensus_hash");
  // A re-proposed valid block keeps its builder as proposer (CometBFT): it must be a validator, and
  // the proposal's signature (checked by the caller) proves who proposed it in this round.
  if (e.validators.indexOf(h.proposerAddress) < 0) fail("proposer is not a validator");
  if (!bytesEqual(h.lastCommitHash, commitHash(block.lastCommit))) fail("last_commit_hash");
  if (!bytesEqual(h.evidenceHash, evidenceListHash(block.evidence))) fail("evidence_hash");
  checkLastCommit(e, block.lastCommit);
}

function checkLastCommit(e: BlockExpectations, lastCommit: Commit): void {
  if (e.height === e.initialHeight) {
    if (lastCommit.signatures.length > 0)
      throw new InvalidBlockError(e.height, "first block has a last commit");
    return;
  }
  if (lastCommit.height !== e.height - 1n)
    throw new InvalidBlockError(e.height, `last commit is for height ${lastCommit.height}`);
  if (!e.lastValidators) throw new InvalidBlockError(e.height, "previous validator set unknown");
  try {
    verifyCommit(e.chainId, e.lastValidators, e.lastBlockId, lastCommit);
  } catch (err) {
    throw new InvalidBlockError(e.height, `last commit: ${(err as Error).message}`);
  }
}
