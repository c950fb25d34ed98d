/**
 * Tries providers in order and returns the first answer, falling back when a provider fails or its
 * vault key refuses the call (revoked, rate limit, budget). The result says which provider decided
 * and why each earlier one was skipped. Keys come from the vault only for the call, and every
 * failure text is scrubbed of the key before it is logged or returned.
 */
import type { Logger } from "pino";
import { VaultError } from "../vault/errors.js";
import { type Secret, scrub } from "../vault/secret.js";
import type { KeyVault } from "../vault/vault.js";
import { AiError, type AiProvider, type AiRequest, type AiResult, checkRequest } from "./types.js";

export interface ChainEntry {
  provider: AiProvider;
  /** The vault key this provider calls with; none for keyless providers. */
  keyId?: string;
}

export interface Attempt {
  provider: string;
  model: string;
  keyId?: string;
  outcome: "ok" | "skipped" | "failed";
  /** For skipped/failed: the vault's refusal code, or PROVIDER_FAILED / BAD_RESPONSE. */
  code?: string;
  reason?: string;
}

export interface ChainResult extends AiResult {
  decidedBy: string;
  attempts: Attempt[];
}

export interface ProviderChainOptions {
  entries: ChainEntry[];
  vault?: KeyVault;
  logger?: Logger;
}

const MAX_REASON = 300;

/** A one-line failure text, scrubbed of the key and capped. */
export function describeFailure(err: unknown, secret: Secret | undefined): { code: string; reason: string } {
  const e = err as { code?: unknown; status?: unknown; message?: unknown; name?: unknown };
  const code = err instanceof AiError || err instanceof VaultError ? err.code : "PROVIDER_FAILED";
  const status = typeof e?.status === "number" ? `HTTP ${e.status}: ` : "";
  const msg = typeof e?.message === "string" ? e.message : String(err);
  return { code, reason: scrub(`${status}${msg}`.replace(/\s+/g, " "), secret).slice(0, MAX_REASON) };
}

export class ProviderChain {
  private readonly entries: ChainEntry[];
  private readonly vault: KeyVault | undefined;
  private readonly log: Logger | undefined;

  constructor(o: ProviderChainOptions) {
    if (o.entries.length === 0)
      throw new AiError("INVALID_REQUEST", "a provider chain needs at least one provider");
    if (o.entries.some((e) => e.keyId) && !o.vault)
      throw new AiError("INVALID_REQUEST", "keyed providers need a vault");
    this.entries = o.entries;
    this.vault = o.vault;
    this.log = o.logger?.child({ component: "ai-provider-chain" });
  }

  /**
   * The first provider's answer. With `onText`, the answer's text is handed over as it arrives
   * (each piece with the provider it came from); once a provider has sent text, or the caller has
   * aborted, its failure ends the call instead of falling back (another provider's answer would
   * not continue what the person already saw) and its key is charged the reserved worst case,
   * since the vendor may have billed the tokens it sent.
   */
  async complete(
    req: AiRequest,
    signal?: AbortSignal,
    onText?: (delta: string, provider: string) => void,
  ): Promise<ChainResult> {
    const r = checkRequest(req);
    const attempts: Attempt[] = [];
    for (const { provider, keyId } of this.entries) {
      const base = { provider: provider.name, model: provider.model, ...(keyId ? { keyId } : {}) };
      const reserved = provider.estimateMaxCostMicroUsd(r);
      let secret: Secret | undefined;
      if (keyId && this.vault) {
        try {
          secret = (await this.vault.reserve(keyId, reserved)).secret;
        } catch (err) {
          const f = describeFailure(err, undefined);
          attempts.push({ ...base, outcome: "skipped", ...f });
          this.log?.info({ ...base, code: f.code }, "ai provider skipped");
          continue;
        }
      }
      let sent = false;
      const emit = onText
        ? (delta: string) => {
            sent = true;
            onText(delta, provider.name);
          }
        : undefined;
      try {
        const ctx = { ...(secret ? { apiKey: secret } : {}), ...(signal ? { signal } : {}) };
        let res: AiResult;
        if (!emit) res = await provider.complete(r, ctx);
        else if (provider.stream) res = await provider.stream(r, emit, ctx);
        else {
          res = await provider.complete(r, ctx);
          emit(res.text);
        }
        if (keyId && this.vault) await this.vault.recordSpend(keyId, res.costMicroUsd);
        attempts.push({ ...base, outcome: "ok" });
        this.log?.info(
          {
            ...base,
            inputTokens: res.inputTokens,
            outputTokens: res.outputTokens,
            costMicroUsd: res.costMicroUsd,
            fallbacks: attempts.length - 1,
            streamed: Boolean(emit),
          },
          "ai provider answered",
        );
        return { ...res, decidedBy: provider.name, attempts };
      } catch (err) {
        const f = describeFailure(err, secret);
        attempts.push({ ...base, outcome: "failed", ...f });
        this.log?.warn({ ...base, code: f.code, reason: f.reason, streamed: sent }, "ai provider failed");
        if (sent || signal?.aborted) {
          if (keyId && this.vault) await this.vault.recordSpend(keyId, reserved);
          throw new AiError("PROVIDER_FAILED", `${provider.name} stopped mid-answer: ${f.reason}`, attempts);
        }
      }
    }
    throw new AiError(
      "ALL_PROVIDERS_FAILED",
      `no provider answered: ${attempts.map((a) => `${a.provider} ${a.outcome} (${a.code})`).join(", ")}`,
      attempts,
    );
  }
}
