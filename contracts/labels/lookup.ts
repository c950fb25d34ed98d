/**
 * The cheap read other modules use to hide or annotate labelled things (the social module's
 * queries): one store get per subject.
 *
 * Subjects are strings: `content:<id>` (a post or comment), `account:<bech32>`,
 * `community:<id>`.
 */
import type { KVReader } from "../types.js";
import { LabelKeys } from "./keys.js";
import { SubjectLabels } from "./records.js";

export interface ActiveLabel {
  /** `[a-z0-9-]{1,32}`: spam, nsfw, misleading, ... */
  value: string;
  issuer: string;
  /** The Label record's id (LabelsOf / the label's creating event). */
  labelId: bigint;
  /** Unix seconds; 0 = never expires. */
  expiresAt: bigint;
  createdHeight: bigint;
}

export function contentSubject(id: bigint): string {
  return `content:${id}`;
}

export function accountSubject(address: string): string {
  return `account:${address}`;
}

export function communitySubject(id: bigint): string {
  return `community:${id}`;
}

/** Whether an entry is in force at `nowSeconds` (unix seconds). */
export function inForce(expiresAt: bigint, nowSeconds: bigint): boolean {
  return expiresAt === 0n || expiresAt > nowSeconds;
}

/** The labels in force on `subject` (not expired at `nowSeconds`, not negated), oldest first. */
export function activeLabels(store: KVReader, subject: string, nowSeconds: bigint): ActiveLabel[] {
  const raw = store.get(LabelKeys.active(subject));
  if (!raw) return [];
  const out: ActiveLabel[] = [];
  for (const e of SubjectLabels.decode(raw).entries) {
    if (!inForce(e.expiresAt, nowSeconds)) continue;
    out.push({
      value: e.value,
      issuer: e.issuer,
      labelId: e.labelId,
      expiresAt: e.expiresAt,
      createdHeight: e.createdHeight,
    });
  }
  return out;
}

/** The distinct label values in force on `subject` (e.g. to match a viewer's hide list). */
export function activeLabelValues(store: KVReader, subject: string, nowSeconds: bigint): string[] {
  const values: string[] = [];
  for (const l of activeLabels(store, subject, nowSeconds))
    if (!values.includes(l.value)) values.push(l.value);
  return values;
}
