/**
 * The AI adapters through their vendors' real client libraries against a local HTTP server (in this
 * test) that speaks each provider's wire protocol: OpenAI POST /v1/chat/completions (Bearer key),
 * Anthropic POST /v1/messages (x-api-key, anthropic-version), Ollama POST /api/chat, each also in
 * its streaming form (OpenAI `data:` chunks and `[DONE]`, Anthropic's typed events, Ollama's
 * NDJSON). Keys come from a real key vault on disk. Checks the request each library sent and the
 * parsed answer, the streamed pieces and the usage at the stream's end, fallback on a failing
 * provider and on an exhausted budget (recorded in the result), and that no secret reaches a log
 * line, a result or an error.
 */
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { inspect } from "node:util";
import pino from "pino";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { ProviderChain } from "../../workers/ai/chain.js";
import { defaultChain, providerForKey } from "../../workers/ai/factory.js";
import { OfflineProvider } from "../../workers/ai/offline.js";
import { KeyVault } from "../../workers/vault/vault.js";

const KEYS = {
  openai: "local-openai-TESTKEY-1111aaaa2222bbbb",
  anthropic: "local-anthropic-TESTKEY-3333cccc4444dddd",
  ollama: "ollama-LOCALTEST-5555eeee6666ffff",
};

interface Seen {
  method: string;
  path: string;
  headers: IncomingMessage["headers"];
  body: Record<string, unknown>;
}

const seen: Seen[] = [];
/** Paths that answer with an error this time, and with what. */
const failures = new Map<string, { status: number; body: unknown }>();
let server: Server;
let base = "";
let home = "";
const lines: string[] = [];
const logger = pino({ level: "trace" }, { write: (l: string) => void lines.push(l) });
const outputs: unknown[] = [];

function reply(path: string, body: Record<string, unknown>): { status: number; body: unknown } {
  const fail = failures.get(path);
  if (fail) return fail;
  const last = (body.messages as Array<{ content: string }>).at(-1)?.content ?? "";
  if (path === "/v1/chat/completions") {
    return {
      status: 200,
      body: {
        id: "chatcmpl-1",
        object: "chat.completion",
        created: 1_760_000_000,
        model: body.model,
        choices: [
          {
            index: 0,
            finish_reason: "stop",
            message: { role: "assistant", content: `openai says: ${last}` },
          },
        ],
        usage: { prompt_tokens: 1000, completion_tokens: 500, total_tokens: 1500 },
      },
    };
  }
  if (path === "/v1/messages") {
    return {
      status: 200,
      body: {
        id: "msg_1",
        type: "message",
        role: "assistant",
        model: body.model,
        content: [{ type: "text", text: `anthropic says: ${last}` }],
        stop_reason: "end_turn",
        stop_sequence: null,
        usage: { input_tokens: 2000, output_tokens: 100 },
      },
    };
  }
  if (path === "/api/chat") {
    return {
      status: 200,
      body: {
        model: body.model,
        created_at: "2026-01-01T00:00:00Z",
        message: { role: "assistant", content: `ollama says: ${last}` },
        done: true,
        done_reason: "stop",
        prompt_eval_count: 30,
        eval_count: 7,
      },
    };
  }
  return { status: 404, body: { error: "not found" } };
}

/** The answer of `reply()` in the vendor's streaming wire form, a word per piece. */
function streamReply(path: string, body: Record<string, unknown>, res: ServerResponse): void {
  const last = (body.messages as Array<{ content: string }>).at(-1)?.content ?? "";
  const vendor = { "/v1/chat/completions": "openai", "/v1/messages": "anthropic", "/api/chat": "ollama" }[
    path
  ];
  const words = `${vendor} says: ${last}`.split(/(?<= )/);
  const sse = (data: unknown, event?: string) =>
    res.write(`${event ? `event: ${event}\n` : ""}data: ${JSON.stringify(data)}\n\n`);
  if (path === "/v1/chat/completions") {
    res.writeHead(200, { "content-type": "text/event-stream" });
    const chunk = { id: "chatcmpl-1", object: "chat.completion.chunk", created: 1, model: body.model };
    for (const w of words)
      sse({ ...chunk, choices: [{ index: 0, delta: { content: w }, finish_reason: null }] });
    const usage = (body.stream_options as { include_usage?: boolean } | undefined)?.include_usage;
    if (usage) sse({ ...chunk, choices: [], usage: { prompt_tokens: 1000, completion_tokens: 500 } });
    return void res.end("data: [DONE]\n\n");
  }
  if (path === "/v1/messages") {
    res.writeHead(200, { "content-type": "text/event-stream" });
    const message = { id: "msg_1", type: "message", role: "assistant", model: body.model, content: [] };
    sse(
      { type: "message_start", message: { ...message, usage: { input_tokens: 2000, output_tokens: 1 } } },
      "message_start",
    );
    sse(
      { type: "content_block_start", index: 0, content_block: { type: "text", text: "" } },
      "content_block_start",
    );
    for (const text of words)
      sse(
        { type: "content_block_delta", index: 0, delta: { type: "text_delta", text } },
        "content_block_delta",
      );
    sse({ type: "content_block_stop", index: 0 }, "content_block_stop");
    sse(
      {
        type: "message_delta",
        delta: { stop_reason: "end_turn", stop_sequence: null },
        usage: { output_tokens: 100 },
      },
      "message_delta",
    );
    return void res.end(`event: message_stop\ndata: ${JSON.stringify({ type: "message_stop" })}\n\n`);
  }
  res.writeHead(200, { "content-type": "application/x-ndjson" });
  const part = { model: body.model, created_at: "2026-01-01T00:00:00Z" };
  for (const content of words)
    res.write(`${JSON.stringify({ ...part, message: { role: "assistant", content }, done: false })}\n`);
  const done = { done: true, done_reason: "stop", prompt_eval_count: 30, eval_count: 7 };
  res.end(`${JSON.stringify({ ...part, message: { role: "assistant", content: "" }, ...done })}\n`);
}

beforeAll(async () => {
  home = await mkdtemp(path.join(os.tmpdir(), "vivim-ai-"));
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const body = JSON.parse(Buffer.concat(chunks).toString("utf8") || "{}") as Record<string, unknown>;
      const p = new URL(req.url ?? "/", "http://x").pathname;
      seen.push({ method: req.method ?? "", path: p, headers: req.headers, body });
      if (body.stream === true && !failures.has(p)) return streamReply(p, body, res);
      const r = reply(p, body);
      res.writeHead(r.status, { "content-type": "application/json" }).end(JSON.stringify(r.body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  await rm(home, { recursive: true, force: true });
});

beforeEach(() => {
  seen.length = 0;
  failures.clear();
});

const vault = () => new KeyVault({ home, passphrase: "vault passphrase 1", logger });
const req = {
  system: "You are a moderator; classify the post.",
  messages: [{ role: "user" as const, content: "hello world" }],
  maxTokens: 64,
};

/** One vault key for `provider`, called once through a ProviderChain; the request the server saw. */
async function throughOneKey(provider: "openai" | "anthropic" | "ollama", baseUrl: string, model: string) {
  const v = vault();
  const k = await v.add({ label: provider.slice(0, 2), provider, secret: KEYS[provider], baseUrl, model });
  const r = await new ProviderChain({
    entries: [{ provider: providerForKey(k), keyId: k.id }],
    vault: v,
    logger,
  }).complete(req);
  outputs.push(r, k);
  expect(seen).toHaveLength(1);
  return { v, k, r, s: seen[0] as Seen };
}

describe("AI providers over their wire protocols", () => {
  it("OpenAI-compatible: Bearer key from the vault, model, parsed answer and cost", async () => {
    const { v, k, r, s } = await throughOneKey("openai", `${base}/v1`, "gpt-local");
    expect(s).toMatchObject({ method: "POST", path: "/v1/chat/completions" });
    expect(s.headers.authorization).toBe(`Bearer ${KEYS.openai}`);
    expect(s.body).toMatchObject({
      model: "gpt-local",
      max_tokens: 64,
      messages: [
        { role: "system", content: req.system },
        { role: "user", content: "hello world" },
      ],
    });
    expect(r).toMatchObject({
      text: "openai says: hello world",
      provider: "openai",
      decidedBy: "openai",
      model: "gpt-local",
      inputTokens: 1000,
      outputTokens: 500,
      costMicroUsd: 150 + 300,
    });
    expect((await v.get(k.id)).spend).toMatchObject({ dayMicroUsd: 450, calls: 1 });
  });

  it("Anthropic: x-api-key and anthropic-version headers, system and max_tokens", async () => {
    const { r, s } = await throughOneKey("anthropic", base, "claude-local");
    expect(s.path).toBe("/v1/messages");
    expect(s.headers["x-api-key"]).toBe(KEYS.anthropic);
    expect(s.headers.authorization).toBe(`Bearer ${KEYS.anthropic}`);
    expect(s.headers["anthropic-version"]).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(s.body).toMatchObject({
      model: "claude-local",
      max_tokens: 64,
      system: req.system,
      messages: req.messages,
    });
    expect(r).toMatchObject({
      text: "anthropic says: hello world",
      decidedBy: "anthropic",
      inputTokens: 2000,
      outputTokens: 100,
      costMicroUsd: 1600 + 400,
    });
  });

  it("Ollama: /api/chat on the configured host, non-streaming, with the key as Bearer", async () => {
    const { r, s } = await throughOneKey("ollama", base, "llama-local");
    expect(s.path).toBe("/api/chat");
    expect(s.headers.authorization).toBe(`Bearer ${KEYS.ollama}`);
    expect(s.body).toMatchObject({ model: "llama-local", stream: false, options: { num_predict: 64 } });
    expect(r).toMatchObject({
      text: "ollama says: hello world",
      decidedBy: "ollama",
      inputTokens: 30,
      outputTokens: 7,
      costMicroUsd: 0,
    });
  });

  it("streams through each SDK's streaming mode: the pieces in order, usage from the stream's end", async () => {
    const cases = [
      {
        provider: "openai",
        baseUrl: `${base}/v1`,
        path: "/v1/chat/completions",
        inputTokens: 1000,
        outputTokens: 500,
      },
      { provider: "anthropic", baseUrl: base, path: "/v1/messages", inputTokens: 2000, outputTokens: 100 },
      { provider: "ollama", baseUrl: base, path: "/api/chat", inputTokens: 30, outputTokens: 7 },
    ] as const;
    for (const c of cases) {
      seen.length = 0;
      const v = vault();
      const k = await v.add({
        label: `${c.provider}-stream`,
        provider: c.provider,
        secret: KEYS[c.provider],
        baseUrl: c.baseUrl,
        model: "m-local",
      });
      const pieces: string[] = [];
      const r = await new ProviderChain({
        entries: [{ provider: providerForKey(k), keyId: k.id }],
        vault: v,
        logger,
      }).complete(req, undefined, (delta, provider) => pieces.push(`${provider}|${delta}`));
      outputs.push(r, k);
      expect(seen.map((x) => [x.path, x.body.stream])).toEqual([[c.path, true]]);
      expect(pieces).toEqual(
        [`${c.provider} `, "says: ", "hello ", "world"].map((p) => `${c.provider}|${p}`),
      );
      expect(r).toMatchObject({
        text: `${c.provider} says: hello world`,
        decidedBy: c.provider,
        model: "m-local",
        inputTokens: c.inputTokens,
        outputTokens: c.outputTokens,
      });
      expect((await v.get(k.id)).spend).toMatchObject({ calls: 1, dayMicroUsd: r.costMicroUsd });
    }
  });

  it("a failing provider falls back to the next, and the result says why (key scrubbed)", async () => {
    const v = vault();
    const oa = await v.add({
      label: "oa2",
      provider: "openai",
      secret: KEYS.openai,
      baseUrl: `${base}/v1`,
      model: "gpt-local",
    });
    const an = await v.add({
      label: "an2",
      provider: "anthropic",
      secret: KEYS.anthropic,
      baseUrl: base,
      model: "claude-local",
    });
    // A server that echoes the key it got, as some do on 401.
    failures.set("/v1/chat/completions", {
      status: 401,
      body: {
        error: {
          message: `Incorrect API key provided: ${KEYS.openai}`,
          type: "invalid_request_error",
          code: "invalid_api_key",
        },
      },
    });
    const chain = await defaultChain({ vault: v, keyIds: [oa.id, an.id], logger });
    const r = await chain.complete(req);
    outputs.push(r);
    expect(seen.map((s) => s.path)).toEqual(["/v1/chat/completions", "/v1/messages"]);
    expect(r.decidedBy).toBe("anthropic");
    expect(r.attempts[0]).toMatchObject({
      provider: "openai",
      keyId: oa.id,
      outcome: "failed",
      code: "PROVIDER_FAILED",
    });
    expect(r.attempts[0]?.reason).toMatch(/^HTTP 401/);
    expect(r.attempts[0]?.reason).toContain("[redacted]");
    expect(r.attempts[1]).toMatchObject({ provider: "anthropic", outcome: "ok" });
  });

  it("an exhausted budget is refused before the call and falls back to offline", async () => {
    const v = vault();
    const k = await v.add({
      label: "poor",
      provider: "openai",
      secret: KEYS.openai,
      baseUrl: `${base}/v1`,
      model: "gpt-local",
      dailyBudgetMicroUsd: 5,
    });
    const chain = await defaultChain({ vault: v, keyIds: [k.id], logger });
    const r = await chain.complete({ ...req, messages: [{ role: "user", content: "buy now, click here" }] });
    outputs.push(r);
    expect(seen).toHaveLength(0);
    expect(r.decidedBy).toBe("offline");
    expect(r.attempts[0]).toMatchObject({
      provider: "openai",
      keyId: k.id,
      outcome: "skipped",
      code: "BUDGET_DAILY_EXHAUSTED",
    });
    expect(JSON.parse(r.text)).toMatchObject({ label: "spam" });
  });

  it("a rate-limited key is skipped; a revoked one too", async () => {
    const v = vault();
    const k = await v.add({
      label: "slow",
      provider: "ollama",
      secret: KEYS.ollama,
      baseUrl: base,
      model: "llama-local",
      rateLimitPerMinute: 1,
    });
    const chain = new ProviderChain({
      entries: [{ provider: providerForKey(k), keyId: k.id }, { provider: new OfflineProvider() }],
      vault: v,
      logger,
    });
    expect((await chain.complete(req)).decidedBy).toBe("ollama");
    const second = await chain.complete(req);
    expect(second.decidedBy).toBe("offline");
    expect(second.attempts[0]).toMatchObject({ outcome: "skipped", code: "RATE_LIMITED" });
    await v.revoke(k.id);
    const third = await chain.complete(req);
    expect(third.attempts[0]).toMatchObject({ outcome: "skipped", code: "KEY_REVOKED" });
    expect(seen).toHaveLength(1);
    outputs.push(second, third);
  });

  it("with no keys at all the default chain answers offline", async () => {
    const r = await (await defaultChain()).complete({
      system: "Summarize",
      messages: [{ role: "user", content: "One. Two." }],
    });
    expect(r).toMatchObject({
      decidedBy: "offline",
      text: "One. Two.",
      attempts: [{ provider: "offline", outcome: "ok" }],
    });
  });

  it("no secret in the vault file, the logs, the results or the list", async () => {
    const v = vault();
    outputs.push(await v.list(), await v.report());
    const text = [
      await readFile(v.file, "utf8"),
      ...lines,
      JSON.stringify(outputs),
      inspect(outputs, { depth: 10 }),
    ].join("\n");
    expect(lines.length).toBeGreaterThan(5);
    for (const s of Object.values(KEYS)) {
      expect(text).not.toContain(s);
      expect(text).not.toContain(s.slice(-16));
    }
  });
});
