/** Stateless field checks of the workers module. */
import { CodedError } from "../../chain/errors/codes.js";
import { utf8 } from "../lib/store.js";
import { WorkersErrors } from "./errors.js";

/** A worker's name: lowercase letters, digits and dashes, starting with a letter, 1..32 long. */
export const WORKER_NAME = /^[a-z][a-z0-9-]{0,31}$/;
export const MAX_REASON_BYTES = 280;
/** How many workers may be paused one by one at once (beyond that, pause them all). */
export const MAX_PAUSED_WORKERS = 64;

/** "" (all workers) or a worker name. */
export function checkWorker(worker: string): void {
  if (worker !== "" && !WORKER_NAME.test(worker))
    throw new CodedError(
      WorkersErrors.InvalidField,
      `worker must be empty (all workers) or match ${WORKER_NAME.source}`,
    );
}

export function checkReason(reason: string): void {
  // Every UTF-16 unit is at least one UTF-8 byte: a huge string is refused without encoding it.
  if (reason.length > MAX_REASON_BYTES || utf8(reason).length > MAX_REASON_BYTES)
    throw new CodedError(WorkersErrors.InvalidField, `reason longer than ${MAX_REASON_BYTES} bytes (UTF-8)`);
}
