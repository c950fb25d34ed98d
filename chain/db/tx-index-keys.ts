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

/**
 * Prefixes ([bucket][len][type.key]) of the composite keys seen so far, by event type then
 * attribute key (no "type.key" string is built per attribute). Event types and attribute keys come
 * from the modules' code, so there are few of them; the cap only bounds memory if a module ever
 * derived keys from data.
 */
const prefixCache = new Map<string, Map<string, Uint8Array | null>>();
let cachedPrefixes = 0;
const MAX_CACHED_PREFIXES = 4096;

function cachedKeyPrefix(type: string, key: string): Uint8Array | null {
  let byKey = prefixCache.get(type);
  let prefix = byKey?.get(key);
  if (prefix === undefined) {
    const compositeKey = `${type}.${key}`;
    prefix = isIndexableKey(compositeKey) ? compositeKeyPrefix(compositeKey) : null;
    if (cachedPrefixes < MAX_CACHED_PREFIXES) {
      if (!byKey) {
        byKey = new Map();
        prefixCache.set(type, byKey);
      }
      byKey.set(key, prefix);
      cachedPrefixes++;
    }
  }
  return prefix;
}

/** Index keys of one tx's events: one per distinct indexed (type.key, value), in event order. */
export function eventIndexKeys(events: readonly AbciEvent[], height: bigint, index: number): Uint8Array[] {
  const keys: Uint8Array[] = [];
  // What each key indexes, to drop repeats (a tx has a dozen keys: a scan beats hashing strings).
  const indexedPrefixes: Uint8Array[] = [];
  const indexedValues: string[] = [];
  let location: Buffer | undefined;
  for (const e of events) {
    for (const a of e.attributes) {
      if (!a.index || a.key.length === 0) continue;
      const prefix = cachedKeyPrefix(e.type, a.key);
      if (prefix === null) continue;
      const valueBytes = Buffer.byteLength(a.value, "utf8");
      if (valueBytes > MAX_INDEXED_VALUE_BYTES) continue;
      if (isRepeat(indexedPrefixes, indexedValues, prefix, a.value)) continue;
      indexedPrefixes.push(prefix);
      indexedValues.push(a.value);
      if (!location) {
        location = Buffer.allocUnsafe(12);
        location.writeBigUInt64BE(height, 0);
        location.writeUInt32BE(index, 8);
      }
      // [prefix][len16][value][height][index] written into one buffer.
      const key = Buffer.allocUnsafe(prefix.length + 2 + valueBytes + 12);
      key.set(prefix, 0);
      let at = key.writeUInt16BE(valueBytes, prefix.length);
      at += key.write(a.value, at, "utf8");
      key.set(location, at);
      keys.push(key);
    }
  }
  return keys;
}

function isRepeat(
  prefixes: readonly Uint8Array[],
  values: readonly string[],
  prefix: Uint8Array,
  value: string,
): boolean {
  for (let i = 0; i < prefixes.length; i++) {
    // The same prefix object, unless the cache was full when it was made.
    if (values[i] === value && (prefixes[i] === prefix || Buffer.compare(prefixes[i]!, prefix) === 0))
      return true;
  }
  return false;
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
