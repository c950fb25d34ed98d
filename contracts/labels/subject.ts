/**
 * Label subjects and who may label them:
 *
 * - `content:<id>` (a post or comment): holders of the MODERATE capability in its community, and
 *   labelers;
 * - `community:<id>`: holders of MODERATE in that community, and labelers;
 * - `account:<bech32>`: labelers only (the labels params' list, set by governance).
 */
import { decodeAddress } from "../../chain/crypto/address.js";
import { CodedError } from "../../chain/errors/codes.js";
import { getActor } from "../identity/keeper.js";
import { Capability, getCommunityRecord, hasCapability } from "../social/capabilities.js";
import { getContent } from "../social/content.js";
import type { KVReader } from "../types.js";
import { LabelsErrors } from "./errors.js";
import { isLabeler } from "./params.js";

export const MAX_SUBJECT = 128;

export type Subject =
  | { readonly kind: "content"; readonly id: bigint }
  | { readonly kind: "community"; readonly id: bigint }
  | { readonly kind: "account"; readonly address: string };

const ID = /^(content|community):([1-9][0-9]{0,19})$/;

/** Parses a subject string; a coded InvalidSubject otherwise. */
export function parseSubject(subject: string): Subject {
  if (subject.length > MAX_SUBJECT)
    throw new CodedError(LabelsErrors.InvalidSubject, `longer than ${MAX_SUBJECT} characters`);
  const m = ID.exec(subject);
  if (m) {
    const id = BigInt(m[2]!);
    if (id >= 2n ** 64n) throw new CodedError(LabelsErrors.InvalidSubject, "id out of range");
    return { kind: m[1] as "content" | "community", id };
  }
  if (subject.startsWith("account:")) {
    const address = subject.slice("account:".length);
    try {
      decodeAddress(address);
    } catch {
      throw new CodedError(LabelsErrors.InvalidSubject, "account: must be followed by a vivim address");
    }
    return { kind: "account", address };
  }
  throw new CodedError(
    LabelsErrors.InvalidSubject,
    `${JSON.stringify(subject.slice(0, 40))}: use content:<id>, community:<id> or account:<address>`,
  );
}

/** The community whose moderators may label `subject`; throws UnknownSubject if it does not exist. */
export function communityOfSubject(store: KVReader, subject: Subject): bigint | undefined {
  switch (subject.kind) {
    case "content": {
      const content = getContent(store, subject.id);
      if (!content) throw new CodedError(LabelsErrors.UnknownSubject, `content ${subject.id}`);
      return content.communityId;
    }
    case "community":
      if (!getCommunityRecord(store, subject.id))
        throw new CodedError(LabelsErrors.UnknownSubject, `community ${subject.id}`);
      return subject.id;
    case "account":
      if (!getActor(store, subject.address))
        throw new CodedError(LabelsErrors.UnknownSubject, `account ${subject.address} is not registered`);
      return undefined;
  }
}

/**
 * Whether `issuer` may label `subject` (and negate anyone's label on it): a labeler, or for
 * content and communities a holder of MODERATE in the community. Checks the subject exists.
 */
export function mayLabel(store: KVReader, issuer: string, subject: Subject): boolean {
  const community = communityOfSubject(store, subject);
  if (isLabeler(store, issuer)) return true;
  return community !== undefined && hasCapability(store, community, issuer, Capability.MODERATE);
}

/** The refusal for an issuer that may not label `subject`. */
export function notAllowed(issuer: string, subject: Subject): CodedError {
  return subject.kind === "account"
    ? new CodedError(LabelsErrors.NotLabeler, `${issuer} is not a labeler`)
    : new CodedError(LabelsErrors.NotModerator, `${issuer} may not label ${subject.kind} ${subject.id}`);
}
