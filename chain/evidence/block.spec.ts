import { Block as PbBlock } from "cosmjs-types/tendermint/types/block";
import { describe, expect, it } from "vitest";
import { doubleSign, makeValidators } from "../../test/support/evidence.js";
import { getBlockResponseJson } from "../api/block-json.js";
import { EMPTY_TREE_ROOT } from "../block/merkle.js";
import { blockHash, blockIdOf, buildBlock } from "../consensus/block-builder.js";
import { sha256 } from "../crypto/hash.js";
import type { BlockExecution } from "../execution/block-executor.js";
import { blockJson } from "../rpc/json.js";
import { type Block, NIL_BLOCK_ID } from "../types/block.js";
import { decodeBlock, encodeBlock } from "../types/codec.js";
import { encodeEvidenceList, evidenceListHash } from "./codec.js";
import { EvidenceInvalidError } from "./types.js";

const { set, keys } = makeValidators(4);

/** Walks a JSON value along a path of keys and indexes. */
function at(value: unknown, ...path: Array<string | number>): unknown {
  return path.reduce<unknown>((v, k) => (v as Record<string | number, unknown>)[k], value);
}
const evA = doubleSign(set, keys, 1, { height: 3n }).evidence;
const evB = doubleSign(set, keys, 2, { height: 4n }).evidence;

const root = (tag: string) => sha256(new TextEncoder().encode(tag));
// buildBlock reads only the roots of an execution.
const exec = {
  txRoot: root("txs"),
  appHash: root("app"),
  resultsRoot: root("results"),
  eventRoot: root("events"),
} as BlockExecution;

function block(evidence?: Block["evidence"]): Block {
  const template = {
    chainId: "vivim-evidence-test",
    height: 6n,
    time: { seconds: 1_700_000_100n, nanos: 0 },
    lastBlockId: NIL_BLOCK_ID,
    lastCommit: { height: 5n, round: 0, blockId: NIL_BLOCK_ID, signatures: [] },
    validatorsHash: set.hash(),
    nextValidatorsHash: set.hash(),
    consensusHash: root("params"),
    proposerAddress: set.getByIndex(0)!.address,
  };
  const txs = [new Uint8Array([1, 2, 3])];
  return evidence === undefined ? buildBlock(template, txs, exec) : buildBlock(template, txs, exec, evidence);
}

describe("blocks carry evidence", () => {
  it("keeps the empty-tree evidence hash and the old encoding for blocks without evidence", () => {
    const plain = block();
    expect(plain.evidence).toEqual([]);
    expect(Buffer.from(plain.header.evidenceHash)).toEqual(Buffer.from(EMPTY_TREE_ROOT));
    expect(Buffer.from(blockHash(block([]).header))).toEqual(Buffer.from(blockHash(plain.header)));
    const bytes = encodeBlock(plain);
    // No field 3 (tag 0x1a) between data (field 2) and last_commit (field 4).
    expect(PbBlock.decode(bytes).evidence.evidence).toEqual([]);
    expect(decodeBlock(bytes).evidence).toEqual([]);
  });

  it("commits to its evidence in the header: the hash changes and the evidence hash verifies", () => {
    const plain = block();
    const withEvidence = block([evA, evB]);
    expect(Buffer.from(withEvidence.header.evidenceHash)).toEqual(Buffer.from(evidenceListHash([evA, evB])));
    expect(Buffer.from(blockHash(withEvidence.header))).not.toEqual(Buffer.from(blockHash(plain.header)));
    expect(Buffer.from(blockHash(block([evA]).header))).not.toEqual(
      Buffer.from(blockHash(withEvidence.header)),
    );
    // Swapping in other evidence without fixing the header is detectable.
    const tampered: Block = { ...withEvidence, evidence: [evA] };
    expect(Buffer.from(evidenceListHash(tampered.evidence))).not.toEqual(
      Buffer.from(tampered.header.evidenceHash),
    );
  });

  it("round-trips through the block codec as CometBFT's Block field 3", () => {
    const b = block([evA, evB]);
    const bytes = encodeBlock(b);
    const back = decodeBlock(bytes);
    expect(back.evidence).toHaveLength(2);
    expect(Buffer.from(encodeBlock(back))).toEqual(Buffer.from(bytes));
    expect(Buffer.from(evidenceListHash(back.evidence))).toEqual(Buffer.from(back.header.evidenceHash));
    expect(Buffer.from(blockIdOf(back).hash)).toEqual(Buffer.from(blockIdOf(b).hash));

    const pb = PbBlock.decode(bytes);
    expect(pb.evidence.evidence.map((e) => e.duplicateVoteEvidence?.voteA?.height)).toEqual([3n, 4n]);
    expect(pb.data.txs).toHaveLength(1);
    expect(pb.lastCommit?.height).toBe(5n);
  });

  it("refuses a block whose evidence bytes are malformed", () => {
    const bytes = Buffer.from(encodeBlock(block([evA])));
    const list = Buffer.from(encodeEvidenceList([evA]));
    expect(bytes.indexOf(list)).toBeGreaterThan(0);
    // vote_a starts with type = 2 (08 02) and height = 3 (10 03); make its first tag field 9.
    const vote = bytes.indexOf(Buffer.from([0x08, 0x02, 0x10, 0x03]), bytes.indexOf(list));
    expect(vote).toBeGreaterThan(0);
    expect(() => decodeBlock(bytes)).not.toThrow();
    bytes[vote] = 0x48;
    expect(() => decodeBlock(bytes)).toThrow(EvidenceInvalidError);
  });

  it("renders evidence in CometBFT's RPC JSON and the Cosmos REST shape", () => {
    const b = block([evA]);
    const item = at(blockJson(b), "evidence", "evidence", 0);
    expect(at(item, "type")).toBe("tendermint/DuplicateVoteEvidence");
    expect(at(item, "value", "TotalVotingPower")).toBe("40");
    expect(at(item, "value", "ValidatorPower")).toBe("10");
    expect(at(item, "value", "Timestamp")).toBe("2023-11-14T22:13:20.000000005Z");
    expect(at(item, "value", "vote_a")).toMatchObject({
      type: 2,
      height: "3",
      round: 0,
      validator_index: 1,
      validator_address: Buffer.from(evA.voteA.validatorAddress).toString("hex").toUpperCase(),
      signature: Buffer.from(evA.voteA.signature).toString("base64"),
      extension: null,
    });
    expect(at(item, "value", "vote_a", "block_id", "hash")).toBe(
      Buffer.from(evA.voteA.blockId.hash).toString("hex").toUpperCase(),
    );

    const dve = at(
      getBlockResponseJson(b, blockIdOf(b)),
      "block",
      "evidence",
      "evidence",
      0,
      "duplicate_vote_evidence",
    );
    expect(at(dve, "total_voting_power")).toBe("40");
    expect(at(dve, "timestamp")).toBe("2023-11-14T22:13:20.000000005Z");
    expect(at(dve, "vote_b", "type")).toBe("SIGNED_MSG_TYPE_PRECOMMIT");
    expect(at(dve, "vote_b", "validator_address")).toBe(
      Buffer.from(evA.voteB.validatorAddress).toString("base64"),
    );
    expect(blockJson(block()).evidence).toEqual({ evidence: [] });
  });
});
