/**
 * Scores and reach. A score is an account's EigenTrust trust scaled so that the average scored
 * account has 1_000_000 (computed at epoch ends); an account with neither enough score nor enough
 * karma has limited reach: new accounts start there and leave it by earning either.
 *
 * Keys (prefix 0x08): 03|addr → score (uint64 BE); 18 → the members' voting weight as of the last
 * epoch: cap (uint64) · Σ over scored humans of min(score, cap) (uint64); 19 → the scores version
 * (uint64): bumped whenever a score is written (an epoch that rewrote at least one, genesis), so
 * governance knows its running member tallies (contracts/gov/running-tally.ts) still hold.
 */
import { decodeAddress } from "../../chain/crypto/address.js";
import { key, ModulePrefix, readUint64, uint64Bytes } from "../lib/store.js";
import type { KVReader, KVStore } from "../types.js";
import { getKarma } from "./interactions.js";
import { getReputationParams } from "./params.js";

export const SCORE_PREFIX = new Uint8Array([ModulePrefix.reputation, 0x03]);

const MEMBERS_WEIGHT_KEY = new Uint8Array([ModulePrefix.reputation, 0x18]);
const SCORES_VERSION_KEY = new Uint8Array([ModulePrefix.reputation, 0x19]);

export const scoreKey = (address: string) => key(SCORE_PREFIX, decodeAddress(address));

export function getScore(store: KVReader, address: string): bigint {
  const bytes = store.get(scoreKey(address));
  return bytes ? readUint64(bytes) : 0n;
}

export function setScore(store: KVStore, address: string, score: bigint): void {
  if (score === 0n) store.delete(scoreKey(address));
  else store.set(scoreKey(address), uint64Bytes(score));
  bumpScoresVersion(store);
}

/** Changes whenever any score may have changed: a weight read at an equal version is still current. */
export function scoresVersion(store: KVReader): bigint {
  const b = store.get(SCORES_VERSION_KEY);
  return b ? readUint64(b) : 0n;
}

/** Every writer of scores calls this once it wrote one (epoch.ts writes them directly). */
export function bumpScoresVersion(store: KVStore): void {
  store.set(SCORES_VERSION_KEY, uint64Bytes(scoresVersion(store) + 1n));
}

export function isLimitedReach(store: KVReader, address: string): boolean {
  const params = getReputationParams(store);
  return getScore(store, address) < params.fullReachScore && getKarma(store, address) < params.fullReachKarma;
}

/** Stored by each epoch for governance's member electorate (contracts/gov/electorate.ts). */
export function setMembersWeight(store: KVStore, cap: bigint, total: bigint): void {
  store.set(MEMBERS_WEIGHT_KEY, key(uint64Bytes(cap), uint64Bytes(total)));
}

/** The total the last epoch summed, if it used this cap; undefined before the first epoch or after the cap changed. */
export function getMembersWeight(store: KVReader, cap: bigint): bigint | undefined {
  const b = store.get(MEMBERS_WEIGHT_KEY);
  if (b?.length !== 16 || readUint64(b.subarray(0, 8)) !== cap) return undefined;
  return readUint64(b.subarray(8, 16));
}
