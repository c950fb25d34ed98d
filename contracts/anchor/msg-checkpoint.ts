/**
 * `MsgCheckpoint`: any account records another chain's (height, header hash, app hash) here, the
 * anchoring target's side of an anchor. The first checkpoint of a (chain, height) stands: the same
 * one again succeeds without a write (a retried broadcast never fails), a different one is refused.
 */
import { decodeAddress } from "../../chain/crypto/address.js";
import { CodedError } from "../../chain/errors/codes.js";
import { defineMsg, respond } from "../lib/define.js";
import { AnchorErrors } from "./errors.js";
import { checkpointEvent } from "./events.js";
import { getCheckpoint, setCheckpoint } from "./keeper.js";
import { MsgCheckpoint, MsgCheckpointResponse } from "./tx.js";
import { checkChainId, checkHeaderAndAppHash, checkHeight, checkOtherChain } from "./validate.js";

const sameBytes = (a: Uint8Array, b: Uint8Array) => Buffer.from(a).equals(Buffer.from(b));

export const msgCheckpoint = defineMsg(MsgCheckpoint, {
  signers: (m) => [m.submitter],
  validateBasic(m) {
    decodeAddress(m.submitter);
    checkChainId(m.sourceChainId, "source_chain_id");
    checkHeight(m.height, "height");
    checkHeaderAndAppHash(m.headerHash, m.appHash);
  },
  handle(ctx, m) {
    checkOtherChain(m.sourceChainId, ctx.block.chainId, "source_chain_id");
    const existing = getCheckpoint(ctx.store, m.sourceChainId, m.height);
    if (existing) {
      if (sameBytes(existing.headerHash, m.headerHash) && sameBytes(existing.appHash, m.appHash))
        return respond(MsgCheckpointResponse, { alreadyRecorded: true });
      throw new CodedError(
        AnchorErrors.CheckpointConflict,
        `${m.sourceChainId} height ${m.height} was checkpointed with header hash ${Buffer.from(existing.headerHash).toString("hex")} at height ${existing.recordedHeight}`,
      );
    }
    const checkpoint = {
      chainId: m.sourceChainId,
      height: m.height,
      headerHash: m.headerHash,
      appHash: m.appHash,
      submitter: m.submitter,
      recordedHeight: ctx.block.height,
      recordedTime: ctx.block.time.seconds,
    };
    setCheckpoint(ctx.store, checkpoint);
    ctx.emit(checkpointEvent(checkpoint));
    return respond(MsgCheckpointResponse, { alreadyRecorded: false });
  },
});
