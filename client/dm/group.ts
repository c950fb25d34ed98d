/**
 * Small groups (≤ 32 members) with sender keys.
 *
 * Each member creates its own sender key for a group: a random chain key under a key id bound to
 * the group, the sender and the exact member list. It hands the chain key (and its current counter)
 * to every other member inside a pairwise session message (session.ts / envelope.ts), so only
 * members receive it and each knows which account it came from. A group message is then encrypted
 * once with the sender's next message key (the same one-way hash ratchet as pairwise sessions:
 * message_key_n = HMAC(ck_n, 1), ck_{n+1} = HMAC(ck_n, 2)), with the canonical header as AAD, and
 * signed with the sender's account key — members share the chain key, so the signature is what
 * stops one member from forging another's messages.
 *
 * Membership change (join, leave, removal) → every member makes a new sender key for the new list
 * (`createSenderKey` again) and distributes it pairwise to the new member list; receivers replace
 * the old key of that sender. A removed member never receives the new keys, so cannot read later
 * messages. Forward secrecy inside a sender chain is the hash ratchet's; there is no pairwise
 * agreement per group message, so a leaked sender chain key exposes that sender's later messages
 * until the next rotation.
 *
 * Distribution plaintext (what goes inside the pairwise message):
 *   "VSKD" | u8 v=1 | bytes8(chain_id) | group_id(32) | sender(20) | sender_key_id(32) | chain_key(32)
 *   | u32 counter | u8 n | n × member(20) ascending (sender included)
 */
import { sha256 } from "@noble/hashes/sha2.js";
import {
  ADDRESS_BYTES,
  chainIdBytes,
  decodeAddress,
  decodeUtf8,
  encodeAddress,
  equalBytes,
  Reader,
  utf8,
  Writer,
} from "./bytes.js";
import {
  checkPlaintext,
  checkRetention,
  decrypt,
  defaultExpiry,
  EnvelopeKind,
  encrypt,
  type GroupHeader,
  headerBytesOf,
  MAX_GROUP_MEMBERS,
  type RetentionTier,
  signEnvelope,
  sortAddresses,
  verifyEnvelope,
} from "./envelope.js";
import { DmError, fail } from "./errors.js";
import { type DmIdentity, defaultRng, type Rng } from "./keys.js";
import { MAX_COUNTER, type RecvChainState, ratchetStep, recvKey } from "./session.js";

const SENDER_KEY_TAG = "vivim-dm-senderkey-v1";
const DIST_MAGIC = utf8("VSKD");
const DIST_VERSION = 1;

/** Our own sending state for one group. */
export interface OwnSenderKey {
  readonly chainId: string;
  readonly groupId: Uint8Array;
  readonly sender: string;
  readonly senderKeyId: Uint8Array;
  /** All members, sender included, ascending by address bytes. */
  readonly members: readonly string[];
  readonly chainKey: Uint8Array;
  readonly counter: number;
}

/** Another member's sender key, as we hold it to read their group messages. */
export interface ReceivedSenderKey {
  readonly chainId: string;
  readonly groupId: Uint8Array;
  readonly sender: string;
  readonly senderKeyId: Uint8Array;
  readonly members: readonly string[];
  readonly recv: RecvChainState;
}

export const newGroupId = (rng: Rng = defaultRng): Uint8Array => rng(32);

function normalizeMembers(members: string[], self: string): string[] {
  const sorted = sortAddresses([...new Set(members)]);
  if (sorted.length !== members.length) fail("BAD_ENVELOPE", "duplicate members");
  if (!sorted.includes(self)) fail("NOT_RECIPIENT", "the sender must be a member");
  if (sorted.length < 2) fail("BAD_ENVELOPE", "a group has at least two members");
  if (sorted.length > MAX_GROUP_MEMBERS) fail("TOO_LARGE", `at most ${MAX_GROUP_MEMBERS} members`);
  return sorted;
}

/** A new sender key for `members` (call again on every membership change). */
export function createSenderKey(opts: {
  chainId: string;
  groupId: Uint8Array;
  identity: DmIdentity;
  members: string[];
  rng?: Rng;
}): OwnSenderKey {
  const rng = opts.rng ?? defaultRng;
  if (opts.groupId.length !== 32) fail("BAD_ENVELOPE", "group id is 32 bytes");
  const members = normalizeMembers(opts.members, opts.identity.address);
  const w = new Writer()
    .bytes8(utf8(SENDER_KEY_TAG), "tag")
    .bytes8(chainIdBytes(opts.chainId), "chain id")
    .fixed(opts.groupId, 32, "group id")
    .fixed(opts.identity.addressBytes, ADDRESS_BYTES, "sender")
    .u8(members.length);
  for (const m of members) w.fixed(decodeAddress(m), ADDRESS_BYTES, "member");
  w.raw(rng(32));
  return {
    chainId: opts.chainId,
    groupId: opts.groupId,
    sender: opts.identity.address,
    senderKeyId: sha256(w.finish()),
    members,
    chainKey: rng(32),
    counter: 0,
  };
}

/** The plaintext to send to each other member inside a pairwise session message. */
export function encodeSenderKeyDistribution(k: OwnSenderKey): Uint8Array {
  const w = new Writer()
    .raw(DIST_MAGIC)
    .u8(DIST_VERSION)
    .bytes8(chainIdBytes(k.chainId), "chain id")
    .fixed(k.groupId, 32, "group id")
    .fixed(decodeAddress(k.sender), ADDRESS_BYTES, "sender")
    .fixed(k.senderKeyId, 32, "sender key id")
    .fixed(k.chainKey, 32, "chain key")
    .u32(k.counter)
    .u8(k.members.length);
  for (const m of k.members) w.fixed(decodeAddress(m), ADDRESS_BYTES, "member");
  return w.finish();
}

export function isSenderKeyDistribution(plaintext: Uint8Array): boolean {
  return plaintext.length > 5 && equalBytes(plaintext.subarray(0, 4), DIST_MAGIC);
}

/**
 * Takes a distribution received in a pairwise message. `from` is the pairwise message's
 * authenticated sender (openEnvelope's header.sender): it must be the key's sender, and we must be
 * among the members.
 */
export function acceptSenderKey(
  plaintext: Uint8Array,
  opts: { chainId: string; from: string; self: string },
): ReceivedSenderKey {
  const r = new Reader(plaintext);
  if (!equalBytes(r.fixed(4, "magic"), DIST_MAGIC)) fail("BAD_ENVELOPE", "not a sender key distribution");
  if (r.u8("version") !== DIST_VERSION) fail("BAD_ENVELOPE", "unknown distribution version");
  const chainId = decodeUtf8(r.bytes8("chain id"), "chain id");
  if (chainId !== opts.chainId) fail("WRONG_CHAIN", `sender key for chain ${chainId}`);
  const groupId = r.fixed(32, "group id");
  const sender = encodeAddress(r.fixed(ADDRESS_BYTES, "sender"));
  const senderKeyId = r.fixed(32, "sender key id");
  const chainKey = r.fixed(32, "chain key");
  const counter = r.u32("counter");
  const n = r.u8("members");
  if (n > MAX_GROUP_MEMBERS) fail("TOO_LARGE", "too many members");
  const members: string[] = [];
  for (let i = 0; i < n; i++) members.push(encodeAddress(r.fixed(ADDRESS_BYTES, "member")));
  r.end();
  if (sender !== opts.from)
    fail("SESSION_MISMATCH", "sender key distributed by someone else than its sender");
  const normalized = normalizeMembers(members, sender);
  if (normalized.join() !== members.join()) fail("BAD_ENVELOPE", "members not canonical");
  if (!members.includes(opts.self)) fail("NOT_RECIPIENT", "we are not a member");
  return { chainId, groupId, sender, senderKeyId, members, recv: { chainKey, counter, skipped: new Map() } };
}

/** Encrypts one group message once for all members, signed by the sender's account key. */
export function sealGroupMessage(
  key: OwnSenderKey,
  identity: DmIdentity,
  opts: { plaintext: Uint8Array; sentAt: number; retention: RetentionTier; expiresAt?: number; rng?: Rng },
): { bytes: Uint8Array; messageId: Uint8Array; senderKey: OwnSenderKey } {
  if (identity.address !== key.sender) fail("SESSION_MISMATCH", "identity is not the sender key's owner");
  checkPlaintext(opts.plaintext);
  const expiresAt = opts.expiresAt ?? defaultExpiry(opts.retention, opts.sentAt);
  checkRetention(opts.retention, opts.sentAt, expiresAt);
  if (key.counter >= MAX_COUNTER) fail("TOO_LARGE", "sender key exhausted: rotate it");
  const { messageKey, nextChainKey } = ratchetStep(key.chainKey);
  const header: Omit<GroupHeader, "v"> = {
    kind: EnvelopeKind.Group,
    chainId: key.chainId,
    conversationId: key.groupId,
    sender: identity.address,
    senderKey: identity.publicKey,
    recipients: key.members.filter((m) => m !== identity.address),
    sentAt: opts.sentAt,
    retention: opts.retention,
    expiresAt,
    senderKeyId: key.senderKeyId,
    counter: key.counter,
  };
  const headerBytes = headerBytesOf(header);
  const bytes = signEnvelope(identity, header, encrypt(messageKey, headerBytes, opts.plaintext, opts.rng));
  messageKey.fill(0);
  return {
    bytes,
    messageId: sha256(bytes),
    senderKey: { ...key, chainKey: nextChainKey, counter: key.counter + 1 },
  };
}

/**
 * Opens a group message: verifyEnvelope (signature, chain, expiry, sizes), we are a recipient, the
 * sender key named by (sender, sender_key_id) is held (UNKNOWN_SENDER_KEY otherwise), the member
 * list matches the key's, the counter has not been opened (REPLAYED), and the AEAD verifies.
 * Returns the plaintext and the receiver state to keep.
 */
export function openGroupMessage(
  bytes: Uint8Array,
  ctx: {
    chainId: string;
    now: number;
    identity: DmIdentity;
    senderKeys: (sender: string, senderKeyId: Uint8Array) => ReceivedSenderKey | undefined;
  },
): { plaintext: Uint8Array; header: GroupHeader; messageId: Uint8Array; senderKey: ReceivedSenderKey } {
  const env = verifyEnvelope(bytes, { chainId: ctx.chainId, now: ctx.now });
  const h = env.header;
  if (h.kind !== EnvelopeKind.Group) fail("BAD_ENVELOPE", "not a group message");
  const gh = h as GroupHeader;
  if (!gh.recipients.includes(ctx.identity.address)) fail("NOT_RECIPIENT", "not addressed to this identity");
  const key = ctx.senderKeys(gh.sender, gh.senderKeyId);
  if (!key) throw new DmError("UNKNOWN_SENDER_KEY", `no sender key from ${gh.sender} with this id`);
  const expected = key.members.filter((m) => m !== gh.sender);
  if (
    key.sender !== gh.sender ||
    !equalBytes(key.senderKeyId, gh.senderKeyId) ||
    !equalBytes(key.groupId, gh.conversationId) ||
    expected.join() !== gh.recipients.join()
  ) {
    fail("SESSION_MISMATCH", "envelope does not match the sender key (group, sender or members)");
  }
  const { messageKey, session: next } = recvKey(key, gh.counter);
  const plaintext = decrypt(messageKey, env.headerBytes, env.nonce!, env.ciphertext!);
  return { plaintext, header: gh, messageId: env.messageId, senderKey: next };
}
