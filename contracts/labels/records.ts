/**
 * Stored records of the labels module (proto/vivim/labels/v1/labels.proto): moderation labels as
 * first-class objects, in the manner of ATproto labels. A label says "`issuer` puts `value` on
 * `subject`" (or, with `neg`, takes it off again) until `expires_at`.
 */
import { defineMessage } from "../../chain/codec/proto-message.js";

export interface Label {
  id: bigint;
  /** The account that issued it: a moderator of the subject's community or a labeler. */
  issuer: string;
  /** `content:<id>`, `account:<bech32>` or `community:<id>`. */
  subject: string;
  /** `[a-z0-9-]{1,32}`: spam, nsfw, misleading, harassment, ... */
  value: string;
  /** A negation: this record took the label `value` off `subject`. */
  neg: boolean;
  /** Unix seconds after which the label is no longer in force; 0 = never. Always 0 on a negation. */
  expiresAt: bigint;
  reason: string;
  createdHeight: bigint;
  /** Block time (unix seconds) of creation. */
  createdAt: bigint;
  /**
   * The id of the later label (a negation, or the same issuer's new label with the same value)
   * that took this one out of force; 0 while nothing did.
   */
  removedBy: bigint;
}

export const Label = defineMessage<Label>("vivim.labels.v1.Label", [
  { no: 1, name: "id", kind: "uint64" },
  { no: 2, name: "issuer", kind: "string" },
  { no: 3, name: "subject", kind: "string" },
  { no: 4, name: "value", kind: "string" },
  { no: 5, name: "neg", kind: "bool" },
  { no: 6, name: "expiresAt", kind: "int64" },
  { no: 7, name: "reason", kind: "string" },
  { no: 8, name: "createdHeight", kind: "int64" },
  { no: 9, name: "createdAt", kind: "int64" },
  { no: 10, name: "removedBy", kind: "uint64" },
]);

/** One label in force on a subject, as kept in the subject's summary record. */
export interface ActiveLabelEntry {
  value: string;
  issuer: string;
  labelId: bigint;
  /** Unix seconds; 0 = never. */
  expiresAt: bigint;
  createdHeight: bigint;
}

export const ActiveLabelEntry = defineMessage<ActiveLabelEntry>("vivim.labels.v1.ActiveLabelEntry", [
  { no: 1, name: "value", kind: "string" },
  { no: 2, name: "issuer", kind: "string" },
  { no: 3, name: "labelId", kind: "uint64" },
  { no: 4, name: "expiresAt", kind: "int64" },
  { no: 5, name: "createdHeight", kind: "int64" },
]);

/**
 * The labels in force on one subject, one (value, issuer) pair each, at most
 * `Params.max_labels_per_subject`: what `activeLabels` reads with a single get. Entries that have
 * expired are dropped the next time the subject is labelled.
 */
export interface SubjectLabels {
  entries: ActiveLabelEntry[];
}

export const SubjectLabels = defineMessage<SubjectLabels>("vivim.labels.v1.SubjectLabels", [
  { no: 1, name: "entries", kind: "message", type: () => ActiveLabelEntry, repeated: true },
]);

export interface LabelsParams {
  /** Who may change these params: the gov module account by default. */
  authority: string;
  /** Accounts that may label any subject, including accounts (set by governance). */
  labelers: string[];
  /** How many (value, issuer) pairs may be in force on one subject at once. */
  maxLabelsPerSubject: number;
}

export const LabelsParams = defineMessage<LabelsParams>("vivim.labels.v1.Params", [
  { no: 1, name: "authority", kind: "string" },
  { no: 2, name: "labelers", kind: "string", repeated: true },
  { no: 3, name: "maxLabelsPerSubject", kind: "uint32" },
]);
