/**
 * The networked providers, each through its vendor's own client library: OpenAI-compatible servers
 * (`openai`, any baseURL), Anthropic (`@anthropic-ai/sdk`) and Ollama (`ollama`, any host). A client
 * is built per call with that call's key, retries are off (the ProviderChain falls back instead),
 * and the response text is size-capped. Each also streams through its SDK's streaming mode; the
 * vendor's events are mapped to one shape (StreamPiece) and collected by one loop.
 */
import Anthropic from "@anthropic-ai/sdk";
import { Ollama } from "ollama";
import OpenAI from "openai";
import {
  costMicroUsd,
  DEFAULT_PRICING,
  estimateInputTokens,
  estimateMaxCost,
  estimateOutputTokens,
  type Pricing,
} from "./cost.js";
import {
  AiError,
  type AiProvider,
  type AiRequest,
  type AiResult,
  type CallContext,
  checkRequest,
  LIMITS,
} from "./types.js";

export interface AdapterOptions {
  model: string;
  /** OpenAI: API root incl. /v1 (default https://api.openai.com/v1); Anthropic: API root; Ollama: host. */
  baseUrl?: string;
  pricing?: Pricing;
  timeoutMs?: number;
}

const cap = (s: string) => s.slice(0, LIMITS.maxResponseChars);
type Checked = ReturnType<typeof checkRequest>;

/** One event of a vendor's stream: text to show, and usage or model name when the vendor says them. */
interface StreamPiece {
  text?: string | null | undefined;
  inputTokens?: number | null | undefined;
  outputTokens?: number | null | undefined;
  model?: string | undefined;
}
const tokens = (n: unknown) => (typeof n === "number" && Number.isSafeInteger(n) && n >= 0 ? n : 0);

abstract class NetworkProvider implements AiProvider {
  abstract readonly name: "openai" | "anthropic" | "ollama";
  readonly model: string;
  protected readonly baseUrl: string | undefined;
  protected readonly timeoutMs: number;
  private readonly pricingOverride: Pricing | undefined;

  constructor(o: AdapterOptions) {
    if (typeof o.model !== "string" || o.model.length === 0 || o.model.length > 128)
      throw new AiError("INVALID_REQUEST", "a provider needs a model name of 1 to 128 characters");
    this.model = o.model;
    this.baseUrl = o.baseUrl;
    this.timeoutMs = o.timeoutMs ?? 30_000;
    this.pricingOverride = o.pricing;
  }

  get pricing(): Pricing {
    return this.pricingOverride ?? DEFAULT_PRICING[this.name];
  }

  estimateMaxCostMicroUsd(req: AiRequest): number {
    return estimateMaxCost(this.pricing, req);
  }

  protected result(text: unknown, inputTokens: unknown, outputTokens: unknown, model: unknown): AiResult {
    if (typeof text !== "string") throw new AiError("BAD_RESPONSE", `${this.name} returned no text`);
    const i = tokens(inputTokens);
    const o = tokens(outputTokens);
    return {
      text: cap(text),
      provider: this.name,
      model: typeof model === "string" && model ? model.slice(0, 128) : this.model,
      inputTokens: i,
      outputTokens: o,
      costMicroUsd: costMicroUsd(this.pricing, i, o),
    };
  }

  /**
   * Hands the text of `pieces` to `onText` up to the response cap (past it the vendor's stream is
   * closed), then the result; a server that sent no usage is charged by estimate.
   */
  protected async collect(
    req: Checked,
    pieces: AsyncIterable<StreamPiece>,
    onText: (delta: string) => void,
  ): Promise<AiResult> {
    let text = "";
    let inputTokens: number | undefined;
    let outputTokens: number | undefined;
    let model: string | undefined;
    for await (const p of pieces) {
      model ??= p.model;
      if (typeof p.inputTokens === "number") inputTokens = p.inputTokens;
      if (typeof p.outputTokens === "number") outputTokens = p.outputTokens;
      if (typeof p.text !== "string" || !p.text) continue;
      const piece = p.text.slice(0, LIMITS.maxResponseChars - text.length);
      if (piece) {
        text += piece;
        onText(piece);
      }
      if (text.length >= LIMITS.maxResponseChars) break;
    }
    return this.result(
      text,
      inputTokens ?? estimateInputTokens(req),
      outputTokens ?? estimateOutputTokens(text),
      model,
    );
  }

  abstract complete(req: AiRequest, ctx?: CallContext): Promise<AiResult>;
  abstract stream(req: AiRequest, onText: (delta: string) => void, ctx?: CallContext): Promise<AiResult>;
}

export class OpenAiProvider extends NetworkProvider {
  readonly name = "openai" as const;

  private client(ctx: CallContext): OpenAI {
    return new OpenAI({
      apiKey: ctx.apiKey?.reveal() ?? "none",
      ...(this.baseUrl ? { baseURL: this.baseUrl } : {}),
      maxRetries: 0,
      timeout: this.timeoutMs,
    });
  }

  private body(r: Checked) {
    return {
      model: this.model,
      messages: [...(r.system ? [{ role: "system" as const, content: r.system }] : []), ...r.messages],
      max_tokens: r.maxTokens,
      temperature: r.temperature,
    };
  }

  async complete(req: AiRequest, ctx: CallContext = {}): Promise<AiResult> {
    const r = checkRequest(req);
    const res = await this.client(ctx).chat.completions.create(
      this.body(r),
      ctx.signal ? { signal: ctx.signal } : undefined,
    );
    return this.result(
      res.choices?.[0]?.message?.content,
      res.usage?.prompt_tokens,
      res.usage?.completion_tokens,
      res.model,
    );
  }

  /** Server-sent `data:` chunks of deltas; the last chunk before `[DONE]` carries the usage. */
  async stream(req: AiRequest, onText: (delta: string) => void, ctx: CallContext = {}): Promise<AiResult> {
    const r = checkRequest(req);
    const chunks = await this.client(ctx).chat.completions.create(
      { ...this.body(r), stream: true, stream_options: { include_usage: true } },
      ctx.signal ? { signal: ctx.signal } : undefined,
    );
    async function* pieces(): AsyncGenerator<StreamPiece> {
      for await (const c of chunks) {
        yield {
          text: c.choices?.[0]?.delta?.content,
          inputTokens: c.usage?.prompt_tokens,
          outputTokens: c.usage?.completion_tokens,
          model: c.model,
        };
      }
    }
    return this.collect(r, pieces(), onText);
  }
}

export class AnthropicProvider extends NetworkProvider {
  readonly name = "anthropic" as const;

  private client(ctx: CallContext): Anthropic {
    const key = ctx.apiKey?.reveal();
    if (!key) throw new AiError("INVALID_REQUEST", "the anthropic provider needs a key from the vault");
    // This SDK sends the key as `Authorization: Bearer`; the classic `x-api-key` header is added so
    // servers that speak the original Messages protocol accept it too. Passing the key explicitly
    // also keeps the SDK from reading ANTHROPIC_* variables or profile files.
    return new Anthropic({
      apiKey: key,
      defaultHeaders: { "x-api-key": key },
      ...(this.baseUrl ? { baseURL: this.baseUrl } : {}),
      maxRetries: 0,
      timeout: this.timeoutMs,
    });
  }

  private body(r: Checked) {
    return {
      model: this.model,
      max_tokens: r.maxTokens,
      // This SDK's Messages API has no temperature parameter any more; the model's default applies.
      ...(r.system ? { system: r.system } : {}),
      messages: r.messages,
    };
  }

  async complete(req: AiRequest, ctx: CallContext = {}): Promise<AiResult> {
    const r = checkRequest(req);
    const res = await this.client(ctx).messages.create(
      this.body(r),
      ctx.signal ? { signal: ctx.signal } : undefined,
    );
    const text = Array.isArray(res.content)
      ? res.content.flatMap((b) => (b.type === "text" ? [b.text] : [])).join("")
      : undefined;
    return this.result(text, res.usage?.input_tokens, res.usage?.output_tokens, res.model);
  }

  /** Messages events: message_start (input usage, model), text deltas, message_delta (output usage). */
  async stream(req: AiRequest, onText: (delta: string) => void, ctx: CallContext = {}): Promise<AiResult> {
    const r = checkRequest(req);
    const events = await this.client(ctx).messages.create(
      { ...this.body(r), stream: true },
      ctx.signal ? { signal: ctx.signal } : undefined,
    );
    async function* pieces(): AsyncGenerator<StreamPiece> {
      for await (const e of events) {
        if (e.type === "message_start")
          yield {
            inputTokens: e.message.usage?.input_tokens,
            outputTokens: e.message.usage?.output_tokens,
            model: e.message.model,
          };
        else if (e.type === "content_block_delta" && e.delta.type === "text_delta")
          yield { text: e.delta.text };
        else if (e.type === "message_delta") yield { outputTokens: e.usage?.output_tokens };
      }
    }
    return this.collect(r, pieces(), onText);
  }
}

export class OllamaProvider extends NetworkProvider {
  readonly name = "ollama" as const;

  private client(ctx: CallContext): Ollama {
    const key = ctx.apiKey?.reveal();
    const timeout = AbortSignal.timeout(this.timeoutMs);
    const signal = ctx.signal ? AbortSignal.any([ctx.signal, timeout]) : timeout;
    return new Ollama({
      host: this.baseUrl ?? "http://127.0.0.1:11434",
      ...(key ? { headers: { Authorization: `Bearer ${key}` } } : {}),
      fetch: (input, init) => fetch(input, { ...init, signal }),
    });
  }

  private body(r: Checked) {
    return {
      model: this.model,
      messages: [...(r.system ? [{ role: "system", content: r.system }] : []), ...r.messages],
      options: { temperature: r.temperature, num_predict: r.maxTokens },
    };
  }

  async complete(req: AiRequest, ctx: CallContext = {}): Promise<AiResult> {
    const r = checkRequest(req);
    const res = await this.client(ctx).chat({ ...this.body(r), stream: false });
    return this.result(res.message?.content, res.prompt_eval_count, res.eval_count, res.model);
  }

  /** Newline-delimited JSON parts; the last (`done`) carries the token counts. */
  async stream(req: AiRequest, onText: (delta: string) => void, ctx: CallContext = {}): Promise<AiResult> {
    const r = checkRequest(req);
    const parts = await this.client(ctx).chat({ ...this.body(r), stream: true });
    async function* pieces(): AsyncGenerator<StreamPiece> {
      for await (const p of parts) {
        yield {
          text: p.message?.content,
          ...(p.done ? { inputTokens: p.prompt_eval_count, outputTokens: p.eval_count } : {}),
          model: p.model,
        };
      }
    }
    return this.collect(r, pieces(), onText);
  }
}
