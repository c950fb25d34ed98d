/**
 * Building and verifying duplicate-vote evidence (CometBFT evidence/verify.go `VerifyDuplicateVote`).
 * Verification needs only the chain id and the validator set in force at the evidence height, so a
 * light client can check evidence as well as a node can.
 */
import { verify } from "node:crypto";
import { ed25519PublicKey } from "../consensus/keys.js";
import { type Vote, voteSignBytes } from "../consensus/messages.js";
import { type ValidatorSet, validatorAddress } from "../consensus/validator-set.js";
import { bytesEqual, toHexUpper } from "../crypto/hash.js";
import type { Timestamp } from "../types/timestamp.js";
import { compareBlockIds, validateDuplicateVoteEvidenceBasic } from "./codec.js";
import { type DuplicateVoteEvidence, EvidenceInvalidError } from "./types.js";

/**
 * Evidence from two conflicting votes (CometBFT `NewDuplicateVoteEvidence`): votes put in block-id
 * order, powers taken from `validators` (the set at the votes' height), `blockTime` = time of the
 * block at that height. Throws EvidenceInvalidError if the votes do not make valid evidence
 * (signatures are checked by `verifyDuplicateVoteEvidence`, not here).
 */
export function makeDuplicateVoteEvidence(
  vote1: Vote,
  vote2: Vote,
  blockTime: Timestamp,
  validators: ValidatorSet,
): DuplicateVoteEvidence {
  const index = validators.indexOf(vote1.validatorAddress);
  const val = validators.getByIndex(index);
  if (index < 0 || !val) {
    throw new EvidenceInvalidError(
      "unknown_validator",
      `address ${toHexUpper(vote1.validatorAddress)} is not in the validator set`,
    );
  }
  const [voteA, voteB] = compareBlockIds(vote1.blockId, vote2.blockId) < 0 ? [vote1, vote2] : [vote2, vote1];
  const ev: DuplicateVoteEvidence = {
    voteA,
    voteB,
    totalVotingPower: validators.totalVotingPower,
    validatorPower: val.votingPower,
    timestamp: blockTime,
  };
  validateDuplicateVoteEvidenceBasic(ev);
  return ev;
}

function signatureValid(chainId: string, pubKey: Uint8Array, vote: Vote): boolean {
  try {
    return verify(null, voteSignBytes(chainId, vote), ed25519PublicKey(pubKey), vote.signature);
  } catch {
    return false;
  }
}

/**
 * Checks `ev` against the validator set in force at its height: well formed (same height, round
 * and type, same validator, different block ids, canonical order), the validator is in the set with
 * the index both votes claim, the powers are the set's, and both signatures verify over the votes'
 * canonical sign bytes for `chainId`. Throws EvidenceInvalidError naming the first failure.
 */
export function verifyDuplicateVoteEvidence(
  chainId: string,
  validators: ValidatorSet,
  ev: DuplicateVoteEvidence,
): void {
  validateDuplicateVoteEvidenceBasic(ev);
  const address = ev.voteA.validatorAddress;
  const index = validators.indexOf(address);
  const val = validators.getByIndex(index);
  if (index < 0 || !val) {
    throw new EvidenceInvalidError(
      "unknown_validator",
      `address ${toHexUpper(address)} was not a validator at height ${ev.voteA.height}`,
    );
  }
  if (!bytesEqual(validatorAddress(val.pubKey), address))
    throw new EvidenceInvalidError("address_mismatch", "validator address does not match its public key");
  if (ev.voteA.validatorIndex !== index || ev.voteB.validatorIndex !== index) {
    throw new EvidenceInvalidError(
      "index_mismatch",
      `votes claim validator index ${ev.voteA.validatorIndex}/${ev.voteB.validatorIndex}, the set has ${index}`,
    );
  }
  if (val.votingPower !== ev.validatorPower) {
    throw new EvidenceInvalidError(
      "power_mismatch",
      `validator power from evidence and our validator set does not match (${ev.validatorPower} != ${val.votingPower})`,
    );
  }
  if (validators.totalVotingPower !== ev.totalVotingPower) {
    throw new EvidenceInvalidError(
      "power_mismatch",
      `total voting power from the evidence and our validator set does not match (${ev.totalVotingPower} != ${validators.totalVotingPower})`,
    );
  }
  if (!signatureValid(chainId, val.pubKey, ev.voteA))
    throw new EvidenceInvalidError("bad_signature", "verifying vote_a: invalid signature");
  if (!signatureValid(chainId, val.pubKey, ev.voteB))
    throw new EvidenceInvalidError("bad_signature", "verifying vote_b: invalid signature");
}
