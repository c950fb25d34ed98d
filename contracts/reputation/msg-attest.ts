/**
 * `/vivim.reputation.v1.MsgAttest` (a vouch: one per attester and subject, an edge of the trust
 * graph) and `/vivim.reputation.v1.MsgRevokeAttestation`.
 */
import { decodeAddress } from "../../chain/crypto/address.js";
import { CodedError } from "../../chain/errors/codes.js";
import { requireActor } from "../identity/keeper.js";
import { defineMsg, respond } from "../lib/define.js";
import { indexedEvent } from "../lib/events.js";
import { checkNotSelfDealing, checkText, MAX_STATEMENT_BYTES, requireRegistered } from "./checks.js";
import { ReputationErrors } from "./errors.js";
import { deleteAttestation, getAttestation, putAttestation } from "./keeper.js";
import { MsgAttest, MsgAttestResponse, MsgRevokeAttestation, MsgRevokeAttestationResponse } from "./tx.js";

export const EVENT_ATTESTED = "vivim.reputation.v1.EventAttested";
export const EVENT_ATTESTATION_REVOKED = "vivim.reputation.v1.EventAttestationRevoked";

export const msgAttest = defineMsg(MsgAttest, {
  signers: (msg) => [msg.attester],
  validateBasic(msg) {
    decodeAddress(msg.attester);
    decodeAddress(msg.subject);
    if (msg.attester === msg.subject)
      throw new CodedError(ReputationErrors.SelfDealing, `${msg.attester} cannot vouch for itself`);
    checkText(msg.statement, MAX_STATEMENT_BYTES, "statement");
  },
  handle(ctx, msg) {
    const attester = requireActor(ctx, msg.attester);
    const subject = requireRegistered(ctx.store, msg.subject, "subject");
    checkNotSelfDealing(attester, subject);
    if (getAttestation(ctx.store, msg.attester, msg.subject))
      throw new CodedError(
        ReputationErrors.DuplicateAttestation,
        `${msg.attester} already vouches for ${msg.subject}`,
      );
    const attestation = putAttestation(ctx.store, msg, ctx.block.height);
    ctx.emit(
      indexedEvent(
        EVENT_ATTESTED,
        { attester: msg.attester, subject: msg.subject, seq: attestation.seq.toString() },
        ["seq"],
      ),
    );
    return respond(MsgAttestResponse, { seq: attestation.seq });
  },
});

export const msgRevokeAttestation = defineMsg(MsgRevokeAttestation, {
  signers: (msg) => [msg.attester],
  validateBasic(msg) {
    decodeAddress(msg.attester);
    decodeAddress(msg.subject);
  },
  handle(ctx, msg) {
    requireActor(ctx, msg.attester);
    const attestation = getAttestation(ctx.store, msg.attester, msg.subject);
    if (!attestation)
      throw new CodedError(
        ReputationErrors.AttestationNotFound,
        `${msg.attester} does not vouch for ${msg.subject}`,
      );
    deleteAttestation(ctx.store, attestation);
    ctx.emit(indexedEvent(EVENT_ATTESTATION_REVOKED, { attester: msg.attester, subject: msg.subject }));
    return respond(MsgRevokeAttestationResponse, {});
  },
});
