/**
 * Commits: the +2/3 precommit signatures that finalise a block. `verifyCommit` is what a light
 * client runs: it needs only the validator set in force at the height, never the node.
 */
import { verify } from "node:crypto";
import { BlockMerkleTree } from "../block/merkle.js";
import { bytesEqual, toHex } from "../crypto/hash.js";
import { type BlockId, BlockIdFlag, type Commit, type CommitSig } from "../types/block.js";
import { encodeCommitSig } from "../types/codec.js";
import { ZERO_TIME } from "../types/timestamp.js";
import { ed25519PublicKey } from "./keys.js";
import { SignedMsgType, type Vote, voteSignBytes } from "./messages.js";
import type { ValidatorSet } from "./validator-set.js";

/** Builds the commit of a decided block: one entry per validator, in validator-set order. */
export function buildCommit(
  validators: ValidatorSet,
  height: bigint,
  round: number,
  blockId: BlockId,
  precommits: readonly Vote[],
): Commit {
  const byIndex = new Map(precommits.map((v) => [v.validatorIndex, v]));
  const signatures: CommitSig[] = validators.validators.map((val, i) => {
    const vote = byIndex.get(i);
    return vote
      ? {
          flag: BlockIdFlag.Commit,
          validatorAddress: val.address,
          timestamp: vote.timestamp,
          signature: vote.signature,
        }
      : {
          flag: BlockIdFlag.Absent,
          validatorAddress: new Uint8Array(),
          timestamp: ZERO_TIME,
          signature: new Uint8Array(),
        };
  });
  return { height, round, blockId, signatures };
}

export function commitHash(commit: Commit): Uint8Array {
  return new BlockMerkleTree(commit.signatures.map(encodeCommitSig)).root;
}

export class CommitVerificationError extends Error {
  readonly code = "COMMIT_INVALID";
  constructor(reason: string) {
    super(`invalid commit: ${reason}`);
    this.name = "CommitVerificationError";
  }
}

/** Checks that more than 2/3 of `validators`' power signed `blockId` at the commit's height and round. */
export function verifyCommit(
  chainId: string,
  validators: ValidatorSet,
  blockId: BlockId,
  commit: Commit,
): void {
  if (!bytesEqual(commit.blockId.hash, blockId.hash))
    throw new CommitVerificationError("commit is for another block");
  if (commit.signatures.length !== validators.size) {
    throw new CommitVerificationError(
      `has ${commit.signatures.length} signatures for ${validators.size} validators`,
    );
  }
  let power = 0n;
  const seen = new Set<string>();
  commit.signatures.forEach((sig, i) => {
    if (sig.flag !== BlockIdFlag.Commit) return;
    const val = validators.getByIndex(i)!;
    if (!bytesEqual(sig.validatorAddress, val.address))
      throw new CommitVerificationError(`signature ${i} is not from validator ${i}`);
    if (seen.has(toHex(val.address))) throw new CommitVerificationError("duplicate validator");
    seen.add(toHex(val.address));
    const signBytes = voteSignBytes(chainId, {
      type: SignedMsgType.Precommit,
      height: commit.height,
      round: commit.round,
      blockId: commit.blockId,
      timestamp: sig.timestamp,
    });
    if (!verify(null, signBytes, ed25519PublicKey(val.pubKey), sig.signature)) {
      throw new CommitVerificationError(`bad signature from validator ${toHex(val.address).toUpperCase()}`);
    }
    power += val.votingPower;
  });
  if (!validators.hasTwoThirds(power)) {
    throw new CommitVerificationError(
      `signed power ${power} is not more than 2/3 of ${validators.totalVotingPower}`,
    );
  }
}
