/**
 * Protobuf encodings of votes and evidence with CometBFT's field numbers (tendermint/types/types.proto
 * `Vote`, tendermint/types/evidence.proto `DuplicateVoteEvidence`, `Evidence`, `EvidenceList`), so
 * cosmjs-types' generated decoders read what we write.
 *
 * Encoding is canonical: fields in number order, zero scalars omitted, and — like gogoproto's
 * non-nullable fields — a vote's `block_id` and `timestamp` and the evidence's `timestamp` are
 * always written. Hashes are taken over these bytes.
 *
 * Decoding takes untrusted bytes (a peer's gossip, a proposed block): sizes are capped before any
 * work, unknown fields, wrong wire types and repeated singular fields are rejected, every value is
 * range-checked, and the only error that ever leaves is `EvidenceInvalidError`.
 */
import "../codec/writer-alloc.js";
import { BinaryReader, BinaryWriter } from "cosmjs-types/binary";
import { BlockMerkleTree } from "../block/merkle.js";
import { lenFieldSize } from "../codec/sized-writer.js";
import type { Vote } from "../consensus/messages.js";
import { sha256 } from "../crypto/hash.js";
import { type BlockId, EMPTY_HASH } from "../types/block.js";
import { writeBlockId, writePartSetHeader, writeTimestamp } from "../types/proto-fields.js";
import type { Timestamp } from "../types/timestamp.js";
import { type DuplicateVoteEvidence, EvidenceInvalidError } from "./types.js";

/** A vote is ~210 bytes; anything much larger is not one. */
export const MAX_VOTE_BYTES = 512;
/** Two votes and three small fields. */
export const MAX_EVIDENCE_BYTES = 2048;
/** At most this many evidence items in one list (a block); consensus params cap the bytes further. */
export const MAX_EVIDENCE_ITEMS = 10_000;

const ADDRESS_BYTES = 20;
const HASH_BYTES = 32;
const MAX_SIGNATURE_BYTES = 64;
// google.protobuf.Timestamp's range: 0001-01-01T00:00:00Z to 9999-12-31T23:59:59Z.
const MIN_SECONDS = -62135596800n;
const MAX_SECONDS = 253402300799n;
const MAX_INT64 = 2n ** 63n - 1n;
/** CometBFT's MaxTotalVotingPower (int64 max / 8). */
const MAX_TOTAL_VOTING_POWER = MAX_INT64 / 8n;
// SignedMsgType values, written out: chain/types/codec.ts imports this file, and messages.ts
// imports chain/types/codec.ts, so importing the enum here would close an import cycle.
const PREVOTE = 1;
const PRECOMMIT = 2;

type Writer = BinaryWriter;

// ---------------------------------------------------------------- encoding

function embedded(w: Writer, field: number, write: (w: Writer) => void): void {
  w.uint32((field << 3) | 2).fork();
  write(w);
  w.ldelim();
}

function writeVote(w: Writer, v: Vote): void {
  w.uint32(8).int32(v.type); // prevote or precommit, never the zero value
  if (v.height !== 0n) w.uint32(16).int64(v.height);
  if (v.round !== 0) w.uint32(24).int32(v.round);
  embedded(w, 4, (w2) => writeBlockId(w2, v.blockId));
  embedded(w, 5, (w2) => writeTimestamp(w2, v.timestamp));
  if (v.validatorAddress.length > 0) w.uint32(50).bytes(v.validatorAddress);
  if (v.validatorIndex !== 0) w.uint32(56).int32(v.validatorIndex);
  if (v.signature.length > 0) w.uint32(66).bytes(v.signature);
}

function writeDuplicateVoteEvidence(w: Writer, ev: DuplicateVoteEvidence): void {
  embedded(w, 1, (w2) => writeVote(w2, ev.voteA));
  embedded(w, 2, (w2) => writeVote(w2, ev.voteB));
  if (ev.totalVotingPower !== 0n) w.uint32(24).int64(ev.totalVotingPower);
  if (ev.validatorPower !== 0n) w.uint32(32).int64(ev.validatorPower);
  embedded(w, 5, (w2) => writeTimestamp(w2, ev.timestamp));
}

/** tendermint.types.Vote bytes. */
export function encodeVote(v: Vote): Uint8Array {
  const w = BinaryWriter.create();
  writeVote(w, v);
  return w.finish();
}

/** tendermint.types.DuplicateVoteEvidence bytes: what the evidence hash and evidence root are over. */
export function encodeDuplicateVoteEvidence(ev: DuplicateVoteEvidence): Uint8Array {
  const w = BinaryWriter.create();
  writeDuplicateVoteEvidence(w, ev);
  return w.finish();
}

/** tendermint.types.Evidence bytes (the `duplicate_vote_evidence` arm of the oneof). */
export function encodeEvidence(ev: DuplicateVoteEvidence): Uint8Array {
  const w = BinaryWriter.create();
  embedded(w, 1, (w2) => writeDuplicateVoteEvidence(w2, ev));
  return w.finish();
}

/** Writes the body of a tendermint.types.EvidenceList (used for Block field 3). */
export function writeEvidenceList(w: Writer, list: readonly DuplicateVoteEvidence[]): void {
  for (const ev of list) embedded(w, 1, (w2) => embedded(w2, 1, (w3) => writeDuplicateVoteEvidence(w3, ev)));
}

export function encodeEvidenceList(list: readonly DuplicateVoteEvidence[]): Uint8Array {
  const w = BinaryWriter.create();
  writeEvidenceList(w, list);
  return w.finish();
}

/** Bytes one item adds to an EvidenceList (tag, length, Evidence): what `max_bytes` limits. */
export function evidenceItemSize(ev: DuplicateVoteEvidence): number {
  return lenFieldSize(encodeEvidence(ev).length);
}

/** CometBFT's `DuplicateVoteEvidence.Hash()`: sha256 of the encoded evidence. */
export function evidenceHash(ev: DuplicateVoteEvidence): Uint8Array {
  return sha256(encodeDuplicateVoteEvidence(ev));
}

/**
 * The header's `evidence_hash`: Merkle root (BlockMerkleTree) over each item's encoding, as
 * CometBFT's `EvidenceList.Hash()`. An empty list gives the empty-tree root, sha256("").
 */
export function evidenceListHash(list: readonly DuplicateVoteEvidence[]): Uint8Array {
  return new BlockMerkleTree(list.map(encodeDuplicateVoteEvidence)).root;
}

/**
 * CometBFT's `BlockID.Key()`: the hash followed by the encoded part-set header. Duplicate-vote
 * evidence orders its votes by this key (voteA's key is the smaller).
 */
export function blockIdKey(id: BlockId): Uint8Array {
  const w = BinaryWriter.create();
  writePartSetHeader(w, id.parts.total, id.parts.hash);
  return Buffer.concat([id.hash, w.finish()]);
}

export function compareBlockIds(a: BlockId, b: BlockId): number {
  return Buffer.compare(blockIdKey(a), blockIdKey(b));
}

// ---------------------------------------------------------------- validation

function malformed(detail: string): never {
  throw new EvidenceInvalidError("malformed", detail);
}

function checkTimestamp(t: Timestamp, what: string): void {
  if (t.seconds < MIN_SECONDS || t.seconds > MAX_SECONDS) malformed(`${what}: seconds out of range`);
  if (!Number.isInteger(t.nanos) || t.nanos < 0 || t.nanos > 999_999_999)
    malformed(`${what}: nanos out of range`);
}

function checkBlockId(id: BlockId, what: string): void {
  if (id.hash.length !== 0 && id.hash.length !== HASH_BYTES) malformed(`${what}: hash must be 32 bytes`);
  if (id.parts.hash.length !== 0 && id.parts.hash.length !== HASH_BYTES)
    malformed(`${what}: part set hash must be 32 bytes`);
  const isNil = id.hash.length === 0 && id.parts.total === 0 && id.parts.hash.length === 0;
  const isComplete =
    id.hash.length === HASH_BYTES && id.parts.total > 0 && id.parts.hash.length === HASH_BYTES;
  if (!isNil && !isComplete) malformed(`${what}: must be either empty or complete`);
}

/** CometBFT's `Vote.ValidateBasic` (without vote extensions, which VIVIM does not use). */
export function validateVoteBasic(v: Vote, what = "vote"): void {
  const type: number = v.type;
  if (type !== PREVOTE && type !== PRECOMMIT) malformed(`${what}: type must be prevote or precommit`);
  if (v.height <= 0n || v.height > MAX_INT64) malformed(`${what}: height must be positive`);
  if (!Number.isInteger(v.round) || v.round < 0 || v.round > 0x7fffffff)
    malformed(`${what}: round must be a non-negative int32`);
  checkBlockId(v.blockId, `${what}.block_id`);
  checkTimestamp(v.timestamp, `${what}.timestamp`);
  if (v.validatorAddress.length !== ADDRESS_BYTES) malformed(`${what}: validator address must be 20 bytes`);
  if (!Number.isInteger(v.validatorIndex) || v.validatorIndex < 0 || v.validatorIndex > 0x7fffffff)
    malformed(`${what}: validator index must be a non-negative int32`);
  if (v.signature.length === 0) malformed(`${what}: signature is missing`);
  if (v.signature.length > MAX_SIGNATURE_BYTES) malformed(`${what}: signature is too big`);
}

/**
 * Everything about duplicate-vote evidence that needs no validator set: both votes well formed,
 * same height, round, type and validator, different blocks in canonical order, sane powers.
 */
export function validateDuplicateVoteEvidenceBasic(ev: DuplicateVoteEvidence): void {
  validateVoteBasic(ev.voteA, "vote_a");
  validateVoteBasic(ev.voteB, "vote_b");
  checkTimestamp(ev.timestamp, "timestamp");
  if (ev.validatorPower <= 0n) malformed("validator power must be positive");
  if (ev.totalVotingPower < ev.validatorPower) malformed("total voting power is below the validator's");
  if (ev.totalVotingPower > MAX_TOTAL_VOTING_POWER) malformed("total voting power exceeds the maximum");
  const a = ev.voteA;
  const b = ev.voteB;
  if (a.height !== b.height || a.round !== b.round || a.type !== b.type) {
    throw new EvidenceInvalidError(
      "vote_mismatch",
      `h/r/s does not match: ${a.height}/${a.round}/${a.type} vs ${b.height}/${b.round}/${b.type}`,
    );
  }
  if (Buffer.compare(a.validatorAddress, b.validatorAddress) !== 0)
    throw new EvidenceInvalidError("address_mismatch", "votes are from different validators");
  const order = compareBlockIds(a.blockId, b.blockId);
  if (order === 0) throw new EvidenceInvalidError("same_block", "both votes are for the same block id");
  if (order > 0) throw new EvidenceInvalidError("order", "duplicate votes in invalid order");
}

// ---------------------------------------------------------------- decoding (strict)

type WireType = 0 | 2;

interface FieldSpec {
  readonly wire: WireType;
  readonly repeated?: boolean;
  read(r: BinaryReader): void;
}

/** Walks one message's fields: only the listed ones, with their wire type, singular ones once. */
function parseMessage(bytes: Uint8Array, what: string, fields: Record<number, FieldSpec>): void {
  const r = new BinaryReader(bytes);
  const seen = new Set<number>();
  while (r.pos < bytes.length) {
    const tag = r.uint32();
    if (r.pos > bytes.length) malformed(`${what}: truncated tag`);
    const field = tag >>> 3;
    const spec = fields[field];
    if (!spec) malformed(`${what}: unknown field ${field}`);
    if ((tag & 7) !== spec.wire) malformed(`${what}: field ${field} has wire type ${tag & 7}`);
    if (!spec.repeated) {
      if (seen.has(field)) malformed(`${what}: field ${field} repeated`);
      seen.add(field);
    }
    spec.read(r);
    if (r.pos > bytes.length) malformed(`${what}: truncated field ${field}`);
  }
}

const varint = (read: (r: BinaryReader) => void): FieldSpec => ({ wire: 0, read });
const lengthDelimited = (read: (r: BinaryReader) => void): FieldSpec => ({ wire: 2, read });

function readTimestamp(bytes: Uint8Array, what: string): Timestamp {
  let seconds = 0n;
  let nanos = 0;
  parseMessage(bytes, what, {
    1: varint((r) => {
      seconds = r.int64();
    }),
    2: varint((r) => {
      nanos = r.int32();
    }),
  });
  const t = { seconds, nanos };
  checkTimestamp(t, what);
  return t;
}

function readBlockId(bytes: Uint8Array, what: string): BlockId {
  let hash: Uint8Array = EMPTY_HASH;
  let total = 0;
  let partsHash: Uint8Array = EMPTY_HASH;
  parseMessage(bytes, what, {
    1: lengthDelimited((r) => {
      hash = r.bytes();
    }),
    2: lengthDelimited((r) =>
      parseMessage(r.bytes(), `${what}.part_set_header`, {
        1: varint((r2) => {
          total = r2.uint32();
        }),
        2: lengthDelimited((r2) => {
          partsHash = r2.bytes();
        }),
      }),
    ),
  });
  return { hash, parts: { total, hash: partsHash } };
}

function readVote(bytes: Uint8Array, what: string): Vote {
  if (bytes.length > MAX_VOTE_BYTES) throw new EvidenceInvalidError("too_large", `${what} is too large`);
  let type = 0;
  let height = 0n;
  let round = 0;
  let blockId: BlockId | undefined;
  let timestamp: Timestamp | undefined;
  let validatorAddress: Uint8Array = EMPTY_HASH;
  let validatorIndex = 0;
  let signature: Uint8Array = EMPTY_HASH;
  parseMessage(bytes, what, {
    1: varint((r) => {
      type = r.int32();
    }),
    2: varint((r) => {
      height = r.int64();
    }),
    3: varint((r) => {
      round = r.int32();
    }),
    4: lengthDelimited((r) => {
      blockId = readBlockId(r.bytes(), `${what}.block_id`);
    }),
    5: lengthDelimited((r) => {
      timestamp = readTimestamp(r.bytes(), `${what}.timestamp`);
    }),
    6: lengthDelimited((r) => {
      validatorAddress = r.bytes();
    }),
    7: varint((r) => {
      validatorIndex = r.int32();
    }),
    8: lengthDelimited((r) => {
      signature = r.bytes();
    }),
  });
  if (!blockId) malformed(`${what}: block_id is missing`);
  if (!timestamp) malformed(`${what}: timestamp is missing`);
  const vote = {
    type: type as Vote["type"],
    height,
    round,
    blockId,
    timestamp,
    validatorAddress,
    validatorIndex,
    signature,
  };
  validateVoteBasic(vote, what);
  return vote;
}

function readDuplicateVoteEvidence(bytes: Uint8Array): DuplicateVoteEvidence {
  if (bytes.length > MAX_EVIDENCE_BYTES) throw new EvidenceInvalidError("too_large", "evidence is too large");
  let voteA: Vote | undefined;
  let voteB: Vote | undefined;
  let totalVotingPower = 0n;
  let validatorPower = 0n;
  let timestamp: Timestamp | undefined;
  parseMessage(bytes, "evidence", {
    1: lengthDelimited((r) => {
      voteA = readVote(r.bytes(), "vote_a");
    }),
    2: lengthDelimited((r) => {
      voteB = readVote(r.bytes(), "vote_b");
    }),
    3: varint((r) => {
      totalVotingPower = r.int64();
    }),
    4: varint((r) => {
      validatorPower = r.int64();
    }),
    5: lengthDelimited((r) => {
      timestamp = readTimestamp(r.bytes(), "timestamp");
    }),
  });
  if (!voteA || !voteB) malformed("evidence needs both votes");
  if (!timestamp) malformed("evidence timestamp is missing");
  const ev = { voteA, voteB, totalVotingPower, validatorPower, timestamp };
  validateDuplicateVoteEvidenceBasic(ev);
  return ev;
}

function readEvidence(bytes: Uint8Array): DuplicateVoteEvidence {
  let ev: DuplicateVoteEvidence | undefined;
  parseMessage(bytes, "Evidence", {
    1: lengthDelimited((r) => {
      ev = readDuplicateVoteEvidence(r.bytes());
    }),
    2: lengthDelimited(() => {
      throw new EvidenceInvalidError("unsupported", "light client attack evidence is not supported");
    }),
  });
  if (!ev) malformed("Evidence has no duplicate_vote_evidence");
  return ev;
}

/** Runs a decoder over untrusted bytes: whatever goes wrong comes out as an EvidenceInvalidError. */
function guarded<T>(decode: () => T): T {
  try {
    return decode();
  } catch (err) {
    if (err instanceof EvidenceInvalidError) throw err;
    malformed(err instanceof Error ? err.message : "undecodable bytes");
  }
}

export function decodeVote(bytes: Uint8Array): Vote {
  return guarded(() => readVote(bytes, "vote"));
}

/** Decodes and validates (`validateDuplicateVoteEvidenceBasic`) tendermint.types.DuplicateVoteEvidence. */
export function decodeDuplicateVoteEvidence(bytes: Uint8Array): DuplicateVoteEvidence {
  return guarded(() => readDuplicateVoteEvidence(bytes));
}

/** Decodes a tendermint.types.Evidence (only the duplicate-vote arm is accepted). */
export function decodeEvidence(bytes: Uint8Array): DuplicateVoteEvidence {
  if (bytes.length > MAX_EVIDENCE_BYTES + 8)
    throw new EvidenceInvalidError("too_large", "evidence is too large");
  return guarded(() => readEvidence(bytes));
}

/** Decodes a tendermint.types.EvidenceList (Block field 3), at most MAX_EVIDENCE_ITEMS items. */
export function decodeEvidenceList(bytes: Uint8Array): DuplicateVoteEvidence[] {
  return guarded(() => {
    const list: DuplicateVoteEvidence[] = [];
    parseMessage(bytes, "EvidenceList", {
      1: {
        wire: 2,
        repeated: true,
        read: (r) => {
          if (list.length >= MAX_EVIDENCE_ITEMS)
            throw new EvidenceInvalidError("too_large", `more than ${MAX_EVIDENCE_ITEMS} evidence items`);
          const item = r.bytes();
          if (item.length > MAX_EVIDENCE_BYTES + 8)
            throw new EvidenceInvalidError("too_large", "evidence is too large");
          list.push(readEvidence(item));
        },
      },
    });
    return list;
  });
}
