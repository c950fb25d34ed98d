/**
 * `MsgAnchorAudit`: any account anchors a range of its own audit log (the Merkle root of the
 * records' hashes and the last record's hash). A log's ranges are contiguous from seq 1, so the
 * chain holds one unbroken sequence of commitments a verifier can check the whole log against.
 */
import { decodeAddress } from "../../chain/crypto/address.js";
import { CodedError } from "../../chain/errors/codes.js";
import { defineMsg, respond } from "../lib/define.js";
import { addAuditAnchor, nextAnchorSeq } from "./audit-anchors.js";
import { WorkersErrors } from "./errors.js";
import { auditAnchoredEvent } from "./events.js";
import { MsgAnchorAudit, MsgAnchorAuditResponse } from "./tx.js";
import { checkAnchorRange, checkAuditLogName } from "./validate.js";

export const msgAnchorAudit = defineMsg(MsgAnchorAudit, {
  signers: (m) => [m.signer],
  validateBasic(m) {
    decodeAddress(m.signer);
    checkAuditLogName(m.log);
    checkAnchorRange(m.fromSeq, m.toSeq, m.root, m.headHash);
  },
  handle(ctx, m) {
    const next = nextAnchorSeq(ctx.store, m.signer, m.log);
    if (m.fromSeq !== next)
      throw new CodedError(
        WorkersErrors.AuditRangeNotContiguous,
        `log ${m.log} is anchored through ${next - 1n}: the next anchor starts at ${next}, not ${m.fromSeq}`,
      );
    const anchor = {
      signer: m.signer,
      log: m.log,
      fromSeq: m.fromSeq,
      toSeq: m.toSeq,
      root: m.root,
      headHash: m.headHash,
      height: ctx.block.height,
      time: ctx.block.time.seconds,
    };
    addAuditAnchor(ctx.store, anchor);
    ctx.emit(auditAnchoredEvent(anchor));
    return respond(MsgAnchorAuditResponse, {});
  },
});
