/**
 * The stream's off-chain topics: `dm` (what happens in the session's own conversations: new
 * messages and requests, deletions, controls, read receipts, typing) and `presence` (the status of
 * up to MAX_WATCHED accounts, protocol.ts). Their events come from the node's DM and presence layers, live only:
 * they carry no cursor, are never replayed, and are never stored. A client catches up on DMs from
 * the inbox (`POST /vivim/dm/v1/inbox`) and on presence from the snapshot sent at subscribe.
 */
import type { DmLiveEvent } from "../../dm/dm-node.js";
import type { NodeComponents } from "../../node/node.js";
import type { PresenceStatus } from "../../presence/board.js";
import type { StreamSession, Subscription } from "./session.js";

/** An ephemeral event frame: like a chain event's, without cursor, height or tx. */
export function ephemeralFrame(
  sub: string,
  type: string,
  attributes: Readonly<Record<string, string>>,
): string {
  return JSON.stringify({ type: "event", sub, event: { type, attributes } });
}

type Node = Pick<NodeComponents, "dm" | "presence">;

export class EphemeralTopics {
  /** account → its sessions' `dm` subscriptions. */
  private readonly dm = new Map<string, Set<Subscription>>();
  /** watched account → the `presence` subscriptions watching it. */
  private readonly watching = new Map<string, Set<Subscription>>();
  /** account → its sessions' `notifications` subscriptions (told of DM requests). */
  private readonly notify = new Map<string, Set<Subscription>>();
  private unlisten: Array<() => void> = [];

  constructor(
    private readonly node: Node,
    /** Counts delivered frames (the stream's delivered-events metric). */
    private readonly delivered: (n: number) => void,
  ) {}

  start(): void {
    if (this.unlisten.length > 0) return;
    this.unlisten = [
      this.node.dm.onLive((e) => this.onDm(e)),
      this.node.presence.listen({
        presence: (address, status) => this.onPresence(address, status),
        typing: (from, conversation, to) => this.onTyping(from, conversation, to),
      }),
    ];
  }

  stop(): void {
    for (const off of this.unlisten) off();
    this.unlisten = [];
  }

  /**
   * Files a new subscription this layer feeds: `dm`, `presence` (which first gets its accounts'
   * status) and `notifications` (DM requests to the account); other topics are not its business.
   */
  watch(sub: Subscription): void {
    const account = sub.session.address!;
    const topic = sub.topic;
    if (topic.kind === "dm") file(this.dm, account, sub);
    else if (topic.kind === "notifications") file(this.notify, account, sub);
    else if (topic.kind === "presence") {
      for (const a of topic.accounts) {
        file(this.watching, a, sub);
        sub.session.send(
          ephemeralFrame(sub.id, "presence", { address: a, status: this.node.presence.status(a) }),
        );
      }
      this.delivered(topic.accounts.length);
    }
  }

  unwatch(sub: Subscription): void {
    const topic = sub.topic;
    if (topic.kind === "dm") unfile(this.dm, sub.session.address!, sub);
    else if (topic.kind === "notifications") unfile(this.notify, sub.session.address!, sub);
    else if (topic.kind === "presence") for (const a of topic.accounts) unfile(this.watching, a, sub);
  }

  /** A session proved its account: the account is online here while it holds a session. */
  authenticated(session: StreamSession): void {
    this.node.presence.connect(session.address!);
  }

  closed(session: StreamSession): void {
    if (session.address) this.node.presence.disconnect(session.address);
  }

  private send(subs: Iterable<Subscription> | undefined, frameOf: (sub: string) => string): void {
    let n = 0;
    for (const sub of subs ?? []) {
      if (sub.cancelled || sub.session.closed) continue;
      if (sub.session.send(frameOf(sub.id))) n++;
    }
    if (n > 0) this.delivered(n);
  }

  private onDm(e: DmLiveEvent): void {
    for (const member of e.members)
      this.send(this.dm.get(member), (sub) => ephemeralFrame(sub, e.type, e.attributes));
    // A DM request is also a notification of the account it asks.
    if (e.type !== "dm.message" || e.attributes.request !== "true") return;
    const { conversation, id, sender, sent_at } = e.attributes;
    for (const member of e.members) {
      if (member === sender) continue;
      this.send(this.notify.get(member), (sub) =>
        ephemeralFrame(sub, "dm.request", {
          conversation: conversation!,
          id: id!,
          from: sender!,
          sent_at: sent_at!,
        }),
      );
    }
  }

  private onTyping(from: string, conversation: string, to: readonly string[]): void {
    for (const member of to)
      this.send(this.dm.get(member), (sub) => ephemeralFrame(sub, "dm.typing", { conversation, from }));
  }

  private onPresence(address: string, status: PresenceStatus): void {
    this.send(this.watching.get(address), (sub) => ephemeralFrame(sub, "presence", { address, status }));
  }
}

function file(map: Map<string, Set<Subscription>>, key: string, sub: Subscription): void {
  let set = map.get(key);
  if (!set) {
    set = new Set();
    map.set(key, set);
  }
  set.add(sub);
}

function unfile(map: Map<string, Set<Subscription>>, key: string, sub: Subscription): void {
  const set = map.get(key);
  if (!set) return;
  set.delete(sub);
  if (set.size === 0) map.delete(key);
}
