/**
 * Labels state: label records with their by-issuer and by-subject indexes, and each subject's
 * summary of the labels in force (what `activeLabels` in lookup.ts reads with one get).
 */
import { readUint64, uint64Bytes } from "../lib/store.js";
import type { KVReader, KVStore } from "../types.js";
import { LabelKeys } from "./keys.js";
import { inForce } from "./lookup.js";
import { type ActiveLabelEntry, Label, SubjectLabels } from "./records.js";

const PRESENT = new Uint8Array([1]);

export function getLabel(store: KVReader, id: bigint): Label | undefined {
  const bytes = store.get(LabelKeys.label(id));
  return bytes ? Label.decode(bytes) : undefined;
}

export function nextLabelId(store: KVStore): bigint {
  const bytes = store.get(LabelKeys.nextId());
  const id = bytes ? readUint64(bytes) : 1n;
  store.set(LabelKeys.nextId(), uint64Bytes(id + 1n));
  return id;
}

/** Stores a new label record and its index entries. */
export function insertLabel(store: KVStore, label: Label): void {
  store.set(LabelKeys.label(label.id), Label.toBytes(label));
  store.set(LabelKeys.byIssuer(label.issuer, label.id), PRESENT);
  store.set(LabelKeys.bySubject(label.subject, label.id), PRESENT);
}

/** Marks label `id` as taken out of force by label `by`. */
export function markRemoved(store: KVStore, id: bigint, by: bigint): void {
  const label = getLabel(store, id);
  if (!label) return;
  store.set(LabelKeys.label(id), Label.toBytes({ ...label, removedBy: by }));
}

/** The subject's entries still in force at `now` (expired ones are dropped here, lazily). */
export function liveEntries(store: KVReader, subject: string, now: bigint): ActiveLabelEntry[] {
  const bytes = store.get(LabelKeys.active(subject));
  if (!bytes) return [];
  return SubjectLabels.decode(bytes).entries.filter((e) => inForce(e.expiresAt, now));
}

export function setEntries(store: KVStore, subject: string, entries: ActiveLabelEntry[]): void {
  if (entries.length === 0) store.delete(LabelKeys.active(subject));
  else store.set(LabelKeys.active(subject), SubjectLabels.toBytes({ entries }));
}
