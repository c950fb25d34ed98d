/**
 * `MsgSetWorkerPause`: the module authority (governance) pauses or resumes one AI service worker,
 * or all of them (worker ""). Pausing what is paused, or resuming what runs, is NoChange.
 */
import { decodeAddress } from "../../chain/crypto/address.js";
import { CodedError } from "../../chain/errors/codes.js";
import { defineMsg, respond } from "../lib/define.js";
import { WorkersErrors } from "./errors.js";
import { pauseEvent } from "./events.js";
import { getWorkersParams } from "./params.js";
import { getGlobalPause, getPausedWorkers, setGlobalPause, setPausedWorkers } from "./state.js";
import { MsgSetWorkerPause, MsgSetWorkerPauseResponse } from "./tx.js";
import { checkReason, checkWorker, MAX_PAUSED_WORKERS } from "./validate.js";

const target = (worker: string) => (worker === "" ? "all workers" : `worker ${worker}`);

export const msgSetWorkerPause = defineMsg(MsgSetWorkerPause, {
  signers: (m) => [m.authority],
  validateBasic(m) {
    decodeAddress(m.authority);
    checkWorker(m.worker);
    checkReason(m.reason);
  },
  handle(ctx, m) {
    const { authority } = getWorkersParams(ctx.store);
    if (m.authority !== authority)
      throw new CodedError(WorkersErrors.InvalidAuthority, `expected ${authority}, got ${m.authority}`);
    const record = { worker: m.worker, pausedHeight: ctx.block.height, reason: m.reason };
    if (m.worker === "") {
      const paused = getGlobalPause(ctx.store) !== undefined;
      if (paused === m.paused)
        throw new CodedError(
          WorkersErrors.NoChange,
          `${target("")} already ${paused ? "paused" : "running"}`,
        );
      setGlobalPause(ctx.store, m.paused ? record : undefined);
    } else {
      const list = getPausedWorkers(ctx.store);
      const paused = list.some((w) => w.worker === m.worker);
      if (paused === m.paused)
        throw new CodedError(
          WorkersErrors.NoChange,
          `${target(m.worker)} already ${paused ? "paused" : "running"}`,
        );
      if (m.paused && list.length >= MAX_PAUSED_WORKERS)
        throw new CodedError(
          WorkersErrors.TooManyPaused,
          `${MAX_PAUSED_WORKERS} workers are paused one by one; pause all workers instead`,
        );
      setPausedWorkers(ctx.store, m.paused ? [...list, record] : list.filter((w) => w.worker !== m.worker));
    }
    ctx.emit(pauseEvent(m.paused, m.worker, m.reason, m.authority));
    return respond(MsgSetWorkerPauseResponse, {});
  },
});
