/** Typed failures of the DM layer: every rejection carries a stable `code` that callers and nodes can map. */
export const DM_ERROR_CODES = [
  /** Malformed bytes: wrong version or kind, truncated, trailing data, a field out of range. */
  "BAD_ENVELOPE",
  /** The sender's (or prekey owner's) secp256k1 signature does not verify, or the address does not match the key. */
  "BAD_SIGNATURE",
  /** Signed for another chain id. */
  "WRONG_CHAIN",
  /** The AEAD tag did not verify: wrong key, tampered header or ciphertext. */
  "DECRYPT_FAILED",
  /** This counter was already opened in this session (or fell out of the skipped-key window). */
  "REPLAYED",
  /** The envelope's expires_at has passed, or its sent_at is too far in the future. */
  "EXPIRED",
  /** Plaintext, envelope, recipient list or id list over its cap. */
  "TOO_LARGE",
  /** expires_at outside what the retention tier allows. */
  "BAD_RETENTION",
  /** A prekey bundle that is malformed, signed by someone else, or for another address. */
  "BAD_PREKEY",
  /** A prekey bundle whose expiry has passed. */
  "PREKEY_EXPIRED",
  /** The recipient no longer holds (or never had) the private prekey the sender used. */
  "UNKNOWN_PREKEY",
  /** The opener is not among the envelope's recipients. */
  "NOT_RECIPIENT",
  /** The envelope belongs to another session, conversation or peer than the state passed in. */
  "SESSION_MISMATCH",
  /** The counter jumps further ahead than the skipped-key window allows. */
  "TOO_MANY_SKIPPED",
  /** An invalid private or public key. */
  "BAD_KEY",
  /** A group message from a sender key this member does not hold (not distributed, or rotated away). */
  "UNKNOWN_SENDER_KEY",
  /** A group membership change by someone who is not the group's admin (its creator). */
  "NOT_ADMIN",
  /** Adding someone already in the group, or removing someone not in it (or ourselves: leave instead). */
  "BAD_MEMBER",
] as const;

export type DmErrorCode = (typeof DM_ERROR_CODES)[number];

export class DmError extends Error {
  override readonly name = "DmError";
  constructor(
    readonly code: DmErrorCode,
    message: string,
  ) {
    super(`${code}: ${message}`);
  }
}

export const fail = (code: DmErrorCode, message: string): never => {
  throw new DmError(code, message);
};
