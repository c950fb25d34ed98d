import type { AbciEvent } from "../types.js";

/** Builds an event whose attributes are all indexed (searchable with tx_search). */
export function indexedEvent(type: string, attributes: Record<string, string>): AbciEvent {
  return {
    type,
    attributes: Object.entries(attributes).map(([key, value]) => ({ key, value, index: true })),
  };
}
