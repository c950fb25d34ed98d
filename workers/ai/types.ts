/** One interface for every AI provider, and the checks every request passes before any provider sees it. */
import type { Secret } from "../vault/secret.js";

export interface AiMessage {
  role: "user" | "assistant";
  content: string;
}

export interface AiRequest {
  system?: string;
  messages: AiMessage[];
  maxTokens?: number;
  temperature?: number;
}

export interface AiResult {
  text: string;
  provider: string;
  model: string;
  inputTokens: number;
  outputTokens: number;
  costMicroUsd: number;
}

export interface CallContext {
  /** The provider key, from the vault; absent for keyless providers (offline, a local Ollama). */
  apiKey?: Secret;
  signal?: AbortSignal;
}

export interface AiProvider {
  /** "openai", "anthropic", "ollama" or "offline". */
  readonly name: string;
  readonly model: string;
  /** Upper bound of the request's cost in µUSD, checked against the key's budget before the call. */
  estimateMaxCostMicroUsd(req: AiRequest): number;
  complete(req: AiRequest, ctx?: CallContext): Promise<AiResult>;
  /**
   * Like complete(), handing each piece of the answer's text to `onText` as it arrives. Providers
   * without it are streamed by the ProviderChain as one piece (the offline provider).
   */
  stream?(req: AiRequest, onText: (delta: string) => void, ctx?: CallContext): Promise<AiResult>;
}

export type AiErrorCode = "INVALID_REQUEST" | "PROVIDER_FAILED" | "BAD_RESPONSE" | "ALL_PROVIDERS_FAILED";

export class AiError extends Error {
  override readonly name = "AiError";
  constructor(
    readonly code: AiErrorCode,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
  }
}

export const LIMITS = {
  maxMessages: 64,
  maxChars: 64_000,
  maxTokens: 8192,
  defaultMaxTokens: 512,
  maxResponseChars: 64_000,
} as const;

/** A normalised copy of the request; throws INVALID_REQUEST on anything outside the caps. */
export function checkRequest(
  req: AiRequest,
): Required<Pick<AiRequest, "messages" | "maxTokens" | "temperature">> & { system: string } {
  const bad = (m: string) => new AiError("INVALID_REQUEST", m);
  if (typeof req !== "object" || req === null || !Array.isArray(req.messages))
    throw bad("messages must be an array");
  if (req.messages.length === 0 || req.messages.length > LIMITS.maxMessages)
    throw bad(`between 1 and ${LIMITS.maxMessages} messages are allowed`);
  const system = req.system ?? "";
  if (typeof system !== "string") throw bad("system must be a string");
  let chars = system.length;
  for (const m of req.messages) {
    if (typeof m?.content !== "string" || (m.role !== "user" && m.role !== "assistant"))
      throw bad("each message needs role user|assistant and string content");
    chars += m.content.length;
  }
  if (chars > LIMITS.maxChars) throw bad(`request text exceeds ${LIMITS.maxChars} characters`);
  const maxTokens = req.maxTokens ?? LIMITS.defaultMaxTokens;
  if (!Number.isSafeInteger(maxTokens) || maxTokens < 1 || maxTokens > LIMITS.maxTokens)
    throw bad(`maxTokens must be an integer from 1 to ${LIMITS.maxTokens}`);
  const temperature = req.temperature ?? 0;
  if (typeof temperature !== "number" || !(temperature >= 0 && temperature <= 2))
    throw bad("temperature must be from 0 to 2");
  return {
    system,
    messages: req.messages.map((m) => ({ role: m.role, content: m.content })),
    maxTokens,
    temperature,
  };
}
