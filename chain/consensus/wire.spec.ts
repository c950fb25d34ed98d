import { randomBytes } from "node:crypto";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { SignedMsgType } from "./messages.js";
import {
  decodeConsensusMessage,
  decodeProposalMessage,
  decodeTimeout,
  decodeVote,
  encodeConsensusMessage,
  encodeProposalMessage,
  encodeTimeout,
  encodeVote,
  WireDecodeError,
} from "./wire.js";

/** Plain Uint8Arrays, as the decoders return (a Buffer would not deep-equal them). */
const bytes = (n: number) => new Uint8Array(randomBytes(n));

const blockId = { hash: bytes(32), parts: { total: 1, hash: bytes(32) } };
const vote = {
  type: SignedMsgType.Precommit as const,
  height: 12n,
  round: 3,
  blockId,
  timestamp: { seconds: 1_700_000_000n, nanos: 5 },
  validatorAddress: bytes(20),
  validatorIndex: 2,
  signature: bytes(64),
};
const proposal = {
  height: 12n,
  round: 3,
  polRound: 1,
  blockId,
  timestamp: { seconds: 1_700_000_000n, nanos: 7 },
  signature: bytes(64),
};

describe("consensus wire messages", () => {
  it("round-trip votes, proposals with their block, timeouts and tagged messages", () => {
    expect(decodeVote(encodeVote(vote))).toEqual(vote);
    const msg = { proposal, block: bytes(300) };
    expect(decodeProposalMessage(encodeProposalMessage(msg))).toEqual(msg);
    expect(decodeTimeout(encodeTimeout({ height: 4n, round: 2, step: "prevote" }))).toEqual({
      height: 4n,
      round: 2,
      step: "prevote",
    });
    expect(decodeConsensusMessage(encodeConsensusMessage({ kind: "vote", vote }))).toEqual({
      kind: "vote",
      vote,
    });
  });

  it("refuses proposals whose pol_round is not before their round, and short signatures", () => {
    const bad = encodeProposalMessage({ proposal: { ...proposal, polRound: 3 }, block: bytes(10) });
    expect(() => decodeProposalMessage(bad)).toThrow(/pol_round/);
    const short = encodeProposalMessage({
      proposal: { ...proposal, signature: bytes(10) },
      block: bytes(10),
    });
    expect(() => decodeProposalMessage(short)).toThrow(WireDecodeError);
  });

  it("turns any bytes into a message or a WireDecodeError, never another exception", () => {
    const decoders = [decodeVote, decodeProposalMessage, decodeTimeout, decodeConsensusMessage];
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 400 }), fc.integer({ min: 0, max: 3 }), (bytes, which) => {
        try {
          decoders[which]!(bytes);
        } catch (err) {
          expect(err).toBeInstanceOf(WireDecodeError);
        }
      }),
      { numRuns: 3000 },
    );
  });
});
