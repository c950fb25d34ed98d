/**
 * CometBFT JSON shapes of blocks, headers, commits and proofs, in both directions. Heights are
 * decimal strings, hashes upper-case hex, bytes standard base64 (cosmjs-surface.md §4). Decoding
 * (for `vivim verify` and light clients) validates every field and throws JsonShapeError.
 */
import type { AbciEvent } from "../../contracts/types.js";
import type { MerkleProof } from "../block/merkle.js";
import type { Vote } from "../consensus/messages.js";
import type { Validator } from "../consensus/validator-set.js";
import { fromBase64, fromHex, toBase64, toHexUpper } from "../crypto/hash.js";
import type { DuplicateVoteEvidence } from "../evidence/types.js";
import type { Block, BlockId, BlockIdFlag, Commit, CommitSig, Header } from "../types/block.js";
import { type Timestamp, timestampFromRfc3339, timestampToRfc3339 } from "../types/timestamp.js";

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

export class JsonShapeError extends Error {
  readonly code = "JSON_SHAPE";
  constructor(
    readonly field: string,
    reason: string,
  ) {
    super(`${field}: ${reason}`);
    this.name = "JsonShapeError";
  }
}

const hex = (b: Uint8Array): string => toHexUpper(b);

export function blockIdJson(id: BlockId): JsonObject {
  return { hash: hex(id.hash), parts: { total: id.parts.total, hash: hex(id.parts.hash) } };
}

/**
 * A header's JSON. CometBFT's RPC writes its bytes as hex; the Cosmos REST API (gRPC-gateway)
 * writes the same fields as base64, so the encoding of bytes is a parameter.
 */
export function headerJson(h: Header, bytes: (b: Uint8Array) => string = hex): JsonObject {
  return {
    version: { block: h.version.block.toString(), app: h.version.app.toString() },
    chain_id: h.chainId,
    height: h.height.toString(),
    time: timestampToRfc3339(h.time),
    last_block_id: blockIdJson(h.lastBlockId),
    last_commit_hash: bytes(h.lastCommitHash),
    data_hash: bytes(h.dataHash),
    validators_hash: bytes(h.validatorsHash),
    next_validators_hash: bytes(h.nextValidatorsHash),
    consensus_hash: bytes(h.consensusHash),
    app_hash: bytes(h.appHash),
    last_results_hash: bytes(h.lastResultsHash),
    evidence_hash: bytes(h.evidenceHash),
    proposer_address: bytes(h.proposerAddress),
    event_root: bytes(h.eventRoot),
  };
}

export function commitSigJson(s: CommitSig): JsonObject {
  return {
    block_id_flag: s.flag,
    validator_address: hex(s.validatorAddress),
    timestamp: timestampToRfc3339(s.timestamp),
    signature: s.signature.length > 0 ? toBase64(s.signature) : null,
  };
}

export function commitJson(c: Commit): JsonObject {
  return {
    height: c.height.toString(),
    round: c.round,
    block_id: blockIdJson(c.blockId),
    signatures: c.signatures.map(commitSigJson),
  };
}

/** CometBFT's Vote JSON: enum type and int32s as numbers, the int64 height as a string. */
export function voteJson(v: Vote): JsonObject {
  return {
    type: v.type,
    height: v.height.toString(),
    round: v.round,
    block_id: blockIdJson(v.blockId),
    timestamp: timestampToRfc3339(v.timestamp),
    validator_address: hex(v.validatorAddress),
    validator_index: v.validatorIndex,
    signature: toBase64(v.signature),
    extension: null,
    extension_signature: null,
  };
}

/** CometBFT's amino-style JSON of evidence: `{type, value}` with Go's field names for the ABCI part. */
export function duplicateVoteEvidenceJson(ev: DuplicateVoteEvidence): JsonObject {
  return {
    type: "tendermint/DuplicateVoteEvidence",
    value: {
      vote_a: voteJson(ev.voteA),
      vote_b: voteJson(ev.voteB),
      TotalVotingPower: ev.totalVotingPower.toString(),
      ValidatorPower: ev.validatorPower.toString(),
      Timestamp: timestampToRfc3339(ev.timestamp),
    },
  };
}

export function blockJson(b: Block): JsonObject {
  return {
    header: headerJson(b.header),
    data: { txs: b.txs.map(toBase64) },
    evidence: { evidence: b.evidence.map(duplicateVoteEvidenceJson) },
    last_commit: commitJson(b.lastCommit),
  };
}

export function eventJson(e: AbciEvent): JsonObject {
  return {
    type: e.type,
    attributes: e.attributes.map((a) => ({ key: a.key, value: a.value, index: a.index })),
  };
}

export function validatorJson(v: Validator): JsonObject {
  return {
    address: hex(v.address),
    pub_key: { type: "tendermint/PubKeyEd25519", value: toBase64(v.pubKey) },
    voting_power: v.votingPower.toString(),
    proposer_priority: v.proposerPriority.toString(),
  };
}

/** CometBFT's TxProof: `{root_hash, data, proof: {total, index, leaf_hash, aunts}}`, plus our step sides. */
export function txProofJson(root: Uint8Array, tx: Uint8Array, proof: MerkleProof): JsonObject {
  return {
    root_hash: hex(root),
    data: toBase64(tx),
    proof: {
      total: proof.total.toString(),
      index: proof.index.toString(),
      leaf_hash: toBase64(proof.leafHash),
      aunts: proof.steps.map((s) => toBase64(s.hash)),
      sides: proof.steps.map((s) => s.side),
    },
  };
}

// ---------------------------------------------------------------- decoding (strict)

function obj(v: unknown, field: string): Record<string, unknown> {
  if (typeof v !== "object" || v === null || Array.isArray(v))
    throw new JsonShapeError(field, "must be an object");
  return v as Record<string, unknown>;
}

function str(v: unknown, field: string): string {
  if (typeof v !== "string") throw new JsonShapeError(field, "must be a string");
  return v;
}

function hexField(v: unknown, field: string): Uint8Array {
  try {
    return fromHex(str(v, field));
  } catch (err) {
    if (err instanceof JsonShapeError) throw err;
    throw new JsonShapeError(field, "must be hex");
  }
}

function b64Field(v: unknown, field: string): Uint8Array {
  if (v === null) return new Uint8Array();
  try {
    return fromBase64(str(v, field));
  } catch (err) {
    if (err instanceof JsonShapeError) throw err;
    throw new JsonShapeError(field, "must be base64");
  }
}

function uintField(v: unknown, field: string): bigint {
  const s = typeof v === "number" && Number.isSafeInteger(v) ? String(v) : str(v, field);
  if (!/^\d{1,20}$/.test(s)) throw new JsonShapeError(field, "must be a non-negative integer");
  return BigInt(s);
}

function timeField(v: unknown, field: string): Timestamp {
  const t = timestampFromRfc3339(str(v, field));
  if (!t) throw new JsonShapeError(field, "must be an RFC3339 time");
  return t;
}

export function blockIdFromJson(v: unknown, field: string): BlockId {
  const o = obj(v, field);
  const parts = obj(o.parts, `${field}.parts`);
  return {
    hash: hexField(o.hash, `${field}.hash`),
    parts: {
      total: Number(uintField(parts.total, `${field}.parts.total`)),
      hash: hexField(parts.hash, `${field}.parts.hash`),
    },
  };
}

export function headerFromJson(v: unknown, field = "header"): Header {
  const o = obj(v, field);
  const version = obj(o.version, `${field}.version`);
  const h = (k: string) => hexField(o[k], `${field}.${k}`);
  return {
    version: {
      block: uintField(version.block, `${field}.version.block`),
      app: uintField(version.app ?? "0", `${field}.version.app`),
    },
    chainId: str(o.chain_id, `${field}.chain_id`),
    height: uintField(o.height, `${field}.height`),
    time: timeField(o.time, `${field}.time`),
    lastBlockId: blockIdFromJson(o.last_block_id, `${field}.last_block_id`),
    lastCommitHash: h("last_commit_hash"),
    dataHash: h("data_hash"),
    validatorsHash: h("validators_hash"),
    nextValidatorsHash: h("next_validators_hash"),
    consensusHash: h("consensus_hash"),
    appHash: h("app_hash"),
    lastResultsHash: h("last_results_hash"),
    evidenceHash: h("evidence_hash"),
    proposerAddress: h("proposer_address"),
    eventRoot: h("event_root"),
  };
}

export function commitFromJson(v: unknown, field = "commit"): Commit {
  const o = obj(v, field);
  if (!Array.isArray(o.signatures)) throw new JsonShapeError(`${field}.signatures`, "must be an array");
  if (o.signatures.length > 10_000) throw new JsonShapeError(`${field}.signatures`, "too many signatures");
  const round = o.round;
  if (typeof round !== "number" || !Number.isInteger(round) || round < 0)
    throw new JsonShapeError(`${field}.round`, "must be a non-negative integer");
  return {
    height: uintField(o.height, `${field}.height`),
    round,
    blockId: blockIdFromJson(o.block_id, `${field}.block_id`),
    signatures: o.signatures.map((s, i) => {
      const f = `${field}.signatures[${i}]`;
      const so = obj(s, f);
      const flag = so.block_id_flag;
      if (flag !== 1 && flag !== 2 && flag !== 3)
        throw new JsonShapeError(`${f}.block_id_flag`, "must be 1, 2 or 3");
      return {
        flag: flag as BlockIdFlag,
        validatorAddress: hexField(so.validator_address, `${f}.validator_address`),
        timestamp: timeField(so.timestamp, `${f}.timestamp`),
        signature: b64Field(so.signature, `${f}.signature`),
      };
    }),
  };
}

export function validatorFromJson(v: unknown, field: string): Validator {
  const o = obj(v, field);
  const pk = obj(o.pub_key, `${field}.pub_key`);
  if (pk.type !== "tendermint/PubKeyEd25519")
    throw new JsonShapeError(`${field}.pub_key.type`, "must be tendermint/PubKeyEd25519");
  const pubKey = b64Field(pk.value, `${field}.pub_key.value`);
  if (pubKey.length !== 32) throw new JsonShapeError(`${field}.pub_key.value`, "must be 32 bytes");
  const priority =
    o.proposer_priority === undefined ? "0" : str(o.proposer_priority, `${field}.proposer_priority`);
  if (!/^-?\d{1,20}$/.test(priority))
    throw new JsonShapeError(`${field}.proposer_priority`, "must be an integer");
  return {
    address: hexField(o.address, `${field}.address`),
    pubKey,
    votingPower: uintField(o.voting_power, `${field}.voting_power`),
    proposerPriority: BigInt(priority),
  };
}

/** `{total, index, leaf_hash, aunts, sides}`, as tx and event proofs carry it. */
export function merkleProofFromJson(v: unknown, field: string): MerkleProof {
  const p = obj(v, field);
  const aunts = p.aunts;
  const sides = p.sides;
  if (!Array.isArray(aunts) || !Array.isArray(sides) || aunts.length !== sides.length || aunts.length > 64) {
    throw new JsonShapeError(`${field}.aunts`, "aunts and sides must be arrays of equal length (at most 64)");
  }
  return {
    total: Number(uintField(p.total, `${field}.total`)),
    index: Number(uintField(p.index, `${field}.index`)),
    leafHash: b64Field(p.leaf_hash, `${field}.leaf_hash`),
    steps: aunts.map((a, i) => {
      const side = sides[i];
      if (side !== "left" && side !== "right")
        throw new JsonShapeError(`${field}.sides[${i}]`, "must be left or right");
      return { side, hash: b64Field(a, `${field}.aunts[${i}]`) };
    }),
  };
}

export function txProofFromJson(
  v: unknown,
  field = "proof",
): { root: Uint8Array; tx: Uint8Array; proof: MerkleProof } {
  const o = obj(v, field);
  return {
    root: hexField(o.root_hash, `${field}.root_hash`),
    tx: b64Field(o.data, `${field}.data`),
    proof: merkleProofFromJson(o.proof, `${field}.proof`),
  };
}
