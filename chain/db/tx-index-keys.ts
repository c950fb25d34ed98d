/**
 * Keys of the event-attribute index: [bucket][len][type.key][len16][value][height][index].
 * Length prefixes keep "a.b"="c" and "a.bc"="" apart; height and index sort matches numerically.
 */
import type { AbciEvent } from "../../contracts/types.js";
import { Bucket } from "./buckets.js";

const encoder = new TextEncoder();
/** Longer values are not indexed (an index key must stay small); they can still be filtered on. */
export const MAX_INDEXED_VALUE_BYTES = 512;

const MAX_COMPOSITE_KEY_BYTES = 255;

/** Callers check `compositeKey` is at most 255 bytes (longer keys are never indexed). */
export function compositeKeyPrefix(compositeKey: string): Uint8Array {
  const k = encoder.encode(compositeKey);
  const out = new Uint8Array(2 + k.length);
  out[0] = Bucket.eventIndex;
  out[1] = k.length;
  out.set(k, 2);
  return out;
}

export function isIndexableKey(compositeKey: string): boolean {
  return encoder.encode(compositeKey).length <= MAX_COMPOSITE_KEY_BYTES;
}

export function compositeValuePrefix(compositeKey: string, value: string): Uint8Array {
  const head = compositeKeyPrefix(compositeKey);
  const v = encoder.encode(value);
  const out = new Uint8Array(head.length + 2 + v.length);
  out.set(head, 0);
  new DataView(out.buffer).setUint16(head.length, v.length);
  out.set(v, head.length + 2);
  return out;
}

export function eventIndexKeys(events: readonly AbciEvent[], height: bigint, index: number): Uint8Array[] {
  const keys: Uint8Array[] = [];
  const seen = new Set<string>();
  for (const e of events) {
    for (const a of e.attributes) {
      if (!a.index || a.key.length === 0) continue;
      const compositeKey = `${e.type}.${a.key}`;
      if (encoder.encode(a.value).length > MAX_INDEXED_VALUE_BYTES || !isIndexableKey(compositeKey)) continue;
      const dedupe = `${compositeKey}\u0000${a.value}`;
      if (seen.has(dedupe)) continue;
      seen.add(dedupe);
      const prefix = compositeValuePrefix(compositeKey, a.value);
      const key = new Uint8Array(prefix.length + 12);
      key.set(prefix, 0);
      const view = new DataView(key.buffer);
      view.setBigUint64(prefix.length, height);
      view.setUint32(prefix.length + 8, index);
      keys.push(key);
    }
  }
  return keys;
}

/** The (height, index) a full index key ends with. */
export function locationFromIndexKey(key: Uint8Array): { height: bigint; index: number } {
  const view = new DataView(key.buffer, key.byteOffset, key.byteLength);
  return { height: view.getBigUint64(key.length - 12), index: view.getUint32(key.length - 4) };
}

/** The value part of a full index key (for CONTAINS and range conditions over a key's values). */
export function valueFromIndexKey(key: Uint8Array): string {
  const keyLen = key[1]!;
  const view = new DataView(key.buffer, key.byteOffset, key.byteLength);
  const valueLen = view.getUint16(2 + keyLen);
  return new TextDecoder().decode(key.subarray(4 + keyLen, 4 + keyLen + valueLen));
}
