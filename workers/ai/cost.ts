/** Token prices and cost arithmetic, in whole micro-USD (µUSD). */
import type { AiRequest } from "./types.js";
import { LIMITS } from "./types.js";

/** µUSD per 1,000 tokens (so $0.15 per million tokens is 150). */
export interface Pricing {
  inputPerKTok: number;
  outputPerKTok: number;
}

export const DEFAULT_PRICING: Record<"openai" | "anthropic" | "ollama" | "offline", Pricing> = {
  openai: { inputPerKTok: 150, outputPerKTok: 600 },
  anthropic: { inputPerKTok: 800, outputPerKTok: 4000 },
  ollama: { inputPerKTok: 0, outputPerKTok: 0 },
  offline: { inputPerKTok: 0, outputPerKTok: 0 },
};

/** Rounded up, so a non-free call never costs 0. */
export function costMicroUsd(p: Pricing, inputTokens: number, outputTokens: number): number {
  const t = (inputTokens * p.inputPerKTok + outputTokens * p.outputPerKTok) / 1000;
  return Math.max(0, Math.ceil(t));
}

/** A generous input-token estimate: one token per 3 characters, plus 8 per message. */
export function estimateInputTokens(req: AiRequest): number {
  const chars = (req.system ?? "").length + req.messages.reduce((n, m) => n + m.content.length, 0);
  return Math.ceil(chars / 3) + 8 * (req.messages.length + 1);
}

/** Output tokens of a streamed answer whose server sent no usage: one token per 4 characters. */
export function estimateOutputTokens(text: string): number {
  return Math.ceil(text.length / 4);
}

/** Worst-case cost of a request: estimated input plus the whole output allowance. */
export function estimateMaxCost(p: Pricing, req: AiRequest): number {
  return costMicroUsd(p, estimateInputTokens(req), req.maxTokens ?? LIMITS.defaultMaxTokens);
}
