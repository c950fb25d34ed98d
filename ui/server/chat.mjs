// POST /chat on the app server: the assistant with a real model, through the workers' provider
// layer (workers/ai: the AI-key vault, its budgets and cost accounting, then the offline provider).
// Keys never reach the browser; the browser sends the conversation's text and gets back a reply and
// at most one proposed tool call (workers/ai/assistant.ts checks it), which it shows as a card the
// person confirms and signs themselves: a model never signs.
//
// The person authenticates with an ADR-036 signature (Keplr's signArbitrary) over
// `vivim-chat\n<chain id>\n<issued_at ms>`, valid for CHAT_TOKEN_MS; each account may ask
// CHAT_PER_MINUTE times a minute. When every keyed provider refuses or fails and only the offline
// provider answered, the route says `fallback: true` and the app uses its own offline parser.
//
// Streaming: with `Accept: text/event-stream` (or `"stream": true`) the answer comes as server-sent
// events once the request has passed the same checks (errors before that are the JSON replies
// above): `delta` events carry the reply's text as the model writes it (workers/ai/assistant-stream.ts
// decodes the reply out of the JSON the model is writing), then one `done` event carries the
// checked answer (parseAssistantAnswer, the same as without streaming) or `{"fallback": true}`, or
// one `error` event. A closed connection aborts the model's call.
import { existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");
const dist = (...p) => pathToFileURL(path.join(ROOT, "dist", ...p)).href;

export const CHAT_TOKEN_MS = 10 * 60_000;
export const CHAT_PER_MINUTE = 20;
const MAX_BODY = 64 * 1024;
const MAX_MESSAGES = 32;
const MAX_MESSAGE_CHARS = 4_000;

/** The text an account signs to use the assistant for a while. */
export const chatAuthText = (chainId, issuedAt) => `vivim-chat\n${chainId}\n${issuedAt}`;

class ChatError extends Error {
  constructor(status, code, message) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

/** The body as text; past MAX_BODY the rest is drained unread and the request refused with 413. */
function readBody(req) {
  return new Promise((resolve, reject) => {
    const tooLarge = () =>
      new ChatError(413, "BODY_TOO_LARGE", `a chat request is at most ${MAX_BODY} bytes`);
    if (Number(req.headers["content-length"] ?? 0) > MAX_BODY) {
      req.resume();
      return reject(tooLarge());
    }
    const chunks = [];
    let size = 0;
    req.on("data", (c) => {
      size += c.length;
      if (size <= MAX_BODY) chunks.push(c);
    });
    req.on("end", () =>
      size > MAX_BODY ? reject(tooLarge()) : resolve(Buffer.concat(chunks).toString("utf8")),
    );
    req.on("error", reject);
  });
}

function parseRequest(text) {
  let b;
  try {
    b = JSON.parse(text);
  } catch {
    throw new ChatError(400, "BAD_REQUEST", "the body is not JSON");
  }
  const s = (v, name, max) => {
    if (typeof v !== "string" || v.length === 0 || v.length > max)
      throw new ChatError(400, "BAD_REQUEST", `${name} must be a string of 1..${max} characters`);
    return v;
  };
  const auth = {
    signer: s(b?.signer, "signer", 100),
    pubKey: s(b?.pub_key, "pub_key", 64),
    signature: s(b?.signature, "signature", 128),
  };
  const issuedAt = s(b?.issued_at, "issued_at", 16);
  if (b.stream !== undefined && typeof b.stream !== "boolean")
    throw new ChatError(400, "BAD_REQUEST", "stream must be true or false");
  if (!/^\d{1,16}$/.test(issuedAt)) throw new ChatError(400, "BAD_REQUEST", "issued_at must be milliseconds");
  if (!Array.isArray(b.messages) || b.messages.length === 0 || b.messages.length > MAX_MESSAGES)
    throw new ChatError(400, "BAD_REQUEST", `messages must hold 1..${MAX_MESSAGES} messages`);
  const messages = b.messages.map((m) => {
    if ((m?.role !== "user" && m?.role !== "assistant") || typeof m.content !== "string")
      throw new ChatError(400, "BAD_REQUEST", "each message needs role user|assistant and text content");
    return { role: m.role, content: m.content.slice(0, MAX_MESSAGE_CHARS) };
  });
  if (messages.at(-1).role !== "user")
    throw new ChatError(400, "BAD_REQUEST", "the last message must be the person's");
  return { auth, issuedAt: Number(issuedAt), messages, stream: b.stream === true };
}

/**
 * The /chat handler for a workers home whose AI-key vault holds at least one usable key, or
 * undefined (no vault, no passphrase, no key): then the app keeps its offline assistant.
 */
export async function createChatHandler({ home, passphrase, chainId, now = Date.now }) {
  if (!passphrase || !existsSync(path.join(home, "ai-keys", "vault.json"))) return undefined;
  const { KeyVault } = await import(dist("workers", "vault", "vault.js"));
  const { defaultChain } = await import(dist("workers", "ai", "factory.js"));
  const { assistantSystemPrompt, parseAssistantAnswer } = await import(dist("workers", "ai", "assistant.js"));
  const { ReplyStreamDecoder } = await import(dist("workers", "ai", "assistant-stream.js"));
  const { verifyAdr036 } = await import(dist("chain", "crypto", "adr036.js"));
  const vault = new KeyVault({ home, passphrase });
  if ((await vault.list()).every((k) => k.revokedAt)) return undefined;
  const system = assistantSystemPrompt(chainId);
  /** signer -> times (ms) of their requests in the last minute */
  const recent = new Map();

  function authorize(auth, issuedAt) {
    const t = now();
    if (Math.abs(t - issuedAt) > CHAT_TOKEN_MS)
      throw new ChatError(401, "TOKEN_EXPIRED", "sign in to the assistant again");
    if (!verifyAdr036(auth, new TextEncoder().encode(chatAuthText(chainId, issuedAt))))
      throw new ChatError(401, "BAD_SIGNATURE", "the signature does not verify for this account and chain");
    const times = (recent.get(auth.signer) ?? []).filter((x) => t - x < 60_000);
    if (times.length >= CHAT_PER_MINUTE)
      throw new ChatError(
        429,
        "RATE_LIMITED",
        `at most ${CHAT_PER_MINUTE} questions a minute; try again shortly`,
      );
    times.push(t);
    recent.set(auth.signer, times);
    if (recent.size > 10_000) recent.delete(recent.keys().next().value);
  }

  async function handle(req, res) {
    const reply = (status, body) => {
      const out = Buffer.from(JSON.stringify(body));
      res.writeHead(status, {
        ...(status === 413 ? { Connection: "close" } : {}),
        "Content-Type": "application/json; charset=utf-8",
        "Content-Length": out.length,
        "Cache-Control": "no-store",
      });
      res.end(out);
    };
    /** Server-sent events from here on; a closed connection aborts the model's call. */
    function startEvents() {
      const ctrl = new AbortController();
      res.on("close", () => ctrl.abort());
      res.writeHead(200, {
        "Content-Type": "text/event-stream; charset=utf-8",
        "Cache-Control": "no-store",
        "X-Accel-Buffering": "no",
      });
      const send = (event, data) => {
        if (!res.writableEnded) res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
      };
      return { signal: ctrl.signal, send, end: () => res.end() };
    }

    let events;
    try {
      const parsed = parseRequest(await readBody(req));
      authorize(parsed.auth, parsed.issuedAt);
      const streaming = parsed.stream || /\btext\/event-stream\b/.test(req.headers.accept ?? "");
      // The vault's keys as they are now (added, revoked or rotated since start), then offline.
      const chain = await defaultChain({ vault });
      const ask = { system, messages: parsed.messages, maxTokens: 600, temperature: 0.2 };
      if (!streaming) {
        const r = await chain.complete(ask);
        if (r.provider === "offline") return reply(200, { fallback: true });
        return reply(200, { ...parseAssistantAnswer(r.text), provider: r.provider, model: r.model });
      }
      events = startEvents();
      const decoder = new ReplyStreamDecoder();
      const r = await chain.complete(ask, events.signal, (delta, provider) => {
        if (provider === "offline") return;
        const text = decoder.push(delta);
        if (text) events.send("delta", { text });
      });
      events.send(
        "done",
        r.provider === "offline"
          ? { fallback: true }
          : { ...parseAssistantAnswer(r.text), provider: r.provider, model: r.model },
      );
      events.end();
    } catch (err) {
      const known = err instanceof ChatError;
      // Provider failures are already scrubbed of keys by the chain; say only that it failed.
      const body = known
        ? { code: err.code, error: err.message }
        : { code: "ASSISTANT_FAILED", error: "the assistant's model could not answer" };
      if (!events) return reply(known ? err.status : 502, body);
      events.send("error", body);
      events.end();
    }
  }
  return { handle };
}
