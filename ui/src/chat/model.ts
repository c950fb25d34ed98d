/**
 * The chat model behind assistant-ui's LocalRuntime. With the app server's /chat, a real model
 * proposes the answer (serverIntent); offline (the default, and the fallback) it is deterministic:
 * parseIntent() maps the request to one MCP-named tool call; reads run at once and come back as a
 * card, writes come back as a card awaiting the person's confirmation (the run pauses in
 * "requires-action" until the card adds its result), and the follow-up line is written once the
 * card has a result. A model's reply streams as the server receives it; the offline reply streams
 * word by word.
 */
import type { ChatModelAdapter, ChatModelRunResult, ThreadMessage } from "@assistant-ui/react";
import type { Api } from "../lib/api.js";
import { runRead, type WriteResult } from "./actions.js";
import { type Intent, parseIntent, WRITE_TOOLS } from "./intent.js";

type Part = NonNullable<ChatModelRunResult["content"]>[number];

const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    const t = setTimeout(resolve, ms);
    signal.addEventListener("abort", () => {
      clearTimeout(t);
      resolve();
    });
  });

function textOf(m: ThreadMessage | undefined): string {
  if (!m) return "";
  return m.content
    .map((p) => (p.type === "text" ? p.text : ""))
    .join(" ")
    .trim();
}

/** After the person confirmed or dismissed a card: one closing line. */
function closingLine(m: ThreadMessage): string {
  const calls = m.content.filter((p) => p.type === "tool-call");
  const last = calls[calls.length - 1];
  const r = (last && "result" in last ? last.result : undefined) as WriteResult | undefined;
  if (!r) return "";
  if (r.status === "cancelled") return "Okay, I left it. Nothing was signed.";
  return `Done. ${r.summary}: committed in block ${r.height}.`;
}

async function* stream(
  words: string,
  signal: AbortSignal,
  tail: Part[] = [],
): AsyncGenerator<ChatModelRunResult> {
  const tokens = words.split(/(\s+)/);
  let acc = "";
  for (let i = 0; i < tokens.length; i += 1) {
    if (signal.aborted) return;
    acc += tokens[i];
    if (i % 4 === 0 || i === tokens.length - 1) {
      yield { content: [{ type: "text", text: acc }] };
      await sleep(12, signal);
    }
  }
  if (tail.length) yield { content: [{ type: "text", text: acc }, ...tail] };
}

/** A whole text at once (a streamed reply's checked final form). */
async function* once(text: string): AsyncGenerator<ChatModelRunResult> {
  yield { content: [{ type: "text", text }] };
}

let callSeq = 0;

/** What an answer source yields: the reply so far while a model writes it, then the checked intent. */
export type IntentEvent =
  | { readonly type: "text"; readonly text: string }
  | { readonly type: "intent"; readonly intent: Intent };

/** Where an answer comes from: the offline parser, or a model behind the app server's /chat. */
export type IntentSource = (
  messages: readonly ThreadMessage[],
  signal: AbortSignal,
) => AsyncIterable<IntentEvent>;

export const offlineIntent: IntentSource = async function* (messages) {
  yield { type: "intent", intent: parseIntent(textOf(messages[messages.length - 1])) };
};

const MAX_EVENT_CHARS = 64 * 1024;

/** The events of a server-sent-events body, as they arrive: `event:` name and JSON `data:`. */
async function* serverEvents(
  body: ReadableStream<Uint8Array>,
): AsyncGenerator<{ event: string; data: unknown }> {
  const reader = body.getReader();
  const utf8 = new TextDecoder();
  let buffer = "";
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    buffer += utf8.decode(value, { stream: true });
    // The server caps a reply at 2,000 characters; an event this long is not one of its answers.
    if (buffer.length > MAX_EVENT_CHARS) throw new Error("the assistant's answer is too long");
    let end = buffer.indexOf("\n\n");
    while (end >= 0) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      end = buffer.indexOf("\n\n");
      const event = /^event: (.*)$/m.exec(block)?.[1] ?? "message";
      const data = /^data: (.*)$/m.exec(block)?.[1];
      if (data !== undefined) yield { event, data: JSON.parse(data) as unknown };
    }
  }
}

/**
 * A real model through the app server's POST /chat (ui/server/chat.mjs), streamed: the
 * conversation's text goes up; the reply comes back as the model writes it, then the reply and at
 * most one proposed tool call as the server checked them. The person proves who they are with an
 * ADR-036 signature over `vivim-chat\n<chain>\n<time>`, made on this device (or by Keplr) and
 * reused for a few minutes. Any failure, or a server whose keys all refused, falls back to the
 * offline parser (its answer replaces any text already shown).
 */
export function serverIntent(
  chainId: string,
  address: string,
  signArbitrary: (text: string) => Promise<{ pub_key: string; signature: string }>,
): IntentSource {
  let token: { issuedAt: string; pub_key: string; signature: string; at: number } | undefined;
  return async function* (messages, signal) {
    let intent: Intent | undefined;
    try {
      if (!token || Date.now() - token.at > 5 * 60_000) {
        const issuedAt = String(Date.now());
        token = { issuedAt, at: Date.now(), ...(await signArbitrary(`vivim-chat\n${chainId}\n${issuedAt}`)) };
      }
      const history = messages
        .map((m) => ({ role: m.role, content: textOf(m) }))
        .filter((m) => (m.role === "user" || m.role === "assistant") && m.content)
        .slice(-16);
      const res = await fetch("/chat", {
        method: "POST",
        signal,
        headers: { "Content-Type": "application/json", Accept: "text/event-stream" },
        body: JSON.stringify({
          signer: address,
          pub_key: token.pub_key,
          signature: token.signature,
          issued_at: token.issuedAt,
          messages: history,
          stream: true,
        }),
      });
      if (res.status === 401) token = undefined;
      if (res.ok && res.body && /event-stream/.test(res.headers.get("content-type") ?? "")) {
        let text = "";
        for await (const { event, data } of serverEvents(res.body)) {
          const d = data as { text?: unknown; reply?: unknown; call?: Intent["call"]; fallback?: unknown };
          if (event === "delta" && typeof d.text === "string") {
            text += d.text;
            yield { type: "text", text };
          } else if (event === "done" && !d.fallback && typeof d.reply === "string") {
            intent = d.call ? { reply: d.reply, call: d.call } : { reply: d.reply };
          }
        }
      }
    } catch {
      // The offline parser answers below; an aborted run is dropped by the caller.
    }
    if (intent) yield { type: "intent", intent };
    else yield* offlineIntent(messages, signal);
  };
}

export function offlineModel(api: Api): ChatModelAdapter {
  return assistantModel(api, offlineIntent);
}

export function assistantModel(api: Api, intentOf: IntentSource): ChatModelAdapter {
  return {
    async *run({ messages, abortSignal, unstable_getMessage }) {
      // A continuation: the card in this answer got its result (confirmed or dismissed).
      const current = unstable_getMessage();
      if (current.content.some((p) => p.type === "tool-call" && p.result !== undefined)) {
        const line = closingLine(current);
        if (line) yield* stream(line, abortSignal);
        return;
      }
      // A model's reply is shown as it streams; then the checked reply replaces it at once.
      let intent: Intent | undefined;
      let streamed = false;
      for await (const e of intentOf(messages, abortSignal)) {
        if (abortSignal.aborted) return;
        if (e.type === "text") {
          streamed = true;
          yield { content: [{ type: "text", text: e.text }] };
        } else intent = e.intent;
      }
      if (!intent || abortSignal.aborted) return;
      const say = (text: string): AsyncGenerator<ChatModelRunResult> =>
        streamed ? once(text) : stream(text, abortSignal);
      if (!intent.call) {
        yield* say(intent.reply);
        return;
      }
      callSeq += 1;
      const toolCallId = `call_${Date.now().toString(36)}_${callSeq}`;
      const args = intent.call.args as unknown as Record<string, string | number | boolean>;
      const base = {
        type: "tool-call" as const,
        toolCallId,
        toolName: intent.call.toolName,
        args,
        argsText: JSON.stringify(args),
      };
      if (WRITE_TOOLS.has(intent.call.toolName)) {
        let text = "";
        for await (const r of say(intent.reply)) {
          text = (r.content?.[0] as { text?: string } | undefined)?.text ?? text;
          yield r;
        }
        if (abortSignal.aborted) return;
        yield {
          content: [{ type: "text", text }, base],
          status: { type: "requires-action", reason: "tool-calls" },
        };
        return;
      }
      const pending = runRead(api, intent.call);
      let text = "";
      for await (const r of say(intent.reply)) {
        text = (r.content?.[0] as { text?: string } | undefined)?.text ?? text;
        yield r;
      }
      yield { content: [{ type: "text", text }, base] };
      const result = await pending;
      if (abortSignal.aborted) return;
      yield {
        content: [
          { type: "text", text },
          { ...base, result },
        ],
        status: { type: "complete", reason: "stop" },
      };
    },
  };
}
