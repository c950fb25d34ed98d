/** Reads and writes of the anchor module's records (layout in keys.ts). */
import type { KVReader, KVStore } from "../types.js";
import { AnchorKeys } from "./keys.js";
import { AnchorRecord, Checkpoint } from "./records.js";

export function getCheckpoint(store: KVReader, chainId: string, height: bigint): Checkpoint | undefined {
  const bytes = store.get(AnchorKeys.checkpoint(chainId, height));
  return bytes ? Checkpoint.decode(bytes) : undefined;
}

export function setCheckpoint(store: KVStore, c: Checkpoint): void {
  store.set(AnchorKeys.checkpoint(c.chainId, c.height), Checkpoint.toBytes(c));
}

export function getAnchorRecord(store: KVReader, height: bigint, signer: string): AnchorRecord | undefined {
  const bytes = store.get(AnchorKeys.anchor(height, signer));
  return bytes ? AnchorRecord.decode(bytes) : undefined;
}

export function setAnchorRecord(store: KVStore, a: AnchorRecord): void {
  store.set(AnchorKeys.anchor(a.height, a.signer), AnchorRecord.toBytes(a));
}
