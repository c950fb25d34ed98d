/**
 * The chat model behind assistant-ui's LocalRuntime. With the app server's /chat, a real model
 * proposes the answer (serverIntent); offline (the default, and the fallback) it is deterministic:
 * parseIntent() maps the request to one MCP-named tool call; reads run at once and come back as a
 * card, writes come back as a card awaiting the person's confirmation (the run pauses in
 * "requires-action" until the card adds its result), and the follow-up line is written once the
 * card has a result. The reply text streams word by word.
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

let callSeq = 0;

/** Where an answer comes from: the offline parser, or a model behind the app server's /chat. */
export type IntentSource = (messages: readonly ThreadMessage[], signal: AbortSignal) => Promise<Intent>;

export const offlineIntent: IntentSource = async (messages) =>
  parseIntent(textOf(messages[messages.length - 1]));

/**
 * A real model through the app server's POST /chat (ui/server/chat.mjs): the conversation's text
 * goes up, a reply and at most one proposed tool call come back (checked by the server). The
 * person proves who they are with an ADR-036 signature over `vivim-chat\n<chain>\n<time>`, made
 * on this device and reused for a few minutes. Any failure, or a server whose keys all refused,
 * falls back to the offline parser.
 */
export function serverIntent(
  chainId: string,
  address: string,
  signArbitrary: (text: string) => Promise<{ pub_key: string; signature: string }>,
): IntentSource {
  let token: { issuedAt: string; pub_key: string; signature: string; at: number } | undefined;
  return async (messages, signal) => {
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
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({
          signer: address,
          pub_key: token.pub_key,
          signature: token.signature,
          issued_at: token.issuedAt,
          messages: history,
        }),
      });
      if (res.status === 401) token = undefined;
      const body = (await res.json()) as { reply?: string; call?: Intent["call"]; fallback?: boolean };
      if (!res.ok || body.fallback || typeof body.reply !== "string") return offlineIntent(messages, signal);
      return body.call ? { reply: body.reply, call: body.call } : { reply: body.reply };
    } catch {
      return offlineIntent(messages, signal);
    }
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
      const intent = await intentOf(messages, abortSignal);
      if (abortSignal.aborted) return;
      if (!intent.call) {
        yield* stream(intent.reply, abortSignal);
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
        for await (const r of stream(intent.reply, abortSignal)) {
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
      for await (const r of stream(intent.reply, abortSignal)) {
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
