/**
 * A member's DM client for one identity, the same in the app (in the browser) and in the MCP server
 * (for identities whose key the node's keyring holds): it keeps a signed prekey published (rotating
 * it before it expires), starts or continues end-to-end encrypted sessions, seals and submits
 * messages, and opens what others sent — all through the node's DM API (node-api.ts). Its state
 * lives in a DmStateStore, encrypted at rest by the store. Calls on one account must not overlap
 * (the callers serialize them). What depends on the time (prekey rotation and grace, session age,
 * how long messages and sessions are kept) is decided by the pure functions of prekey-policy.ts and
 * retain.ts; this class carries it out. Browser-safe: no Node built-ins.
 */

import { fromHex, toHex } from "@cosmjs/encoding";
import { decodeAddress } from "./bytes.js";
import { decodeEnvelope, openEnvelope, type RetentionTier, sealMessage } from "./envelope.js";
import { DmError } from "./errors.js";
import {
  type DmIdentity,
  encodePrekeyBundle,
  generatePrekey,
  type PrekeyPair,
  signPrekeyBundle,
} from "./keys.js";
import { DmApiError, type DmNodeApi } from "./node-api.js";
import { nodeHoldsPrekey, planPrekeys } from "./prekey-policy.js";
import { idleSessions, liveMessages, sessionTooOld, settled, trimConversation } from "./retain.js";
import {
  deserializeSession,
  directConversationId,
  initiateSession,
  type SessionState,
  serializeSession,
} from "./session.js";
import type { DmState, DmStateStore, KeptConversation, KeptMessage, KeptPrekey } from "./state.js";

const PAGE = 200;

const hex = (b: Uint8Array) => toHex(b);
const unhex = (h: string) => fromHex(h);
const utf8 = new TextDecoder("utf-8", { fatal: false });

export interface SentMessage {
  readonly conversation: string;
  readonly messageId: string;
  readonly request: boolean;
  readonly sentAt: number;
  readonly expiresAt: number;
}

/** Thrown when the peer has no prekey published: they have never used a DM client. */
export class NoPrekeyError extends Error {
  override readonly name = "NoPrekeyError";
}

export class DmAccount {
  private state: DmState | undefined;
  /** Whether this process has checked the node holds our current prekey. */
  private publishChecked = false;

  constructor(
    readonly identity: DmIdentity,
    readonly api: DmNodeApi,
    private readonly vault: DmStateStore,
    readonly chainId: string,
  ) {}

  get address(): string {
    return this.identity.address;
  }

  conversationWith(peer: string): string {
    return hex(directConversationId(this.chainId, decodeAddress(this.address), decodeAddress(peer)));
  }

  private async loaded(): Promise<DmState> {
    this.state ??= await this.vault.load();
    return this.state;
  }

  private save(): Promise<void> {
    return this.vault.save(this.state!);
  }

  // ---- prekeys ----------------------------------------------------------------------------------

  /** Keeps a live prekey published: creates or rotates it, and republishes it once per process. */
  async ensurePrekey(now: number): Promise<void> {
    const s = await this.loaded();
    const before = s.prekeys.length;
    const plan = planPrekeys(s.prekeys, now);
    s.prekeys = plan.keep;
    if (plan.next) {
      const pair = generatePrekey(plan.next);
      s.prekeys.push({
        id: pair.id,
        privateKey: hex(pair.privateKey),
        publicKey: hex(pair.publicKey),
        expiresAt: pair.expiresAt,
      });
      // Kept before it is published: a published prekey whose private half is lost strands messages.
      await this.save();
      await this.publish(pair);
      this.publishChecked = true;
      return;
    }
    if (s.prekeys.length !== before) await this.save();
    if (this.publishChecked) return;
    const held = await this.api.fetchPrekey(this.address);
    if (!nodeHoldsPrekey(held, plan.current)) await this.publish(prekeyPair(plan.current));
    this.publishChecked = true;
  }

  private async publish(pair: PrekeyPair): Promise<void> {
    await this.api.publishPrekey(encodePrekeyBundle(signPrekeyBundle(this.identity, pair, this.chainId)));
  }

  private prekey(id: number): PrekeyPair | undefined {
    const p = this.state?.prekeys.find((k) => k.id === id);
    return p ? prekeyPair(p) : undefined;
  }

  // ---- sending ----------------------------------------------------------------------------------

  /** Whether `peer` has sent us anything we hold (a reply rather than a first contact). */
  async hasHeardFrom(peer: string): Promise<boolean> {
    const s = await this.loaded();
    return s.conversations[this.conversationWith(peer)]?.messages.some((m) => m.dir === "in") ?? false;
  }

  /**
   * Seals `text` to `peer` on the conversation's session (a new one from the peer's published
   * prekey when there is none or it is old) and hands it to the node. DmApiError carries the
   * node's refusal (REQUEST_PENDING, BLOCKED, AGENT_NOT_GRANTED, ...); NoPrekeyError when the
   * peer cannot be reached yet.
   */
  async send(peer: string, text: string, retention: RetentionTier, now: number): Promise<SentMessage> {
    await this.ensurePrekey(now);
    const s = await this.loaded();
    const conversation = this.conversationWith(peer);
    let session = this.sendingSession(conversation, now);
    if (!session) {
      const bundle = await this.api.fetchPrekey(peer);
      const fallback = this.sendingSession(conversation, now, true);
      if (!bundle && !fallback) throw new NoPrekeyError("the recipient has published no DM prekey");
      if (bundle) {
        try {
          session = initiateSession({
            chainId: this.chainId,
            identity: this.identity,
            peerBundle: bundle,
            now,
            peerAddress: peer,
          });
        } catch (e) {
          if (!fallback) throw e;
        }
      }
      if (session) {
        const sid = hex(session.sessionId);
        s.sessions[sid] = { state: serializeSession(session), conversation, createdAt: now, usedAt: now };
        s.current[conversation] = sid;
      } else session = fallback;
    }
    const sealed = sealMessage(session!, this.identity, {
      plaintext: new TextEncoder().encode(text),
      sentAt: now,
      retention,
    });
    const sid = hex(sealed.session.sessionId);
    const kept = s.sessions[sid]!;
    kept.state = serializeSession(sealed.session);
    kept.usedAt = now;
    s.current[conversation] = sid;
    // The advanced ratchet is kept before the envelope leaves: a key is never used twice.
    await this.save();
    const answer = await this.api.submit(sealed.bytes);
    const header = decodeEnvelope(sealed.bytes).header;
    const c = this.conversation(conversation, peer);
    c.messages.push({
      id: answer.id,
      from: this.address,
      dir: "out",
      sentAt: now,
      expiresAt: header.expiresAt,
      text,
    });
    c.seen[answer.id] = now;
    trim(c, now);
    await this.save();
    return {
      conversation,
      messageId: answer.id,
      request: answer.request,
      sentAt: now,
      expiresAt: header.expiresAt,
    };
  }

  /** The session to send on: the conversation's current one unless it is too old (or `any`). */
  private sendingSession(conversation: string, now: number, any = false): SessionState | undefined {
    const s = this.state!;
    const sid = s.current[conversation];
    const kept = sid ? s.sessions[sid] : undefined;
    if (!kept) return undefined;
    if (!any && sessionTooOld(kept, now)) return undefined;
    return deserializeSession(kept.state);
  }

  private conversation(id: string, peer: string): KeptConversation {
    const s = this.state!;
    s.conversations[id] ??= { peer, messages: [], seen: {} };
    return s.conversations[id];
  }

  // ---- receiving --------------------------------------------------------------------------------

  /**
   * Reads the conversation's new envelopes from the node and opens those sent to us, keeping the
   * opened text (a message key works once).
   */
  async sync(conversation: string, peer: string, now: number): Promise<void> {
    await this.loaded();
    const c = this.conversation(conversation, peer);
    let after = c.cursor;
    for (let pages = 0; pages < 50; pages++) {
      let page: Awaited<ReturnType<DmNodeApi["read"]>>;
      try {
        page = await this.api.read(conversation, { ...(after ? { after } : {}), limit: PAGE });
      } catch (e) {
        // The cursor's message expired and is gone: read the conversation from its start.
        if (after && e instanceof DmApiError && e.status === 400 && /after/.test(e.message)) {
          c.cursor = undefined;
          c.cursorSentAt = undefined;
          after = undefined;
          continue;
        }
        throw e;
      }
      const mark = page.receipts.find((r) => r.reader === peer);
      if (mark) c.peerReadUpTo = mark.messageId;
      for (const e of page.envelopes) {
        if (c.seen[e.id] === undefined) {
          this.receive(c, conversation, e.id, e.sender, e.envelope, now);
          c.seen[e.id] = e.sentAt;
        }
        if (settled(e.sentAt, now)) {
          c.cursor = e.id;
          c.cursorSentAt = e.sentAt;
        }
      }
      if (page.envelopes.length < PAGE) break;
      after = page.envelopes[page.envelopes.length - 1]!.id;
    }
    trim(c, now);
    this.pruneSessions(now);
    await this.save();
  }

  private receive(
    c: KeptConversation,
    conversation: string,
    id: string,
    sender: string,
    bytes: Uint8Array,
    now: number,
  ): void {
    if (sender === this.address) return; // ours: kept when sent
    const s = this.state!;
    let header: ReturnType<typeof decodeEnvelope>["header"];
    try {
      header = decodeEnvelope(bytes).header;
    } catch (e) {
      if (e instanceof DmError) return;
      throw e;
    }
    const base = { id, from: sender, dir: "in" as const, sentAt: header.sentAt, expiresAt: header.expiresAt };
    if (header.kind === 3) {
      // The sender deleted some of their messages: forget them here too.
      const gone = new Set(header.messageIds.map(hex));
      c.messages = c.messages.filter((m) => !(gone.has(m.id) && m.from === sender));
      return;
    }
    if (header.kind === 2) {
      c.messages.push({ ...base, error: "GROUP_UNSUPPORTED" });
      return;
    }
    const sid = hex(header.sessionId);
    const kept = s.sessions[sid];
    try {
      const opened = openEnvelope(bytes, {
        chainId: this.chainId,
        now,
        identity: this.identity,
        ...(kept ? { session: deserializeSession(kept.state) } : {}),
        prekeys: (n) => this.prekey(n),
      });
      const message: KeptMessage = {
        ...base,
        text: utf8.decode(opened.plaintext),
        ...(header.retention === "view_once" ? { viewOnce: true as const } : {}),
      };
      opened.plaintext.fill(0);
      c.messages.push(message);
      if (kept) {
        kept.state = serializeSession(opened.session);
        kept.usedAt = now;
      } else {
        // A session the peer started: replies go on it from now on.
        s.sessions[sid] = {
          state: serializeSession(opened.session),
          conversation,
          createdAt: now,
          usedAt: now,
        };
        s.current[conversation] = sid;
      }
    } catch (e) {
      if (!(e instanceof DmError)) throw e;
      c.messages.push({ ...base, error: e.code });
    }
  }

  private pruneSessions(now: number): void {
    const s = this.state!;
    for (const sid of idleSessions(s, now)) delete s.sessions[sid];
  }

  /** Forgets the text of the conversation's view-once messages among `ids` (they were shown). */
  async forgetViewOnce(conversation: string, ids: readonly string[]): Promise<void> {
    const c = (await this.loaded()).conversations[conversation];
    if (!c || ids.length === 0) return;
    const shown = new Set(ids);
    let changed = false;
    c.messages = c.messages.map((m) => {
      if (!m.viewOnce || m.text === undefined || !shown.has(m.id)) return m;
      changed = true;
      const { text: _text, ...rest } = m;
      return { ...rest, error: "VIEWED" };
    });
    if (changed) await this.save();
  }

  /** The id of the message up to which the peer has read the conversation (their receipt). */
  async peerReadUpTo(conversation: string): Promise<string | undefined> {
    return (await this.loaded()).conversations[conversation]?.peerReadUpTo;
  }

  /** The conversation's kept messages (oldest first), the newest `limit`. */
  async messages(conversation: string, limit: number, now: number): Promise<KeptMessage[]> {
    const s = await this.loaded();
    const c = s.conversations[conversation];
    if (!c) return [];
    return liveMessages(c.messages, now, limit);
  }

  /**
   * The newest incoming message kept for the conversation, in the node's order (sent_at, then id),
   * which is the order a read receipt marks up to.
   */
  async newestIncoming(conversation: string): Promise<KeptMessage | undefined> {
    const s = await this.loaded();
    let newest: KeptMessage | undefined;
    for (const m of s.conversations[conversation]?.messages ?? []) {
      if (m.dir !== "in") continue;
      if (!newest || m.sentAt > newest.sentAt || (m.sentAt === newest.sentAt && m.id > newest.id)) newest = m;
    }
    return newest;
  }

  /** The peers of the conversations kept here, by conversation id. */
  async knownPeers(): Promise<Record<string, string>> {
    const s = await this.loaded();
    return Object.fromEntries(Object.entries(s.conversations).map(([id, c]) => [id, c.peer]));
  }
}

function prekeyPair(p: KeptPrekey): PrekeyPair {
  return { id: p.id, privateKey: unhex(p.privateKey), publicKey: unhex(p.publicKey), expiresAt: p.expiresAt };
}

/** Drops expired and surplus messages, and seen marks the cursor has passed (retain.ts). */
function trim(c: KeptConversation, now: number): void {
  Object.assign(c, trimConversation(c, now));
}
