/**
 * Stored proposals, their votes and deposits, and the two schedules the end block watches: open
 * proposals' deadlines and voting reminders.
 */
import { Deposit, Proposal, Vote } from "cosmjs-types/cosmos/gov/v1/gov";
import type { Timestamp } from "cosmjs-types/google/protobuf/timestamp";
import { ADDRESS_LENGTH, decodeAddress, encodeAddress } from "../../chain/crypto/address.js";
import { CodedError } from "../../chain/errors/codes.js";
import { readUint64, uint64Bytes } from "../lib/store.js";
import type { KVReader, KVStore } from "../types.js";
import { GovErrors } from "./errors.js";
import { GovKeys } from "./keys.js";
import { ProposalInfo } from "./records.js";

export function getProposal(store: KVReader, id: bigint): Proposal | undefined {
  const b = store.get(GovKeys.proposal(id));
  return b ? Proposal.decode(b) : undefined;
}

export function requireProposal(store: KVReader, id: bigint): Proposal {
  const p = getProposal(store, id);
  if (!p) throw new CodedError(GovErrors.UnknownProposal, `proposal ${id} not found`);
  return p;
}

/** Stores a proposal and keeps the status index (E0/E1) in step with its status. */
export function setProposal(store: KVStore, p: Proposal): void {
  const k = GovKeys.proposal(p.id);
  const earlier = store.get(k);
  const was = earlier ? Proposal.decode(earlier).status : undefined;
  store.set(k, Proposal.encode(p).finish());
  if (was === p.status) return;
  if (was === undefined) indexStatus(store, ANY_STATUS, p.id, true);
  else indexStatus(store, was, p.id, false);
  indexStatus(store, p.status, p.id, true);
}

/** Forgets a proposal (dropped in its deposit period) and its index entries. */
export function deleteProposal(store: KVStore, p: Proposal): void {
  store.delete(GovKeys.proposal(p.id));
  store.delete(GovKeys.info(p.id));
  indexStatus(store, ANY_STATUS, p.id, false);
  indexStatus(store, p.status, p.id, false);
}

/** Status 0 (UNSPECIFIED) in the index lists every proposal. */
const ANY_STATUS = 0;
const PRESENT = new Uint8Array([1]);

function indexStatus(store: KVStore, status: number, id: bigint, present: boolean): void {
  for (const k of [GovKeys.statusEntry(status, id), GovKeys.statusEntryDesc(status, id)]) {
    if (present) store.set(k, PRESENT);
    else store.delete(k);
  }
}

export function getInfo(store: KVReader, id: bigint): ProposalInfo | undefined {
  const b = store.get(GovKeys.info(id));
  return b ? ProposalInfo.decode(b) : undefined;
}

export function setInfo(store: KVStore, info: ProposalInfo): void {
  store.set(GovKeys.info(info.proposalId), ProposalInfo.toBytes(info));
}

export function nextProposalId(store: KVStore): bigint {
  const b = store.get(GovKeys.nextId());
  const id = b ? readUint64(b) : 1n;
  store.set(GovKeys.nextId(), uint64Bytes(id + 1n));
  return id;
}

export function setNextProposalId(store: KVStore, id: bigint): void {
  store.set(GovKeys.nextId(), uint64Bytes(id));
}

// ---------------------------------------------------------------- votes

export function getVote(store: KVReader, id: bigint, voter: string): Vote | undefined {
  const b = store.get(GovKeys.vote(id, voter));
  return b ? Vote.decode(b) : undefined;
}

/** Stores a vote, replacing the voter's earlier one (x/gov: the last vote counts). */
export function setVote(store: KVStore, vote: Vote): void {
  const k = GovKeys.vote(vote.proposalId, vote.voter);
  if (!store.has(k))
    appendToList(store, GovKeys.voterCount(vote.proposalId), GovKeys.voterAt, vote.proposalId, vote.voter);
  store.set(k, Vote.encode(vote).finish());
}

/** Every vote of a proposal, in the order the voters first voted. */
export function listVotes(store: KVReader, id: bigint): Vote[] {
  return readList(store, GovKeys.voterCount(id), GovKeys.voterAt, id).map((voter) => {
    const b = store.get(GovKeys.vote(id, voter));
    if (!b) throw new Error(`gov: vote list names ${voter} without a vote`);
    return Vote.decode(b);
  });
}

/** Drops the tally's voter list; the votes themselves stay queryable. */
export function clearVoterList(store: KVStore, id: bigint): void {
  clearList(store, GovKeys.voterCount(id), GovKeys.voterAt, id);
}

// ---------------------------------------------------------------- deposits

export function getDeposit(store: KVReader, id: bigint, depositor: string): Deposit | undefined {
  const b = store.get(GovKeys.deposit(id, depositor));
  return b ? Deposit.decode(b) : undefined;
}

export function setDeposit(store: KVStore, d: Deposit): void {
  const k = GovKeys.deposit(d.proposalId, d.depositor);
  if (!store.has(k))
    appendToList(store, GovKeys.depositorCount(d.proposalId), GovKeys.depositorAt, d.proposalId, d.depositor);
  store.set(k, Deposit.encode(d).finish());
}

export function listDeposits(store: KVReader, id: bigint): Deposit[] {
  return readList(store, GovKeys.depositorCount(id), GovKeys.depositorAt, id).map(
    (depositor) => getDeposit(store, id, depositor) ?? { proposalId: id, depositor, amount: [] },
  );
}

/** Removes the deposits once refunded or burned (x/gov keeps only the proposal's total). */
export function deleteDeposits(store: KVStore, id: bigint): void {
  for (const d of listDeposits(store, id)) store.delete(GovKeys.deposit(id, d.depositor));
  clearList(store, GovKeys.depositorCount(id), GovKeys.depositorAt, id);
}

// ---------------------------------------------------------------- address lists

/**
 * A list of addresses handlers can read back without a range scan: a count key and the addresses
 * in chunks of LIST_CHUNK (20 bytes each, in append order) under `at(id, chunk)`, so that reading
 * or dropping n addresses touches n / LIST_CHUNK keys, not n.
 */
export const LIST_CHUNK = 64;

type AtKey = (id: bigint, chunk: number) => Uint8Array;

function listLength(store: KVReader, countKey: Uint8Array): number {
  const b = store.get(countKey);
  return b ? Number(readUint64(b)) : 0;
}

export function appendToList(
  store: KVStore,
  countKey: Uint8Array,
  at: AtKey,
  id: bigint,
  address: string,
): void {
  const n = listLength(store, countKey);
  const k = at(id, Math.floor(n / LIST_CHUNK));
  const held = n % LIST_CHUNK === 0 ? undefined : store.get(k);
  const chunk = new Uint8Array((held?.length ?? 0) + ADDRESS_LENGTH);
  if (held) chunk.set(held);
  chunk.set(decodeAddress(address), held?.length ?? 0);
  store.set(k, chunk);
  store.set(countKey, uint64Bytes(BigInt(n + 1)));
}

export function readList(store: KVReader, countKey: Uint8Array, at: AtKey, id: bigint): string[] {
  const n = listLength(store, countKey);
  const out: string[] = [];
  for (let c = 0; c * LIST_CHUNK < n; c++) {
    const chunk = store.get(at(id, c));
    const want = Math.min(LIST_CHUNK, n - c * LIST_CHUNK) * ADDRESS_LENGTH;
    if (chunk?.length !== want)
      throw new Error(`gov: list chunk ${c} of ${id} holds ${chunk?.length ?? 0} bytes, not ${want}`);
    for (let o = 0; o < want; o += ADDRESS_LENGTH)
      out.push(encodeAddress(chunk.subarray(o, o + ADDRESS_LENGTH)));
  }
  return out;
}

export function clearList(store: KVStore, countKey: Uint8Array, at: AtKey, id: bigint): void {
  const n = listLength(store, countKey);
  for (let c = 0; c * LIST_CHUNK < n; c++) store.delete(at(id, c));
  store.delete(countKey);
}

// ---------------------------------------------------------------- schedules

/** A proposal the end block must look at again once block time reaches `deadline`. */
export interface OpenEntry {
  readonly id: bigint;
  readonly deadline: Timestamp;
}

const ENTRY_BYTES = 20;

/** A schedule stored under one key: (id u64 · seconds i64 · nanos u32) × n, by deadline then id. */
function readSchedule(store: KVReader, k: Uint8Array): OpenEntry[] {
  const b = store.get(k);
  const out: OpenEntry[] = [];
  if (!b) return out;
  const view = new DataView(b.buffer, b.byteOffset, b.byteLength);
  for (let o = 0; o + ENTRY_BYTES <= b.length; o += ENTRY_BYTES)
    out.push({
      id: view.getBigUint64(o),
      deadline: { seconds: view.getBigInt64(o + 8), nanos: view.getUint32(o + 16) },
    });
  return out;
}

function writeSchedule(store: KVStore, k: Uint8Array, entries: readonly OpenEntry[]): void {
  if (entries.length === 0) {
    store.delete(k);
    return;
  }
  const sorted = [...entries].sort(
    (a, b) => compareTime(a.deadline, b.deadline) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
  );
  const out = new Uint8Array(sorted.length * ENTRY_BYTES);
  const view = new DataView(out.buffer);
  sorted.forEach((e, i) => {
    view.setBigUint64(i * ENTRY_BYTES, e.id);
    view.setBigInt64(i * ENTRY_BYTES + 8, e.deadline.seconds);
    view.setUint32(i * ENTRY_BYTES + 16, e.deadline.nanos);
  });
  store.set(k, out);
}

// ---------------------------------------------------------------- open proposals

export function readOpen(store: KVReader): OpenEntry[] {
  return readSchedule(store, GovKeys.open());
}

/** Writes the list sorted by deadline, then id: the order the end block handles them in. */
export function writeOpen(store: KVStore, entries: readonly OpenEntry[]): void {
  writeSchedule(store, GovKeys.open(), entries);
}

/** Sets (or adds) the deadline of proposal `id`. */
export function scheduleOpen(store: KVStore, id: bigint, deadline: Timestamp): void {
  writeOpen(store, [...readOpen(store).filter((e) => e.id !== id), { id, deadline }]);
}

// ---------------------------------------------------------------- voting reminders

/** Proposals whose EventVotingEndsSoon is due once block time reaches `deadline`. */
export function readReminders(store: KVReader): OpenEntry[] {
  return readSchedule(store, GovKeys.reminders());
}

export function writeReminders(store: KVStore, entries: readonly OpenEntry[]): void {
  writeSchedule(store, GovKeys.reminders(), entries);
}

/** Sets (or replaces) the reminder of proposal `id`: at most one per proposal is pending. */
export function scheduleReminder(store: KVStore, id: bigint, at: Timestamp): void {
  writeReminders(store, [...readReminders(store).filter((e) => e.id !== id), { id, deadline: at }]);
}

/** Drops the pending reminder of proposal `id`, if any (writes nothing when there is none). */
export function unscheduleReminder(store: KVStore, id: bigint): void {
  const held = readReminders(store);
  const kept = held.filter((e) => e.id !== id);
  if (kept.length !== held.length) writeReminders(store, kept);
}

export function compareTime(a: Timestamp, b: Timestamp): number {
  if (a.seconds !== b.seconds) return a.seconds < b.seconds ? -1 : 1;
  return a.nanos - b.nanos;
}

export function addSeconds(t: Timestamp, seconds: bigint): Timestamp {
  return { seconds: t.seconds + seconds, nanos: t.nanos };
}
