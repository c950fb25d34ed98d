/**
 * The AI keys' spend as the supervisor publishes it for the app (`_ai_spend` in the state hash):
 * the vault's public records only — ids, labels, providers, counters and budgets, never a secret —
 * read without the vault's passphrase.
 */
import { KeyVault } from "../vault/vault.js";
import type { AiSpendReport } from "./protocol.js";

/** How often the supervisor re-reads the vault for the report. */
export const AI_SPEND_EVERY_MS = 5_000;

export async function readAiSpend(home: string, now = Date.now()): Promise<AiSpendReport> {
  const vault = new KeyVault({ home, passphrase: "", now: () => now });
  const keys = await vault.report();
  return {
    updatedAt: now,
    keys: keys.map((k) => ({
      id: k.id,
      label: k.label,
      provider: k.provider,
      revoked: k.revokedAt !== null,
      calls: k.calls,
      dayMicroUsd: k.dayMicroUsd,
      dailyBudgetMicroUsd: k.dailyBudgetMicroUsd,
      monthMicroUsd: k.monthMicroUsd,
      monthlyBudgetMicroUsd: k.monthlyBudgetMicroUsd,
      totalMicroUsd: k.totalMicroUsd,
    })),
  };
}
