/**
 * The `/v1/stream` wire protocol: JSON text frames. The client's frames are size-capped and checked
 * field by field here (pure code); every refusal is `{ type: "error", code, message }` with one of
 * the stable codes below.
 */
import { isPresenceStatus, PRESENCE_STATUSES, type PresenceStatus } from "../../presence/board.js";
import { type Cursor, parseCursor } from "./cursor.js";

export const StreamErrorCode = {
  /** Not JSON, not an object, an unknown `type`, a missing or ill-typed field, a binary frame. */
  BadFrame: "BAD_FRAME",
  /** A frame over `MAX_FRAME_BYTES`. */
  FrameTooLarge: "FRAME_TOO_LARGE",
  /** Anything but `auth` (and `ping`) before the session is authenticated, or no auth in time. */
  Unauthenticated: "UNAUTHENTICATED",
  /** The auth signature does not verify for the address and this connection's nonce (socket closed). */
  BadSignature: "BAD_SIGNATURE",
  AlreadyAuthenticated: "ALREADY_AUTHENTICATED",
  /** The node or the address has as many sessions as it may (socket closed). */
  TooManySessions: "TOO_MANY_SESSIONS",
  TooManySubscriptions: "TOO_MANY_SUBSCRIPTIONS",
  DuplicateSubscription: "DUPLICATE_SUBSCRIPTION",
  UnknownSubscription: "UNKNOWN_SUBSCRIPTION",
  BadTopic: "BAD_TOPIC",
  BadCursor: "BAD_CURSOR",
  /** `from` is more than `MAX_REPLAY_BLOCKS` below the tip (or below the store's first block). */
  CursorTooOld: "CURSOR_TOO_OLD",
  /** `from` is above the latest committed block. */
  CursorAhead: "CURSOR_AHEAD",
  /** The session's unsent events passed the cap: told, then closed. */
  SlowConsumer: "SLOW_CONSUMER",
  Internal: "INTERNAL",
} as const;
export type StreamErrorCode = (typeof StreamErrorCode)[keyof typeof StreamErrorCode];

export class StreamError extends Error {
  constructor(
    readonly code: StreamErrorCode,
    message: string,
  ) {
    super(message);
    this.name = "StreamError";
  }
}

/** Caps on what outsiders can make the node hold. */
export interface StreamLimits {
  /** Largest client frame answered (bigger ones get FRAME_TOO_LARGE; 4x this closes the socket). */
  readonly maxFrameBytes: number;
  readonly maxSessions: number;
  readonly maxSessionsPerAddress: number;
  readonly maxSubscriptionsPerSession: number;
  /** How far back `from` may reach, in blocks. */
  readonly maxReplayBlocks: number;
  /** Bytes the socket may hold unsent, plus queued events (counted at `queuedEventBytes` each). */
  readonly maxPendingBytes: number;
  /** Time from connect to a valid auth frame. */
  readonly authTimeoutMs: number;
}

export const DEFAULT_STREAM_LIMITS: StreamLimits = {
  maxFrameBytes: 16 * 1024,
  maxSessions: 10_000,
  maxSessionsPerAddress: 8,
  maxSubscriptionsPerSession: 32,
  maxReplayBlocks: 10_000,
  maxPendingBytes: 4 * 1024 * 1024,
  authTimeoutMs: 10_000,
};

/** Topics of committed chain events (resumable from a cursor). */
export type ChainTopic =
  | { readonly kind: "blocks" }
  | { readonly kind: "community"; readonly id: bigint }
  | { readonly kind: "thread"; readonly post: bigint }
  | { readonly kind: "notifications" };

/** Off-chain, live-only topics (ephemeral.ts): the session's DMs, and watched accounts' presence. */
export type EphemeralTopic =
  | { readonly kind: "dm" }
  | { readonly kind: "presence"; readonly accounts: readonly string[] };

export type Topic = ChainTopic | EphemeralTopic;

export const isEphemeralTopic = (t: Topic): t is EphemeralTopic => t.kind === "dm" || t.kind === "presence";

/** Accounts one presence subscription may watch. */
export const MAX_WATCHED = 100;
/** Recipients one typing frame may name (a group of 32). */
export const MAX_TYPING_TO = 31;

export type ClientFrame =
  | { readonly type: "auth"; readonly address: string; readonly pubKey: string; readonly signature: string }
  | { readonly type: "subscribe"; readonly id: string; readonly topic: Topic; readonly from?: Cursor }
  | { readonly type: "unsubscribe"; readonly id: string }
  | { readonly type: "ping" }
  | { readonly type: "presence"; readonly status: PresenceStatus }
  | {
      readonly type: "typing";
      readonly conversation: string;
      readonly to: readonly string[];
    };

const SUB_ID = /^[A-Za-z0-9_.:-]{1,64}$/;
const UINT64 = /^[1-9]\d{0,19}$/;
const ADDRESS = /^[a-z0-9]{1,20}1[02-9ac-hj-np-z]{38,90}$/;
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;
const HEX32 = /^[0-9a-f]{64}$/;

const bad = (message: string) => new StreamError(StreamErrorCode.BadFrame, message);

function field(o: Record<string, unknown>, name: string, re: RegExp, max: number): string {
  const v = o[name];
  if (typeof v !== "string" || v.length === 0 || v.length > max || !re.test(v))
    throw bad(`${name} is missing or malformed`);
  return v;
}

function idOf(v: unknown, name: string): bigint {
  if (typeof v !== "string" || !UINT64.test(v))
    throw new StreamError(StreamErrorCode.BadTopic, `${name} must be a decimal id string`);
  const n = BigInt(v);
  if (n > 0xffff_ffff_ffff_ffffn) throw new StreamError(StreamErrorCode.BadTopic, `${name} is out of range`);
  return n;
}

export function parseTopic(v: unknown): Topic {
  if (typeof v !== "object" || v === null || Array.isArray(v))
    throw new StreamError(StreamErrorCode.BadTopic, "topic must be an object with a kind");
  const t = v as Record<string, unknown>;
  switch (t.kind) {
    case "blocks":
      return { kind: "blocks" };
    case "notifications":
      return { kind: "notifications" };
    case "community":
      return { kind: "community", id: idOf(t.id, "topic.id") };
    case "thread":
      return { kind: "thread", post: idOf(t.post, "topic.post") };
    case "dm":
      return { kind: "dm" };
    case "presence":
      return {
        kind: "presence",
        accounts: addresses(t.accounts, "topic.accounts", MAX_WATCHED, StreamErrorCode.BadTopic),
      };
    default:
      throw new StreamError(
        StreamErrorCode.BadTopic,
        "topic.kind must be blocks, community, thread, notifications, dm or presence",
      );
  }
}

/** 1..max distinct bech32 addresses. */
function addresses(v: unknown, name: string, max: number, code: StreamErrorCode): string[] {
  if (!Array.isArray(v) || v.length === 0 || v.length > max)
    throw new StreamError(code, `${name} must list 1..${max} addresses`);
  for (const a of v)
    if (typeof a !== "string" || a.length > 110 || !ADDRESS.test(a))
      throw new StreamError(code, `${name} must list bech32 addresses`);
  return [...new Set(v as string[])];
}

/** Checks a client frame's size and shape; throws a StreamError with the code to answer. */
export function parseClientFrame(text: string, maxBytes: number): ClientFrame {
  if (Buffer.byteLength(text, "utf8") > maxBytes)
    throw new StreamError(StreamErrorCode.FrameTooLarge, `frames are at most ${maxBytes} bytes`);
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw bad("a frame is one JSON object");
  }
  if (typeof body !== "object" || body === null || Array.isArray(body))
    throw bad("a frame is one JSON object");
  const o = body as Record<string, unknown>;
  switch (o.type) {
    case "ping":
      return { type: "ping" };
    case "auth":
      return {
        type: "auth",
        address: field(o, "address", ADDRESS, 110),
        pubKey: field(o, "pub_key", BASE64, 64),
        signature: field(o, "signature", BASE64, 128),
      };
    case "subscribe": {
      const id = field(o, "id", SUB_ID, 64);
      const topic = parseTopic(o.topic);
      if (o.from === undefined) return { type: "subscribe", id, topic };
      if (isEphemeralTopic(topic))
        throw new StreamError(
          StreamErrorCode.BadCursor,
          `a ${topic.kind} topic is live only: it takes no from`,
        );
      const from = typeof o.from === "string" ? parseCursor(o.from) : undefined;
      if (!from) throw new StreamError(StreamErrorCode.BadCursor, 'from must be a cursor "<height>.<index>"');
      return { type: "subscribe", id, topic, from };
    }
    case "unsubscribe":
      return { type: "unsubscribe", id: field(o, "id", SUB_ID, 64) };
    case "presence":
      if (!isPresenceStatus(o.status)) throw bad(`status must be one of ${PRESENCE_STATUSES.join(", ")}`);
      return { type: "presence", status: o.status };
    case "typing":
      return {
        type: "typing",
        conversation: field(o, "conversation", HEX32, 64),
        to: addresses(o.to, "to", MAX_TYPING_TO, StreamErrorCode.BadFrame),
      };
    default:
      throw bad("type must be auth, subscribe, unsubscribe, ping, presence or typing");
  }
}

export function errorFrame(code: StreamErrorCode, message: string, sub?: string): string {
  return JSON.stringify({ type: "error", code, message, ...(sub !== undefined ? { sub } : {}) });
}
