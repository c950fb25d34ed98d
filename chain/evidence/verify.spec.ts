import { describe, expect, it } from "vitest";
import {
  BLOCK_TIME,
  blockIdFor,
  CHAIN_ID,
  doubleSign,
  makeKey,
  makeValidators,
  signedVote,
} from "../../test/support/evidence.js";
import { SignedMsgType } from "../consensus/messages.js";
import { ValidatorSet } from "../consensus/validator-set.js";
import { type DuplicateVoteEvidence, EvidenceInvalidError, type EvidenceInvalidReason } from "./types.js";
import { makeDuplicateVoteEvidence, verifyDuplicateVoteEvidence } from "./verify.js";

const { set, keys } = makeValidators(4);

function rejection(ev: DuplicateVoteEvidence, validators = set, chainId = CHAIN_ID): EvidenceInvalidReason {
  try {
    verifyDuplicateVoteEvidence(chainId, validators, ev);
  } catch (err) {
    expect(err).toBeInstanceOf(EvidenceInvalidError);
    expect((err as EvidenceInvalidError).code).toBe("EVIDENCE_INVALID");
    return (err as EvidenceInvalidError).reason;
  }
  throw new Error("evidence was accepted");
}

describe("verifyDuplicateVoteEvidence", () => {
  it("accepts a real double sign: two ed25519-signed precommits for different blocks", () => {
    const { evidence } = doubleSign(set, keys, 2);
    expect(() => verifyDuplicateVoteEvidence(CHAIN_ID, set, evidence)).not.toThrow();
    const prevotes = doubleSign(set, keys, 0, { type: SignedMsgType.Prevote, height: 9n, round: 3 });
    expect(() => verifyDuplicateVoteEvidence(CHAIN_ID, set, prevotes.evidence)).not.toThrow();
  });

  it("rejects two votes for the same block (no equivocation)", () => {
    const v = signedVote(set, keys, 1, { blockId: blockIdFor("same") });
    const again = signedVote(set, keys, 1, {
      blockId: blockIdFor("same"),
      timestamp: { seconds: 9n, nanos: 0 },
    });
    expect(rejection({ ...doubleSign(set, keys, 1).evidence, voteA: v, voteB: again })).toBe("same_block");
    expect(() => makeDuplicateVoteEvidence(v, again, BLOCK_TIME, set)).toThrow(EvidenceInvalidError);
  });

  it("rejects votes of different heights, rounds or types", () => {
    const a = signedVote(set, keys, 1, { height: 5n, blockId: blockIdFor("a") });
    const b = signedVote(set, keys, 1, { height: 6n, blockId: blockIdFor("b") });
    expect(rejection(makeUnchecked(a, b))).toBe("vote_mismatch");
    const r1 = signedVote(set, keys, 1, { round: 1, blockId: blockIdFor("b") });
    expect(rejection(makeUnchecked(a, r1))).toBe("vote_mismatch");
    const prevote = signedVote(set, keys, 1, { type: SignedMsgType.Prevote, blockId: blockIdFor("b") });
    expect(rejection(makeUnchecked(a, prevote))).toBe("vote_mismatch");
  });

  it("rejects a validator that is not in the set at that height", () => {
    const outsider = makeValidators(1);
    const { evidence } = doubleSign(outsider.set, outsider.keys, 0);
    expect(rejection({ ...evidence, totalVotingPower: 40n })).toBe("unknown_validator");
    // The same offender checked against a set that contains it is fine.
    expect(() => verifyDuplicateVoteEvidence(CHAIN_ID, outsider.set, evidence)).not.toThrow();
  });

  it("rejects a bad signature, a signature from another key, and another chain's votes", () => {
    const { evidence } = doubleSign(set, keys, 1);
    const flipped = new Uint8Array(evidence.voteB.signature);
    flipped[10]! ^= 0x01;
    expect(rejection({ ...evidence, voteB: { ...evidence.voteB, signature: flipped } })).toBe(
      "bad_signature",
    );
    // Validator 2's key signs a vote claiming to be validator 1's.
    const forged = signedVote(set, [keys[0]!, keys[2]!, keys[2]!, keys[3]!], 1, {
      blockId: evidence.voteA.blockId,
    });
    expect(rejection({ ...evidence, voteA: forged })).toBe("bad_signature");
    expect(rejection(evidence, set, "another-chain")).toBe("bad_signature");
  });

  it("rejects wrong powers and a wrong validator index", () => {
    const { evidence } = doubleSign(set, keys, 1);
    expect(rejection({ ...evidence, validatorPower: 11n })).toBe("power_mismatch");
    expect(rejection({ ...evidence, totalVotingPower: 41n })).toBe("power_mismatch");
    // Checked against the set with the offender's power doubled (same order: it stays index 1 of 4).
    const reweighted = new ValidatorSet(
      set.validators.map((v, i) => ({ ...v, votingPower: i === 0 ? 30n : i === 1 ? 20n : 10n })),
    );
    expect(reweighted.indexOf(evidence.voteA.validatorAddress)).toBe(1);
    expect(rejection(evidence, reweighted)).toBe("power_mismatch");
    const moved = { ...evidence.voteA, validatorIndex: 3 };
    expect(rejection({ ...evidence, voteA: moved })).toBe("index_mismatch");
  });

  it("makeDuplicateVoteEvidence refuses votes from a key outside the set", () => {
    const k = makeKey();
    const own = ValidatorSet.fromGenesis([{ pubKey: k.pubKey, power: 1n }]);
    const a = signedVote(own, [k], 0, { blockId: blockIdFor("x") });
    const b = signedVote(own, [k], 0, { blockId: blockIdFor("y") });
    expect(() => makeDuplicateVoteEvidence(a, b, BLOCK_TIME, set)).toThrow(/not in the validator set/);
  });
});

/** Evidence from any two votes, without the form checks makeDuplicateVoteEvidence applies. */
function makeUnchecked(
  a: DuplicateVoteEvidence["voteA"],
  b: DuplicateVoteEvidence["voteB"],
): DuplicateVoteEvidence {
  return { voteA: a, voteB: b, totalVotingPower: 40n, validatorPower: 10n, timestamp: BLOCK_TIME };
}
