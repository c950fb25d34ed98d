/** Event types of the workers module: worker and authority indexed, the reason not. */
import { indexedEvent } from "../lib/events.js";
import type { AbciEvent } from "../types.js";

export const WorkersEvents = {
  WorkerPaused: "vivim.workers.v1.EventWorkerPaused",
  WorkerResumed: "vivim.workers.v1.EventWorkerResumed",
} as const;

/** `worker` is "" for the global switch. */
export function pauseEvent(paused: boolean, worker: string, reason: string, authority: string): AbciEvent {
  return indexedEvent(
    paused ? WorkersEvents.WorkerPaused : WorkersEvents.WorkerResumed,
    { worker, reason, authority },
    ["reason"],
  );
}
