/** The key vault's failures: a stable code and a message that names keys by id, never a secret. */
export type VaultErrorCode =
  | "PASSPHRASE_REQUIRED"
  | "WEAK_PASSPHRASE"
  | "WRONG_PASSPHRASE"
  | "CORRUPT_VAULT"
  | "INVALID_INPUT"
  | "KEY_NOT_FOUND"
  | "KEY_REVOKED"
  | "RATE_LIMITED"
  | "BUDGET_DAILY_EXHAUSTED"
  | "BUDGET_MONTHLY_EXHAUSTED";

export class VaultError extends Error {
  override readonly name = "VaultError";
  constructor(
    readonly code: VaultErrorCode,
    message: string,
  ) {
    super(message);
  }
}
