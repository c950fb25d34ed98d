/**
 * Store layout of the workers module; every key starts with `ModulePrefix.workers`:
 *
 *   00 → Params · 01 → PausedWorker (worker "": the global pause; absent = running)
 *   02 → PausedWorkers (the workers paused one by one, sorted by name, at most 64)
 *   03 | len signer | signer | len log | log | from_seq (u64 BE) → AuditAnchor (a log's anchors in order)
 *   04 | len signer | signer | log → AuditAnchor (the log's latest anchor)
 *
 * The pause state is three fixed keys, so a pure reader gets it without scanning.
 */
import { key, lengthPrefixed, ModulePrefix, uint64Bytes, utf8 } from "../lib/store.js";

const P = ModulePrefix.workers;
const ANCHOR = 0x03;
const LATEST_ANCHOR = 0x04;

export const WorkersKeys = {
  params: () => new Uint8Array([P, 0x00]),
  global: () => new Uint8Array([P, 0x01]),
  paused: () => new Uint8Array([P, 0x02]),
  /** Every anchor of one (signer, log), by from_seq: AuditAnchors is one prefix range. */
  anchorsPrefix: (signer: string, log: string) =>
    key(new Uint8Array([P, ANCHOR]), lengthPrefixed(utf8(signer)), lengthPrefixed(utf8(log))),
  anchor: (signer: string, log: string, fromSeq: bigint) =>
    key(WorkersKeys.anchorsPrefix(signer, log), uint64Bytes(fromSeq)),
  latestAnchor: (signer: string, log: string) =>
    key(new Uint8Array([P, LATEST_ANCHOR]), lengthPrefixed(utf8(signer)), utf8(log)),
};
