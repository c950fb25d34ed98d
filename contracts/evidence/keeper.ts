/**
 * Committed evidence in chain state. One record per offence — a validator's double sign at one
 * (height, round, vote type) — so the same misbehaviour is recorded, and acted on, once however
 * many conflicting vote pairs prove it.
 *
 * Key:   [evidence prefix][0x01][validator address, 20 bytes][height u64 BE][round u32 BE][type u8]
 * Value: vivim.evidence.v1.EvidenceRecord { DuplicateVoteEvidence evidence = 1; int64 height = 2;
 *        Timestamp time = 3 } — the evidence and the block (height, time) that included it.
 * A prefix scan under a validator's address lists its offences by height.
 */
import "../../chain/codec/writer-alloc.js";
import { BinaryReader, BinaryWriter } from "cosmjs-types/binary";
import { decodeDuplicateVoteEvidence, encodeDuplicateVoteEvidence } from "../../chain/evidence/codec.js";
import type { DuplicateVoteEvidence } from "../../chain/evidence/types.js";
import { readTimestamp, writeTimestamp } from "../../chain/types/proto-fields.js";
import { key, ModulePrefix, uint64Bytes } from "../lib/store.js";
import type { KVReader, KVStore, Timestamp } from "../types.js";

const RECORD = 0x01;
const ADDRESS_BYTES = 20;

export interface EvidenceRecord {
  readonly evidence: DuplicateVoteEvidence;
  /** Height of the block that included the evidence. */
  readonly height: bigint;
  /** Time of the block that included the evidence. */
  readonly time: Timestamp;
}

export const EVIDENCE_PREFIX = new Uint8Array([ModulePrefix.evidence, RECORD]);

export function validatorEvidencePrefix(address: Uint8Array): Uint8Array {
  if (address.length !== ADDRESS_BYTES) throw new RangeError("validator address must be 20 bytes");
  return key(EVIDENCE_PREFIX, address);
}

export function offenceStateKey(
  address: Uint8Array,
  height: bigint,
  round: number,
  type: number,
): Uint8Array {
  const tail = new Uint8Array(5);
  const view = new DataView(tail.buffer);
  view.setUint32(0, round);
  view.setUint8(4, type);
  return key(validatorEvidencePrefix(address), uint64Bytes(height), tail);
}

function evidenceKey(ev: DuplicateVoteEvidence): Uint8Array {
  const v = ev.voteA;
  return offenceStateKey(v.validatorAddress, v.height, v.round, v.type);
}

export function encodeEvidenceRecord(r: EvidenceRecord): Uint8Array {
  const w = BinaryWriter.create();
  w.uint32(10).bytes(encodeDuplicateVoteEvidence(r.evidence));
  if (r.height !== 0n) w.uint32(16).int64(r.height);
  w.uint32(26).fork();
  writeTimestamp(w, r.time);
  w.ldelim();
  return w.finish();
}

export function decodeEvidenceRecord(bytes: Uint8Array): EvidenceRecord {
  const r = new BinaryReader(bytes);
  let evidence: DuplicateVoteEvidence | undefined;
  let height = 0n;
  let time: Timestamp = { seconds: 0n, nanos: 0 };
  while (r.pos < bytes.length) {
    const tag = r.uint32();
    switch (tag >>> 3) {
      case 1:
        evidence = decodeDuplicateVoteEvidence(r.bytes());
        break;
      case 2:
        height = r.int64();
        break;
      case 3:
        time = readTimestamp(r, r.uint32());
        break;
      default:
        r.skipType(tag & 7);
    }
  }
  if (!evidence) throw new TypeError("evidence record without evidence");
  return { evidence, height, time };
}

/** Whether state already records the offence `ev` proves (the evidence pool's `isCommitted`). */
export function hasEvidence(store: KVReader, ev: DuplicateVoteEvidence): boolean {
  return store.get(evidenceKey(ev)) !== undefined;
}

/** The record of one offence, for governance and queries. */
export function getEvidenceRecord(
  store: KVReader,
  address: Uint8Array,
  height: bigint,
  round: number,
  type: number,
): EvidenceRecord | undefined {
  const bytes = store.get(offenceStateKey(address, height, round, type));
  return bytes ? decodeEvidenceRecord(bytes) : undefined;
}

/** Records `ev` as included at `included`; false (and no write) if the offence is already recorded. */
export function recordEvidence(
  store: KVStore,
  ev: DuplicateVoteEvidence,
  included: { height: bigint; time: Timestamp },
): boolean {
  const k = evidenceKey(ev);
  if (store.has(k)) return false;
  store.set(k, encodeEvidenceRecord({ evidence: ev, height: included.height, time: included.time }));
  return true;
}
