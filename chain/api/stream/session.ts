/**
 * One `/v1/stream` connection: its challenge, the account it proved, its subscriptions, and the one
 * way bytes leave for it (`send`), which enforces the pending-bytes cap instead of ever waiting.
 */
import type { Duplex } from "node:stream";
import type { WebSocket } from "ws";
import { type Cursor, compareCursors } from "./cursor.js";
import { errorFrame, type StreamErrorCode, type Topic } from "./protocol.js";

/** Close code for a slow consumer (application range). */
export const CLOSE_SLOW_CONSUMER = 4008;
export const CLOSE_POLICY = 1008;

export interface Subscription {
  readonly id: string;
  /** The session holding it. */
  readonly session: StreamSession;
  readonly topic: Topic;
  /** Events at or before this cursor are not delivered again (the last delivered, or `from`). */
  after: Cursor;
  /** While replaying from the block store, live matches wait here (in commit order). */
  replaying: boolean;
  pending: Array<{ readonly cursor: Cursor; readonly frame: Frame }>;
  cancelled: boolean;
}

/**
 * An event frame: JSON text (sent through `ws`), or a complete WebSocket text frame already framed
 * (event-frame.ts `wsTextFrame`), possibly shared between sessions, written to the connection as
 * is. Writing framed bytes next to `ws` is sound because the hub's `ws` never compresses
 * (`perMessageDeflate: false`) nor fragments, so it never holds a frame half-written or queued:
 * each `ws.send` writes its whole frame at once, and so does this.
 */
export type Frame = string | Buffer;

export class StreamSession {
  address: string | undefined;
  readonly subs = new Map<string, Subscription>();
  /** Bytes of frames queued in replaying subscriptions' `pending`. */
  pendingBytes = 0;
  closed = false;
  /** Between `hold` and `release`: framed frames waiting to go out in one write. */
  private batch: Buffer[] | undefined;
  private batchBytes = 0;

  constructor(
    readonly socket: WebSocket,
    readonly nonce: string,
    private readonly maxPendingBytes: number,
    private readonly onSlow: (s: StreamSession) => void,
    /** Told of every subscription leaving the session (unsubscribe, close, drop). */
    private readonly onDrop: (s: StreamSession, sub: Subscription) => void,
    /** The connection under `socket` (what the HTTP upgrade handed over): framed frames go here. */
    private readonly transport: Duplex,
  ) {}

  /**
   * Collects the framed frames sent from now on (still counted in `heldBytes`) until `release`
   * writes them to the connection at once: one write (one system call) for all the frames a block
   * brings this session instead of one per frame. True when this call started collecting.
   */
  hold(): boolean {
    if (this.batch) return false;
    this.batch = [];
    return true;
  }

  release(): void {
    const batch = this.batch;
    this.batch = undefined;
    this.batchBytes = 0;
    if (!batch || batch.length === 0 || !this.writable()) return;
    this.transport.write(batch.length === 1 ? batch[0] : Buffer.concat(batch));
  }

  /** Unsent bytes held for this session: the socket's buffer, a held batch and replay queues. */
  get heldBytes(): number {
    return this.socket.bufferedAmount + this.batchBytes + this.pendingBytes;
  }

  private writable(): boolean {
    return (
      !this.closed &&
      this.socket.readyState === this.socket.OPEN &&
      !this.transport.destroyed &&
      this.transport.writable
    );
  }

  /** Sends a frame, or drops the session when it holds too much already. False when not sent. */
  send(frame: Frame): boolean {
    if (!this.writable()) return false;
    if (this.heldBytes + frame.length > this.maxPendingBytes) {
      this.onSlow(this);
      return false;
    }
    if (typeof frame === "string") {
      this.flushBatch();
      this.socket.send(frame);
    } else if (this.batch) {
      this.batch.push(frame);
      this.batchBytes += frame.length;
    } else this.transport.write(frame);
    return true;
  }

  /** Writes a held batch now (before a frame sent through `ws`, to keep the order), holding on. */
  private flushBatch(): void {
    if (!this.batch || this.batch.length === 0) return;
    this.release();
    this.batch = [];
  }

  /** Sends a control frame (challenge, ack, error, pong) without the cap: they are small and rare. */
  reply(frame: string): void {
    if (this.closed || this.socket.readyState !== this.socket.OPEN) return;
    this.flushBatch();
    this.socket.send(frame);
  }

  error(code: StreamErrorCode, message: string, sub?: string): void {
    this.reply(errorFrame(code, message, sub));
  }

  /** Delivers a matching event frame to `sub` once, in order, queueing it while `sub` replays. */
  deliver(sub: Subscription, cursor: Cursor, frame: Frame): boolean {
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
  deliverReplayed(sub: Subscription, cursor: Cursor, frame: Frame): boolean {
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
    if (sub.cancelled) return;
    sub.cancelled = true;
    for (const p of sub.pending) this.pendingBytes -= p.frame.length;
    sub.pending = [];
    this.subs.delete(sub.id);
    this.onDrop(this, sub);
  }

  close(code: number, reason: string): void {
    if (this.closed) return;
    this.batch = undefined;
    this.batchBytes = 0;
    this.closed = true;
    for (const sub of [...this.subs.values()]) this.drop(sub);
    this.socket.close(code, reason);
    // A peer that never reads never answers the close handshake either: hold it at most 10 s (its unsent bytes are capped).
    setTimeout(() => this.socket.terminate(), 10_000).unref();
  }
}

export const slowConsumerMessage = (max: number) =>
  `more than ${max} bytes of events waited for this session; reconnect and resume from your last cursor`;
