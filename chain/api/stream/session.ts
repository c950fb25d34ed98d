/**
 * One `/v1/stream` connection: its challenge, the account it proved, its subscriptions, and the one
 * way bytes leave for it (`send`), which enforces the pending-bytes cap instead of ever waiting.
 */
import type { WebSocket } from "ws";
import { type Cursor, compareCursors } from "./cursor.js";
import { errorFrame, type StreamErrorCode, type Topic } from "./protocol.js";

/** Close code for a slow consumer (application range). */
export const CLOSE_SLOW_CONSUMER = 4008;
export const CLOSE_POLICY = 1008;

export interface Subscription {
  readonly id: string;
  readonly topic: Topic;
  /** Events at or before this cursor are not delivered again (the last delivered, or `from`). */
  after: Cursor;
  /** While replaying from the block store, live matches wait here (in commit order). */
  replaying: boolean;
  pending: Array<{ readonly cursor: Cursor; readonly frame: string }>;
  cancelled: boolean;
}

export class StreamSession {
  address: string | undefined;
  readonly subs = new Map<string, Subscription>();
  /** Bytes of frames queued in replaying subscriptions' `pending`. */
  pendingBytes = 0;
  closed = false;

  constructor(
    readonly socket: WebSocket,
    readonly nonce: string,
    private readonly maxPendingBytes: number,
    private readonly onSlow: (s: StreamSession) => void,
  ) {}

  /** Unsent bytes held for this session: the socket's buffer plus replay queues. */
  get heldBytes(): number {
    return this.socket.bufferedAmount + this.pendingBytes;
  }

  /** Sends a frame, or drops the session when it holds too much already. False when not sent. */
  send(frame: string): boolean {
    if (this.closed || this.socket.readyState !== this.socket.OPEN) return false;
    if (this.heldBytes + frame.length > this.maxPendingBytes) {
      this.onSlow(this);
      return false;
    }
    this.socket.send(frame);
    return true;
  }

  /** Sends a control frame (challenge, ack, error, pong) without the cap: they are small and rare. */
  reply(frame: string): void {
    if (!this.closed && this.socket.readyState === this.socket.OPEN) this.socket.send(frame);
  }

  error(code: StreamErrorCode, message: string, sub?: string): void {
    this.reply(errorFrame(code, message, sub));
  }

  /** Delivers a matching event frame to `sub` once, in order, queueing it while `sub` replays. */
  deliver(sub: Subscription, cursor: Cursor, frame: string): boolean {
    if (sub.cancelled || compareCursors(cursor, sub.after) <= 0) return false;
    if (sub.replaying) {
      if (this.heldBytes + frame.length > this.maxPendingBytes) {
        this.onSlow(this);
        return false;
      }
      sub.pending.push({ cursor, frame });
      this.pendingBytes += frame.length;
      return false;
    }
    if (!this.send(frame)) return false;
    sub.after = cursor;
    return true;
  }

  /** Sends an event read from the block store during `sub`'s replay (live ones wait in `pending`). */
  deliverReplayed(sub: Subscription, cursor: Cursor, frame: string): boolean {
    if (sub.cancelled || compareCursors(cursor, sub.after) <= 0) return false;
    if (!this.send(frame)) return false;
    sub.after = cursor;
    return true;
  }

  /** Ends a replay: sends what waited, in order, and goes live. Returns the frames sent. */
  flushPending(sub: Subscription): number {
    let sent = 0;
    const pending = sub.pending;
    sub.pending = [];
    for (const p of pending) this.pendingBytes -= p.frame.length;
    sub.replaying = false;
    for (const p of pending) {
      if (this.closed) break;
      if (this.deliver(sub, p.cursor, p.frame)) sent++;
    }
    return sent;
  }

  drop(sub: Subscription): void {
    sub.cancelled = true;
    for (const p of sub.pending) this.pendingBytes -= p.frame.length;
    sub.pending = [];
    this.subs.delete(sub.id);
  }

  close(code: number, reason: string): void {
    if (this.closed) return;
    this.closed = true;
    for (const sub of [...this.subs.values()]) this.drop(sub);
    this.socket.close(code, reason);
    // A peer that never reads never answers the close handshake either: hold it at most 10 s (its unsent bytes are capped).
    setTimeout(() => this.socket.terminate(), 10_000).unref();
  }
}

export const slowConsumerMessage = (max: number) =>
  `more than ${max} bytes of events waited for this session; reconnect and resume from your last cursor`;
