/**
 * A typed client of a node's DM API (the app API, default :1317; docs/dm.md): submitting sealed
 * envelopes, signed controls (accept, decline, block, ...), member-signed reads of a conversation
 * and of the inbox, read receipts, and the prekey directory. It moves only ciphertext and signed
 * requests: sealing and opening stay with the caller (envelope.ts, session.ts).
 *
 * Reads, receipts and controls are signed the ADR-036 way, over the exact texts below, by the
 * `signArbitrary` the caller passes: Keplr's `signArbitrary(chainId, address, text)` or a cosmjs
 * amino signer (see chain/crypto/adr036.ts) — the account key never reaches this module.
 * Browser-safe: `fetch` only (injectable), no Node built-ins.
 */
import { fromBase64, toBase64, toHex } from "@cosmjs/encoding";
import { decodePrekeyBundle, encodePrekeyBundle, type PrekeyBundle } from "./keys.js";

/** A base64 ADR-036 signature and the signer's base64 compressed secp256k1 public key. */
export interface ArbitrarySignature {
  /** Base64, or Keplr's `{ type, value }` form. */
  readonly pub_key: string | { readonly value: string };
  readonly signature: string;
}

export interface DmNodeApiOptions {
  /** The node's app API, e.g. `http://127.0.0.1:1317`. */
  readonly baseUrl: string;
  readonly chainId: string;
  /** The member this client reads and signs for. */
  readonly address: string;
  /** Signs `text` (UTF-8) the ADR-036 way with `address`'s account key. */
  signArbitrary(text: string): Promise<ArbitrarySignature>;
  /** Defaults to the global fetch. */
  readonly fetch?: typeof fetch;
  /** Unix seconds for the signed `at` fields (default: the local clock). */
  readonly now?: () => number;
  /** Per request (default 15 s). */
  readonly timeoutMs?: number;
}

export type DmControlKind = "request" | "accept" | "decline" | "block" | "unblock";

export interface SubmitAnswer {
  /** Hex message id (sha256 of the envelope). */
  readonly id: string;
  /** False when the node already held it. */
  readonly stored: boolean;
  /** The message opened a DM request (the recipient has not accepted the sender yet). */
  readonly request: boolean;
  /** For a delete envelope: how many messages it removed on that node. */
  readonly deleted?: number;
}

export interface StoredEnvelope {
  readonly id: string;
  readonly sender: string;
  readonly sentAt: number;
  readonly expiresAt: number;
  readonly envelope: Uint8Array;
}

export interface ReadReceipt {
  readonly reader: string;
  readonly messageId: string;
  readonly at: number;
}

export interface ConversationPage {
  readonly envelopes: StoredEnvelope[];
  readonly receipts: ReadReceipt[];
}

export interface InboxConversation {
  /** Hex conversation id. */
  readonly conversation: string;
  /** Its members' addresses, sorted (the reader among them). */
  readonly members: string[];
  readonly lastSentAt: number;
  readonly lastId: string;
  /** Messages from others after the reader's read mark. */
  readonly unread: number;
  readonly readUpTo?: string;
  /** The pair's standing for a 1:1 conversation: pending, accepted, declined, blocked, ... */
  readonly status?: string;
  /** Who asked (pending, declined) or blocked. */
  readonly requester?: string;
}

export interface Inbox {
  /** Newest first. */
  readonly conversations: InboxConversation[];
  /** DM requests to the reader still waiting for accept, decline or block. */
  readonly requests: Array<{ readonly from: string; readonly at: number; readonly conversation?: string }>;
}

export interface PublishedPrekey {
  readonly address: string;
  readonly prekeyId: number;
  readonly expiresAt: number;
}

/** The texts members sign (must match chain/api/routes/dm.ts and chain/dm/control.ts). */
export const dmSignedText = {
  read: (chainId: string, conversationHex: string, at: number) =>
    `vivim-dm-read\n${chainId}\n${conversationHex}\n${at}`,
  inbox: (chainId: string, at: number) => `vivim-dm-inbox\n${chainId}\n${at}`,
  receipt: (chainId: string, conversationHex: string, messageIdHex: string, at: number) =>
    `vivim-dm-receipt\n${chainId}\n${conversationHex}\n${messageIdHex}\n${at}`,
  control: (chainId: string, kind: DmControlKind, from: string, to: string, at: number) =>
    `vivim-dm-control\n${chainId}\n${kind}\n${from}\n${to}\n${at}`,
} as const;

/**
 * A refusal or failure of the DM API. `code` is the node's code (the part of its message before
 * ':', e.g. `REQUEST_PENDING`, `AGENT_NOT_GRANTED`, `NOT_FOUND`), else one derived from the HTTP
 * status; `UNREACHABLE` (status 0) when no answer came, `BAD_RESPONSE` when it was not the
 * expected JSON.
 */
export class DmApiError extends Error {
  override readonly name = "DmApiError";
  constructor(
    readonly code: string,
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

const STATUS_CODES: Record<number, string> = {
  400: "BAD_REQUEST",
  401: "UNAUTHENTICATED",
  403: "PERMISSION_DENIED",
  404: "NOT_FOUND",
  409: "CONFLICT",
  413: "TOO_LARGE",
  429: "RATE_LIMITED",
  503: "UNAVAILABLE",
};
const CODE_PREFIX = /^([A-Z][A-Z0-9_]{1,40}):\s*/;
const HEX32 = /^[0-9a-f]{64}$/;

type Obj = Record<string, unknown>;

const bad = (what: string): never => {
  throw new DmApiError("BAD_RESPONSE", 200, `unexpected answer from the node: ${what}`);
};
const obj = (v: unknown, what: string): Obj =>
  typeof v === "object" && v !== null && !Array.isArray(v) ? (v as Obj) : bad(`${what} is not an object`);
const arr = (v: unknown, what: string): unknown[] => (Array.isArray(v) ? v : bad(`${what} is not a list`));
const text = (v: unknown, what: string): string =>
  typeof v === "string" ? v : bad(`${what} is not a string`);
const num = (v: unknown, what: string): number =>
  typeof v === "number" && Number.isSafeInteger(v) && v >= 0 ? v : bad(`${what} is not a whole number`);
const bool = (v: unknown, what: string): boolean =>
  typeof v === "boolean" ? v : bad(`${what} is not a boolean`);

function hexId(v: Uint8Array | string, what: string): string {
  const h = typeof v === "string" ? v.toLowerCase() : toHex(v);
  if (!HEX32.test(h)) throw new DmApiError("BAD_ARGUMENT", 0, `${what} must be 32 bytes (64 hex characters)`);
  return h;
}

export class DmNodeApi {
  private readonly base: string;
  private readonly fetchFn: typeof fetch;

  constructor(private readonly o: DmNodeApiOptions) {
    this.base = o.baseUrl.replace(/\/+$/, "");
    this.fetchFn = o.fetch ?? ((input, init) => globalThis.fetch(input, init));
  }

  get address(): string {
    return this.o.address;
  }

  /** Hands a sealed envelope (or a delete envelope) to the node. */
  async submit(envelope: Uint8Array): Promise<SubmitAnswer> {
    const r = obj(await this.post("/vivim/dm/v1/envelopes", { envelope: toBase64(envelope) }), "answer");
    return {
      id: text(r.id, "id"),
      stored: bool(r.stored, "stored"),
      request: bool(r.request, "request"),
      ...(r.deleted !== undefined ? { deleted: num(r.deleted, "deleted") } : {}),
    };
  }

  /** Signs and sends a control from this member to `to` (accept their request, block them, ...). */
  async control(kind: DmControlKind, to: string): Promise<void> {
    const at = this.now();
    const sig = await this.sign(dmSignedText.control(this.o.chainId, kind, this.o.address, to, at));
    await this.post("/vivim/dm/v1/controls", { kind, from: this.o.address, to, at, ...sig });
  }

  /** The conversation's envelopes naming this member, in time order, and its read receipts. */
  async read(
    conversation: Uint8Array | string,
    opts: { after?: Uint8Array | string; limit?: number } = {},
  ): Promise<ConversationPage> {
    const id = hexId(conversation, "conversation");
    const at = this.now();
    const sig = await this.sign(dmSignedText.read(this.o.chainId, id, at));
    const r = obj(
      await this.post(`/vivim/dm/v1/conversations/${id}/envelopes`, {
        signer: this.o.address,
        at,
        ...sig,
        ...(opts.after !== undefined ? { after: hexId(opts.after, "after") } : {}),
        ...(opts.limit !== undefined ? { limit: opts.limit } : {}),
      }),
      "answer",
    );
    const envelopes = arr(r.envelopes, "envelopes").map((e, i) => {
      const o = obj(e, `envelopes[${i}]`);
      let bytes: Uint8Array;
      try {
        bytes = fromBase64(text(o.envelope, "envelope"));
      } catch {
        return bad(`envelopes[${i}].envelope is not base64`);
      }
      return {
        id: text(o.id, "id"),
        sender: text(o.sender, "sender"),
        sentAt: num(o.sent_at, "sent_at"),
        expiresAt: num(o.expires_at, "expires_at"),
        envelope: bytes,
      };
    });
    const receipts = (r.receipts === undefined ? [] : arr(r.receipts, "receipts")).map((x, i) => {
      const o = obj(x, `receipts[${i}]`);
      return {
        reader: text(o.reader, "reader"),
        messageId: text(o.message_id, "message_id"),
        at: num(o.at, "at"),
      };
    });
    return { envelopes, receipts };
  }

  /** This member's conversations (newest first, with unread counts) and pending requests to them. */
  async inbox(opts: { limit?: number } = {}): Promise<Inbox> {
    const at = this.now();
    const sig = await this.sign(dmSignedText.inbox(this.o.chainId, at));
    const r = obj(
      await this.post("/vivim/dm/v1/inbox", {
        signer: this.o.address,
        at,
        ...sig,
        ...(opts.limit !== undefined ? { limit: opts.limit } : {}),
      }),
      "answer",
    );
    return {
      conversations: arr(r.conversations, "conversations").map((c, i) => {
        const o = obj(c, `conversations[${i}]`);
        return {
          conversation: text(o.conversation, "conversation"),
          members: arr(o.members, "members").map((m) => text(m, "member")),
          lastSentAt: num(o.last_sent_at, "last_sent_at"),
          lastId: text(o.last_id, "last_id"),
          unread: num(o.unread, "unread"),
          ...(o.read_up_to !== undefined && o.read_up_to !== null
            ? { readUpTo: text(o.read_up_to, "read_up_to") }
            : {}),
          ...(typeof o.status === "string" ? { status: o.status } : {}),
          ...(typeof o.requester === "string" && o.requester !== "" ? { requester: o.requester } : {}),
        };
      }),
      requests: (r.requests === undefined ? [] : arr(r.requests, "requests")).map((q, i) => {
        const o = obj(q, `requests[${i}]`);
        return {
          from: text(o.from, "from"),
          at: num(o.at, "at"),
          ...(typeof o.conversation === "string" ? { conversation: o.conversation } : {}),
        };
      }),
    };
  }

  /** Marks the conversation read up to and including `messageId` for this member (forward only). */
  async receipt(conversation: Uint8Array | string, messageId: Uint8Array | string): Promise<void> {
    const c = hexId(conversation, "conversation");
    const m = hexId(messageId, "message id");
    const at = this.now();
    const sig = await this.sign(dmSignedText.receipt(this.o.chainId, c, m, at));
    await this.post("/vivim/dm/v1/receipts", {
      reader: this.o.address,
      conversation: c,
      message_id: m,
      at,
      ...sig,
    });
  }

  /** Publishes this member's signed prekey bundle (the node keeps the one that expires last). */
  async publishPrekey(bundle: PrekeyBundle | Uint8Array): Promise<PublishedPrekey> {
    const bytes = bundle instanceof Uint8Array ? bundle : encodePrekeyBundle(bundle);
    const r = obj(await this.post("/vivim/dm/v1/prekeys", { bundle: toBase64(bytes) }), "answer");
    return {
      address: text(r.address, "address"),
      prekeyId: num(r.prekey_id, "prekey_id"),
      expiresAt: num(r.expires_at, "expires_at"),
    };
  }

  /**
   * `address`'s published bundle, decoded but NOT verified (initiateSession verifies it against
   * the chain id, the address and the clock), or undefined when the node holds none.
   */
  async fetchPrekey(address: string): Promise<PrekeyBundle | undefined> {
    let r: Obj;
    try {
      r = obj(await this.request("GET", `/vivim/dm/v1/prekeys/${encodeURIComponent(address)}`), "answer");
    } catch (e) {
      if (e instanceof DmApiError && e.status === 404) return undefined;
      throw e;
    }
    try {
      return decodePrekeyBundle(fromBase64(text(r.bundle, "bundle")));
    } catch (e) {
      if (e instanceof DmApiError) throw e;
      return bad("bundle is not a prekey bundle");
    }
  }

  // ------------------------------------------------------------------------------------------

  private now(): number {
    return this.o.now ? this.o.now() : Math.floor(Date.now() / 1000);
  }

  private async sign(t: string): Promise<{ pub_key: string; signature: string }> {
    const s = await this.o.signArbitrary(t);
    const pub = typeof s.pub_key === "string" ? s.pub_key : s.pub_key?.value;
    if (typeof pub !== "string" || typeof s.signature !== "string")
      throw new DmApiError("BAD_SIGNATURE", 0, "signArbitrary must return base64 pub_key and signature");
    return { pub_key: pub, signature: s.signature };
  }

  private post(path: string, body: Obj): Promise<unknown> {
    return this.request("POST", path, body);
  }

  private async request(method: "GET" | "POST", path: string, body?: Obj): Promise<unknown> {
    let res: Response;
    try {
      res = await this.fetchFn(`${this.base}${path}`, {
        method,
        headers: body
          ? { "content-type": "application/json", accept: "application/json" }
          : { accept: "application/json" },
        ...(body ? { body: JSON.stringify(body) } : {}),
        signal: AbortSignal.timeout(this.o.timeoutMs ?? 15_000),
      });
    } catch (e) {
      const timedOut = (e as Error)?.name === "TimeoutError";
      throw new DmApiError(
        "UNREACHABLE",
        0,
        timedOut ? "the node did not answer in time" : "the node's API cannot be reached",
      );
    }
    let json: unknown;
    const raw = await res.text().catch(() => "");
    try {
      json = raw === "" ? undefined : JSON.parse(raw);
    } catch {
      json = undefined;
    }
    if (!res.ok) {
      const message =
        typeof json === "object" && json !== null && typeof (json as Obj).message === "string"
          ? ((json as Obj).message as string)
          : `HTTP ${res.status}`;
      const m = CODE_PREFIX.exec(message);
      const code = m
        ? m[1]!
        : (STATUS_CODES[res.status] ?? (res.status >= 500 ? "UNAVAILABLE" : "HTTP_ERROR"));
      throw new DmApiError(code, res.status, message);
    }
    if (json === undefined) return bad("not JSON");
    return json;
  }
}
