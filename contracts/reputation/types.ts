/**
 * What `vivim/client` exports from the reputation module: Msgs, responses, query types, records,
 * errors and event types. Names are chosen not to clash with other modules'.
 */

export { EVENT_EPOCH } from "./epoch.js";
export { ReputationErrors } from "./errors.js";
export { Interaction, InteractionKind } from "./interactions.js";
export { EVENT_ATTESTATION_REVOKED, EVENT_ATTESTED } from "./msg-attest.js";
export { EVENT_DM_THREAD_ACKNOWLEDGED } from "./msg-dm-thread.js";
export { EVENT_PARAMS_UPDATED } from "./msg-params.js";
export { EVENT_RATED } from "./msg-rate.js";
export { ReputationParams } from "./params.js";
export {
  QueryAttestationsRequest,
  QueryAttestationsResponse,
  QueryInteractionRequest,
  QueryInteractionResponse,
  QueryRatingRequest,
  QueryRatingResponse,
  QueryRatingsByRequest,
  QueryRatingsByResponse,
  QueryRatingsOfRequest,
  QueryRatingsOfResponse,
  QueryReputationParamsRequest,
  QueryReputationParamsResponse,
  QueryReputationRequest,
  QueryReputationResponse,
} from "./query.js";
export { Attestation, Rating, RatingSummary } from "./records.js";
export {
  MsgAcknowledgeDmThread,
  MsgAcknowledgeDmThreadResponse,
  MsgAttest,
  MsgAttestResponse,
  MsgRate,
  MsgRateResponse,
  MsgRevokeAttestation,
  MsgRevokeAttestationResponse,
  MsgUpdateReputationParams,
  MsgUpdateReputationParamsResponse,
} from "./tx.js";
