/**
 * Scores and reach. A score is an account's EigenTrust trust scaled so that the average scored
 * account has 1_000_000 (computed at epoch ends); an account with neither enough score nor enough
 * karma has limited reach: new accounts start there and leave it by earning either.
 *
 * Keys (prefix 0x08): 03|addr → score (uint64 BE).
 */
import { decodeAddress } from "../../chain/crypto/address.js";
import { key, ModulePrefix, readUint64, uint64Bytes } from "../lib/store.js";
import type { KVReader, KVStore } from "../types.js";
import { getKarma } from "./interactions.js";
import { getReputationParams } from "./params.js";

export const SCORE_PREFIX = new Uint8Array([ModulePrefix.reputation, 0x03]);

export const scoreKey = (address: string) => key(SCORE_PREFIX, decodeAddress(address));

export function getScore(store: KVReader, address: string): bigint {
  const bytes = store.get(scoreKey(address));
  return bytes ? readUint64(bytes) : 0n;
}

export function setScore(store: KVStore, address: string, score: bigint): void {
  if (score === 0n) store.delete(scoreKey(address));
  else store.set(scoreKey(address), uint64Bytes(score));
}

export function isLimitedReach(store: KVReader, address: string): boolean {
  const params = getReputationParams(store);
  return getScore(store, address) < params.fullReachScore && getKarma(store, address) < params.fullReachKarma;
}
