/**
 * `MsgRecordAnchor`: the source chain's side of an anchor. The anchoring account reports that this
 * chain's header at `height` is witnessed on (target chain, tx, height). The chain cannot see the
 * target, so the record is a claim; `vivim anchor status --check` confirms it there. One record
 * per (signer, height): the same one again succeeds, a different one is refused.
 */
import { decodeAddress } from "../../chain/crypto/address.js";
import { CodedError } from "../../chain/errors/codes.js";
import { defineMsg, respond } from "../lib/define.js";
import { AnchorErrors } from "./errors.js";
import { anchorRecordedEvent } from "./events.js";
import { getAnchorRecord, setAnchorRecord } from "./keeper.js";
import { AnchorRecord } from "./records.js";
import { MsgRecordAnchor, MsgRecordAnchorResponse } from "./tx.js";
import {
  checkChainId,
  checkHeaderAndAppHash,
  checkHeight,
  checkMode,
  checkOtherChain,
  checkTxHash,
} from "./validate.js";

/** Equal in everything the anchoring account reported (not in when it was recorded). */
function sameClaim(a: AnchorRecord, b: AnchorRecord): boolean {
  const claim = (r: AnchorRecord) =>
    Buffer.from(AnchorRecord.toBytes({ ...r, recordedHeight: 0n, recordedTime: 0n }));
  return claim(a).equals(claim(b));
}

export const msgRecordAnchor = defineMsg(MsgRecordAnchor, {
  signers: (m) => [m.signer],
  validateBasic(m) {
    decodeAddress(m.signer);
    checkHeight(m.height, "height");
    checkHeaderAndAppHash(m.headerHash, m.appHash);
    checkChainId(m.targetChainId, "target_chain_id");
    checkTxHash(m.targetTxHash);
    checkHeight(m.targetHeight, "target_height");
    checkMode(m.mode);
  },
  handle(ctx, m) {
    checkOtherChain(m.targetChainId, ctx.block.chainId, "target_chain_id");
    if (m.height >= ctx.block.height)
      throw new CodedError(
        AnchorErrors.InvalidField,
        `height ${m.height} is not below this block's height ${ctx.block.height}`,
      );
    const record: AnchorRecord = {
      height: m.height,
      headerHash: m.headerHash,
      appHash: m.appHash,
      targetChainId: m.targetChainId,
      targetTxHash: m.targetTxHash.toUpperCase(),
      targetHeight: m.targetHeight,
      mode: m.mode,
      signer: m.signer,
      recordedHeight: ctx.block.height,
      recordedTime: ctx.block.time.seconds,
    };
    const existing = getAnchorRecord(ctx.store, m.height, m.signer);
    if (existing) {
      if (sameClaim(existing, record)) return respond(MsgRecordAnchorResponse, { alreadyRecorded: true });
      throw new CodedError(
        AnchorErrors.AnchorConflict,
        `${m.signer} recorded height ${m.height} as anchored in ${existing.targetChainId} tx ${existing.targetTxHash}`,
      );
    }
    setAnchorRecord(ctx.store, record);
    ctx.emit(anchorRecordedEvent(record));
    return respond(MsgRecordAnchorResponse, { alreadyRecorded: false });
  },
});
