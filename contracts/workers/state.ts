/**
 * The pause state the AI service workers obey, read and written in three fixed keys (keys.ts): a
 * pure reader needs no scan, so a worker supervisor can evaluate it from any store snapshot.
 */
import type { KVReader, KVStore } from "../types.js";
import { WorkersKeys } from "./keys.js";
import { PausedWorker, PausedWorkers } from "./records.js";

export interface WorkerPauseInfo {
  readonly worker: string;
  readonly reason: string;
  /** Height of the block that paused it. */
  readonly since: bigint;
}

export interface WorkerPauseState {
  /** The global switch: every worker stops. */
  readonly allPaused: boolean;
  /** The global pause's reason and height ("" and 0 when not paused). */
  readonly reason: string;
  readonly since: bigint;
  /** Workers paused one by one (independently of the global switch), sorted by name. */
  readonly workers: WorkerPauseInfo[];
}

export function getGlobalPause(store: KVReader): PausedWorker | undefined {
  const bytes = store.get(WorkersKeys.global());
  return bytes ? PausedWorker.decode(bytes) : undefined;
}

export function setGlobalPause(store: KVStore, pause: PausedWorker | undefined): void {
  if (pause) store.set(WorkersKeys.global(), PausedWorker.toBytes(pause));
  else store.delete(WorkersKeys.global());
}

export function getPausedWorkers(store: KVReader): PausedWorker[] {
  const bytes = store.get(WorkersKeys.paused());
  return bytes ? PausedWorkers.decode(bytes).workers : [];
}

/** Stores the list sorted by name; an empty list deletes the key. */
export function setPausedWorkers(store: KVStore, workers: readonly PausedWorker[]): void {
  if (workers.length === 0) {
    store.delete(WorkersKeys.paused());
    return;
  }
  const sorted = [...workers].sort((a, b) => (a.worker < b.worker ? -1 : a.worker > b.worker ? 1 : 0));
  store.set(WorkersKeys.paused(), PausedWorkers.toBytes({ workers: sorted }));
}

export function workerPauseState(store: KVReader): WorkerPauseState {
  const global = getGlobalPause(store);
  return {
    allPaused: global !== undefined,
    reason: global?.reason ?? "",
    since: global?.pausedHeight ?? 0n,
    workers: getPausedWorkers(store).map((w) => ({
      worker: w.worker,
      reason: w.reason,
      since: w.pausedHeight,
    })),
  };
}

/** True when every worker is paused, or this one is. */
export function isWorkerPaused(store: KVReader, worker: string): boolean {
  if (store.get(WorkersKeys.global()) !== undefined) return true;
  return getPausedWorkers(store).some((w) => w.worker === worker);
}
