/**
 * What group members tell each other inside pairwise (1:1 session) messages, so that only members
 * learn it and each knows which account said it: "here is my sender key for this group, named so,
 * with these members, whose admin is X" (on creation, on joining, and after every membership
 * change), "I left", and the admin's "I removed X". The member list travels inside the sender-key
 * distribution (group.ts), which binds it to the key. The admin (the creator) travels in every key
 * notice, so a member added later learns who may change the list from whichever notice comes first.
 *
 *   "VGRP" | u8 v=2 | u8 kind | group_id(32)
 *   kind 1 (key):    bytes8(name, UTF-8, 1–64 bytes) | admin(20, zeros: none) | sender-key distribution
 *   kind 2 (leave):  nothing more
 *   kind 3 (remove): member(20)
 *
 * Pure: no I/O, no clock. Malformed input is a DmError (BAD_ENVELOPE / TOO_LARGE).
 */
import {
  ADDRESS_BYTES,
  decodeAddress,
  decodeUtf8,
  encodeAddress,
  equalBytes,
  Reader,
  utf8,
  Writer,
} from "./bytes.js";
import { fail } from "./errors.js";
import { isSenderKeyDistribution } from "./group.js";

const MAGIC = utf8("VGRP");
const VERSION = 2;
export const MAX_GROUP_NAME_BYTES = 64;
/** A distribution of 32 members is 143 + 32 × 20 bytes; anything longer is not one. */
const MAX_DISTRIBUTION_BYTES = 1024;

export type GroupNotice =
  | {
      readonly kind: "key";
      readonly groupId: Uint8Array;
      readonly name: string;
      /** Who may change the member list: the group's creator (absent: no one, 20 zero bytes on the wire). */
      readonly admin?: string;
      readonly distribution: Uint8Array;
    }
  | { readonly kind: "leave"; readonly groupId: Uint8Array }
  | { readonly kind: "remove"; readonly groupId: Uint8Array; readonly member: string };

const KIND_CODE = { key: 1, leave: 2, remove: 3 } as const;
/** The admin field of a group kept from before admins existed. */
const NO_ADMIN = new Uint8Array(ADDRESS_BYTES);

/** The group's name as kept: trimmed, one line, 1–64 UTF-8 bytes. */
export function normalizeGroupName(name: string): string {
  const clean = name.replace(/\s+/g, " ").trim();
  if (!clean) fail("BAD_ENVELOPE", "a group needs a name");
  if (utf8(clean).length > MAX_GROUP_NAME_BYTES)
    fail("TOO_LARGE", `a group name is at most ${MAX_GROUP_NAME_BYTES} bytes`);
  return clean;
}

export function encodeGroupNotice(n: GroupNotice): Uint8Array {
  const w = new Writer().raw(MAGIC).u8(VERSION).u8(KIND_CODE[n.kind]).fixed(n.groupId, 32, "group id");
  if (n.kind === "key") {
    if (!isSenderKeyDistribution(n.distribution)) fail("BAD_ENVELOPE", "not a sender key distribution");
    w.bytes8(utf8(normalizeGroupName(n.name)), "group name")
      .fixed(n.admin ? decodeAddress(n.admin) : NO_ADMIN, ADDRESS_BYTES, "admin")
      .raw(n.distribution);
  }
  if (n.kind === "remove") w.fixed(decodeAddress(n.member), ADDRESS_BYTES, "member");
  return w.finish();
}

export function isGroupNotice(plaintext: Uint8Array): boolean {
  return plaintext.length > 5 && equalBytes(plaintext.subarray(0, 4), MAGIC);
}

export function decodeGroupNotice(plaintext: Uint8Array): GroupNotice {
  const r = new Reader(plaintext);
  if (!equalBytes(r.fixed(4, "magic"), MAGIC)) fail("BAD_ENVELOPE", "not a group notice");
  if (r.u8("version") !== VERSION) fail("BAD_ENVELOPE", "unknown group notice version");
  const kind = r.u8("kind");
  const groupId = r.fixed(32, "group id");
  if (kind === KIND_CODE.leave) {
    r.end();
    return { kind: "leave", groupId };
  }
  if (kind === KIND_CODE.remove) {
    const member = encodeAddress(r.fixed(ADDRESS_BYTES, "member"));
    r.end();
    return { kind: "remove", groupId, member };
  }
  if (kind !== KIND_CODE.key) fail("BAD_ENVELOPE", "unknown group notice kind");
  const name = normalizeGroupName(decodeUtf8(r.bytes8("group name"), "group name"));
  const adminBytes = r.fixed(ADDRESS_BYTES, "admin");
  const admin = equalBytes(adminBytes, NO_ADMIN) ? undefined : encodeAddress(adminBytes);
  const distribution = plaintext.slice(r.offset);
  if (distribution.length > MAX_DISTRIBUTION_BYTES) fail("TOO_LARGE", "distribution too long");
  if (!isSenderKeyDistribution(distribution)) fail("BAD_ENVELOPE", "not a sender key distribution");
  return { kind: "key", groupId, name, ...(admin ? { admin } : {}), distribution };
}
