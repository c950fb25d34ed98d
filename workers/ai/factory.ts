/** Builds a provider for a vault key's record, and the default chain: the vault's keys, then offline. */
import type { Logger } from "pino";
import type { AiKeyInfo, KeyVault } from "../vault/vault.js";
import { AnthropicProvider, OllamaProvider, OpenAiProvider } from "./adapters.js";
import { ProviderChain } from "./chain.js";
import type { Pricing } from "./cost.js";
import { OfflineProvider } from "./offline.js";
import type { AiProvider } from "./types.js";

export const DEFAULT_MODELS = {
  openai: "gpt-4o-mini",
  anthropic: "claude-haiku-4-5",
  ollama: "llama3.2",
} as const;

export function providerForKey(
  k: Pick<AiKeyInfo, "provider" | "baseUrl" | "model">,
  o: { pricing?: Pricing; timeoutMs?: number } = {},
): AiProvider {
  const opts = {
    model: k.model ?? DEFAULT_MODELS[k.provider],
    ...(k.baseUrl ? { baseUrl: k.baseUrl } : {}),
    ...(o.pricing ? { pricing: o.pricing } : {}),
    ...(o.timeoutMs ? { timeoutMs: o.timeoutMs } : {}),
  };
  if (k.provider === "openai") return new OpenAiProvider(opts);
  if (k.provider === "anthropic") return new AnthropicProvider(opts);
  return new OllamaProvider(opts);
}

/**
 * The chain agents use: the given vault keys in order (default: every unrevoked key, oldest first),
 * then the offline provider, so a call always gets an answer with no key and no network.
 */
export async function defaultChain(
  o: { vault?: KeyVault; keyIds?: string[]; logger?: Logger } = {},
): Promise<ProviderChain> {
  const keys = o.vault ? (await o.vault.list()).filter((k) => !k.revokedAt) : [];
  const chosen = o.keyIds ? o.keyIds.flatMap((id) => keys.filter((k) => k.id === id)) : keys;
  return new ProviderChain({
    entries: [
      ...chosen.map((k) => ({ provider: providerForKey(k), keyId: k.id })),
      { provider: new OfflineProvider() },
    ],
    ...(o.vault ? { vault: o.vault } : {}),
    ...(o.logger ? { logger: o.logger } : {}),
  });
}
