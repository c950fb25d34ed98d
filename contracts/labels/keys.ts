/** Store layout of the labels module; every key starts with `ModulePrefix.labels`. */
import { key, lengthPrefixed, ModulePrefix, uint64Bytes, utf8 } from "../lib/store.js";

const P = ModulePrefix.labels;
const MAX_UINT64 = (1n << 64n) - 1n;

const PARAMS = 0x00;
const NEXT_ID = 0x01;
const LABEL = 0x10;
const BY_ISSUER = 0x11;
const BY_SUBJECT = 0x12;
const ACTIVE = 0x13;

export const LabelKeys = {
  params: () => new Uint8Array([P, PARAMS]),
  nextId: () => new Uint8Array([P, NEXT_ID]),
  /** label id → Label */
  label: (id: bigint) => key(new Uint8Array([P, LABEL]), uint64Bytes(id)),
  /** (issuer, newest first) → empty: LabelsByIssuer is one prefix range. */
  byIssuerPrefix: (issuer: string) => key(new Uint8Array([P, BY_ISSUER]), lengthPrefixed(utf8(issuer))),
  byIssuer: (issuer: string, id: bigint) =>
    key(LabelKeys.byIssuerPrefix(issuer), uint64Bytes(MAX_UINT64 - id)),
  /** (subject, newest first) → empty: a subject's whole label history. */
  bySubjectPrefix: (subject: string) => key(new Uint8Array([P, BY_SUBJECT]), lengthPrefixed(utf8(subject))),
  bySubject: (subject: string, id: bigint) =>
    key(LabelKeys.bySubjectPrefix(subject), uint64Bytes(MAX_UINT64 - id)),
  /** subject → SubjectLabels (the labels in force). */
  active: (subject: string) => key(new Uint8Array([P, ACTIVE]), utf8(subject)),
};

/** The label id at the end of a by-issuer or by-subject index key. */
export function idFromIndexKey(k: Uint8Array): bigint {
  const view = new DataView(k.buffer, k.byteOffset + k.length - 8, 8);
  return MAX_UINT64 - view.getBigUint64(0);
}
