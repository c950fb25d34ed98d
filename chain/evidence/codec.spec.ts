import { BinaryWriter } from "cosmjs-types/binary";
import {
  DuplicateVoteEvidence as PbDuplicateVoteEvidence,
  Evidence as PbEvidence,
  EvidenceList as PbEvidenceList,
} from "cosmjs-types/tendermint/types/evidence";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { blockIdFor, doubleSign, makeValidators, signedVote } from "../../test/support/evidence.js";
import { EMPTY_TREE_ROOT } from "../block/merkle.js";
import { SignedMsgType } from "../consensus/messages.js";
import { NIL_BLOCK_ID } from "../types/block.js";
import {
  decodeDuplicateVoteEvidence,
  decodeEvidence,
  decodeEvidenceList,
  decodeVote,
  encodeDuplicateVoteEvidence,
  encodeEvidence,
  encodeEvidenceList,
  encodeVote,
  evidenceHash,
  evidenceItemSize,
  evidenceListHash,
  MAX_EVIDENCE_BYTES,
} from "./codec.js";
import { type DuplicateVoteEvidence, EvidenceInvalidError } from "./types.js";
import { makeDuplicateVoteEvidence } from "./verify.js";

const { set, keys } = makeValidators(4);
const ev = doubleSign(set, keys, 1).evidence;
const ev2 = doubleSign(set, keys, 2, { height: 7n, round: 1, type: SignedMsgType.Prevote }).evidence;

function reason(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(EvidenceInvalidError);
    expect((err as EvidenceInvalidError).code).toBe("EVIDENCE_INVALID");
    return (err as EvidenceInvalidError).reason;
  }
  throw new Error("expected an EvidenceInvalidError");
}

/** Only EvidenceInvalidError may escape a decoder given untrusted bytes. */
function decodesOrRejects(decode: (b: Uint8Array) => unknown, bytes: Uint8Array): void {
  try {
    decode(bytes);
  } catch (err) {
    if (!(err instanceof EvidenceInvalidError)) throw err;
  }
}

describe("evidence codec", () => {
  it("round-trips duplicate-vote evidence, votes and lists canonically", () => {
    const bytes = encodeDuplicateVoteEvidence(ev);
    const back = decodeDuplicateVoteEvidence(bytes);
    expect(Buffer.from(encodeDuplicateVoteEvidence(back))).toEqual(Buffer.from(bytes));
    expect(back.voteA.height).toBe(5n);
    expect(back.totalVotingPower).toBe(40n);
    expect(back.validatorPower).toBe(10n);
    expect(back.timestamp).toEqual(ev.timestamp);
    expect(Buffer.from(back.voteB.signature)).toEqual(Buffer.from(ev.voteB.signature));

    const vote = decodeVote(encodeVote(ev.voteA));
    expect(Buffer.from(encodeVote(vote))).toEqual(Buffer.from(encodeVote(ev.voteA)));

    const list = decodeEvidenceList(encodeEvidenceList([ev, ev2]));
    expect(list.map((e) => Buffer.from(evidenceHash(e)))).toEqual(
      [ev, ev2].map((e) => Buffer.from(evidenceHash(e))),
    );
    expect(decodeEvidenceList(new Uint8Array())).toEqual([]);
    expect(Buffer.from(encodeDuplicateVoteEvidence(decodeEvidence(encodeEvidence(ev))))).toEqual(
      Buffer.from(bytes),
    );
    expect(evidenceItemSize(ev)).toBe(encodeEvidenceList([ev]).length);
  });

  it("writes CometBFT's field numbers: cosmjs-types' tendermint decoders read our bytes and vice versa", () => {
    const pb = PbDuplicateVoteEvidence.decode(encodeDuplicateVoteEvidence(ev));
    expect(pb.voteA?.height).toBe(5n);
    expect(pb.voteA?.type).toBe(2);
    expect(pb.voteA?.validatorIndex).toBe(1);
    expect(Buffer.from(pb.voteA?.validatorAddress ?? [])).toEqual(Buffer.from(ev.voteA.validatorAddress));
    expect(Buffer.from(pb.voteB?.blockId.hash ?? [])).toEqual(Buffer.from(ev.voteB.blockId.hash));
    expect(pb.voteB?.blockId.partSetHeader.total).toBe(1);
    expect(pb.totalVotingPower).toBe(40n);
    expect(pb.validatorPower).toBe(10n);
    expect(pb.timestamp.seconds).toBe(ev.timestamp.seconds);
    expect(pb.timestamp.nanos).toBe(ev.timestamp.nanos);

    const wrapped = PbEvidence.decode(encodeEvidence(ev));
    expect(wrapped.duplicateVoteEvidence?.voteB?.round).toBe(0);
    const list = PbEvidenceList.decode(encodeEvidenceList([ev, ev2]));
    expect(list.evidence.map((e) => e.duplicateVoteEvidence?.voteA?.height)).toEqual([5n, 7n]);

    // The generated encoder's bytes decode to the same evidence (same canonical re-encoding).
    const theirs = PbDuplicateVoteEvidence.encode(pb).finish();
    expect(Buffer.from(theirs)).toEqual(Buffer.from(encodeDuplicateVoteEvidence(ev)));
    expect(Buffer.from(encodeDuplicateVoteEvidence(decodeDuplicateVoteEvidence(theirs)))).toEqual(
      Buffer.from(theirs),
    );
  });

  it("hashes the empty list to the empty-tree root and a list to a root over its items", () => {
    expect(Buffer.from(evidenceListHash([]))).toEqual(Buffer.from(EMPTY_TREE_ROOT));
    const one = evidenceListHash([ev]);
    expect(Buffer.from(one)).not.toEqual(Buffer.from(EMPTY_TREE_ROOT));
    expect(Buffer.from(evidenceListHash([ev, ev2]))).not.toEqual(Buffer.from(one));
    expect(Buffer.from(evidenceListHash([ev2, ev]))).not.toEqual(Buffer.from(evidenceListHash([ev, ev2])));
  });

  it("orders the votes by block id, so either order of detection gives the same bytes", () => {
    const { first, second } = doubleSign(set, keys, 0);
    const a = makeDuplicateVoteEvidence(first, second, ev.timestamp, set);
    const b = makeDuplicateVoteEvidence(second, first, ev.timestamp, set);
    expect(Buffer.from(encodeDuplicateVoteEvidence(a))).toEqual(Buffer.from(encodeDuplicateVoteEvidence(b)));
    // A nil vote against a block vote is a double sign too; the nil block id sorts first.
    const nil = signedVote(set, keys, 0, { blockId: NIL_BLOCK_ID });
    const withNil = makeDuplicateVoteEvidence(first, nil, ev.timestamp, set);
    expect(withNil.voteA.blockId.hash.length).toBe(0);
    expect(decodeDuplicateVoteEvidence(encodeDuplicateVoteEvidence(withNil)).voteA.blockId.hash.length).toBe(
      0,
    );
  });

  it("rejects evidence that is not a valid double sign in form", () => {
    const swapped: DuplicateVoteEvidence = { ...ev, voteA: ev.voteB, voteB: ev.voteA };
    expect(reason(() => decodeDuplicateVoteEvidence(encodeDuplicateVoteEvidence(swapped)))).toBe("order");
    const same: DuplicateVoteEvidence = { ...ev, voteB: ev.voteA };
    expect(reason(() => decodeDuplicateVoteEvidence(encodeDuplicateVoteEvidence(same)))).toBe("same_block");
    const otherHeight = signedVote(set, keys, 1, { height: 6n, blockId: blockIdFor("zzz") });
    const mixed = { ...ev, voteB: otherHeight };
    expect(reason(() => decodeDuplicateVoteEvidence(encodeDuplicateVoteEvidence(mixed)))).toBe(
      "vote_mismatch",
    );
    const other = doubleSign(set, keys, 2).evidence;
    const twoValidators = { ...ev, voteB: other.voteB };
    expect(reason(() => decodeDuplicateVoteEvidence(encodeDuplicateVoteEvidence(twoValidators)))).toBe(
      "address_mismatch",
    );
    const zeroPower = { ...ev, validatorPower: 0n };
    expect(reason(() => decodeDuplicateVoteEvidence(encodeDuplicateVoteEvidence(zeroPower)))).toBe(
      "malformed",
    );
    const badAddress = { ...ev, voteA: { ...ev.voteA, validatorAddress: new Uint8Array(19) } };
    expect(reason(() => decodeDuplicateVoteEvidence(encodeDuplicateVoteEvidence(badAddress)))).toBe(
      "malformed",
    );
    const unsigned = { ...ev, voteA: { ...ev.voteA, signature: new Uint8Array() } };
    expect(reason(() => decodeDuplicateVoteEvidence(encodeDuplicateVoteEvidence(unsigned)))).toBe(
      "malformed",
    );
    const halfBlockId = {
      ...ev,
      voteA: {
        ...ev.voteA,
        blockId: { hash: ev.voteA.blockId.hash, parts: { total: 0, hash: new Uint8Array() } },
      },
    };
    expect(reason(() => decodeDuplicateVoteEvidence(encodeDuplicateVoteEvidence(halfBlockId)))).toBe(
      "malformed",
    );
  });

  it("rejects garbage, oversize input, unknown fields and unsupported evidence with its coded error", () => {
    const bytes = encodeDuplicateVoteEvidence(ev);
    expect(reason(() => decodeDuplicateVoteEvidence(new Uint8Array(MAX_EVIDENCE_BYTES + 1)))).toBe(
      "too_large",
    );
    expect(reason(() => decodeDuplicateVoteEvidence(bytes.subarray(0, bytes.length - 3)))).toBe("malformed");
    expect(reason(() => decodeDuplicateVoteEvidence(new Uint8Array([0xff, 0xff, 0xff])))).toBe("malformed");
    expect(reason(() => decodeDuplicateVoteEvidence(new Uint8Array()))).toBe("malformed");
    // Unknown field 9 (a vote extension) appended to the first vote's evidence.
    const extra = Buffer.concat([bytes, Buffer.from([0x4a, 0x01, 0x00])]);
    expect(reason(() => decodeDuplicateVoteEvidence(extra))).toBe("malformed");
    // A singular field given twice.
    const w = BinaryWriter.create();
    w.uint32(24).int64(40n);
    expect(reason(() => decodeDuplicateVoteEvidence(Buffer.concat([bytes, w.finish()])))).toBe("malformed");
    // A field with the wrong wire type (height as bytes).
    const vw = BinaryWriter.create();
    vw.uint32(18).bytes(new Uint8Array([1]));
    expect(reason(() => decodeVote(vw.finish()))).toBe("malformed");
    // Light-client-attack evidence (Evidence field 2) is not supported.
    const lca = BinaryWriter.create();
    lca.uint32(18).bytes(new Uint8Array());
    expect(reason(() => decodeEvidence(lca.finish()))).toBe("unsupported");
    expect(reason(() => decodeEvidenceList(Buffer.concat([Buffer.from([0x0a, 0x02]), lca.finish()])))).toBe(
      "unsupported",
    );
    expect(reason(() => decodeEvidenceList(new Uint8Array([0x0a, 0x05, 0x0a, 0x03])))).toBe("malformed");
  });

  it("property: decoding random bytes only ever throws EvidenceInvalidError", () => {
    const decoders = [decodeDuplicateVoteEvidence, decodeEvidence, decodeEvidenceList, decodeVote];
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 600 }), fc.integer({ min: 0, max: 3 }), (bytes, which) => {
        decodesOrRejects(decoders[which]!, bytes);
      }),
      { numRuns: 3000 },
    );
  });

  it("property: corrupting valid evidence bytes only ever throws EvidenceInvalidError", () => {
    const good = encodeEvidenceList([ev, ev2]);
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.nat(good.length - 1), fc.integer({ min: 0, max: 255 })), {
          minLength: 1,
          maxLength: 6,
        }),
        fc.nat(good.length),
        (edits, cut) => {
          const bytes = new Uint8Array(good);
          for (const [at, value] of edits) bytes[at] = value;
          decodesOrRejects(decodeEvidenceList, bytes.subarray(0, cut));
          decodesOrRejects(decodeEvidenceList, bytes);
        },
      ),
      { numRuns: 3000 },
    );
  });
});
