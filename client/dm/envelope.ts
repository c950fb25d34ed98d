/**
 * The wire form of DMs: one deterministic binary envelope per message, signed by the sender's
 * account key, whose ciphertext only the members can open. Nodes store and relay these bytes and
 * check them with `verifyEnvelope` (no keys needed); recipients use `openEnvelope`.
 *
 * Layout (big-endian; bytes8 = u8 length + bytes; addresses are the 20 raw bytes):
 *   header (= the AEAD associated data)
 *     u8 v = 1 | u8 kind (1 direct, 2 group, 3 delete) | bytes8 chain_id | conversation_id(32)
 *     | sender address(20) | sender pubkey(33) | u8 n | n × recipient address(20), strictly ascending
 *     | u64 sent_at | u8 retention | u64 expires_at
 *     kind 1: session_id(32) | ephemeral_key(33) | u32 prekey_id | u8 direction (0 initiator→responder)
 *             | u32 counter
 *     kind 2: sender_key_id(32) | u32 counter
 *     kind 3: u16 m | m × message_id(32)
 *   body (kinds 1, 2): nonce(24) | u32 len | ciphertext (XChaCha20-Poly1305, key = the ratchet's
 *     message key, AAD = header; plaintext ≤ 64 KiB)
 *   signature(64): ECDSA secp256k1 low-S over sha256(bytes8("vivim-dm-msg-v1") | header | body)
 * message_id = sha256(whole envelope). Decoding is strict (no trailing bytes, canonical order), and
 * low-S signatures are unique, so one message has exactly one valid encoding and one id.
 */
import { xchacha20poly1305 } from "@noble/ciphers/chacha.js";
import { sha256 } from "@noble/hashes/sha2.js";
import {
  ADDRESS_BYTES,
  ADDRESS_PREFIX,
  addressBytesOfPubkey,
  chainIdBytes,
  compareBytes,
  decodeAddress,
  decodeUtf8,
  encodeAddress,
  equalBytes,
  PUBKEY_BYTES,
  Reader,
  SIGNATURE_BYTES,
  Writer,
} from "./bytes.js";
import { DmError, fail } from "./errors.js";
import {
  type DmIdentity,
  defaultRng,
  type PrekeyPair,
  type Rng,
  signTagged,
  taggedBytes,
  verifyTagged,
} from "./keys.js";
import { acceptSession, directConversationId, nextSendKey, recvKey, type SessionState } from "./session.js";

export const ENVELOPE_VERSION = 1;
export const MSG_TAG = "vivim-dm-msg-v1";
export const MAX_PLAINTEXT_BYTES = 64 * 1024;
export const AEAD_TAG_BYTES = 16;
export const NONCE_BYTES = 24;
/** Group size cap (members, sender included). */
export const MAX_GROUP_MEMBERS = 32;
export const MAX_DELETE_IDS = 256;
/** Headroom for the header (≤ 32 recipients) and signature around the largest ciphertext. */
export const MAX_ENVELOPE_BYTES = MAX_PLAINTEXT_BYTES + AEAD_TAG_BYTES + 2048 + MAX_DELETE_IDS * 32;
/** How far in the future sent_at may be, by the verifier's clock. */
export const MAX_CLOCK_SKEW_SECONDS = 300;

export const EnvelopeKind = { Direct: 1, Group: 2, Delete: 3 } as const;
export type EnvelopeKind = (typeof EnvelopeKind)[keyof typeof EnvelopeKind];

const DAY = 86_400;
/**
 * Retention tiers (seed 000 "Content Layers & Ephemerality"). DMs cannot be "feeds forever".
 * ephemeral and view_once: 24 h, may be shortened, never extended (view_once is also deleted by the
 * client once shown). sessions 30 d, channels 90 d, threads 1 y: may be shortened or extended per
 * conversation, up to the longest DM tier (1 y).
 */
export const RETENTION = {
  ephemeral: { code: 1, defaultTtl: DAY, maxTtl: DAY },
  view_once: { code: 2, defaultTtl: DAY, maxTtl: DAY },
  sessions: { code: 3, defaultTtl: 30 * DAY, maxTtl: 365 * DAY },
  channels: { code: 4, defaultTtl: 90 * DAY, maxTtl: 365 * DAY },
  threads: { code: 5, defaultTtl: 365 * DAY, maxTtl: 365 * DAY },
} as const;
export type RetentionTier = keyof typeof RETENTION;
const TIER_BY_CODE = new Map(
  Object.entries(RETENTION).map(([k, v]) => [v.code as number, k as RetentionTier]),
);

export function defaultExpiry(tier: RetentionTier, sentAt: number): number {
  return sentAt + RETENTION[tier].defaultTtl;
}

interface CommonHeader {
  v: number;
  chainId: string;
  conversationId: Uint8Array;
  sender: string;
  senderKey: Uint8Array;
  /** bech32 addresses, ascending by their bytes. */
  recipients: string[];
  sentAt: number;
  retention: RetentionTier;
  expiresAt: number;
}

export interface DirectHeader extends CommonHeader {
  kind: 1;
  sessionId: Uint8Array;
  ephemeralKey: Uint8Array;
  prekeyId: number;
  /** 0: from the session's initiator, 1: from its responder. */
  direction: 0 | 1;
  counter: number;
}

export interface GroupHeader extends CommonHeader {
  kind: 2;
  senderKeyId: Uint8Array;
  counter: number;
}

export interface DeleteHeader extends CommonHeader {
  kind: 3;
  messageIds: Uint8Array[];
}

export type EnvelopeHeader = DirectHeader | GroupHeader | DeleteHeader;

export interface Envelope {
  header: EnvelopeHeader;
  /** The canonical header bytes (the AEAD's associated data). */
  headerBytes: Uint8Array;
  nonce?: Uint8Array;
  ciphertext?: Uint8Array;
  signature: Uint8Array;
  /** The whole encoded envelope. */
  bytes: Uint8Array;
  /** sha256(bytes): what nodes index, and what delete envelopes name. */
  messageId: Uint8Array;
}

export type HeaderInput = Omit<DirectHeader, "v"> | Omit<GroupHeader, "v"> | Omit<DeleteHeader, "v">;

/** The canonical header bytes (the AEAD's associated data) of a header. */
export function headerBytesOf(h: HeaderInput): Uint8Array {
  return encodeHeader(h);
}

function encodeHeader(h: HeaderInput): Uint8Array {
  const tier = RETENTION[h.retention];
  if (!tier) fail("BAD_RETENTION", `unknown retention tier ${String(h.retention)}`);
  if (h.recipients.length > 0xff) fail("TOO_LARGE", "too many recipients");
  const w = new Writer()
    .u8(ENVELOPE_VERSION)
    .u8(h.kind)
    .bytes8(chainIdBytes(h.chainId), "chain id")
    .fixed(h.conversationId, 32, "conversation id")
    .fixed(decodeAddress(h.sender), ADDRESS_BYTES, "sender")
    .fixed(h.senderKey, PUBKEY_BYTES, "sender key")
    .u8(h.recipients.length);
  for (const r of h.recipients) w.fixed(decodeAddress(r), ADDRESS_BYTES, "recipient");
  w.u64(h.sentAt).u8(tier.code).u64(h.expiresAt);
  if (h.kind === EnvelopeKind.Direct) {
    w.fixed(h.sessionId, 32, "session id")
      .fixed(h.ephemeralKey, PUBKEY_BYTES, "ephemeral key")
      .u32(h.prekeyId)
      .u8(h.direction)
      .u32(h.counter);
  } else if (h.kind === EnvelopeKind.Group) {
    w.fixed(h.senderKeyId, 32, "sender key id").u32(h.counter);
  } else if (h.kind === EnvelopeKind.Delete) {
    if (h.messageIds.length > MAX_DELETE_IDS) fail("TOO_LARGE", `at most ${MAX_DELETE_IDS} ids per delete`);
    w.u16(h.messageIds.length);
    for (const id of h.messageIds) w.fixed(id, 32, "message id");
  } else {
    fail("BAD_ENVELOPE", "unknown kind");
  }
  return w.finish();
}

/** Sorts bech32 addresses by their bytes (the canonical recipient order). */
export function sortAddresses(addresses: string[]): string[] {
  return [...addresses].sort((a, b) => compareBytes(decodeAddress(a), decodeAddress(b)));
}

/**
 * Encodes and signs an envelope (used by the seal functions here and in group.ts). The caller has
 * already encrypted: `body` is { nonce, ciphertext } for kinds 1 and 2, absent for kind 3.
 */
export function signEnvelope(
  identity: DmIdentity,
  header: HeaderInput,
  body?: { nonce: Uint8Array; ciphertext: Uint8Array },
): Uint8Array {
  const headerBytes = encodeHeader(header);
  const w = new Writer().raw(headerBytes);
  if (header.kind !== EnvelopeKind.Delete) {
    if (!body) fail("BAD_ENVELOPE", "message without body");
    w.fixed(body!.nonce, NONCE_BYTES, "nonce").bytes32(body!.ciphertext);
  }
  const unsigned = w.finish();
  const bytes = new Writer()
    .raw(unsigned)
    .fixed(signTagged(identity.privateKey, MSG_TAG, unsigned), SIGNATURE_BYTES, "signature")
    .finish();
  if (bytes.length > MAX_ENVELOPE_BYTES) fail("TOO_LARGE", `envelope is ${bytes.length} bytes`);
  return bytes;
}

/** Strict structural decode (no signature or policy checks: see verifyEnvelope). */
export function decodeEnvelope(bytes: Uint8Array, prefix = ADDRESS_PREFIX): Envelope {
  if (!(bytes instanceof Uint8Array)) fail("BAD_ENVELOPE", "not bytes");
  if (bytes.length > MAX_ENVELOPE_BYTES) fail("TOO_LARGE", `envelope is ${bytes.length} bytes`);
  const r = new Reader(bytes);
  const v = r.u8("version");
  if (v !== ENVELOPE_VERSION) fail("BAD_ENVELOPE", `unknown version ${v}`);
  const kind = r.u8("kind");
  const chainId = decodeUtf8(r.bytes8("chain id"), "chain id");
  if (chainId.length === 0) fail("BAD_ENVELOPE", "empty chain id");
  const conversationId = r.fixed(32, "conversation id");
  const sender = encodeAddress(r.fixed(ADDRESS_BYTES, "sender"), prefix);
  const senderKey = r.fixed(PUBKEY_BYTES, "sender key");
  const n = r.u8("recipients");
  if (n === 0) fail("BAD_ENVELOPE", "no recipients");
  if (n > MAX_GROUP_MEMBERS - 1) fail("TOO_LARGE", `${n} recipients, max ${MAX_GROUP_MEMBERS - 1}`);
  const recipientBytes: Uint8Array[] = [];
  for (let i = 0; i < n; i++) {
    const a = r.fixed(ADDRESS_BYTES, "recipient");
    if (i > 0 && compareBytes(recipientBytes[i - 1]!, a) >= 0) {
      fail("BAD_ENVELOPE", "recipients must be strictly ascending");
    }
    recipientBytes.push(a);
  }
  const sentAt = r.u64("sent_at");
  const tierCode = r.u8("retention");
  const retention = TIER_BY_CODE.get(tierCode);
  if (!retention) fail("BAD_RETENTION", `unknown retention tier ${tierCode}`);
  const expiresAt = r.u64("expires_at");
  const common: CommonHeader = {
    v,
    chainId,
    conversationId,
    sender,
    senderKey,
    recipients: recipientBytes.map((a) => encodeAddress(a, prefix)),
    sentAt,
    retention: retention!,
    expiresAt,
  };
  let header: EnvelopeHeader;
  if (kind === EnvelopeKind.Direct) {
    const sessionId = r.fixed(32, "session id");
    const ephemeralKey = r.fixed(PUBKEY_BYTES, "ephemeral key");
    const prekeyId = r.u32("prekey id");
    const direction = r.u8("direction");
    if (direction > 1) fail("BAD_ENVELOPE", "bad direction");
    const counter = r.u32("counter");
    header = { ...common, kind, sessionId, ephemeralKey, prekeyId, direction: direction as 0 | 1, counter };
  } else if (kind === EnvelopeKind.Group) {
    header = { ...common, kind, senderKeyId: r.fixed(32, "sender key id"), counter: r.u32("counter") };
  } else if (kind === EnvelopeKind.Delete) {
    const m = r.u16("ids");
    if (m === 0) fail("BAD_ENVELOPE", "delete names no message");
    if (m > MAX_DELETE_IDS) fail("TOO_LARGE", `at most ${MAX_DELETE_IDS} ids per delete`);
    const messageIds: Uint8Array[] = [];
    for (let i = 0; i < m; i++) messageIds.push(r.fixed(32, "message id"));
    header = { ...common, kind, messageIds };
  } else {
    throw new DmError("BAD_ENVELOPE", `unknown kind ${kind}`);
  }
  const headerBytes = r.since(0);
  let nonce: Uint8Array | undefined;
  let ciphertext: Uint8Array | undefined;
  if (kind !== EnvelopeKind.Delete) {
    nonce = r.fixed(NONCE_BYTES, "nonce");
    ciphertext = r.bytes32("ciphertext", MAX_PLAINTEXT_BYTES + AEAD_TAG_BYTES);
    if (ciphertext.length < AEAD_TAG_BYTES) fail("BAD_ENVELOPE", "ciphertext shorter than its tag");
  }
  const signature = r.fixed(SIGNATURE_BYTES, "signature");
  r.end();
  return {
    header,
    headerBytes,
    ...(nonce ? { nonce } : {}),
    ...(ciphertext ? { ciphertext } : {}),
    signature,
    bytes,
    messageId: sha256(bytes),
  };
}

export const messageIdOf = (bytes: Uint8Array): Uint8Array => sha256(bytes);

/**
 * What a node does before storing or relaying an envelope — no private key involved: size caps,
 * strict decoding, chain id, sender address = address of the sender key, the signature, the
 * retention tier's bounds, expiry against `now` (and sent_at not more than MAX_CLOCK_SKEW_SECONDS
 * ahead), and the kind's shape (direct: one recipient, the derived conversation id; group: ≤ 31
 * recipients besides the sender). Returns the decoded envelope; throws DmError otherwise.
 */
export function verifyEnvelope(
  bytes: Uint8Array,
  opts: {
    chainId: string;
    now: number;
    prefix?: string;
    maxClockSkew?: number;
    /**
     * Signature check over the exact bytes signed (secp256k1 ECDSA over sha256(signBytes), 64-byte
     * low-S r||s — the Cosmos rule, so a node can pass chain/crypto/verify.ts's native
     * `verifySignature("secp256k1", …)`). Default: @noble/curves.
     */
    verifySignature?: (pubkey: Uint8Array, signBytes: Uint8Array, signature: Uint8Array) => boolean;
  },
): Envelope {
  const env = decodeEnvelope(bytes, opts.prefix);
  const h = env.header;
  if (h.chainId !== opts.chainId)
    fail("WRONG_CHAIN", `envelope for chain ${h.chainId}, expected ${opts.chainId}`);
  const senderBytes = decodeAddress(h.sender, opts.prefix);
  if (!equalBytes(senderBytes, addressBytesOfPubkey(h.senderKey))) {
    fail("BAD_SIGNATURE", "sender address does not belong to the sender key");
  }
  const unsigned = bytes.subarray(0, bytes.length - SIGNATURE_BYTES);
  const ok = opts.verifySignature
    ? opts.verifySignature(h.senderKey, taggedBytes(MSG_TAG, unsigned), env.signature)
    : verifyTagged(h.senderKey, MSG_TAG, unsigned, env.signature);
  if (!ok) fail("BAD_SIGNATURE", "sender signature");
  const ttl = h.expiresAt - h.sentAt;
  if (ttl <= 0 || ttl > RETENTION[h.retention].maxTtl) {
    fail("BAD_RETENTION", `expires_at - sent_at = ${ttl}s is outside the ${h.retention} tier`);
  }
  if (opts.now >= h.expiresAt) fail("EXPIRED", `expired at ${h.expiresAt}`);
  if (h.sentAt > opts.now + (opts.maxClockSkew ?? MAX_CLOCK_SKEW_SECONDS)) {
    fail("BAD_ENVELOPE", `sent_at ${h.sentAt} is in the future`);
  }
  const recipientBytes = h.recipients.map((a) => decodeAddress(a, opts.prefix));
  if (recipientBytes.some((r) => equalBytes(r, senderBytes))) fail("BAD_ENVELOPE", "sender among recipients");
  if (h.kind === EnvelopeKind.Direct) {
    if (recipientBytes.length !== 1) fail("BAD_ENVELOPE", "a direct message has exactly one recipient");
    if (!equalBytes(h.conversationId, directConversationId(h.chainId, senderBytes, recipientBytes[0]!))) {
      fail("BAD_ENVELOPE", "conversation id is not the members' 1:1 id");
    }
  }
  return env;
}

/** A decoded header's session id, to look the session up before calling openEnvelope. */
export function peekSessionId(bytes: Uint8Array): Uint8Array | undefined {
  const h = decodeEnvelope(bytes).header;
  return h.kind === EnvelopeKind.Direct ? h.sessionId : undefined;
}

export interface SealOptions {
  plaintext: Uint8Array;
  /** Seconds since the epoch (the caller's clock). */
  sentAt: number;
  retention: RetentionTier;
  /** Defaults to sentAt + the tier's default TTL. */
  expiresAt?: number;
  rng?: Rng;
}

/**
 * Encrypts one direct message on `session` and signs it with the sender's account key. Returns the
 * envelope bytes and the session state to keep (the used message key is not in it).
 */
export function sealMessage(
  session: SessionState,
  identity: DmIdentity,
  opts: SealOptions,
): { bytes: Uint8Array; messageId: Uint8Array; session: SessionState } {
  if (!equalBytes(identity.publicKey, session.selfKey))
    fail("SESSION_MISMATCH", "identity is not the session's");
  checkPlaintext(opts.plaintext);
  const expiresAt = opts.expiresAt ?? defaultExpiry(opts.retention, opts.sentAt);
  checkRetention(opts.retention, opts.sentAt, expiresAt);
  const { counter, messageKey, session: next } = nextSendKey(session);
  const header: Omit<DirectHeader, "v"> = {
    kind: EnvelopeKind.Direct,
    chainId: session.chainId,
    conversationId: session.conversationId,
    sender: identity.address,
    senderKey: identity.publicKey,
    recipients: [session.peerAddress],
    sentAt: opts.sentAt,
    retention: opts.retention,
    expiresAt,
    sessionId: session.sessionId,
    ephemeralKey: session.ephemeralKey,
    prekeyId: session.prekeyId,
    direction: session.role === "initiator" ? 0 : 1,
    counter,
  };
  const bytes = signEnvelope(
    identity,
    header,
    encrypt(messageKey, encodeHeader(header), opts.plaintext, opts.rng),
  );
  messageKey.fill(0);
  return { bytes, messageId: sha256(bytes), session: next };
}

export interface OpenContext {
  chainId: string;
  now: number;
  identity: DmIdentity;
  /** The session named by the header's session id, when the recipient already has it. */
  session?: SessionState;
  /** Our private prekeys by id, for a session we do not have yet (deleted ones return undefined). */
  prekeys?: (prekeyId: number) => PrekeyPair | undefined;
}

/**
 * What the recipient does: verifyEnvelope, then checks it is addressed to us and belongs to
 * `ctx.session` (or derives the session from our prekey when it is new), takes the counter's key
 * from the ratchet (REPLAYED if already used) and decrypts (DECRYPT_FAILED on any tampering).
 * Returns the plaintext and the session state to keep; on error, keep the previous state.
 * Callers must pass the stored session when they have one (look it up with peekSessionId):
 * without it a message that starts a session would be derived afresh.
 */
export function openEnvelope(
  bytes: Uint8Array,
  ctx: OpenContext,
): { plaintext: Uint8Array; header: DirectHeader; messageId: Uint8Array; session: SessionState } {
  const env = verifyEnvelope(bytes, { chainId: ctx.chainId, now: ctx.now });
  const h = env.header;
  if (h.kind !== EnvelopeKind.Direct) fail("BAD_ENVELOPE", "not a direct message (see group.ts)");
  const dh = h as DirectHeader;
  if (!dh.recipients.includes(ctx.identity.address)) fail("NOT_RECIPIENT", "not addressed to this identity");
  let session = ctx.session;
  if (session) {
    if (
      !equalBytes(session.sessionId, dh.sessionId) ||
      !equalBytes(session.peerKey, dh.senderKey) ||
      !equalBytes(session.selfKey, ctx.identity.publicKey) ||
      dh.direction !== (session.role === "initiator" ? 1 : 0)
    ) {
      fail("SESSION_MISMATCH", "envelope is not from this session's peer");
    }
  } else {
    if (dh.direction !== 0) fail("SESSION_MISMATCH", "unknown session, and the sender is not its initiator");
    const prekey = ctx.prekeys?.(dh.prekeyId);
    if (!prekey) fail("UNKNOWN_PREKEY", `prekey ${dh.prekeyId} is not held (deleted or never issued)`);
    if (dh.sentAt >= prekey!.expiresAt) fail("PREKEY_EXPIRED", `prekey ${dh.prekeyId} had expired when sent`);
    session = acceptSession({
      chainId: ctx.chainId,
      identity: ctx.identity,
      prekey: prekey!,
      prekeyId: dh.prekeyId,
      peerKey: dh.senderKey,
      ephemeralKey: dh.ephemeralKey,
    });
    if (!equalBytes(session.sessionId, dh.sessionId)) fail("SESSION_MISMATCH", "session id does not match");
  }
  const { messageKey, session: next } = recvKey(session, dh.counter);
  const plaintext = decrypt(messageKey, env.headerBytes, env.nonce!, env.ciphertext!);
  return { plaintext, header: dh, messageId: env.messageId, session: next };
}

/**
 * A signed "delete my messages" control envelope: names message ids (sha256 of their envelopes)
 * and carries no plaintext. Nodes verify it with verifyEnvelope and must only delete messages whose
 * sender is this envelope's sender (and, for 1:1, whose conversation id matches). It is kept (and
 * relayed) under its own retention, by default the longest DM tier, so late copies are dropped too.
 */
export function createDeleteEnvelope(
  identity: DmIdentity,
  opts: {
    chainId: string;
    conversationId: Uint8Array;
    recipients: string[];
    messageIds: Uint8Array[];
    sentAt: number;
    retention?: RetentionTier;
    expiresAt?: number;
  },
): Uint8Array {
  const retention = opts.retention ?? "threads";
  const expiresAt = opts.expiresAt ?? defaultExpiry(retention, opts.sentAt);
  checkRetention(retention, opts.sentAt, expiresAt);
  if (opts.messageIds.length === 0) fail("BAD_ENVELOPE", "nothing to delete");
  return signEnvelope(identity, {
    kind: EnvelopeKind.Delete,
    chainId: opts.chainId,
    conversationId: opts.conversationId,
    sender: identity.address,
    senderKey: identity.publicKey,
    recipients: sortAddresses(opts.recipients),
    sentAt: opts.sentAt,
    retention,
    expiresAt,
    messageIds: opts.messageIds,
  });
}

// ---- helpers shared with group.ts ---------------------------------------------------------------

export function checkPlaintext(p: Uint8Array): void {
  if (!(p instanceof Uint8Array)) fail("BAD_ENVELOPE", "plaintext must be bytes");
  if (p.length > MAX_PLAINTEXT_BYTES)
    fail("TOO_LARGE", `plaintext is ${p.length} bytes, max ${MAX_PLAINTEXT_BYTES}`);
}

export function checkRetention(tier: RetentionTier, sentAt: number, expiresAt: number): void {
  const t = RETENTION[tier];
  if (!t) fail("BAD_RETENTION", `unknown retention tier ${String(tier)}`);
  if (!Number.isSafeInteger(sentAt) || sentAt < 0 || !Number.isSafeInteger(expiresAt)) {
    fail("BAD_ENVELOPE", "sent_at and expires_at are whole seconds");
  }
  const ttl = expiresAt - sentAt;
  if (ttl <= 0 || ttl > t.maxTtl) fail("BAD_RETENTION", `a ${tier} message lives at most ${t.maxTtl}s`);
}

export function encrypt(
  key: Uint8Array,
  aad: Uint8Array,
  plaintext: Uint8Array,
  rng: Rng = defaultRng,
): { nonce: Uint8Array; ciphertext: Uint8Array } {
  // A random nonce although each key is used once: if a state is ever restored from a backup and
  // a counter reused, the two messages still get different keystreams.
  const nonce = rng(NONCE_BYTES);
  return { nonce, ciphertext: xchacha20poly1305(key, nonce, aad).encrypt(plaintext) };
}

export function decrypt(
  key: Uint8Array,
  aad: Uint8Array,
  nonce: Uint8Array,
  ciphertext: Uint8Array,
): Uint8Array {
  try {
    return xchacha20poly1305(key, nonce, aad).decrypt(ciphertext);
  } catch {
    throw new DmError("DECRYPT_FAILED", "authentication tag mismatch");
  }
}
