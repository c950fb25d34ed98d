/**
 * One DM service per signed-in account on this device: the DmAccount (keys from the app's
 * signer, state encrypted under the vault's key in localStorage), the node's DM API signed with the
 * account key in the browser, and the live `dm` topic. Calls are serialized (a ratchet must never be
 * used twice); views subscribe to `onChange` and re-read.
 */

import { DmAccount, type GroupInfo, NoPrekeyError, type Unreached } from "../../../client/dm/account.js";
import type { RetentionTier } from "../../../client/dm/envelope.js";
import { dmIdentityFromPrivateKey } from "../../../client/dm/keys.js";
import { DmApiError, type DmControlKind, DmNodeApi, type Inbox } from "../../../client/dm/node-api.js";
import { emptyState, type KeptMessage } from "../../../client/dm/state.js";
import type { useSession } from "../lib/session.js";
import type { StreamEvent } from "../lib/stream.js";

type Session = ReturnType<typeof useSession>;

export type { GroupInfo, Inbox, KeptMessage, RetentionTier, Unreached };

const storageKey = (address: string) => `vivim.dm.v1.${address}`;
const nowSec = () => Math.floor(Date.now() / 1000);

export interface DmEvent {
  readonly type: "message" | "control" | "receipt" | "typing" | "deleted" | "ready";
  readonly conversation?: string;
  readonly from?: string;
}

/** A DM failure worded for a person. */
export function dmErrorText(err: unknown): string {
  // A Keplr account holds no key on this device: its message says why DMs are unavailable.
  if (err instanceof Error && err.name === "KeyNotOnDeviceError") return err.message;
  if (err instanceof NoPrekeyError)
    return "They have not opened VIVIM messages yet, so they cannot receive encrypted messages.";
  if (err instanceof DmApiError) {
    switch (err.code) {
      case "REQUEST_PENDING":
        return "Your message request is waiting for their answer. You can send more once they accept.";
      case "REQUEST_DECLINED":
        return "They declined your message request. You can ask again in a few days.";
      case "BLOCKED":
        return "Messages between you are blocked.";
      case "NOT_ACCEPTED":
        return "They have not accepted messages from you. In a group, every member must accept you first.";
      case "AGENT_NOT_GRANTED":
        return "This agent is not allowed to send direct messages.";
      case "UNREACHABLE":
        return "Cannot reach the node. Is the network running?";
      case "RATE_LIMITED":
        return "Slow down a little: too many messages at once.";
      default:
        return "The network refused this message.";
    }
  }
  return "Something went wrong with encrypted messages. Try again.";
}

export class DmService {
  private account: Promise<DmAccount> | undefined;
  private queue: Promise<unknown> = Promise.resolve();
  private readonly listeners = new Set<(e: DmEvent) => void>();
  private unsubscribe: (() => void) | undefined;
  private streamRef: Session["stream"];
  private started: Promise<void> | undefined;
  lastInbox: Inbox | undefined;
  /** The newest message id of each conversation when we last read it for group notices. */
  private readonly scanned = new Map<string, string>();

  constructor(private session: Session) {}

  update(session: Session): void {
    this.session = session;
    if (session.stream !== this.streamRef) this.listen();
  }

  sameVault(session: Session): boolean {
    return session.vault === this.session.vault;
  }

  /** Stops listening and forgets the account (its keys and state) held in memory. */
  close(): void {
    this.unsubscribe?.();
    this.unsubscribe = undefined;
    this.listeners.clear();
    this.account = undefined;
    this.started = undefined;
    this.lastInbox = undefined;
  }

  get address(): string {
    return this.session.active.address;
  }

  private acct(): Promise<DmAccount> {
    this.account ??= (async () => {
      const { config, vault } = this.session;
      const address = this.address;
      const signer = await this.session.signer();
      const identity = dmIdentityFromPrivateKey(signer.dmPrivateKey(), config.prefix);
      const api = new DmNodeApi({
        baseUrl: config.api,
        chainId: config.chainId,
        address,
        signArbitrary: (text) => signer.signArbitrary(text),
      });
      const store = {
        async load() {
          const raw = localStorage.getItem(storageKey(address));
          if (!raw) return emptyState(address);
          try {
            const parsed = JSON.parse(await vault.openText(JSON.parse(raw)));
            return parsed.address === address ? parsed : emptyState(address);
          } catch {
            return emptyState(address);
          }
        },
        async save(state: unknown) {
          localStorage.setItem(
            storageKey(address),
            JSON.stringify(await vault.sealText(JSON.stringify(state))),
          );
        },
      };
      return new DmAccount(identity, api, store, config.chainId);
    })();
    this.account.catch(() => {
      this.account = undefined;
    });
    return this.account;
  }

  private run<T>(fn: (a: DmAccount) => Promise<T>): Promise<T> {
    const next = this.queue.then(async () => fn(await this.acct()));
    this.queue = next.catch(() => undefined);
    return next;
  }

  /** Publishes (or rotates) this account's prekey and listens for DM events. */
  start(): Promise<void> {
    this.listen();
    this.started ??= this.run((a) => a.ensurePrekey(nowSec())).then(() => this.emit({ type: "ready" }));
    this.started.catch(() => {
      this.started = undefined;
    });
    return this.started;
  }

  private listen(): void {
    const stream = this.session.stream;
    if (stream === this.streamRef) return;
    this.unsubscribe?.();
    this.streamRef = stream;
    this.unsubscribe = stream?.subscribe({ kind: "dm" }, (e) => this.onStreamEvent(e));
  }

  private onStreamEvent(e: StreamEvent): void {
    const a = e.attributes;
    const kind = e.type.replace(/^dm\./, "");
    if (kind === "message") this.emit({ type: "message", conversation: a.conversation, from: a.sender });
    else if (kind === "control") this.emit({ type: "control", from: a.from });
    else if (kind === "receipt") this.emit({ type: "receipt", conversation: a.conversation, from: a.reader });
    else if (kind === "typing") this.emit({ type: "typing", conversation: a.conversation, from: a.from });
    else if (kind === "deleted") this.emit({ type: "deleted", conversation: a.conversation });
  }

  private emit(e: DmEvent): void {
    for (const fn of this.listeners) fn(e);
  }

  onChange(fn: (e: DmEvent) => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  async inbox(): Promise<Inbox> {
    await this.start();
    const inbox = await this.run(async (a) => {
      const i = await a.api.inbox({ limit: 100 });
      await this.discoverGroups(a, i);
      return i;
    });
    this.lastInbox = inbox;
    return inbox;
  }

  /**
   * Group invitations and keys travel inside 1:1 messages: reads the 1:1 conversations that moved
   * since we last looked, and the members' ones of groups the inbox names that we do not know yet.
   */
  private async discoverGroups(a: DmAccount, inbox: Inbox): Promise<void> {
    const known = await a.groups();
    const peers = new Set<string>();
    for (const c of inbox.conversations) {
      const others = c.members.filter((m) => m !== a.address);
      if (others.length > 1 && !known[c.conversation]) for (const m of others) peers.add(m);
      else if (others.length === 1 && this.scanned.get(c.conversation) !== c.lastId) peers.add(others[0]!);
    }
    const now = nowSec();
    for (const peer of peers) {
      // One unreadable conversation must not hide the others.
      await a.sync(a.conversationWith(peer), peer, now).catch(() => undefined);
    }
    for (const c of inbox.conversations) {
      this.scanned.set(c.conversation, c.lastId);
      if (c.status === "accepted" && c.unread > 0) await this.markNoticesRead(a, c);
    }
  }

  /**
   * A 1:1 conversation whose only unread messages are group notices (never shown) is marked read,
   * so they do not count as unread forever: when its newest message is not a shown one and every
   * shown incoming message is read already.
   */
  private async markNoticesRead(a: DmAccount, c: Inbox["conversations"][number]): Promise<void> {
    const shown = await a.messages(c.conversation, 500, nowSec());
    if (shown.some((m) => m.id === c.lastId)) return;
    const newestIn = shown.filter((m) => m.dir === "in").at(-1);
    if (newestIn && newestIn.id !== c.readUpTo) return;
    await a.api.receipt(c.conversation, c.lastId).catch(() => undefined);
  }

  conversationWith(peer: string): Promise<string> {
    return this.run(async (a) => a.conversationWith(peer));
  }

  /** Fetches and opens the conversation's new envelopes; its messages (oldest first) and the peer's read mark. */
  async open(
    peer: string,
  ): Promise<{ conversation: string; messages: KeptMessage[]; peerReadUpTo?: string }> {
    await this.start();
    return this.run(async (a) => {
      const conversation = a.conversationWith(peer);
      const now = nowSec();
      await a.sync(conversation, peer, now);
      const peerReadUpTo = await a.peerReadUpTo(conversation);
      return {
        conversation,
        messages: await a.messages(conversation, 500, now),
        ...(peerReadUpTo ? { peerReadUpTo } : {}),
      };
    });
  }

  async send(peer: string, text: string): Promise<{ request: boolean; messageId: string }> {
    await this.start();
    return this.run(async (a) => a.send(peer, text, await a.retentionOf(a.conversationWith(peer)), nowSec()));
  }

  // ---- groups ----

  groups(): Promise<Record<string, GroupInfo>> {
    return this.run((a) => a.groups());
  }

  async createGroup(name: string, members: string[]): Promise<{ group: string; unreached: Unreached[] }> {
    await this.start();
    return this.run((a) => a.createGroup(name, members, nowSec()));
  }

  /** Reads the group (its members' keys first) and returns its messages, oldest first. */
  async openGroup(id: string): Promise<{ group: GroupInfo | undefined; messages: KeptMessage[] }> {
    await this.start();
    return this.run(async (a) => {
      const now = nowSec();
      if ((await a.groups())[id]) await a.syncGroup(id, now);
      return { group: (await a.groups())[id], messages: await a.messages(id, 500, now) };
    });
  }

  async sendGroup(id: string, text: string): Promise<{ messageId: string; unreached: Unreached[] }> {
    await this.start();
    return this.run(async (a) => a.sendGroup(id, text, await a.retentionOf(id), nowSec()));
  }

  /** The admin adds `member` (an address): our new key reaches every member, the new one included. */
  async addGroupMember(id: string, member: string): Promise<Unreached[]> {
    await this.start();
    return this.run((a) => a.addMember(id, member, nowSec()));
  }

  /** The admin removes `member`: everyone is told, and our key is replaced so they read nothing new. */
  async removeGroupMember(id: string, member: string): Promise<Unreached[]> {
    await this.start();
    return this.run((a) => a.removeMember(id, member, nowSec()));
  }

  leaveGroup(id: string): Promise<void> {
    return this.run((a) => a.leaveGroup(id, nowSec()));
  }

  // ---- deleting, retention, view-once ----

  deleteMessage(conversation: string, messageId: string): Promise<number> {
    return this.run((a) => a.deleteMessages(conversation, [messageId], nowSec()));
  }

  retentionOf(conversation: string): Promise<RetentionTier> {
    return this.run((a) => a.retentionOf(conversation));
  }

  setRetention(conversation: string, tier: RetentionTier): Promise<void> {
    return this.run((a) => a.setRetention(conversation, tier));
  }

  forgetViewOnce(conversation: string, ids: string[]): Promise<void> {
    return this.run((a) => a.forgetViewOnce(conversation, ids));
  }

  receipt(conversation: string, messageId: string): Promise<void> {
    return this.run((a) => a.api.receipt(conversation, messageId));
  }

  control(kind: DmControlKind, to: string): Promise<void> {
    return this.run((a) => a.api.control(kind, to));
  }

  typing(conversation: string, to: string | string[]): void {
    this.session.stream?.sendFrame({ type: "typing", conversation, to: Array.isArray(to) ? to : [to] });
  }

  /** Calls `fn` with the unread messages plus pending requests, now and after every DM event. */
  watchUnread(fn: (n: number) => void): () => void {
    let live = true;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const refresh = () => {
      clearTimeout(timer);
      timer = setTimeout(() => {
        this.inbox()
          .then((i) => {
            if (live) fn(i.conversations.reduce((n, c) => n + c.unread, 0) + i.requests.length);
          })
          .catch(() => undefined);
      }, 300);
    };
    refresh();
    const off = this.onChange((e) => e.type !== "typing" && e.type !== "ready" && refresh());
    return () => {
      live = false;
      clearTimeout(timer);
      off();
    };
  }

  knownPeers(): Promise<Record<string, string>> {
    return this.run((a) => a.knownPeers());
  }
}

const services = new Map<string, DmService>();

export function dmServiceFor(session: Session): DmService {
  const address = session.active.address;
  let s = services.get(address);
  // A new unlock (after Lock or "Add account") starts afresh: nothing of the old one stays in memory.
  if (s && !s.sameVault(session)) {
    s.close();
    s = undefined;
  }
  if (!s) {
    s = new DmService(session);
    services.set(address, s);
  } else s.update(session);
  return s;
}
