/**
 * Reputation state: ratings with their per-subject summary, attestations, DM-thread
 * acknowledgements and counters, plus the graph index the epoch reads (graph.ts). Other modules
 * call `getRatingSummary` and `getAttestationCount` (agent cards), and interactions.ts / reach.ts.
 *
 * Keys (prefix 0x08; 01-04 are interactions, karma, scores and params):
 *   05|rater|subject          → Rating
 *   06|subject|~seq           → rater address (20 bytes): ratings of a subject, newest first
 *   07|rater|~seq             → subject address: ratings by a rater, newest first
 *   08|subject                → RatingSummary
 *   09|attester|subject       → Attestation
 *   0a|subject|~seq           → attester address: attestations of a subject, newest first
 *   0b|subject                → attestation count (uint64)
 *   0c                        → last sequence number (uint64), shared by ratings and attestations
 *   0d|account|peer|thread id → height at which `account` acknowledged the DM thread (uint64)
 *   0e|rater                  → the rater's MsgRate limiter (GCRA)
 *   16                        → number of ratings (uint64)
 *   17                        → number of epochs run (uint64)
 *   18, 19                    → the members' voting weight and the scores version (reach.ts)
 *   10-15                     → the trust graph index (graph.ts)
 * `~seq` is MAX_UINT64 − seq big-endian, so a prefix range lists newest first.
 */
import { decodeAddress } from "../../chain/crypto/address.js";
import { key, ModulePrefix, readUint64, uint64Bytes } from "../lib/store.js";
import type { KVReader, KVStore } from "../types.js";
import { ratingByte, updateEdge } from "./graph.js";
import { Attestation, Rating, RatingSummary } from "./records.js";

const P = ModulePrefix.reputation;
export const RATING_PREFIX = new Uint8Array([P, 0x05]);
export const RATINGS_OF_PREFIX = new Uint8Array([P, 0x06]);
export const RATINGS_BY_PREFIX = new Uint8Array([P, 0x07]);
const SUMMARY_PREFIX = new Uint8Array([P, 0x08]);
export const ATTESTATION_PREFIX = new Uint8Array([P, 0x09]);
export const ATTESTATIONS_OF_PREFIX = new Uint8Array([P, 0x0a]);
const ATTESTATION_COUNT_PREFIX = new Uint8Array([P, 0x0b]);
const SEQ_KEY = new Uint8Array([P, 0x0c]);
const DM_ACK_PREFIX = new Uint8Array([P, 0x0d]);
const RATE_LIMIT_PREFIX = new Uint8Array([P, 0x0e]);
const RATING_COUNT_KEY = new Uint8Array([P, 0x16]);
const EPOCH_KEY = new Uint8Array([P, 0x17]);

const MAX_UINT64 = (1n << 64n) - 1n;
const newestFirst = (seq: bigint) => uint64Bytes(MAX_UINT64 - seq);
const addr = (a: string) => decodeAddress(a);

export const ratingKey = (rater: string, subject: string) => key(RATING_PREFIX, addr(rater), addr(subject));
export const ratingsOfPrefix = (subject: string) => key(RATINGS_OF_PREFIX, addr(subject));
export const ratingsByPrefix = (rater: string) => key(RATINGS_BY_PREFIX, addr(rater));
export const attestationKey = (attester: string, subject: string) =>
  key(ATTESTATION_PREFIX, addr(attester), addr(subject));
export const attestationsOfPrefix = (subject: string) => key(ATTESTATIONS_OF_PREFIX, addr(subject));
export const rateLimitKey = (rater: string) => key(RATE_LIMIT_PREFIX, addr(rater));
const summaryKey = (subject: string) => key(SUMMARY_PREFIX, addr(subject));
const attestationCountKey = (subject: string) => key(ATTESTATION_COUNT_PREFIX, addr(subject));
const dmAckKey = (account: string, peer: string, threadId: Uint8Array) =>
  key(DM_ACK_PREFIX, addr(account), addr(peer), threadId);

function readCounter(store: KVReader, k: Uint8Array): bigint {
  const b = store.get(k);
  return b ? readUint64(b) : 0n;
}

function nextSeq(store: KVStore): bigint {
  const seq = readCounter(store, SEQ_KEY) + 1n;
  store.set(SEQ_KEY, uint64Bytes(seq));
  return seq;
}

// ---------------------------------------------------------------- ratings

export function getRating(store: KVReader, rater: string, subject: string): Rating | undefined {
  const b = store.get(ratingKey(rater, subject));
  return b ? Rating.decode(b) : undefined;
}

const EMPTY_SUMMARY: RatingSummary = Object.freeze({ count: 0n, helped: 0n, starsSum: 0n });

/** The ratings an account has received: count, how many "helped", sum of stars. */
export function getRatingSummary(store: KVReader, address: string): RatingSummary {
  const b = store.get(summaryKey(address));
  return b ? RatingSummary.decode(b) : { ...EMPTY_SUMMARY };
}

export function ratingCount(store: KVReader): bigint {
  return readCounter(store, RATING_COUNT_KEY);
}

export interface RatingInput {
  readonly rater: string;
  readonly subject: string;
  readonly helped: boolean;
  readonly stars: number;
  readonly comment: string;
}

/**
 * Stores the rating (replacing the rater's earlier one of the subject), keeps the subject's
 * summary, both newest-first lists, the counters and the trust graph. No checks: the handler and
 * genesis check first. Returns the stored record and whether it replaced one.
 */
export function putRating(
  store: KVStore,
  input: RatingInput,
  height: bigint,
): { rating: Rating; replaced: boolean } {
  const { rater, subject } = input;
  const old = getRating(store, rater, subject);
  const summary = getRatingSummary(store, subject);
  if (old) {
    store.delete(key(ratingsOfPrefix(subject), newestFirst(old.seq)));
    store.delete(key(ratingsByPrefix(rater), newestFirst(old.seq)));
    summary.count -= 1n;
    if (old.helped) summary.helped -= 1n;
    summary.starsSum -= BigInt(old.stars);
  } else {
    store.set(RATING_COUNT_KEY, uint64Bytes(ratingCount(store) + 1n));
  }
  const seq = nextSeq(store);
  const rating: Rating = {
    rater,
    subject,
    helped: input.helped,
    stars: input.stars,
    comment: input.comment,
    createdHeight: height,
    seq,
  };
  store.set(ratingKey(rater, subject), Rating.toBytes(rating));
  store.set(key(ratingsOfPrefix(subject), newestFirst(seq)), addr(rater));
  store.set(key(ratingsByPrefix(rater), newestFirst(seq)), addr(subject));
  summary.count += 1n;
  if (input.helped) summary.helped += 1n;
  summary.starsSum += BigInt(input.stars);
  store.set(summaryKey(subject), RatingSummary.toBytes(summary));
  updateEdge(store, rater, subject, { rating: ratingByte(input.helped, input.stars) });
  return { rating, replaced: old !== undefined };
}

// ---------------------------------------------------------------- attestations

export function getAttestation(store: KVReader, attester: string, subject: string): Attestation | undefined {
  const b = store.get(attestationKey(attester, subject));
  return b ? Attestation.decode(b) : undefined;
}

export function getAttestationCount(store: KVReader, subject: string): bigint {
  return readCounter(store, attestationCountKey(subject));
}

/** Stores a new attestation (the caller checked there is none for the pair). */
export function putAttestation(
  store: KVStore,
  input: { readonly attester: string; readonly subject: string; readonly statement: string },
  height: bigint,
): Attestation {
  const seq = nextSeq(store);
  const attestation: Attestation = { ...input, createdHeight: height, seq };
  store.set(attestationKey(input.attester, input.subject), Attestation.toBytes(attestation));
  store.set(key(attestationsOfPrefix(input.subject), newestFirst(seq)), addr(input.attester));
  store.set(attestationCountKey(input.subject), uint64Bytes(getAttestationCount(store, input.subject) + 1n));
  updateEdge(store, input.attester, input.subject, { attested: true });
  return attestation;
}

export function deleteAttestation(store: KVStore, attestation: Attestation): void {
  const { attester, subject } = attestation;
  store.delete(attestationKey(attester, subject));
  store.delete(key(attestationsOfPrefix(subject), newestFirst(attestation.seq)));
  const count = getAttestationCount(store, subject) - 1n;
  if (count > 0n) store.set(attestationCountKey(subject), uint64Bytes(count));
  else store.delete(attestationCountKey(subject));
  updateEdge(store, attester, subject, { attested: false });
}

// ---------------------------------------------------------------- DM threads

export function hasDmAck(store: KVReader, account: string, peer: string, threadId: Uint8Array): boolean {
  return store.get(dmAckKey(account, peer, threadId)) !== undefined;
}

export function putDmAck(
  store: KVStore,
  account: string,
  peer: string,
  threadId: Uint8Array,
  height: bigint,
): void {
  store.set(dmAckKey(account, peer, threadId), uint64Bytes(height));
}

// ---------------------------------------------------------------- epochs

export function epochCount(store: KVReader): bigint {
  return readCounter(store, EPOCH_KEY);
}

export function setEpochCount(store: KVStore, epoch: bigint): void {
  store.set(EPOCH_KEY, uint64Bytes(epoch));
}
