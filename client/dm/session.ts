/**
 * Pairwise sessions: an X3DH-style authenticated key agreement, then a symmetric hash ratchet per
 * direction.
 *
 * Key agreement (initiator A, responder B; all keys secp256k1, see keys.ts for why):
 *   IK = account (identity) keys, SPK_B = B's signed prekey, EK_A = a fresh ephemeral key of A
 *   DH1 = ECDH(IK_A, SPK_B)   authenticates A (only A's account key gives it)
 *   DH2 = ECDH(EK_A, IK_B)    authenticates B (only B's account key gives it)
 *   DH3 = ECDH(EK_A, SPK_B)   forward secrecy (both halves are deleted later)
 *   root = HKDF-SHA256(ikm = 0xFF×32 | DH1 | DH2 | DH3, salt = 0×32,
 *                      info = bytes8("vivim-dm-x3dh-v1") | bytes8(chain_id) | IK_A | IK_B | u32 prekey_id
 *                             | SPK_B | EK_A, 32)
 *   chain keys = HKDF-SHA256(root, salt = 0×32, info = "vivim-dm-chains-v1", 64):
 *     [0..32) A→B, [32..64) B→A
 *   session_id = sha256(bytes8("vivim-dm-session-v1") | bytes8(chain_id) | IK_A | IK_B | u32 prekey_id | EK_A)
 * A can start a session while B is offline (B's bundle is published); B derives the same keys from
 * the header of any message of the session (EK_A, prekey id) and its private prekey.
 *
 * Symmetric ratchet (per direction): message_key_n = HMAC-SHA256(ck_n, 0x01),
 * ck_{n+1} = HMAC-SHA256(ck_n, 0x02). Each message key is used for exactly one message, then the
 * chain key is replaced and the old one is no longer referenced by the new state. HMAC is one-way,
 * so a state that leaks later (ck_{n+k}) cannot recompute message_key_n: past messages stay safe.
 * Out-of-order delivery: the receiver keeps the keys of skipped counters (at most MAX_SKIP ahead,
 * at most MAX_SKIPPED_KEYS kept, oldest evicted) and deletes each once used; a counter below the
 * receive position that has no kept key is REPLAYED (already opened, or too old).
 *
 * Forward secrecy for whole sessions: the session's secret depends on DH3, i.e. on EK_A's private
 * key (dropped by A right after the agreement — it is never stored in the state) and on SPK_B's
 * private key. Once B deletes the private prekey after it expires, and both sides delete the
 * session state, a later leak of either account key cannot recover the session's keys. The
 * account keys alone (DH1, DH2) only authenticate. There are no one-time prekeys yet, so a session
 * started while SPK_B is still live is only forward-secret from SPK_B's deletion on. There is no
 * DH ratchet (no post-compromise healing): a leaked current state exposes the messages after it
 * until a new session is started — start new sessions periodically (e.g. per prekey rotation).
 *
 * Pure: functions return new states and never mutate their inputs; the caller persists the new
 * state and must discard the old one (that is what makes used keys "forgotten").
 */
import { hkdf } from "@noble/hashes/hkdf.js";
import { hmac } from "@noble/hashes/hmac.js";
import { sha256 } from "@noble/hashes/sha2.js";
import {
  addressBytesOfPubkey,
  chainIdBytes,
  compareBytes,
  concat,
  encodeAddress,
  equalBytes,
  PUBKEY_BYTES,
  toHex,
  utf8,
  Writer,
} from "./bytes.js";
import { DmError, fail } from "./errors.js";
import {
  addressPrefixOf,
  type DmIdentity,
  defaultRng,
  ecdh,
  generateKeyPair,
  isValidPubkey,
  type PrekeyBundle,
  type PrekeyPair,
  type Rng,
  verifyPrekeyBundle,
} from "./keys.js";

/** How far ahead of the receive position one message may jump. */
export const MAX_SKIP = 1000;
/** How many skipped message keys a session keeps (oldest evicted first). */
export const MAX_SKIPPED_KEYS = 1000;
/** Counters are u32 on the wire; a session that reaches this must be replaced. */
export const MAX_COUNTER = 0xffff_ffff;

const X3DH_TAG = "vivim-dm-x3dh-v1";
const CHAINS_TAG = "vivim-dm-chains-v1";
const SESSION_TAG = "vivim-dm-session-v1";
const CONVERSATION_TAG = "vivim-dm-conv-v1";
const ZERO32 = new Uint8Array(32);
const FF32 = new Uint8Array(32).fill(0xff);

export type Role = "initiator" | "responder";

export interface ChainState {
  readonly chainKey: Uint8Array;
  /** The counter of the next message on this chain. */
  readonly counter: number;
}

export interface RecvChainState extends ChainState {
  /** counter → message key, for counters skipped over (delivered out of order or lost). */
  readonly skipped: ReadonlyMap<number, Uint8Array>;
}

export interface SessionState {
  readonly chainId: string;
  readonly sessionId: Uint8Array;
  readonly conversationId: Uint8Array;
  readonly role: Role;
  readonly selfAddress: string;
  readonly selfKey: Uint8Array;
  readonly peerAddress: string;
  readonly peerKey: Uint8Array;
  /** EK_A (public) and B's prekey id: every envelope of the session carries them. */
  readonly ephemeralKey: Uint8Array;
  readonly prekeyId: number;
  readonly send: ChainState;
  readonly recv: RecvChainState;
}

/** 32-byte id of the 1:1 conversation between two addresses (order-independent, per chain). */
export function directConversationId(chainId: string, a: Uint8Array, b: Uint8Array): Uint8Array {
  const [lo, hi] = compareBytes(a, b) <= 0 ? [a, b] : [b, a];
  return sha256(
    new Writer()
      .bytes8(utf8(CONVERSATION_TAG), "tag")
      .bytes8(chainIdBytes(chainId), "chain id")
      .fixed(lo, 20, "address")
      .fixed(hi, 20, "address")
      .finish(),
  );
}

function agreementContext(chainId: string, ikA: Uint8Array, ikB: Uint8Array, prekeyId: number): Writer {
  return new Writer()
    .bytes8(chainIdBytes(chainId), "chain id")
    .fixed(ikA, PUBKEY_BYTES, "identity key")
    .fixed(ikB, PUBKEY_BYTES, "identity key")
    .u32(prekeyId);
}

export function sessionIdOf(
  chainId: string,
  ikA: Uint8Array,
  ikB: Uint8Array,
  prekeyId: number,
  ek: Uint8Array,
): Uint8Array {
  return sha256(
    concat(
      new Writer().bytes8(utf8(SESSION_TAG), "tag").finish(),
      agreementContext(chainId, ikA, ikB, prekeyId).fixed(ek, PUBKEY_BYTES, "ephemeral key").finish(),
    ),
  );
}

function deriveChains(
  chainId: string,
  dh: [Uint8Array, Uint8Array, Uint8Array],
  ikA: Uint8Array,
  ikB: Uint8Array,
  prekeyId: number,
  spkB: Uint8Array,
  ekA: Uint8Array,
): { aToB: Uint8Array; bToA: Uint8Array } {
  const info = concat(
    new Writer().bytes8(utf8(X3DH_TAG), "tag").finish(),
    agreementContext(chainId, ikA, ikB, prekeyId)
      .fixed(spkB, PUBKEY_BYTES, "prekey")
      .fixed(ekA, PUBKEY_BYTES, "ephemeral key")
      .finish(),
  );
  const root = hkdf(sha256, concat(FF32, ...dh), ZERO32, info, 32);
  const chains = hkdf(sha256, root, ZERO32, utf8(CHAINS_TAG), 64);
  root.fill(0);
  for (const d of dh) d.fill(0);
  return { aToB: chains.slice(0, 32), bToA: chains.slice(32, 64) };
}

function newState(
  p: Omit<SessionState, "send" | "recv" | "conversationId">,
  sendKey: Uint8Array,
  recvKey: Uint8Array,
): SessionState {
  const selfBytes = addressBytesOfPubkey(p.selfKey);
  const peerBytes = addressBytesOfPubkey(p.peerKey);
  return {
    ...p,
    conversationId: directConversationId(p.chainId, selfBytes, peerBytes),
    send: { chainKey: sendKey, counter: 0 },
    recv: { chainKey: recvKey, counter: 0, skipped: new Map() },
  };
}

/**
 * Starts a session with the owner of `peerBundle` (verified here: chain, signature, expiry, and
 * `peerAddress` when given). The ephemeral private key exists only inside this call.
 */
export function initiateSession(opts: {
  chainId: string;
  identity: DmIdentity;
  peerBundle: PrekeyBundle;
  now: number;
  peerAddress?: string;
  rng?: Rng;
}): SessionState {
  const { chainId, identity, peerBundle: b } = opts;
  verifyPrekeyBundle(b, {
    chainId,
    now: opts.now,
    ...(opts.peerAddress === undefined ? {} : { expectedAddress: opts.peerAddress }),
  });
  if (equalBytes(b.identityKey, identity.publicKey)) fail("BAD_PREKEY", "cannot open a session with oneself");
  const ek = generateKeyPair(opts.rng ?? defaultRng);
  const dh: [Uint8Array, Uint8Array, Uint8Array] = [
    ecdh(identity.privateKey, b.prekey),
    ecdh(ek.privateKey, b.identityKey),
    ecdh(ek.privateKey, b.prekey),
  ];
  const { aToB, bToA } = deriveChains(
    chainId,
    dh,
    identity.publicKey,
    b.identityKey,
    b.prekeyId,
    b.prekey,
    ek.publicKey,
  );
  ek.privateKey.fill(0);
  return newState(
    {
      chainId,
      sessionId: sessionIdOf(chainId, identity.publicKey, b.identityKey, b.prekeyId, ek.publicKey),
      role: "initiator",
      selfAddress: identity.address,
      selfKey: identity.publicKey,
      peerAddress: b.address,
      peerKey: b.identityKey,
      ephemeralKey: ek.publicKey,
      prekeyId: b.prekeyId,
    },
    aToB,
    bToA,
  );
}

/**
 * The responder's side: derives the session an initiator started, from the initiator's identity
 * key, its ephemeral key and the id of our prekey it used (all in the envelope header), and our
 * private prekey. UNKNOWN_PREKEY when `prekey` is not the one named.
 */
export function acceptSession(opts: {
  chainId: string;
  identity: DmIdentity;
  prekey: PrekeyPair;
  prekeyId: number;
  peerKey: Uint8Array;
  ephemeralKey: Uint8Array;
}): SessionState {
  const { chainId, identity, prekey } = opts;
  if (prekey.id !== opts.prekeyId) fail("UNKNOWN_PREKEY", `prekey ${opts.prekeyId} is not held`);
  if (!isValidPubkey(opts.peerKey) || !isValidPubkey(opts.ephemeralKey)) fail("BAD_KEY", "invalid peer key");
  if (equalBytes(opts.peerKey, identity.publicKey)) fail("BAD_KEY", "cannot accept a session from oneself");
  const dh: [Uint8Array, Uint8Array, Uint8Array] = [
    ecdh(prekey.privateKey, opts.peerKey),
    ecdh(identity.privateKey, opts.ephemeralKey),
    ecdh(prekey.privateKey, opts.ephemeralKey),
  ];
  const { aToB, bToA } = deriveChains(
    chainId,
    dh,
    opts.peerKey,
    identity.publicKey,
    prekey.id,
    prekey.publicKey,
    opts.ephemeralKey,
  );
  return newState(
    {
      chainId,
      sessionId: sessionIdOf(chainId, opts.peerKey, identity.publicKey, prekey.id, opts.ephemeralKey),
      role: "responder",
      selfAddress: identity.address,
      selfKey: identity.publicKey,
      peerAddress: encodeAddress(addressBytesOfPubkey(opts.peerKey), addressPrefixOf(identity.address)),
      peerKey: opts.peerKey,
      ephemeralKey: opts.ephemeralKey,
      prekeyId: prekey.id,
    },
    bToA,
    aToB,
  );
}

/** One step of the symmetric ratchet: (message key, next chain key). */
export function ratchetStep(chainKey: Uint8Array): { messageKey: Uint8Array; nextChainKey: Uint8Array } {
  return {
    messageKey: hmac(sha256, chainKey, Uint8Array.of(1)),
    nextChainKey: hmac(sha256, chainKey, Uint8Array.of(2)),
  };
}

/** The key for the next outgoing message, and the state to keep afterwards. */
export function nextSendKey(s: SessionState): {
  counter: number;
  messageKey: Uint8Array;
  session: SessionState;
} {
  if (s.send.counter >= MAX_COUNTER) fail("TOO_LARGE", "session exhausted its counters: start a new one");
  const { messageKey, nextChainKey } = ratchetStep(s.send.chainKey);
  return {
    counter: s.send.counter,
    messageKey,
    session: { ...s, send: { chainKey: nextChainKey, counter: s.send.counter + 1 } },
  };
}

/**
 * The key for incoming message `counter`, and the state to keep once that message has been
 * authenticated (callers must keep the old state if decryption fails). REPLAYED when the counter
 * was already used or dropped out of the window; TOO_MANY_SKIPPED beyond MAX_SKIP.
 */
export function recvKey<S extends { recv: RecvChainState }>(
  s: S,
  counter: number,
): { messageKey: Uint8Array; session: S } {
  const r = s.recv;
  if (!Number.isInteger(counter) || counter < 0 || counter > MAX_COUNTER) fail("BAD_ENVELOPE", "bad counter");
  if (counter < r.counter) {
    const key = r.skipped.get(counter);
    if (!key) throw new DmError("REPLAYED", `counter ${counter} already opened or outside the window`);
    const skipped = new Map(r.skipped);
    skipped.delete(counter);
    return { messageKey: key, session: { ...s, recv: { ...r, skipped } } };
  }
  if (counter - r.counter > MAX_SKIP) {
    fail("TOO_MANY_SKIPPED", `counter ${counter} is more than ${MAX_SKIP} ahead of ${r.counter}`);
  }
  const skipped = new Map(r.skipped);
  let ck = r.chainKey;
  for (let n = r.counter; n < counter; n++) {
    const step = ratchetStep(ck);
    skipped.set(n, step.messageKey);
    ck = step.nextChainKey;
  }
  // Map iteration is insertion order and counters are inserted ascending: evict the oldest.
  for (const n of skipped.keys()) {
    if (skipped.size <= MAX_SKIPPED_KEYS) break;
    skipped.delete(n);
  }
  const { messageKey, nextChainKey } = ratchetStep(ck);
  return { messageKey, session: { ...s, recv: { chainKey: nextChainKey, counter: counter + 1, skipped } } };
}

// ---- persistence -------------------------------------------------------------------------------

interface SessionJson {
  v: 1;
  chainId: string;
  sessionId: string;
  conversationId: string;
  role: Role;
  selfAddress: string;
  selfKey: string;
  peerAddress: string;
  peerKey: string;
  ephemeralKey: string;
  prekeyId: number;
  send: { chainKey: string; counter: number };
  recv: { chainKey: string; counter: number; skipped: [number, string][] };
}

const fromHexStrict = (h: unknown, len?: number): Uint8Array => {
  if (typeof h !== "string" || !/^(?:[0-9a-f]{2})*$/.test(h)) fail("BAD_ENVELOPE", "bad hex in session");
  const s = h as string;
  const out = new Uint8Array(s.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = Number.parseInt(s.slice(2 * i, 2 * i + 2), 16);
  if (len !== undefined && out.length !== len) fail("BAD_ENVELOPE", "bad key length in session");
  return out;
};

/** JSON text of a session (contains secret chain keys: store it encrypted at rest). */
export function serializeSession(s: SessionState): string {
  const j: SessionJson = {
    v: 1,
    chainId: s.chainId,
    sessionId: toHex(s.sessionId),
    conversationId: toHex(s.conversationId),
    role: s.role,
    selfAddress: s.selfAddress,
    selfKey: toHex(s.selfKey),
    peerAddress: s.peerAddress,
    peerKey: toHex(s.peerKey),
    ephemeralKey: toHex(s.ephemeralKey),
    prekeyId: s.prekeyId,
    send: { chainKey: toHex(s.send.chainKey), counter: s.send.counter },
    recv: {
      chainKey: toHex(s.recv.chainKey),
      counter: s.recv.counter,
      skipped: [...s.recv.skipped].map(([n, k]) => [n, toHex(k)]),
    },
  };
  return JSON.stringify(j);
}

export function deserializeSession(text: string): SessionState {
  let j: SessionJson;
  try {
    j = JSON.parse(text) as SessionJson;
  } catch {
    throw new DmError("BAD_ENVELOPE", "session is not JSON");
  }
  if (j?.v !== 1 || (j.role !== "initiator" && j.role !== "responder")) fail("BAD_ENVELOPE", "bad session");
  const int = (n: unknown) => {
    if (!Number.isInteger(n) || (n as number) < 0 || (n as number) > MAX_COUNTER)
      fail("BAD_ENVELOPE", "bad int");
    return n as number;
  };
  return {
    chainId: String(j.chainId),
    sessionId: fromHexStrict(j.sessionId, 32),
    conversationId: fromHexStrict(j.conversationId, 32),
    role: j.role,
    selfAddress: String(j.selfAddress),
    selfKey: fromHexStrict(j.selfKey, PUBKEY_BYTES),
    peerAddress: String(j.peerAddress),
    peerKey: fromHexStrict(j.peerKey, PUBKEY_BYTES),
    ephemeralKey: fromHexStrict(j.ephemeralKey, PUBKEY_BYTES),
    prekeyId: int(j.prekeyId),
    send: { chainKey: fromHexStrict(j.send?.chainKey, 32), counter: int(j.send?.counter) },
    recv: {
      chainKey: fromHexStrict(j.recv?.chainKey, 32),
      counter: int(j.recv?.counter),
      skipped: new Map(
        (Array.isArray(j.recv?.skipped) ? j.recv.skipped : []).map(([n, k]) => [
          int(n),
          fromHexStrict(k, 32),
        ]),
      ),
    },
  };
}
