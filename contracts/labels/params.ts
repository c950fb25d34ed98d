/** Labels parameters (changed by governance through the module authority). */
import { decodeAddress } from "../../chain/crypto/address.js";
import { CodedError } from "../../chain/errors/codes.js";
import { moduleAddress } from "../auth/keeper.js";
import type { KVReader, KVStore } from "../types.js";
import { LabelsErrors } from "./errors.js";
import { LabelKeys } from "./keys.js";
import { LabelsParams } from "./records.js";

export const MAX_LABELERS = 100;
/** Bounds the subject record `activeLabels` reads in one get. */
export const MAX_LABELS_PER_SUBJECT_LIMIT = 64;

export const DEFAULT_LABELS_PARAMS: LabelsParams = Object.freeze({
  authority: moduleAddress("gov"),
  labelers: [],
  maxLabelsPerSubject: 20,
});

export function getLabelsParams(store: KVReader): LabelsParams {
  const bytes = store.get(LabelKeys.params());
  return bytes ? LabelsParams.decode(bytes) : DEFAULT_LABELS_PARAMS;
}

export function setLabelsParams(store: KVStore, params: LabelsParams): void {
  store.set(LabelKeys.params(), LabelsParams.toBytes(params));
}

export function isLabeler(store: KVReader, address: string): boolean {
  return getLabelsParams(store).labelers.includes(address);
}

/** Throws InvalidParams naming the first bad field. */
export function checkLabelsParams(p: LabelsParams): void {
  const bad = (field: string, why: string) => new CodedError(LabelsErrors.InvalidParams, `${field} ${why}`);
  try {
    decodeAddress(p.authority);
  } catch {
    throw bad("authority", "must be a vivim address");
  }
  if (p.labelers.length > MAX_LABELERS) throw bad("labelers", `must have at most ${MAX_LABELERS} entries`);
  const seen = new Set<string>();
  for (const [i, l] of p.labelers.entries()) {
    try {
      decodeAddress(l);
    } catch {
      throw bad(`labelers[${i}]`, "must be a vivim address");
    }
    if (seen.has(l)) throw bad(`labelers[${i}]`, "is listed twice");
    seen.add(l);
  }
  if (
    !Number.isInteger(p.maxLabelsPerSubject) ||
    p.maxLabelsPerSubject < 1 ||
    p.maxLabelsPerSubject > MAX_LABELS_PER_SUBJECT_LIMIT
  )
    throw bad("max_labels_per_subject", `must be between 1 and ${MAX_LABELS_PER_SUBJECT_LIMIT}`);
}
