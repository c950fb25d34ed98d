/**
 * Binary encodings of the block data model (proto/vivim/types/v1/types.proto). Encoding is canonical
 * proto3 (fields in number order, defaults omitted), so hashes over these bytes are deterministic.
 */
import "../codec/writer-alloc.js";
import { BinaryReader, BinaryWriter } from "cosmjs-types/binary";
import type { AbciEvent, EventAttribute } from "../../contracts/types.js";
import { hashWrittenLeaf, leafWriter } from "../block/merkle.js";
import { lenFieldSize, SizedWriter, utf8Size, varintSize } from "../codec/sized-writer.js";
import { decodeEvidenceList, writeEvidenceList } from "../evidence/codec.js";
import type { DuplicateVoteEvidence } from "../evidence/types.js";
import {
  type Block,
  type BlockId,
  type BlockIdFlag,
  type Commit,
  type CommitSig,
  EMPTY_HASH,
  type Header,
  type TxResult,
} from "./block.js";
import { readBlockId, readTimestamp, writeBlockId, writeTimestamp } from "./proto-fields.js";
import type { Timestamp } from "./timestamp.js";

type Writer = BinaryWriter;

const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);

/** Whether a 64-bit field fits the sized writer's number varints (heights and gas always do). */
function isSafeUint(v: bigint): boolean {
  return v >= 0n && v <= MAX_SAFE;
}

function bytesField(w: Writer, field: number, b: Uint8Array): void {
  if (b.length > 0) w.uint32((field << 3) | 2).bytes(b);
}
function stringField(w: Writer, field: number, s: string): void {
  if (s.length > 0) w.uint32((field << 3) | 2).string(s);
}
function int64Field(w: Writer, field: number, v: bigint): void {
  if (v !== 0n) w.uint32(field << 3).int64(v);
}
function uint64Field(w: Writer, field: number, v: bigint): void {
  if (v !== 0n) w.uint32(field << 3).uint64(v);
}
function uint32Field(w: Writer, field: number, v: number): void {
  if (v !== 0) w.uint32(field << 3).uint32(v);
}
function messageField(w: Writer, field: number, encode: (w: Writer) => void): void {
  w.uint32((field << 3) | 2).fork();
  encode(w);
  w.ldelim();
}

// ---------- Header ----------

export function encodeHeader(h: Header): Uint8Array {
  const w = BinaryWriter.create();
  messageField(w, 1, (w2) => {
    uint64Field(w2, 1, h.version.block);
    uint64Field(w2, 2, h.version.app);
  });
  stringField(w, 2, h.chainId);
  int64Field(w, 3, h.height);
  messageField(w, 4, (w2) => writeTimestamp(w2, h.time));
  messageField(w, 5, (w2) => writeBlockId(w2, h.lastBlockId));
  bytesField(w, 6, h.lastCommitHash);
  bytesField(w, 7, h.dataHash);
  bytesField(w, 8, h.validatorsHash);
  bytesField(w, 9, h.nextValidatorsHash);
  bytesField(w, 10, h.consensusHash);
  bytesField(w, 11, h.appHash);
  bytesField(w, 12, h.lastResultsHash);
  bytesField(w, 13, h.evidenceHash);
  bytesField(w, 14, h.proposerAddress);
  bytesField(w, 15, h.eventRoot);
  return w.finish();
}

export function decodeHeader(bytes: Uint8Array): Header {
  return readHeader(new BinaryReader(bytes), bytes.length);
}

function readHeader(r: BinaryReader, length: number): Header {
  const end = r.pos + length;
  const h = {
    version: { block: 0n, app: 0n },
    chainId: "",
    height: 0n,
    time: { seconds: 0n, nanos: 0 } as Timestamp,
    lastBlockId: { hash: EMPTY_HASH, parts: { total: 0, hash: EMPTY_HASH } } as BlockId,
    lastCommitHash: EMPTY_HASH,
    dataHash: EMPTY_HASH,
    validatorsHash: EMPTY_HASH,
    nextValidatorsHash: EMPTY_HASH,
    consensusHash: EMPTY_HASH,
    appHash: EMPTY_HASH,
    lastResultsHash: EMPTY_HASH,
    evidenceHash: EMPTY_HASH,
    proposerAddress: EMPTY_HASH,
    eventRoot: EMPTY_HASH,
  };
  while (r.pos < end) {
    const tag = r.uint32();
    switch (tag >>> 3) {
      case 1: {
        const vend = r.pos + r.uint32();
        while (r.pos < vend) {
          const t2 = r.uint32();
          if (t2 >>> 3 === 1) h.version.block = r.uint64();
          else if (t2 >>> 3 === 2) h.version.app = r.uint64();
          else r.skipType(t2 & 7);
        }
        break;
      }
      case 2:
        h.chainId = r.string();
        break;
      case 3:
        h.height = r.int64();
        break;
      case 4:
        h.time = readTimestamp(r, r.uint32());
        break;
      case 5:
        h.lastBlockId = readBlockId(r, r.uint32());
        break;
      case 6:
        h.lastCommitHash = r.bytes();
        break;
      case 7:
        h.dataHash = r.bytes();
        break;
      case 8:
        h.validatorsHash = r.bytes();
        break;
      case 9:
        h.nextValidatorsHash = r.bytes();
        break;
      case 10:
        h.consensusHash = r.bytes();
        break;
      case 11:
        h.appHash = r.bytes();
        break;
      case 12:
        h.lastResultsHash = r.bytes();
        break;
      case 13:
        h.evidenceHash = r.bytes();
        break;
      case 14:
        h.proposerAddress = r.bytes();
        break;
      case 15:
        h.eventRoot = r.bytes();
        break;
      default:
        r.skipType(tag & 7);
    }
  }
  return h;
}

// ---------- Commit ----------

function writeCommitSig(w: Writer, s: CommitSig): void {
  uint32Field(w, 1, s.flag);
  bytesField(w, 2, s.validatorAddress);
  messageField(w, 3, (w2) => writeTimestamp(w2, s.timestamp));
  bytesField(w, 4, s.signature);
}

export function encodeCommitSig(s: CommitSig): Uint8Array {
  const w = BinaryWriter.create();
  writeCommitSig(w, s);
  return w.finish();
}

function writeCommit(w: Writer, c: Commit): void {
  int64Field(w, 1, c.height);
  if (c.round !== 0) w.uint32(16).int32(c.round);
  messageField(w, 3, (w2) => writeBlockId(w2, c.blockId));
  for (const s of c.signatures) messageField(w, 4, (w2) => writeCommitSig(w2, s));
}

export function encodeCommit(c: Commit): Uint8Array {
  const w = BinaryWriter.create();
  writeCommit(w, c);
  return w.finish();
}

export function decodeCommit(bytes: Uint8Array): Commit {
  return readCommit(new BinaryReader(bytes), bytes.length);
}

function readCommit(r: BinaryReader, length: number): Commit {
  const end = r.pos + length;
  let height = 0n;
  let round = 0;
  let blockId: BlockId = { hash: EMPTY_HASH, parts: { total: 0, hash: EMPTY_HASH } };
  const signatures: CommitSig[] = [];
  while (r.pos < end) {
    const tag = r.uint32();
    switch (tag >>> 3) {
      case 1:
        height = r.int64();
        break;
      case 2:
        round = r.int32();
        break;
      case 3:
        blockId = readBlockId(r, r.uint32());
        break;
      case 4:
        signatures.push(readCommitSig(r, r.uint32()));
        break;
      default:
        r.skipType(tag & 7);
    }
  }
  return { height, round, blockId, signatures };
}

function readCommitSig(r: BinaryReader, length: number): CommitSig {
  const end = r.pos + length;
  let flag = 0;
  let validatorAddress: Uint8Array = EMPTY_HASH;
  let timestamp: Timestamp = { seconds: 0n, nanos: 0 };
  let signature: Uint8Array = EMPTY_HASH;
  while (r.pos < end) {
    const tag = r.uint32();
    switch (tag >>> 3) {
      case 1:
        flag = r.uint32();
        break;
      case 2:
        validatorAddress = r.bytes();
        break;
      case 3:
        timestamp = readTimestamp(r, r.uint32());
        break;
      case 4:
        signature = r.bytes();
        break;
      default:
        r.skipType(tag & 7);
    }
  }
  return { flag: flag as BlockIdFlag, validatorAddress, timestamp, signature };
}

// ---------- Block ----------

export function encodeBlock(b: Block): Uint8Array {
  const w = BinaryWriter.create();
  // An embedded message and a bytes field share the wire format; reuse the header encoding.
  w.uint32(10).bytes(encodeHeader(b.header));
  messageField(w, 2, (w2) => {
    for (const tx of b.txs) w2.uint32(10).bytes(tx);
  });
  // CometBFT's Block field 3, EvidenceList; omitted when empty so blocks without evidence keep
  // their encoding.
  if (b.evidence.length > 0) messageField(w, 3, (w2) => writeEvidenceList(w2, b.evidence));
  messageField(w, 4, (w2) => writeCommit(w2, b.lastCommit));
  return w.finish();
}

export function decodeBlock(bytes: Uint8Array): Block {
  const r = new BinaryReader(bytes);
  let header: Header | undefined;
  const txs: Uint8Array[] = [];
  let evidence: DuplicateVoteEvidence[] = [];
  let lastCommit: Commit | undefined;
  while (r.pos < bytes.length) {
    const tag = r.uint32();
    switch (tag >>> 3) {
      case 1:
        header = readHeader(r, r.uint32());
        break;
      case 2: {
        const dend = r.pos + r.uint32();
        while (r.pos < dend) {
          const t2 = r.uint32();
          if (t2 >>> 3 === 1) txs.push(r.bytes());
          else r.skipType(t2 & 7);
        }
        break;
      }
      case 3:
        // Strict: throws EvidenceInvalidError for anything but well-formed duplicate-vote evidence.
        evidence = decodeEvidenceList(r.bytes());
        break;
      case 4:
        lastCommit = readCommit(r, r.uint32());
        break;
      default:
        r.skipType(tag & 7);
    }
  }
  if (!header || !lastCommit) throw new TypeError("block without header or last commit");
  return { header, txs, evidence, lastCommit };
}

// ---------- Events / TxResult ----------

function writeEvent(w: Writer, e: AbciEvent): void {
  stringField(w, 1, e.type);
  for (const a of e.attributes) {
    messageField(w, 2, (w2) => {
      stringField(w2, 1, a.key);
      stringField(w2, 2, a.value);
      if (a.index) w2.uint32(24).bool(true);
    });
  }
}

export function encodeEvent(e: AbciEvent): Uint8Array {
  const sizes = encodeSizes;
  sizes.length = 0;
  const size = sizeEvent(e, sizes);
  if (size < 0) {
    const w = BinaryWriter.create();
    writeEvent(w, e);
    return w.finish();
  }
  const w = new SizedWriter(size);
  writeSizedEvent(w, e, sizes, 0);
  return w.finish();
}

// Scratch lists of string sizes, one per encoder so that no two encodings share one.
const encodeSizes: number[] = [];
const leafSizes: number[] = [];
let leafEventLength = 0;
const resultSizes: number[] = [];

/**
 * Appends the UTF-8 sizes `writeSizedEvent` needs to `sizes` ([type, then key, value and attribute
 * length per attribute]) and returns the event's encoded length, or -1 if one of its strings is not
 * well-formed (those take BinaryWriter, see sized-writer.ts).
 */
function sizeEvent(e: AbciEvent, sizes: number[]): number {
  const typeLen = utf8Size(e.type);
  if (typeLen < 0) return -1;
  sizes.push(typeLen);
  let size = typeLen > 0 ? lenFieldSize(typeLen) : 0;
  for (const a of e.attributes) {
    const keyLen = utf8Size(a.key);
    const valueLen = utf8Size(a.value);
    if (keyLen < 0 || valueLen < 0) return -1;
    const attrLen =
      (keyLen > 0 ? lenFieldSize(keyLen) : 0) +
      (valueLen > 0 ? lenFieldSize(valueLen) : 0) +
      (a.index ? 2 : 0);
    sizes.push(keyLen, valueLen, attrLen);
    size += lenFieldSize(attrLen);
  }
  return size;
}

/** `writeEvent`'s bytes, from the sizes `sizeEvent` put at `sizes[at…]`; returns the index past them. */
function writeSizedEvent(w: SizedWriter, e: AbciEvent, sizes: readonly number[], at: number): number {
  const typeLen = sizes[at++]!;
  if (typeLen > 0) w.stringField(10, e.type, typeLen);
  for (const a of e.attributes) {
    const keyLen = sizes[at]!;
    const valueLen = sizes[at + 1]!;
    w.varint(18).varint(sizes[at + 2]!);
    if (keyLen > 0) w.stringField(10, a.key, keyLen);
    if (valueLen > 0) w.stringField(18, a.value, valueLen);
    if (a.index) w.varint(24).varint(1);
    at += 3;
  }
  return at;
}

/** An event as an embedded message field: the same bytes as writing it in place. */
function eventField(w: Writer, field: number, e: AbciEvent): void {
  w.uint32((field << 3) | 2).bytes(encodeEvent(e));
}

function readEvent(r: BinaryReader, length: number): AbciEvent {
  const end = r.pos + length;
  let type = "";
  const attributes: EventAttribute[] = [];
  while (r.pos < end) {
    const tag = r.uint32();
    if (tag >>> 3 === 1) type = r.string();
    else if (tag >>> 3 === 2) {
      const aend = r.pos + r.uint32();
      let key = "";
      let value = "";
      let index = false;
      while (r.pos < aend) {
        const t2 = r.uint32();
        if (t2 >>> 3 === 1) key = r.string();
        else if (t2 >>> 3 === 2) value = r.string();
        else if (t2 >>> 3 === 3) index = r.bool();
        else r.skipType(t2 & 7);
      }
      attributes.push({ key, value, index });
    } else r.skipType(tag & 7);
  }
  return { type, attributes };
}

export function encodeEventLeaf(
  height: bigint,
  txIndex: number,
  eventIndex: number,
  e: AbciEvent,
): Uint8Array {
  return writeEventLeaf(height, txIndex, eventIndex, e, newSizedWriter).finish();
}

const newSizedWriter = (size: number): SizedWriter => new SizedWriter(size);

/**
 * The event-root leaf hash of `encodeEventLeaf(…)`, without materialising the leaf: a block hashes
 * one per event, so the bytes are written straight into the hashing scratch.
 */
export function eventLeafHash(height: bigint, txIndex: number, eventIndex: number, e: AbciEvent): Buffer {
  return hashWrittenLeaf(writeEventLeaf(height, txIndex, eventIndex, e, leafWriter));
}

/**
 * Writes `encodeEventLeaf`'s bytes into the writer `writerFor(size)` returns for their exact size
 * (a fresh array, the hashing scratch, a slot of a leaf pack) and returns that writer, unfinished.
 */
export function writeEventLeaf(
  height: bigint,
  txIndex: number,
  eventIndex: number,
  e: AbciEvent,
  writerFor: (size: number) => SizedWriter,
): SizedWriter {
  const size = sizeEventLeaf(height, txIndex, eventIndex, e);
  if (size < 0) {
    const bytes = encodeEventLeafGeneric(height, txIndex, eventIndex, e);
    return writerFor(bytes.length).raw(bytes);
  }
  const w = writerFor(size);
  writeSizedEventLeaf(w, height, txIndex, eventIndex, e);
  return w;
}

/**
 * The leaf's length for the sized writer (its event's string sizes in `leafSizes`), or -1 for
 * the general writer: block events (txIndex -1, a ten-byte varint), heights past 2^53 and strings
 * that are not well-formed.
 */
function sizeEventLeaf(height: bigint, txIndex: number, eventIndex: number, e: AbciEvent): number {
  if (txIndex < 0 || !isSafeUint(height)) return -1;
  leafSizes.length = 0;
  const eventLen = sizeEvent(e, leafSizes);
  if (eventLen < 0) return -1;
  leafEventLength = eventLen;
  const h = Number(height);
  return (
    (h !== 0 ? 1 + varintSize(h) : 0) +
    (txIndex !== 0 ? 1 + varintSize(txIndex) : 0) +
    (eventIndex !== 0 ? 1 + varintSize(eventIndex) : 0) +
    lenFieldSize(eventLen)
  );
}

function writeSizedEventLeaf(
  w: SizedWriter,
  height: bigint,
  txIndex: number,
  eventIndex: number,
  e: AbciEvent,
): void {
  const h = Number(height);
  if (h !== 0) w.varint(8).varint(h);
  if (txIndex !== 0) w.varint(16).varint(txIndex);
  if (eventIndex !== 0) w.varint(24).varint(eventIndex);
  w.varint(34).varint(leafEventLength);
  writeSizedEvent(w, e, leafSizes, 0);
}

function encodeEventLeafGeneric(
  height: bigint,
  txIndex: number,
  eventIndex: number,
  e: AbciEvent,
): Uint8Array {
  const w = BinaryWriter.create();
  int64Field(w, 1, height);
  if (txIndex !== 0) w.uint32(16).int32(txIndex);
  uint32Field(w, 3, eventIndex);
  eventField(w, 4, e);
  return w.finish();
}

export interface EventLeaf {
  readonly height: bigint;
  /** -1 for begin/end-block events. */
  readonly txIndex: number;
  readonly eventIndex: number;
  readonly event: AbciEvent;
}

/** Inverse of `encodeEventLeaf`: what a light client reads out of a proven leaf. */
export function decodeEventLeaf(bytes: Uint8Array): EventLeaf {
  const r = new BinaryReader(bytes);
  let height = 0n;
  let txIndex = 0;
  let eventIndex = 0;
  let event: AbciEvent = { type: "", attributes: [] };
  while (r.pos < r.len) {
    const tag = r.uint32();
    if (tag === 8) height = r.int64();
    else if (tag === 16) txIndex = r.int32();
    else if (tag === 24) eventIndex = r.uint32();
    else if (tag === 34) event = readEvent(r, r.uint32());
    else r.skipType(tag & 7);
  }
  return { height, txIndex, eventIndex, event };
}

export function encodeResultLeaf(r: TxResult): Uint8Array {
  const w = BinaryWriter.create();
  uint32Field(w, 1, r.code);
  bytesField(w, 2, r.data);
  int64Field(w, 5, r.gasWanted);
  int64Field(w, 6, r.gasUsed);
  return w.finish();
}

export function encodeTxResult(res: TxResult): Uint8Array {
  const sized = encodeTxResultSized(res);
  if (sized) return sized;
  const w = BinaryWriter.create();
  uint32Field(w, 1, res.code);
  bytesField(w, 2, res.data);
  stringField(w, 3, res.log);
  int64Field(w, 5, res.gasWanted);
  int64Field(w, 6, res.gasUsed);
  for (const e of res.events) eventField(w, 7, e);
  stringField(w, 8, res.codespace);
  return w.finish();
}

/** `encodeTxResult` in one sized pass, events written in place; undefined where it cannot be. */
function encodeTxResultSized(res: TxResult): Uint8Array | undefined {
  const logLen = utf8Size(res.log);
  const codespaceLen = utf8Size(res.codespace);
  if (res.code >>> 0 !== res.code || logLen < 0 || codespaceLen < 0) return undefined;
  if (!isSafeUint(res.gasWanted) || !isSafeUint(res.gasUsed)) return undefined;
  const gasWanted = Number(res.gasWanted);
  const gasUsed = Number(res.gasUsed);
  const sizes = resultSizes;
  sizes.length = 0;
  const eventLens: number[] = [];
  let size =
    (res.code !== 0 ? 1 + varintSize(res.code) : 0) +
    (res.data.length > 0 ? lenFieldSize(res.data.length) : 0) +
    (logLen > 0 ? lenFieldSize(logLen) : 0) +
    (gasWanted !== 0 ? 1 + varintSize(gasWanted) : 0) +
    (gasUsed !== 0 ? 1 + varintSize(gasUsed) : 0) +
    (codespaceLen > 0 ? lenFieldSize(codespaceLen) : 0);
  for (const e of res.events) {
    const eventLen = sizeEvent(e, sizes);
    if (eventLen < 0) return undefined;
    eventLens.push(eventLen);
    size += lenFieldSize(eventLen);
  }
  const w = new SizedWriter(size);
  if (res.code !== 0) w.varint(8).varint(res.code);
  if (res.data.length > 0) w.varint(18).varint(res.data.length).raw(res.data);
  if (logLen > 0) w.stringField(26, res.log, logLen);
  if (gasWanted !== 0) w.varint(40).varint(gasWanted);
  if (gasUsed !== 0) w.varint(48).varint(gasUsed);
  let at = 0;
  for (const [i, e] of res.events.entries()) {
    w.varint(58).varint(eventLens[i]!);
    at = writeSizedEvent(w, e, sizes, at);
  }
  if (codespaceLen > 0) w.stringField(66, res.codespace, codespaceLen);
  return w.finish();
}

export function decodeTxResult(bytes: Uint8Array): TxResult {
  const r = new BinaryReader(bytes);
  let code = 0;
  let data: Uint8Array = EMPTY_HASH;
  let log = "";
  let gasWanted = 0n;
  let gasUsed = 0n;
  const events: AbciEvent[] = [];
  let codespace = "";
  while (r.pos < bytes.length) {
    const tag = r.uint32();
    switch (tag >>> 3) {
      case 1:
        code = r.uint32();
        break;
      case 2:
        data = r.bytes();
        break;
      case 3:
        log = r.string();
        break;
      case 5:
        gasWanted = r.int64();
        break;
      case 6:
        gasUsed = r.int64();
        break;
      case 7:
        events.push(readEvent(r, r.uint32()));
        break;
      case 8:
        codespace = r.string();
        break;
      default:
        r.skipType(tag & 7);
    }
  }
  return { code, codespace, log, data, gasWanted, gasUsed, events };
}
