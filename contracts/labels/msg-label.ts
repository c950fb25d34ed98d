/**
 * `MsgCreateLabel`: puts a label on a subject, or (with `negate`) takes one off.
 *
 * A label is in force per (subject, value, issuer): labelling again with the same value replaces
 * the issuer's earlier label (new expiry, new reason). A negation by someone who may label the
 * subject removes every label with that value on it; anyone else may negate only their own.
 */
import { decodeAddress } from "../../chain/crypto/address.js";
import { CodedError } from "../../chain/errors/codes.js";
import { actorMay } from "../identity/capabilities.js";
import { displayName, requireActor } from "../identity/keeper.js";
import { defineMsg, respond } from "../lib/define.js";
import { indexedEvent } from "../lib/events.js";
import { LabelsErrors } from "./errors.js";
import { LabelsEvents } from "./events.js";
import { insertLabel, liveEntries, markRemoved, nextLabelId, setEntries } from "./keeper.js";
import { getLabelsParams } from "./params.js";
import type { ActiveLabelEntry, Label } from "./records.js";
import { mayLabel, notAllowed, parseSubject } from "./subject.js";
import { MsgCreateLabel, MsgCreateLabelResponse } from "./tx.js";
import { checkReason, checkValue } from "./validate.js";

export const msgCreateLabel = defineMsg(MsgCreateLabel, {
  signers: (m) => [m.issuer],
  validateBasic(m) {
    decodeAddress(m.issuer);
    parseSubject(m.subject);
    checkValue(m.value);
    checkReason(m.reason);
    if (m.expiresAt < 0n) throw new CodedError(LabelsErrors.InvalidExpiry, "expires_at must not be negative");
    if (m.negate && m.expiresAt !== 0n)
      throw new CodedError(LabelsErrors.InvalidExpiry, "a negation does not expire: expires_at must be 0");
  },
  handle(ctx, m) {
    const actor = requireActor(ctx, m.issuer);
    if (!actorMay(actor, "moderate"))
      throw new CodedError(
        LabelsErrors.AgentNotPermitted,
        `${displayName(actor)} lacks the moderate capability`,
      );
    const subject = parseSubject(m.subject);
    const allowed = mayLabel(ctx.store, m.issuer, subject);
    const now = ctx.block.time.seconds;
    const entries = liveEntries(ctx.store, m.subject, now);

    let kept: ActiveLabelEntry[];
    let removed: bigint[];
    if (!m.negate) {
      if (!allowed) throw notAllowed(m.issuer, subject);
      if (m.expiresAt !== 0n && m.expiresAt <= now)
        throw new CodedError(
          LabelsErrors.InvalidExpiry,
          `expires_at ${m.expiresAt} is not after block time ${now}`,
        );
      const previous = entries.find((e) => e.value === m.value && e.issuer === m.issuer);
      if (!previous && entries.length >= getLabelsParams(ctx.store).maxLabelsPerSubject)
        throw new CodedError(LabelsErrors.TooManyLabels, `${m.subject} has ${entries.length} labels`);
      removed = previous ? [previous.labelId] : [];
      kept = entries.filter((e) => e !== previous);
    } else {
      const matching = entries.filter((e) => e.value === m.value);
      if (matching.length === 0)
        throw new CodedError(LabelsErrors.LabelNotFound, `${m.value} on ${m.subject}`);
      const targets = allowed ? matching : matching.filter((e) => e.issuer === m.issuer);
      if (targets.length === 0) throw notAllowed(m.issuer, subject);
      removed = targets.map((e) => e.labelId);
      kept = entries.filter((e) => !targets.includes(e));
    }

    const label: Label = {
      id: nextLabelId(ctx.store),
      issuer: m.issuer,
      subject: m.subject,
      value: m.value,
      neg: m.negate,
      expiresAt: m.expiresAt,
      reason: m.reason,
      createdHeight: ctx.block.height,
      createdAt: now,
      removedBy: 0n,
    };
    insertLabel(ctx.store, label);
    for (const id of removed) markRemoved(ctx.store, id, label.id);
    if (!m.negate)
      kept.push({
        value: label.value,
        issuer: label.issuer,
        labelId: label.id,
        expiresAt: label.expiresAt,
        createdHeight: label.createdHeight,
      });
    setEntries(ctx.store, m.subject, kept);

    const attributes = {
      label_id: label.id.toString(),
      subject: label.subject,
      value: label.value,
      issuer: label.issuer,
    };
    ctx.emit(
      m.negate
        ? indexedEvent(LabelsEvents.LabelNegated, { ...attributes, negated_ids: removed.join(",") }, [
            "negated_ids",
          ])
        : indexedEvent(
            LabelsEvents.LabelCreated,
            { ...attributes, expires_at: label.expiresAt.toString(), replaced_id: removed.join(",") },
            ["expires_at", "replaced_id"],
          ),
    );
    return respond(MsgCreateLabelResponse, { labelId: label.id, removedIds: removed });
  },
});
