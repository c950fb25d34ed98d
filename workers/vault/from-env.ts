/**
 * The vault an agent process calls AI providers with: `<home>/ai-keys/vault.json`, unlocked by
 * `$VIVIM_VAULT_PASSPHRASE` (which is then taken out of the environment). No file or no passphrase:
 * no vault, and the agents use the offline provider alone.
 */
import { existsSync } from "node:fs";
import path from "node:path";
import type { Logger } from "pino";
import { KeyVault } from "./vault.js";

export async function openVaultFromEnv(home: string, logger: Logger): Promise<KeyVault | undefined> {
  const passphrase = process.env.VIVIM_VAULT_PASSPHRASE;
  delete process.env.VIVIM_VAULT_PASSPHRASE;
  if (!existsSync(path.join(home, "ai-keys", "vault.json"))) return undefined;
  if (!passphrase) {
    logger.info("an AI-key vault exists but VIVIM_VAULT_PASSPHRASE is not set: using the offline provider");
    return undefined;
  }
  return new KeyVault({ home, passphrase, logger });
}
