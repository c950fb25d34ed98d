/** Registered errors of the reputation module (codespace "reputation"). */
import { registerError } from "../../chain/errors/codes.js";

export const ReputationErrors = {
  InvalidStars: registerError("reputation", 2, "stars must be between 1 and 5"),
  TextTooLong: registerError("reputation", 3, "text too long"),
  SelfDealing: registerError(
    "reputation",
    4,
    "cannot rate or vouch for yourself, your owner or your own agents",
  ),
  NoInteraction: registerError("reputation", 5, "no recorded interaction between rater and subject"),
  UnknownAccount: registerError("reputation", 6, "account is not registered"),
  DuplicateAttestation: registerError("reputation", 7, "attestation already exists"),
  AttestationNotFound: registerError("reputation", 8, "attestation not found"),
  InvalidThreadId: registerError("reputation", 9, "thread id must be 32 bytes"),
  AlreadyAcknowledged: registerError("reputation", 10, "DM thread already acknowledged"),
  InvalidAuthority: registerError("reputation", 11, "invalid authority"),
  InvalidParams: registerError("reputation", 12, "invalid params"),
  InvalidText: registerError("reputation", 13, "text contains control characters"),
  InvalidPeer: registerError("reputation", 14, "invalid DM peer"),
} as const;
