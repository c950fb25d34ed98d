/**
 * A node's ephemeral layer: presence (online / away / busy / offline) of the accounts connected to
 * it and typing indicators, relayed to every node over the gossip topic `/vivim/<chain>/presence/1`
 * and handed to live listeners (the stream). Nothing here is stored: presence lives in a board in
 * memory with a TTL, typing is forwarded and forgotten.
 *
 * Presence is reported by the node that holds the account's authenticated session; the other nodes
 * take its word (only permissioned nodes can join the topic). Typing is checked against the DM
 * policy on every node: only to members who accepted the typist, never across a block.
 *
 * Gossip: one byte of kind (1 presence, 2 typing) and a JSON payload of at most 2 KiB.
 */

import type { DmPolicy } from "../dm/policy.js";
import type { P2pHost } from "../p2p/host.js";
import type { Verdict } from "../p2p/verdict.js";
import type { Logger } from "../util/logger.js";
import { isPresenceStatus, PresenceBoard, type PresenceStatus } from "./board.js";

const PRESENCE = 1;
const TYPING = 2;
const MAX_PAYLOAD_BYTES = 2_048;
/** A report lapses after this unless renewed; nodes renew every REANNOUNCE_MS. */
export const PRESENCE_TTL_MS = 90_000;
const REANNOUNCE_MS = 30_000;
const SWEEP_MS = 5_000;
/** A typist's indicator reaches a conversation at most this often (more are dropped). */
export const TYPING_INTERVAL_MS = 1_000;
/** An indicator older than this when it arrives is dropped. */
const MAX_TYPING_AGE_MS = 10_000;
/** Recipients of one typing indicator (a group of 32). */
export const MAX_TYPING_RECIPIENTS = 31;

const ADDRESS = /^[a-z0-9]{1,20}1[02-9ac-hj-np-z]{38,90}$/;
const HEX32 = /^[0-9a-f]{64}$/;

export const presenceTopic = (chainId: string) => `/vivim/${chainId}/presence/1`;

export interface PresenceListener {
  presence?(address: string, status: PresenceStatus): void;
  typing?(from: string, conversation: string, to: readonly string[]): void;
}

export type PresenceErrorCode = "BAD_PRESENCE" | "NOT_CONNECTED";

export class PresenceError extends Error {
  override readonly name = "PresenceError";
  constructor(
    readonly code: PresenceErrorCode,
    message: string,
  ) {
    super(message);
  }
}

interface Local {
  sessions: number;
  status: PresenceStatus;
}

export class PresenceNode {
  readonly board = new PresenceBoard();
  private readonly local = new Map<string, Local>();
  private readonly listeners = new Set<PresenceListener>();
  private readonly lastTyping = new Map<string, number>();
  private readonly topic: string;
  private timers: NodeJS.Timeout[] = [];

  constructor(
    private readonly nodeId: string,
    chainId: string,
    private readonly host: P2pHost,
    private readonly policy: () => DmPolicy,
    private readonly log: Logger,
    private readonly clock: () => number = Date.now,
  ) {
    this.topic = presenceTopic(chainId);
    host.subscribe(this.topic, "presence", MAX_PAYLOAD_BYTES + 1, (data) => this.receive(data));
  }

  start(): void {
    if (this.timers.length > 0) return;
    this.timers = [
      setInterval(() => this.reannounce(), REANNOUNCE_MS),
      setInterval(() => this.sweep(), SWEEP_MS),
    ];
    for (const t of this.timers) t.unref();
  }

  stop(): void {
    for (const t of this.timers) clearInterval(t);
    this.timers = [];
  }

  listen(l: PresenceListener): () => void {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  }

  /** An authenticated session of `address` opened here: it is online (or its chosen status). */
  connect(address: string): void {
    const held = this.local.get(address);
    if (held) {
      held.sessions += 1;
      return;
    }
    this.local.set(address, { sessions: 1, status: "online" });
    this.announce(address, "online");
  }

  /** One of its sessions closed; with the last one the account goes offline. */
  disconnect(address: string): void {
    const held = this.local.get(address);
    if (!held) return;
    held.sessions -= 1;
    if (held.sessions > 0) return;
    this.local.delete(address);
    this.announce(address, "offline");
  }

  /** The account's chosen status, from one of its sessions here. */
  setStatus(address: string, status: PresenceStatus): void {
    const held = this.local.get(address);
    if (!held) throw new PresenceError("NOT_CONNECTED", "the account has no session on this node");
    held.status = status;
    this.announce(address, status);
  }

  status(address: string): PresenceStatus {
    return this.board.status(address, this.clock());
  }

  /**
   * `from` is typing in `conversation` to `to`: told to those who accepted `from` (on every node),
   * at most once a second per conversation. Returns the recipients it went to.
   */
  async typing(from: string, conversation: string, to: readonly string[]): Promise<string[]> {
    checkTyping(from, conversation, to);
    const now = this.clock();
    const key = `${from}\n${conversation}`;
    if (now - (this.lastTyping.get(key) ?? 0) < TYPING_INTERVAL_MS) return [];
    this.lastTyping.set(key, now);
    if (this.lastTyping.size > 50_000) this.lastTyping.delete(this.lastTyping.keys().next().value as string);
    const allowed = await this.allowedRecipients(from, to);
    if (allowed.length === 0) return [];
    // `at` also keeps each indicator distinct: gossip message ids are content hashes.
    this.publish(TYPING, { from, conversation, to: allowed, at: now });
    this.emitTyping(from, conversation, allowed);
    return allowed;
  }

  private async allowedRecipients(from: string, to: readonly string[]): Promise<string[]> {
    const nowSeconds = Math.floor(this.clock() / 1000);
    const out: string[] = [];
    for (const member of new Set(to)) {
      if (member === from) continue;
      try {
        await this.policy().checkDelivery(from, member, "message", nowSeconds);
        out.push(member);
      } catch {
        // not accepted, or blocked: no indicator
      }
    }
    return out;
  }

  private announce(address: string, status: PresenceStatus): void {
    const at = this.clock();
    this.apply(address, this.nodeId, status, at, PRESENCE_TTL_MS);
    this.publish(PRESENCE, { origin: this.nodeId, address, status, at, ttl_ms: PRESENCE_TTL_MS });
  }

  private reannounce(): void {
    for (const [address, l] of this.local) this.announce(address, l.status);
  }

  private sweep(): void {
    for (const [address, status] of this.board.sweep(this.clock())) this.emitPresence(address, status);
  }

  private apply(address: string, origin: string, status: PresenceStatus, at: number, ttlMs: number): void {
    const changed = this.board.report(address, origin, { status, at, ttlMs }, this.clock());
    if (changed) this.emitPresence(address, changed);
  }

  private publish(kind: number, payload: object): void {
    const bytes = new TextEncoder().encode(JSON.stringify(payload));
    void this.host.publish(this.topic, Uint8Array.from([kind, ...bytes]));
  }

  private emitPresence(address: string, status: PresenceStatus): void {
    for (const l of this.listeners) this.safely(() => l.presence?.(address, status));
  }

  private emitTyping(from: string, conversation: string, to: readonly string[]): void {
    for (const l of this.listeners) this.safely(() => l.typing?.(from, conversation, to));
  }

  private safely(f: () => void): void {
    try {
      f();
    } catch (err) {
      this.log.warn(
        { code: "PRESENCE_LISTENER_FAILED", err: (err as Error).message },
        "presence listener failed",
      );
    }
  }

  private async receive(data: Uint8Array): Promise<Verdict> {
    if (data.length > MAX_PAYLOAD_BYTES + 1) return { reject: "oversized" };
    let p: Record<string, unknown>;
    try {
      p = JSON.parse(new TextDecoder().decode(data.subarray(1))) as Record<string, unknown>;
      if (typeof p !== "object" || p === null) return { reject: "malformed" };
    } catch {
      return { reject: "malformed" };
    }
    if (data[0] === PRESENCE) {
      const { origin, address, status, at, ttl_ms: ttl } = p;
      if (
        typeof origin !== "string" ||
        origin.length > 64 ||
        origin === this.nodeId ||
        typeof address !== "string" ||
        !ADDRESS.test(address) ||
        !isPresenceStatus(status) ||
        !Number.isSafeInteger(at) ||
        !Number.isSafeInteger(ttl) ||
        (ttl as number) <= 0 ||
        (ttl as number) > 2 * PRESENCE_TTL_MS
      )
        return { reject: "malformed" };
      this.apply(address, origin, status, at as number, ttl as number);
      return "accept";
    }
    if (data[0] === TYPING) {
      const { from, conversation, to, at } = p;
      try {
        checkTyping(from, conversation, to);
      } catch {
        return { reject: "malformed" };
      }
      if (!Number.isSafeInteger(at)) return { reject: "malformed" };
      // A stale indicator (delayed in transit) means nothing any more.
      if (Math.abs(this.clock() - (at as number)) > MAX_TYPING_AGE_MS) return "ignore";
      const allowed = await this.allowedRecipients(from as string, to as string[]);
      if (allowed.length > 0) this.emitTyping(from as string, conversation as string, allowed);
      return "accept";
    }
    return { reject: "malformed" };
  }
}

function checkTyping(from: unknown, conversation: unknown, to: unknown): void {
  if (typeof from !== "string" || !ADDRESS.test(from))
    throw new PresenceError("BAD_PRESENCE", "from is not an address");
  if (typeof conversation !== "string" || !HEX32.test(conversation))
    throw new PresenceError("BAD_PRESENCE", "conversation is 64 lowercase hex characters");
  if (
    !Array.isArray(to) ||
    to.length === 0 ||
    to.length > MAX_TYPING_RECIPIENTS ||
    !to.every((a) => typeof a === "string" && ADDRESS.test(a))
  )
    throw new PresenceError("BAD_PRESENCE", `to is 1..${MAX_TYPING_RECIPIENTS} addresses`);
}
