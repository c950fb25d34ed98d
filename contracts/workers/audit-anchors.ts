/**
 * Audit anchors: Merkle roots of ranges of an account's off-chain audit logs. Each (signer, log)
 * keeps its anchors by from_seq and its latest one under a fixed key, so the next anchor's
 * contiguity is checked with one read.
 */
import type { KVReader, KVStore } from "../types.js";
import { WorkersKeys } from "./keys.js";
import { AuditAnchor } from "./records.js";

export function getLatestAuditAnchor(store: KVReader, signer: string, log: string): AuditAnchor | undefined {
  const bytes = store.get(WorkersKeys.latestAnchor(signer, log));
  return bytes ? AuditAnchor.decode(bytes) : undefined;
}

/** The seq the next anchor of (signer, log) must start at. */
export function nextAnchorSeq(store: KVReader, signer: string, log: string): bigint {
  return (getLatestAuditAnchor(store, signer, log)?.toSeq ?? 0n) + 1n;
}

export function addAuditAnchor(store: KVStore, anchor: AuditAnchor): void {
  const bytes = AuditAnchor.toBytes(anchor);
  store.set(WorkersKeys.anchor(anchor.signer, anchor.log, anchor.fromSeq), bytes);
  store.set(WorkersKeys.latestAnchor(anchor.signer, anchor.log), bytes);
}
