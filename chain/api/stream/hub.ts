/**
 * `/v1/stream`: the app API's live event stream. Each committed block (the consensus `committed`
 * event, as the RPC's `/websocket` gets it) becomes its ordered stream events (block-events.ts),
 * routed to subscriptions (routing.ts) of authenticated sessions (auth.ts). A subscription with
 * `from` first replays matching events after that cursor from the block store while its live
 * matches wait in a queue, then flushes the queue: no gap, no duplicate, commit order throughout.
 * A session holding more than `maxPendingBytes` unsent is told SLOW_CONSUMER and closed; the node
 * never waits for a client (only a session's own replay pauses for its socket to drain, bounded by
 * `drainTimeoutMs`).
 *
 * Fan-out cost (10,000 sessions on one node, `npm run bench:realtime`): live subscriptions are kept
 * in a topic index (topic-index.ts), so an event visits only the subscriptions that may want it and
 * `matches` decides among those; each event is serialized and framed once per distinct `sub` id
 * (event-frame.ts); and a session's frames of one block leave in one write (session.ts `hold`).
 */
import type { IncomingMessage } from "node:http";
import type { Duplex } from "node:stream";
import { type WebSocket, WebSocketServer } from "ws";
import type { CommittedBlock } from "../../consensus/engine.js";
import type { NodeComponents } from "../../node/node.js";
import type { Logger } from "../../util/logger.js";
import { newNonce, verifyStreamAuth } from "./auth.js";
import { committedStreamEvents, eventFrame, type StreamEvent, storedStreamEvents } from "./block-events.js";
import { ContentMetaReader } from "./content-meta.js";
import { type Cursor, compareCursors, formatCursor } from "./cursor.js";
import { EphemeralTopics } from "./ephemeral.js";
import { eventFramer } from "./event-frame.js";
import {
  type ClientFrame,
  DEFAULT_STREAM_LIMITS,
  isEphemeralTopic,
  parseClientFrame,
  StreamError,
  StreamErrorCode,
  type StreamLimits,
  type Topic,
} from "./protocol.js";
import { matches, type RouteMeta } from "./routing.js";
import {
  CLOSE_POLICY,
  CLOSE_SLOW_CONSUMER,
  StreamSession,
  type Subscription,
  slowConsumerMessage,
} from "./session.js";
import { TopicIndex } from "./topic-index.js";

export const STREAM_PATH = "/v1/stream";
/** Stored blocks' routed events kept for replays running at the same time. */
const REPLAY_CACHE_BLOCKS = 256;

export interface StreamHubOptions extends StreamLimits {
  /** How long a replay waits for its socket to drain below half the cap before SLOW_CONSUMER. */
  readonly drainTimeoutMs: number;
}

export const DEFAULT_STREAM_OPTIONS: StreamHubOptions = { ...DEFAULT_STREAM_LIMITS, drainTimeoutMs: 10_000 };

type Routed = { readonly event: StreamEvent; readonly meta: RouteMeta | undefined };

export class StreamHub {
  private readonly opts: StreamHubOptions;
  private readonly log: Logger;
  private wss: WebSocketServer | undefined;
  private readonly sessions = new Set<StreamSession>();
  private readonly perAddress = new Map<string, number>();
  /** Every live subscription of every authenticated session, by topic (what dispatch walks). */
  private readonly index = new TopicIndex<Subscription>();
  private readonly metas: ContentMetaReader;
  /** The off-chain topics (DMs, presence, typing). */
  private readonly ephemeral: EphemeralTopics;
  private readonly replayCache = new Map<bigint, Promise<Routed[]>>();
  /** The last height whose events went through `dispatch` (replays read the store up to it). */
  private dispatched = 0n;
  /** Blocks are dispatched one after another, in commit order. */
  private queue: Promise<void> = Promise.resolve();
  private readonly onCommitted = (c: CommittedBlock): void => {
    this.queue = this.queue
      .then(() => this.dispatchBlock(c))
      .catch((err: unknown) => {
        this.log.error({ err }, "stream dispatch failed");
      });
  };

  constructor(
    private readonly node: NodeComponents,
    logger: Logger,
    opts: Partial<StreamHubOptions> = {},
  ) {
    this.opts = { ...DEFAULT_STREAM_OPTIONS, ...opts };
    this.log = logger.child({ component: "stream" });
    this.metas = new ContentMetaReader(node);
    this.ephemeral = new EphemeralTopics(node, (n) => node.metrics.streamEventsDelivered.inc(n));
  }

  start(): void {
    if (this.wss) return;
    // A frame up to 4x the cap is read and answered FRAME_TOO_LARGE; a bigger one closes the socket (1009).
    // No compression: sessions write pre-framed event frames next to ws (session.ts `Frame`).
    this.wss = new WebSocketServer({
      noServer: true,
      maxPayload: this.opts.maxFrameBytes * 4,
      perMessageDeflate: false,
    });
    this.dispatched = this.node.blockStore.latestHeight;
    this.node.consensus.on("committed", this.onCommitted);
    this.ephemeral.start();
  }

  async stop(): Promise<void> {
    const wss = this.wss;
    if (!wss) return;
    this.wss = undefined;
    this.node.consensus.off("committed", this.onCommitted);
    this.ephemeral.stop();
    for (const s of [...this.sessions]) {
      this.forget(s);
      s.socket.terminate();
    }
    await this.queue;
    await new Promise<void>((resolve) => wss.close(() => resolve()));
  }

  /** Takes over an HTTP upgrade for `STREAM_PATH` (503 when the node has its maximum of sessions). */
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    const wss = this.wss;
    if (!wss) {
      socket.end("HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\n\r\n");
      return;
    }
    if (this.sessions.size >= this.opts.maxSessions) {
      socket.end("HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\n\r\n");
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => this.accept(ws, socket));
  }

  private accept(ws: WebSocket, transport: Duplex): void {
    const session = new StreamSession(
      ws,
      newNonce(),
      this.opts.maxPendingBytes,
      (s) => this.slow(s),
      (s, sub) => {
        this.ephemeral.unwatch(sub);
        if (!isEphemeralTopic(sub.topic)) this.index.delete(sub.topic, s.address!, sub);
      },
      transport,
    );
    this.sessions.add(session);
    this.node.metrics.streamSessions.inc();
    const authTimer = setTimeout(() => {
      if (session.address || session.closed) return;
      session.error(StreamErrorCode.Unauthenticated, "no valid auth frame in time");
      session.close(CLOSE_POLICY, "UNAUTHENTICATED");
    }, this.opts.authTimeoutMs);
    authTimer.unref();
    ws.on("message", (data, isBinary) => {
      if (session.closed) return;
      if (isBinary) session.error(StreamErrorCode.BadFrame, "binary frames are not supported");
      else this.onFrame(session, data.toString());
    });
    const gone = () => {
      clearTimeout(authTimer);
      this.forget(session);
    };
    ws.on("close", gone);
    ws.on("error", gone);
    session.reply(
      JSON.stringify({ type: "challenge", chain_id: this.node.genesis.chain_id, nonce: session.nonce }),
    );
  }

  private forget(session: StreamSession): void {
    session.closed = true;
    for (const sub of [...session.subs.values()]) session.drop(sub);
    if (!this.sessions.delete(session)) return;
    if (session.address) {
      this.ephemeral.closed(session);
      const n = (this.perAddress.get(session.address) ?? 1) - 1;
      if (n <= 0) this.perAddress.delete(session.address);
      else this.perAddress.set(session.address, n);
    }
    this.node.metrics.streamSessions.dec();
  }

  private slow(session: StreamSession): void {
    if (session.closed) return;
    this.node.metrics.streamSlowConsumerDrops.inc();
    this.log.warn({ address: session.address, held: session.heldBytes }, "stream session too slow; closing");
    session.error(StreamErrorCode.SlowConsumer, slowConsumerMessage(this.opts.maxPendingBytes));
    session.close(CLOSE_SLOW_CONSUMER, "SLOW_CONSUMER");
    this.forget(session);
  }

  private onFrame(session: StreamSession, text: string): void {
    let frame: ClientFrame;
    try {
      frame = parseClientFrame(text, this.opts.maxFrameBytes);
    } catch (err) {
      if (!(err instanceof StreamError)) throw err;
      session.error(err.code, err.message);
      return;
    }
    if (!session.address) {
      if (frame.type === "auth") this.authenticate(session, frame);
      else session.error(StreamErrorCode.Unauthenticated, "authenticate first");
      return;
    }
    try {
      this.handleFrame(session, frame);
    } catch (err) {
      if (err instanceof StreamError) {
        const sub = frame.type === "subscribe" || frame.type === "unsubscribe" ? frame.id : undefined;
        session.error(err.code, err.message, sub);
        return;
      }
      this.log.error({ err }, "stream frame failed");
      session.error(StreamErrorCode.Internal, "internal error");
    }
  }

  /** A frame of an authenticated session; throws StreamError to refuse it. */
  private handleFrame(session: StreamSession, frame: ClientFrame): void {
    switch (frame.type) {
      case "auth":
        throw new StreamError(StreamErrorCode.AlreadyAuthenticated, "this session is authenticated");
      case "ping":
        session.reply('{"type":"pong"}');
        break;
      case "unsubscribe": {
        const sub = session.subs.get(frame.id);
        if (!sub) throw new StreamError(StreamErrorCode.UnknownSubscription, "no such subscription");
        session.drop(sub);
        session.reply(JSON.stringify({ type: "unsubscribed", id: frame.id }));
        break;
      }
      case "subscribe":
        this.subscribe(session, frame.id, frame.topic, frame.from);
        break;
      case "presence":
        this.node.presence.setStatus(session.address!, frame.status);
        break;
      case "typing":
        this.node.presence.typing(session.address!, frame.conversation, frame.to).catch((err: unknown) => {
          this.log.warn({ err: (err as Error).message }, "typing indicator failed");
          session.error(StreamErrorCode.Internal, "the typing indicator could not be sent");
        });
        break;
    }
  }

  private authenticate(session: StreamSession, frame: Extract<ClientFrame, { type: "auth" }>): void {
    if (!verifyStreamAuth(frame, this.node.genesis.chain_id, session.nonce)) {
      session.error(
        StreamErrorCode.BadSignature,
        "the signature does not verify for this address and challenge",
      );
      session.close(CLOSE_POLICY, "BAD_SIGNATURE");
      this.forget(session);
      return;
    }
    const held = this.perAddress.get(frame.address) ?? 0;
    if (held >= this.opts.maxSessionsPerAddress) {
      session.error(
        StreamErrorCode.TooManySessions,
        `an address may hold ${this.opts.maxSessionsPerAddress} sessions on this node`,
      );
      session.close(CLOSE_POLICY, "TOO_MANY_SESSIONS");
      this.forget(session);
      return;
    }
    session.address = frame.address;
    this.perAddress.set(frame.address, held + 1);
    this.ephemeral.authenticated(session);
    this.log.debug({ address: frame.address }, "stream session authenticated");
    session.reply(JSON.stringify({ type: "authenticated", address: frame.address }));
  }

  private subscribe(session: StreamSession, id: string, topic: Topic, from: Cursor | undefined): void {
    if (session.subs.has(id))
      throw new StreamError(StreamErrorCode.DuplicateSubscription, "id already in use");
    if (session.subs.size >= this.opts.maxSubscriptionsPerSession) {
      throw new StreamError(
        StreamErrorCode.TooManySubscriptions,
        `at most ${this.opts.maxSubscriptionsPerSession} subscriptions per session`,
      );
    }
    if (isEphemeralTopic(topic)) {
      const sub: Subscription = {
        id,
        session,
        topic,
        after: { height: 0n, index: 0 },
        replaying: false,
        pending: [],
        cancelled: false,
      };
      session.subs.set(id, sub);
      session.reply(JSON.stringify({ type: "subscribed", id }));
      this.ephemeral.watch(sub);
      return;
    }
    const tip = this.node.blockStore.latestHeight;
    if (from) {
      if (from.height > tip)
        throw new StreamError(StreamErrorCode.CursorAhead, `from is above the latest block ${tip}`);
      if (tip - from.height > BigInt(this.opts.maxReplayBlocks))
        throw new StreamError(
          StreamErrorCode.CursorTooOld,
          `from may be at most ${this.opts.maxReplayBlocks} blocks below the latest block ${tip}`,
        );
    }
    // Without `from`, live from the next block not yet dispatched.
    const after = from ?? { height: this.dispatched, index: Number.MAX_SAFE_INTEGER };
    const sub: Subscription = {
      id,
      session,
      topic,
      after,
      replaying: from !== undefined,
      pending: [],
      cancelled: false,
    };
    session.subs.set(id, sub);
    this.index.add(topic, session.address!, sub);
    this.ephemeral.watch(sub);
    session.reply(
      JSON.stringify({
        type: "subscribed",
        id,
        ...(from ? { from: formatCursor(from) } : { height: this.dispatched.toString() }),
      }),
    );
    if (from) {
      const to = this.dispatched;
      this.replay(session, sub, from.height, to).catch((err: unknown) => {
        this.log.error({ err }, "stream replay failed");
        if (sub.cancelled) return;
        session.drop(sub);
        session.error(StreamErrorCode.Internal, "replay failed; subscribe again", id);
      });
    }
  }

  /** Replays heights `from..to` from the block store into `sub`, then switches it to live. */
  private async replay(session: StreamSession, sub: Subscription, from: bigint, to: bigint): Promise<void> {
    for (let h = from; h <= to; h++) {
      if (sub.cancelled || session.closed) return;
      await this.drained(session);
      if (sub.cancelled || session.closed) return;
      const routed = await this.storedBlock(h);
      let sent = 0;
      for (const { event, meta } of routed) {
        if (!matches(sub.topic, event, session.address!, meta)) continue;
        if (session.deliverReplayed(sub, event.cursor, eventFrame(sub.id, event))) sent++;
        if (session.closed) return;
      }
      this.node.metrics.streamEventsDelivered.inc(sent);
    }
    if (sub.cancelled || session.closed) return;
    this.node.metrics.streamEventsDelivered.inc(session.flushPending(sub));
  }

  /**
   * A stored block's routed events, shared by concurrent replays (many clients resuming after a
   * restart read the same recent blocks); committed blocks never change, so this is only a cache.
   */
  private storedBlock(height: bigint): Promise<Routed[]> {
    let hit = this.replayCache.get(height);
    if (!hit) {
      hit = storedStreamEvents(this.node.blockStore, height).then((events) => this.route(events));
      hit.catch(() => this.replayCache.delete(height));
      this.replayCache.set(height, hit);
      if (this.replayCache.size > REPLAY_CACHE_BLOCKS)
        this.replayCache.delete(this.replayCache.keys().next().value as bigint);
    }
    return hit;
  }

  /** Waits (this session's replay only) until its socket holds under half the cap, or drops it. */
  private async drained(session: StreamSession): Promise<void> {
    const deadline = Date.now() + this.opts.drainTimeoutMs;
    while (!session.closed && session.heldBytes > this.opts.maxPendingBytes / 2) {
      if (Date.now() > deadline) return this.slow(session);
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  /**
   * Reads, once per event, the content state its routing needs (content-meta.ts: the latest state,
   * which holds the same never-changing author, community and thread as state at the event's height).
   * The block's reads run together (the results keep the events' order).
   */
  private async route(events: readonly StreamEvent[]): Promise<Routed[]> {
    const metas = await Promise.all(events.map((event) => this.metas.forEvent(event)));
    return events.map((event, i) => ({ event, meta: metas[i] }));
  }

  private async dispatchBlock(c: CommittedBlock): Promise<void> {
    const height = c.block.header.height;
    if (height <= this.dispatched) return;
    const started = performance.now();
    const routed = this.index.size > 0 ? await this.route(committedStreamEvents(c)) : [];
    const routedAt = performance.now();
    // Synchronous from here: sessions and subscriptions added while routing get the whole block.
    // Event by event in commit order, each to the subscriptions the topic index names (a superset
    // that `matches` narrows); a session's frames of the block are collected and written to its
    // connection at once at the end.
    let delivered = 0;
    const held: StreamSession[] = [];
    try {
      for (const { event, meta } of routed) {
        let frameOf: ((sub: string) => Buffer) | undefined;
        this.index.forCandidates(event, meta, (sub) => {
          const session = sub.session;
          if (sub.cancelled || session.closed) return;
          if (compareCursors(event.cursor, sub.after) <= 0) return;
          if (!matches(sub.topic, event, session.address!, meta)) return;
          frameOf ??= eventFramer(event);
          if (session.hold()) held.push(session);
          if (session.deliver(sub, event.cursor, frameOf(sub.id))) delivered++;
        });
      }
    } finally {
      for (const session of held) session.release();
    }
    this.dispatched = height;
    if (delivered > 0) this.node.metrics.streamEventsDelivered.inc(delivered);
    if (routed.length > 0)
      this.log.debug(
        {
          height: height.toString(),
          events: routed.length,
          delivered,
          sessions: held.length,
          routeMs: Math.round(routedAt - started),
          fanoutMs: Math.round(performance.now() - routedAt),
        },
        "stream block dispatched",
      );
  }
}
