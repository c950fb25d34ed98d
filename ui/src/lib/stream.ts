/**
 * The live connection to the node's `/v1/stream` (docs/realtime.md): answers the ADR-036 challenge
 * with the signed-in key, keeps the app's subscriptions, reconnects with backoff and resumes each
 * subscription from the cursor of the last event it delivered, so nothing is missed or repeated.
 */

export type Topic =
  | { kind: "blocks" }
  | { kind: "community"; id: string }
  | { kind: "thread"; post: string }
  | { kind: "notifications" }
  | { kind: "dm" }
  | { kind: "presence"; accounts: string[] };

export interface StreamEvent {
  readonly sub: string;
  readonly cursor?: string;
  readonly height?: string;
  readonly tx?: string;
  readonly type: string;
  readonly attributes: Record<string, string>;
}

export type StreamStatus = "connecting" | "live" | "offline";

export type StreamAuth = (chainId: string, nonce: string) => Promise<{ pub_key: string; signature: string }>;

interface Subscription {
  readonly topic: Topic;
  readonly handler: (e: StreamEvent) => void;
  cursor: string | undefined;
}

let counter = 0;

export class LiveStream {
  private ws: WebSocket | undefined;
  private readonly subs = new Map<string, Subscription>();
  private readonly statusListeners = new Set<(s: StreamStatus) => void>();
  private status: StreamStatus = "connecting";
  private authenticated = false;
  private closed = false;
  private retry = 0;
  private retryTimer: ReturnType<typeof setTimeout> | undefined;
  private pingTimer: ReturnType<typeof setInterval> | undefined;

  constructor(
    private readonly url: string,
    private readonly address: string,
    private readonly auth: StreamAuth,
  ) {
    this.open();
  }

  onStatus(fn: (s: StreamStatus) => void): () => void {
    this.statusListeners.add(fn);
    fn(this.status);
    return () => this.statusListeners.delete(fn);
  }

  /** Subscribes while the returned function is not called; survives reconnects. */
  subscribe(topic: Topic, handler: (e: StreamEvent) => void): () => void {
    counter += 1;
    const id = `s${counter}`;
    this.subs.set(id, { topic, handler, cursor: undefined });
    if (this.authenticated) this.send({ type: "subscribe", id, topic });
    return () => {
      this.subs.delete(id);
      if (this.authenticated) this.send({ type: "unsubscribe", id });
    };
  }

  /** Sends a client frame (`presence`, `typing`) when connected; dropped otherwise (they are live only). */
  sendFrame(frame: { type: "presence" | "typing" } & Record<string, unknown>): void {
    if (this.authenticated) this.send(frame);
  }

  close(): void {
    this.closed = true;
    clearTimeout(this.retryTimer);
    clearInterval(this.pingTimer);
    this.ws?.close(1000);
    this.setStatus("offline");
  }

  private setStatus(s: StreamStatus): void {
    if (this.status === s) return;
    this.status = s;
    for (const fn of this.statusListeners) fn(s);
  }

  private send(frame: unknown): void {
    if (this.ws?.readyState === WebSocket.OPEN) this.ws.send(JSON.stringify(frame));
  }

  private open(): void {
    if (this.closed) return;
    this.setStatus("connecting");
    this.authenticated = false;
    let ws: WebSocket;
    try {
      ws = new WebSocket(this.url);
    } catch {
      this.scheduleReconnect();
      return;
    }
    this.ws = ws;
    ws.onmessage = (msg) => {
      if (typeof msg.data !== "string") return;
      let frame: Record<string, unknown>;
      try {
        frame = JSON.parse(msg.data) as Record<string, unknown>;
      } catch {
        return;
      }
      void this.onFrame(frame);
    };
    ws.onclose = () => {
      clearInterval(this.pingTimer);
      if (this.ws === ws) this.scheduleReconnect();
    };
    ws.onerror = () => undefined;
  }

  private scheduleReconnect(): void {
    this.authenticated = false;
    if (this.closed) return;
    this.setStatus(this.retry > 0 ? "offline" : "connecting");
    const delay = Math.min(15_000, 500 * 2 ** this.retry) * (0.75 + Math.random() * 0.5);
    this.retry += 1;
    this.retryTimer = setTimeout(() => this.open(), delay);
  }

  private async onFrame(frame: Record<string, unknown>): Promise<void> {
    switch (frame.type) {
      case "challenge": {
        try {
          const signed = await this.auth(String(frame.chain_id), String(frame.nonce));
          this.send({ type: "auth", address: this.address, ...signed });
        } catch {
          this.ws?.close();
        }
        return;
      }
      case "authenticated": {
        this.authenticated = true;
        this.retry = 0;
        this.setStatus("live");
        for (const [id, sub] of this.subs) {
          this.send({ type: "subscribe", id, topic: sub.topic, ...(sub.cursor ? { from: sub.cursor } : {}) });
        }
        clearInterval(this.pingTimer);
        this.pingTimer = setInterval(() => this.send({ type: "ping" }), 25_000);
        return;
      }
      case "event": {
        const id = String(frame.sub);
        const sub = this.subs.get(id);
        const event = frame.event as { type?: string; attributes?: Record<string, string> } | undefined;
        if (!sub || !event?.type) return;
        if (typeof frame.cursor === "string") sub.cursor = frame.cursor;
        sub.handler({
          sub: id,
          type: event.type,
          attributes: event.attributes ?? {},
          ...(typeof frame.cursor === "string" ? { cursor: frame.cursor } : {}),
          ...(typeof frame.height === "string" ? { height: frame.height } : {}),
          ...(typeof frame.tx === "string" ? { tx: frame.tx } : {}),
        });
        return;
      }
      case "error": {
        // A resume point the node no longer keeps: continue live from now.
        const id = typeof frame.sub === "string" ? frame.sub : undefined;
        const sub = id ? this.subs.get(id) : undefined;
        if (
          sub &&
          id &&
          (frame.code === "CURSOR_TOO_OLD" || frame.code === "CURSOR_AHEAD" || frame.code === "BAD_CURSOR")
        ) {
          sub.cursor = undefined;
          this.send({ type: "subscribe", id, topic: sub.topic });
        }
        return;
      }
      default:
        return;
    }
  }
}
