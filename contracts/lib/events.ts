import type { AbciEvent } from "../types.js";

/**
 * Builds an event whose attributes are indexed (searchable with tx_search), except those named in
 * `unindexed`: amounts and signatures are never searched for, and each index entry costs a write.
 */
export function indexedEvent(
  type: string,
  attributes: Record<string, string>,
  unindexed: readonly string[] = [],
): AbciEvent {
  return {
    type,
    attributes: Object.entries(attributes).map(([key, value]) => ({
      key,
      value,
      index: !unindexed.includes(key),
    })),
  };
}
