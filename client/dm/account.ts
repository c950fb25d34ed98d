/**
 * A member's DM client for one identity, the same in the app (in the browser) and in the MCP server
 * (for identities whose key the node's keyring holds): it keeps a signed prekey published (rotating
 * it before it expires), starts or continues end-to-end encrypted sessions, seals and submits
 * messages, and opens what others sent; it also runs small group chats with sender keys (group.ts;
 * members learn of a group and its keys from notices sent pairwise, group-notice.ts and
 * group-state.ts) and deletes our own messages everywhere — all through the node's DM API
 * (node-api.ts). Its state lives in a DmStateStore, encrypted at rest by the store. Calls on one
 * account must not overlap (the callers serialize them). What depends on the time (prekey rotation
 * and grace, session age, how long messages and sessions are kept) is decided by the pure functions
 * of prekey-policy.ts and retain.ts; this class carries it out. Browser-safe: no Node built-ins.
 */

import { fromHex, toHex } from "@cosmjs/encoding";
import { decodeAddress } from "./bytes.js";
import {
  createDeleteEnvelope,
  decodeEnvelope,
  openEnvelope,
  RETENTION,
  type RetentionTier,
  sealMessage,
} from "./envelope.js";
import { DmError } from "./errors.js";
import {
  createSenderKey,
  encodeSenderKeyDistribution,
  isSenderKeyDistribution,
  newGroupId,
  openGroupMessage,
  sealGroupMessage,
} from "./group.js";
import { decodeGroupNotice, encodeGroupNotice, isGroupNotice, normalizeGroupName } from "./group-notice.js";
import {
  applyKeyNotice,
  applyLeaveNotice,
  applyRemoveNotice,
  changeMembers,
  type GroupEvent,
  type KeptGroup,
  keepOwnKey,
  keepReceivedKey,
  keyRef,
  ownKeyFits,
  ownKeyOf,
  receivedKeyOf,
  sentWhileMember,
} from "./group-state.js";
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

/** A group as the app shows it. */
export interface GroupInfo {
  readonly id: string;
  readonly name: string;
  /** Every member, us included while we are in it, ascending. */
  readonly members: string[];
  readonly left: boolean;
  /** Who may add and remove members (the creator); absent in groups kept before admins existed. */
  readonly admin?: string;
  /** We are out because the admin removed us. */
  readonly removed: boolean;
  /** The latest membership changes, oldest first. */
  readonly events: GroupEvent[];
}

/** A member our sender key could not reach yet, and why (NoPrekeyError, DmApiError, DmError). */
export interface Unreached {
  readonly member: string;
  readonly error: Error;
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
    const sent = await this.sendPairwise(peer, new TextEncoder().encode(text), retention, now);
    const c = this.conversation(sent.conversation, peer);
    c.messages.push({
      id: sent.messageId,
      from: this.address,
      dir: "out",
      sentAt: now,
      expiresAt: sent.expiresAt,
      text,
      ...(retention === "view_once" ? { viewOnce: true as const } : {}),
    });
    trim(c, now);
    await this.save();
    return sent;
  }

  /** Seals `plaintext` on the pair's session (started from the peer's prekey when needed) and submits it. */
  private async sendPairwise(
    peer: string,
    plaintext: Uint8Array,
    retention: RetentionTier,
    now: number,
  ): Promise<SentMessage> {
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
    const sealed = sealMessage(session!, this.identity, { plaintext, sentAt: now, retention });
    const sid = hex(sealed.session.sessionId);
    const kept = s.sessions[sid]!;
    kept.state = serializeSession(sealed.session);
    kept.usedAt = now;
    s.current[conversation] = sid;
    // The advanced ratchet is kept before the envelope leaves: a key is never used twice.
    await this.save();
    const answer = await this.api.submit(sealed.bytes);
    const header = decodeEnvelope(sealed.bytes).header;
    // Our own envelope is never opened (its message key is gone): it counts as handled.
    this.conversation(conversation, peer).seen[answer.id] = now;
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
        if (c.seen[e.id] === undefined && this.receive(c, conversation, e.id, e.sender, e.envelope, now))
          c.seen[e.id] = e.sentAt;
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

  /** Opens one envelope into the conversation; false when it should be tried again on a later read. */
  private receive(
    c: KeptConversation,
    conversation: string,
    id: string,
    sender: string,
    bytes: Uint8Array,
    now: number,
  ): boolean {
    if (sender === this.address) return true; // ours: kept when sent
    const s = this.state!;
    let header: ReturnType<typeof decodeEnvelope>["header"];
    try {
      header = decodeEnvelope(bytes).header;
    } catch (e) {
      if (e instanceof DmError) return true;
      throw e;
    }
    const base = { id, from: sender, dir: "in" as const, sentAt: header.sentAt, expiresAt: header.expiresAt };
    if (header.kind === 3) {
      // The sender deleted some of their messages: forget them here too.
      const gone = new Set(header.messageIds.map(hex));
      c.messages = c.messages.filter((m) => !(gone.has(m.id) && m.from === sender));
      return true;
    }
    if (header.kind === 2) return this.receiveGroup(c, conversation, base, bytes, now);
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
      // Group notices and bare sender-key distributions are the client's, not a text to show.
      if (isGroupNotice(opened.plaintext)) this.takeGroupNotice(opened.plaintext, sender, header.sentAt);
      else if (!isSenderKeyDistribution(opened.plaintext))
        c.messages.push({
          ...base,
          text: utf8.decode(opened.plaintext),
          ...(header.retention === "view_once" ? { viewOnce: true as const } : {}),
        });
      opened.plaintext.fill(0);
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
    return true;
  }

  private pruneSessions(now: number): void {
    const s = this.state!;
    for (const sid of idleSessions(s, now)) delete s.sessions[sid];
  }

  // ---- groups (sender keys, group.ts; membership by notices, group-state.ts) -------------------

  /** A group message: opened with its sender's key; false (try again later) while that key has not arrived. */
  private receiveGroup(
    c: KeptConversation,
    conversation: string,
    base: Omit<KeptMessage, "text" | "error">,
    bytes: Uint8Array,
    now: number,
  ): boolean {
    const g = this.state!.groups?.[conversation];
    // A message tried before replaces its placeholder.
    c.messages = c.messages.filter((m) => m.id !== base.id);
    // Someone who left or was removed still holds their old key: what they send afterwards is dropped.
    if (g && !sentWhileMember(g, base.from, base.sentAt)) return true;
    try {
      const opened = openGroupMessage(bytes, {
        chainId: this.chainId,
        now,
        identity: this.identity,
        senderKeys: (sender, id) => {
          const kept = g?.keys[keyRef(sender, id)];
          return kept ? receivedKeyOf(kept, this.chainId, this.address) : undefined;
        },
      });
      c.messages.push({
        ...base,
        text: utf8.decode(opened.plaintext),
        ...(opened.header.retention === "view_once" ? { viewOnce: true as const } : {}),
      });
      opened.plaintext.fill(0);
      g!.keys[keyRef(opened.senderKey.sender, opened.senderKey.senderKeyId)] = keepReceivedKey(
        opened.senderKey,
      );
      return true;
    } catch (e) {
      if (!(e instanceof DmError)) throw e;
      c.messages.push({ ...base, error: e.code });
      return e.code !== "UNKNOWN_SENDER_KEY";
    }
  }

  /** Applies a group notice `from` sent us pairwise; a malformed or foreign one is ignored. */
  private takeGroupNotice(plaintext: Uint8Array, from: string, sentAt: number): void {
    const s = this.state!;
    try {
      const n = decodeGroupNotice(plaintext);
      const id = hex(n.groupId);
      s.groups ??= {};
      const groups = s.groups;
      const next =
        n.kind === "key"
          ? applyKeyNotice(groups[id], n, { chainId: this.chainId, from, self: this.address, sentAt })
          : n.kind === "remove"
            ? applyRemoveNotice(groups[id], { from, member: n.member, self: this.address, sentAt })
            : applyLeaveNotice(groups[id], from, sentAt);
      if (!next) return;
      groups[id] = next;
      this.conversation(id, "");
    } catch (e) {
      if (!(e instanceof DmError)) throw e;
    }
  }

  /** The groups kept here (also those we left), by hex group id. */
  async groups(): Promise<Record<string, GroupInfo>> {
    const s = await this.loaded();
    return Object.fromEntries(Object.entries(s.groups ?? {}).map(([id, g]) => [id, groupInfo(id, g)]));
  }

  /**
   * Starts a group of `members` (us added; 2–32 in all) named `name`, and hands each member our
   * sender key with the name and list. Members it could not reach yet (no prekey, a refusal) are
   * returned; the next message tries them again.
   */
  async createGroup(
    name: string,
    members: readonly string[],
    now: number,
  ): Promise<{ group: string; unreached: Unreached[] }> {
    const s = await this.loaded();
    const groupId = newGroupId();
    const own = createSenderKey({
      chainId: this.chainId,
      groupId,
      identity: this.identity,
      members: [...new Set([this.address, ...members])],
    });
    const id = hex(groupId);
    s.groups ??= {};
    s.groups[id] = {
      name: normalizeGroupName(name),
      admin: this.address,
      members: [...own.members],
      own: keepOwnKey(own),
      sentTo: [],
      keys: {},
      updatedAt: now,
    };
    this.conversation(id, "");
    await this.save();
    return { group: id, unreached: await this.distribute(id, now) };
  }

  /** Hands our current sender key (a new one when the member list changed) to members who lack it. */
  private async distribute(id: string, now: number): Promise<Unreached[]> {
    const g = this.state!.groups![id]!;
    if (!ownKeyFits(g, this.chainId, this.address)) {
      const fresh = createSenderKey({
        chainId: this.chainId,
        groupId: unhex(id),
        identity: this.identity,
        members: g.members,
      });
      g.own = keepOwnKey(fresh);
      g.sentTo = [];
      await this.save();
    }
    const distribution = encodeSenderKeyDistribution(ownKeyOf(g.own!, this.chainId, this.address));
    const notice = encodeGroupNotice({
      kind: "key",
      groupId: unhex(id),
      name: g.name,
      ...(g.admin ? { admin: g.admin } : {}),
      distribution,
    });
    const lacking = g.members.filter((m) => !g.sentTo.includes(m));
    const unreached = await this.tellMembers(lacking, notice, now, (m) => g.sentTo.push(m));
    await this.save();
    return unreached;
  }

  /**
   * Sends a group notice pairwise to each of `members` but us; those out of reach (no prekey, a
   * refusal) are returned, so one member out of reach never keeps the others from hearing it.
   */
  private async tellMembers(
    members: readonly string[],
    notice: Uint8Array,
    now: number,
    reached: (member: string) => void = () => undefined,
  ): Promise<Unreached[]> {
    const unreached: Unreached[] = [];
    for (const member of members) {
      if (member === this.address) continue;
      try {
        await this.sendPairwise(member, notice, "sessions", now);
        reached(member);
      } catch (e) {
        if (!(e instanceof DmApiError || e instanceof NoPrekeyError || e instanceof DmError)) throw e;
        unreached.push({ member, error: e });
      }
    }
    return unreached;
  }

  /** Reads the group: first each member's pairwise conversation (their keys and notices), then its messages. */
  async syncGroup(id: string, now: number): Promise<void> {
    const g = (await this.loaded()).groups?.[id];
    if (!g) throw new DmError("NOT_RECIPIENT", "not a group kept here");
    for (const member of g.members) {
      if (member !== this.address) await this.sync(this.conversationWith(member), member, now);
    }
    await this.sync(id, "", now);
  }

  /**
   * Seals `text` once for the whole group under our sender key and hands it to the node, after
   * giving our key to members who lack it. The node refuses it (NOT_ACCEPTED) unless every member
   * accepted messages from us.
   */
  async sendGroup(
    id: string,
    text: string,
    retention: RetentionTier,
    now: number,
  ): Promise<SentMessage & { unreached: Unreached[] }> {
    await this.ensurePrekey(now);
    const g = this.state!.groups?.[id];
    if (!g || g.left) throw new DmError("NOT_RECIPIENT", "not a member of this group");
    const unreached = await this.distribute(id, now);
    const sealed = sealGroupMessage(ownKeyOf(g.own!, this.chainId, this.address), this.identity, {
      plaintext: new TextEncoder().encode(text),
      sentAt: now,
      retention,
    });
    // The advanced sender chain is kept before the envelope leaves: a key is never used twice.
    g.own = keepOwnKey(sealed.senderKey);
    await this.save();
    const answer = await this.api.submit(sealed.bytes);
    const expiresAt = decodeEnvelope(sealed.bytes).header.expiresAt;
    const c = this.conversation(id, "");
    c.messages.push({
      id: answer.id,
      from: this.address,
      dir: "out",
      sentAt: now,
      expiresAt,
      text,
      ...(retention === "view_once" ? { viewOnce: true as const } : {}),
    });
    c.seen[answer.id] = now;
    trim(c, now);
    await this.save();
    return { conversation: id, messageId: answer.id, request: false, sentAt: now, expiresAt, unreached };
  }

  /**
   * The admin adds `member`: a new sender key for the new list goes to every member, the new one
   * included (their first notice names the group, its admin and members). The new member reads
   * from here on: no earlier key reaches them. Returns the members not reached yet.
   */
  async addMember(id: string, member: string, now: number): Promise<Unreached[]> {
    await this.ensurePrekey(now);
    this.changeGroup(id, (g) => changeMembers(g, { self: this.address, add: member, now }));
    await this.save();
    return this.distribute(id, now);
  }

  /**
   * The admin removes `member`: every member of the old list (the removed one included) is told
   * pairwise, and our sender key is replaced at once for the new list, so nothing we send from now
   * on opens for the removed member. Other members replace theirs when they read the change.
   */
  async removeMember(id: string, member: string, now: number): Promise<Unreached[]> {
    await this.ensurePrekey(now);
    const before = this.changeGroup(id, (g) => changeMembers(g, { self: this.address, remove: member, now }));
    await this.save();
    const notice = encodeGroupNotice({ kind: "remove", groupId: unhex(id), member });
    const unreached = await this.tellMembers(before.members, notice, now);
    return [...unreached, ...(await this.distribute(id, now))];
  }

  /** Replaces the kept group by `change(group)`; returns the group as it was. */
  private changeGroup(id: string, change: (g: KeptGroup) => KeptGroup): KeptGroup {
    const g = this.state!.groups?.[id];
    if (!g) throw new DmError("NOT_RECIPIENT", "not a group kept here");
    this.state!.groups![id] = change(g);
    return g;
  }

  /** Leaves the group: tells each other member (pairwise) and sends nothing more to it. */
  async leaveGroup(id: string, now: number): Promise<void> {
    const g = (await this.loaded()).groups?.[id];
    if (!g || g.left) return;
    // One member out of reach does not keep us in: the others still learn of it.
    await this.tellMembers(g.members, encodeGroupNotice({ kind: "leave", groupId: unhex(id) }), now);
    g.left = true;
    g.updatedAt = now;
    g.members = g.members.filter((m) => m !== this.address);
    delete g.own;
    await this.save();
  }

  // ---- deleting and retention -------------------------------------------------------------------

  /**
   * Deletes our own messages among `ids` everywhere: a signed delete envelope makes every node drop
   * them and tells the members' clients to forget them; they go from here at once. Returns how
   * many the node removed.
   */
  async deleteMessages(conversation: string, ids: readonly string[], now: number): Promise<number> {
    const s = await this.loaded();
    const c = s.conversations[conversation];
    const mine = new Set(c?.messages.filter((m) => m.dir === "out" && ids.includes(m.id)).map((m) => m.id));
    if (!c || mine.size === 0) return 0;
    const g = s.groups?.[conversation];
    const recipients = g ? g.members.filter((m) => m !== this.address) : [c.peer];
    const answer = await this.api.submit(
      createDeleteEnvelope(this.identity, {
        chainId: this.chainId,
        conversationId: unhex(conversation),
        recipients,
        messageIds: [...mine].map(unhex),
        sentAt: now,
      }),
    );
    c.messages = c.messages.filter((m) => !mine.has(m.id));
    c.seen[answer.id] = now;
    await this.save();
    return answer.deleted ?? 0;
  }

  /** The retention tier chosen for the conversation's new messages (`sessions` unless changed). */
  async retentionOf(conversation: string): Promise<RetentionTier> {
    const tier = (await this.loaded()).retention?.[conversation];
    return tier && tier in RETENTION ? (tier as RetentionTier) : "sessions";
  }

  async setRetention(conversation: string, tier: RetentionTier): Promise<void> {
    const s = await this.loaded();
    s.retention = { ...s.retention, [conversation]: tier };
    await this.save();
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

function groupInfo(id: string, g: KeptGroup): GroupInfo {
  return {
    id,
    name: g.name,
    members: [...g.members],
    left: !!g.left,
    ...(g.admin ? { admin: g.admin } : {}),
    removed: !!g.removed,
    events: [...(g.events ?? [])],
  };
}

function prekeyPair(p: KeptPrekey): PrekeyPair {
  return { id: p.id, privateKey: unhex(p.privateKey), publicKey: unhex(p.publicKey), expiresAt: p.expiresAt };
}

/** Drops expired and surplus messages, and seen marks the cursor has passed (retain.ts). */
function trim(c: KeptConversation, now: number): void {
  Object.assign(c, trimConversation(c, now));
}
