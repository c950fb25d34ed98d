/**
 * Blocks in the Cosmos REST shape (`cosmos.base.tendermint.v1beta1.GetBlockByHeightResponse`):
 * gRPC-gateway renders tendermint's bytes fields as base64, not the hex of CometBFT's JSON-RPC.
 * `sdk_block` carries the proposer as a bech32 consensus address, as the SDK does.
 */
import { SignedMsgType, type Vote } from "../consensus/messages.js";
import { encodeAddress } from "../crypto/address.js";
import { toBase64 } from "../crypto/hash.js";
import type { DuplicateVoteEvidence } from "../evidence/types.js";
import { headerJson, type Json } from "../rpc/json.js";
import { type Block, type BlockId, BlockIdFlag, type Commit, type Header } from "../types/block.js";
import { timestampToRfc3339 } from "../types/timestamp.js";

type JsonObject = { [key: string]: Json };

export const VALCONS_PREFIX = "vivimvalcons";

const FLAG_NAMES: Record<BlockIdFlag, string> = {
  [BlockIdFlag.Absent]: "BLOCK_ID_FLAG_ABSENT",
  [BlockIdFlag.Commit]: "BLOCK_ID_FLAG_COMMIT",
  [BlockIdFlag.Nil]: "BLOCK_ID_FLAG_NIL",
};

export function blockIdRestJson(id: BlockId): JsonObject {
  return {
    hash: toBase64(id.hash),
    part_set_header: { total: id.parts.total, hash: toBase64(id.parts.hash) },
  };
}

function headerRestJson(h: Header, proposer: string): JsonObject {
  return {
    ...headerJson(h, toBase64),
    last_block_id: blockIdRestJson(h.lastBlockId),
    proposer_address: proposer,
  };
}

function commitRestJson(c: Commit): JsonObject {
  return {
    height: c.height.toString(),
    round: c.round,
    block_id: blockIdRestJson(c.blockId),
    signatures: c.signatures.map((s) => ({
      block_id_flag: FLAG_NAMES[s.flag],
      validator_address: toBase64(s.validatorAddress),
      timestamp: timestampToRfc3339(s.timestamp),
      signature: toBase64(s.signature),
    })),
  };
}

function voteRestJson(v: Vote): JsonObject {
  return {
    type: v.type === SignedMsgType.Prevote ? "SIGNED_MSG_TYPE_PREVOTE" : "SIGNED_MSG_TYPE_PRECOMMIT",
    height: v.height.toString(),
    round: v.round,
    block_id: blockIdRestJson(v.blockId),
    timestamp: timestampToRfc3339(v.timestamp),
    validator_address: toBase64(v.validatorAddress),
    validator_index: v.validatorIndex,
    signature: toBase64(v.signature),
    extension: "",
    extension_signature: "",
  };
}

/** tendermint.types.Evidence in proto JSON: the set arm of the oneof, snake_case, int64 as strings. */
function evidenceRestJson(ev: DuplicateVoteEvidence): JsonObject {
  return {
    duplicate_vote_evidence: {
      vote_a: voteRestJson(ev.voteA),
      vote_b: voteRestJson(ev.voteB),
      total_voting_power: ev.totalVotingPower.toString(),
      validator_power: ev.validatorPower.toString(),
      timestamp: timestampToRfc3339(ev.timestamp),
    },
  };
}

function blockRestJson(b: Block, proposer: string): JsonObject {
  return {
    header: headerRestJson(b.header, proposer),
    data: { txs: b.txs.map(toBase64) },
    evidence: { evidence: b.evidence.map(evidenceRestJson) },
    last_commit: commitRestJson(b.lastCommit),
  };
}

export function getBlockResponseJson(block: Block, blockId: BlockId): JsonObject {
  const proposer = block.header.proposerAddress;
  return {
    block_id: blockIdRestJson(blockId),
    block: blockRestJson(block, toBase64(proposer)),
    sdk_block: blockRestJson(block, proposer.length > 0 ? encodeAddress(proposer, VALCONS_PREFIX) : ""),
  };
}
