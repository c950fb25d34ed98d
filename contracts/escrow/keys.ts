/**
 * Store layout of the escrow module; every key starts with `ModulePrefix.escrow`. Each list the
 * Bounties query serves is one prefix range, newest first (`MAX_UINT64 - id` in the key):
 *
 *   00 → Params · 01 → next bounty id · 10|id → Bounty
 *   11|rid → ∅ (all) · 12|status|rid → ∅
 *   13|creator|rid → ∅ · 14|creator|status|rid → ∅
 *   15|worker|rid → ∅ · 16|worker|status|rid → ∅
 *
 * (addresses as their 20 raw bytes, rid = MAX_UINT64 - id, big-endian).
 */
import { decodeAddress } from "../../chain/crypto/address.js";
import { key, ModulePrefix, uint64Bytes } from "../lib/store.js";

const P = ModulePrefix.escrow;
const MAX_UINT64 = (1n << 64n) - 1n;

const rid = (id: bigint) => uint64Bytes(MAX_UINT64 - id);
const b = (...bytes: number[]) => new Uint8Array(bytes);

export const EscrowKeys = {
  params: () => b(P, 0x00),
  nextId: () => b(P, 0x01),
  bounty: (id: bigint) => key(b(P, 0x10), uint64Bytes(id)),
  allPrefix: () => b(P, 0x11),
  all: (id: bigint) => key(b(P, 0x11), rid(id)),
  statusPrefix: (status: number) => b(P, 0x12, status),
  status: (status: number, id: bigint) => key(b(P, 0x12, status), rid(id)),
  creatorPrefix: (creator: string) => key(b(P, 0x13), decodeAddress(creator)),
  creator: (creator: string, id: bigint) => key(EscrowKeys.creatorPrefix(creator), rid(id)),
  creatorStatusPrefix: (creator: string, status: number) =>
    key(b(P, 0x14), decodeAddress(creator), b(status)),
  creatorStatus: (creator: string, status: number, id: bigint) =>
    key(EscrowKeys.creatorStatusPrefix(creator, status), rid(id)),
  workerPrefix: (worker: string) => key(b(P, 0x15), decodeAddress(worker)),
  worker: (worker: string, id: bigint) => key(EscrowKeys.workerPrefix(worker), rid(id)),
  workerStatusPrefix: (worker: string, status: number) => key(b(P, 0x16), decodeAddress(worker), b(status)),
  workerStatus: (worker: string, status: number, id: bigint) =>
    key(EscrowKeys.workerStatusPrefix(worker, status), rid(id)),
};

/** The bounty id at the end of an index key. */
export function idFromIndexKey(k: Uint8Array): bigint {
  return MAX_UINT64 - new DataView(k.buffer, k.byteOffset + k.length - 8, 8).getBigUint64(0);
}
