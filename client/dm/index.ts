/**
 * End-to-end encrypted direct messages and small groups (client side, pure: no I/O, no clock —
 * callers pass times, and randomness comes from WebCrypto unless an `rng` is passed). Nodes only
 * ever see envelopes: they check them with `verifyEnvelope` and store or relay the ciphertext.
 * To be re-exported from `vivim/client`.
 */
export * from "./envelope.js";
export { DM_ERROR_CODES, DmError, type DmErrorCode } from "./errors.js";
export * from "./group.js";
export {
  addressOfPubkey,
  type DmIdentity,
  decodePrekeyBundle,
  dmIdentityFromPrivateKey,
  encodePrekeyBundle,
  generatePrekey,
  PREKEY_TAG,
  type PrekeyBundle,
  type PrekeyPair,
  type Rng,
  signPrekeyBundle,
  verifyPrekeyBundle,
} from "./keys.js";
export * from "./node-api.js";
export {
  acceptSession,
  deserializeSession,
  directConversationId,
  initiateSession,
  MAX_SKIP,
  MAX_SKIPPED_KEYS,
  type Role,
  type SessionState,
  serializeSession,
} from "./session.js";
