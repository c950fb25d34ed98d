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

/** An audit log's name (the agent's): lowercase letters, digits and dashes, 1..32 long. */
export const AUDIT_LOG_NAME = /^[a-z0-9-]{1,32}$/;
/** The most records one MsgAnchorAudit may cover. */
export const MAX_ANCHOR_RECORDS = 100_000n;
export const ANCHOR_HASH_BYTES = 32;

export function checkAuditLogName(log: string): void {
  if (!AUDIT_LOG_NAME.test(log))
    throw new CodedError(WorkersErrors.InvalidField, `log must match ${AUDIT_LOG_NAME.source}`);
}

/** A range of seqs 1.. of at most MAX_ANCHOR_RECORDS, and two 32-byte hashes. */
export function checkAnchorRange(
  fromSeq: bigint,
  toSeq: bigint,
  root: Uint8Array,
  headHash: Uint8Array,
): void {
  if (fromSeq < 1n) throw new CodedError(WorkersErrors.InvalidField, "from_seq must be at least 1");
  if (toSeq < fromSeq) throw new CodedError(WorkersErrors.InvalidField, "to_seq must not be below from_seq");
  if (toSeq - fromSeq + 1n > MAX_ANCHOR_RECORDS)
    throw new CodedError(
      WorkersErrors.InvalidField,
      `an anchor covers at most ${MAX_ANCHOR_RECORDS} records`,
    );
  if (root.length !== ANCHOR_HASH_BYTES)
    throw new CodedError(WorkersErrors.InvalidField, `root must be ${ANCHOR_HASH_BYTES} bytes`);
  if (headHash.length !== ANCHOR_HASH_BYTES)
    throw new CodedError(WorkersErrors.InvalidField, `head_hash must be ${ANCHOR_HASH_BYTES} bytes`);
}
