/**
 * The networked providers, each through its vendor's own client library: OpenAI-compatible servers
 * (`openai`, any baseURL), Anthropic (`@anthropic-ai/sdk`) and Ollama (`ollama`, any host). A client
 * is built per call with that call's key, retries are off (the ProviderChain falls back instead),
 * and the response text is size-capped.
 */
import Anthropic from "@anthropic-ai/sdk";
import { Ollama } from "ollama";
import OpenAI from "openai";
import { costMicroUsd, DEFAULT_PRICING, estimateMaxCost, type Pricing } from "./cost.js";
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

  abstract complete(req: AiRequest, ctx?: CallContext): Promise<AiResult>;
}

export class OpenAiProvider extends NetworkProvider {
  readonly name = "openai" as const;

  async complete(req: AiRequest, ctx: CallContext = {}): Promise<AiResult> {
    const r = checkRequest(req);
    const client = new OpenAI({
      apiKey: ctx.apiKey?.reveal() ?? "none",
      ...(this.baseUrl ? { baseURL: this.baseUrl } : {}),
      maxRetries: 0,
      timeout: this.timeoutMs,
    });
    const res = await client.chat.completions.create(
      {
        model: this.model,
        messages: [...(r.system ? [{ role: "system" as const, content: r.system }] : []), ...r.messages],
        max_tokens: r.maxTokens,
        temperature: r.temperature,
      },
      ctx.signal ? { signal: ctx.signal } : undefined,
    );
    return this.result(
      res.choices?.[0]?.message?.content,
      res.usage?.prompt_tokens,
      res.usage?.completion_tokens,
      res.model,
    );
  }
}

export class AnthropicProvider extends NetworkProvider {
  readonly name = "anthropic" as const;

  async complete(req: AiRequest, ctx: CallContext = {}): Promise<AiResult> {
    const r = checkRequest(req);
    const key = ctx.apiKey?.reveal();
    if (!key) throw new AiError("INVALID_REQUEST", "the anthropic provider needs a key from the vault");
    // This SDK sends the key as `Authorization: Bearer`; the classic `x-api-key` header is added so
    // servers that speak the original Messages protocol accept it too. Passing the key explicitly
    // also keeps the SDK from reading ANTHROPIC_* variables or profile files.
    const client = new Anthropic({
      apiKey: key,
      defaultHeaders: { "x-api-key": key },
      ...(this.baseUrl ? { baseURL: this.baseUrl } : {}),
      maxRetries: 0,
      timeout: this.timeoutMs,
    });
    const res = await client.messages.create(
      {
        model: this.model,
        max_tokens: r.maxTokens,
        // This SDK's Messages API has no temperature parameter any more; the model's default applies.
        ...(r.system ? { system: r.system } : {}),
        messages: r.messages,
      },
      ctx.signal ? { signal: ctx.signal } : undefined,
    );
    const text = Array.isArray(res.content)
      ? res.content.flatMap((b) => (b.type === "text" ? [b.text] : [])).join("")
      : undefined;
    return this.result(text, res.usage?.input_tokens, res.usage?.output_tokens, res.model);
  }
}

export class OllamaProvider extends NetworkProvider {
  readonly name = "ollama" as const;

  async complete(req: AiRequest, ctx: CallContext = {}): Promise<AiResult> {
    const r = checkRequest(req);
    const key = ctx.apiKey?.reveal();
    const timeout = AbortSignal.timeout(this.timeoutMs);
    const signal = ctx.signal ? AbortSignal.any([ctx.signal, timeout]) : timeout;
    const client = new Ollama({
      host: this.baseUrl ?? "http://127.0.0.1:11434",
      ...(key ? { headers: { Authorization: `Bearer ${key}` } } : {}),
      fetch: (input, init) => fetch(input, { ...init, signal }),
    });
    const res = await client.chat({
      model: this.model,
      messages: [...(r.system ? [{ role: "system", content: r.system }] : []), ...r.messages],
      stream: false,
      options: { temperature: r.temperature, num_predict: r.maxTokens },
    });
    return this.result(res.message?.content, res.prompt_eval_count, res.eval_count, res.model);
  }
}
