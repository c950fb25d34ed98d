/**
 * A write-buffering view over a parent store. Execution stacks them (committed state → block →
 * tx → msgs) so a failed tx or msg is dropped by discarding its overlay: nothing half-applies.
 */
import type { KVReader, KVStore } from "../../contracts/types.js";
import { latin1Bytes, latin1String } from "../util/latin1.js";

/** The Map key of a state key: its bytes as a latin1 string (one char per byte, no copy of the bytes). */
export function keyString(key: Uint8Array): string {
  return latin1String(key);
}

/**
 * A reader that can take the key's string form along with its bytes. Execution stacks three or four
 * overlays on the committed state, so a read of a committed key would otherwise turn the same bytes
 * into a string at every level.
 */
export interface KeyedReader extends KVReader {
  getKeyed(keyLatin1: string, key: Uint8Array): Uint8Array | undefined;
}

function isKeyedReader(reader: KVReader): reader is KeyedReader {
  return typeof (reader as Partial<KeyedReader>).getKeyed === "function";
}

export interface StateWrite {
  readonly key: Uint8Array;
  /** `key` as `keyString` gives it, so a consumer keying a Map by it need not convert it back. */
  readonly keyLatin1: string;
  /** null = delete */
  readonly value: Uint8Array | null;
}

/** A write of `value` (null = delete) at `key`, as `StoreOverlay.bufferedWrites` gives them. */
export function stateWrite(key: Uint8Array, value: Uint8Array | null): StateWrite {
  return { key, keyLatin1: keyString(key), value };
}

export class StoreOverlay implements KVStore, KeyedReader {
  private readonly writes = new Map<string, Uint8Array | null>();
  private readonly keyedParent: KeyedReader | undefined;

  constructor(private readonly parent: KVReader) {
    this.keyedParent = isKeyedReader(parent) ? parent : undefined;
  }

  get(key: Uint8Array): Uint8Array | undefined {
    return this.getKeyed(keyString(key), key);
  }

  getKeyed(keyLatin1: string, key: Uint8Array): Uint8Array | undefined {
    const local = this.writes.get(keyLatin1);
    if (local !== undefined) return local ?? undefined;
    return this.keyedParent ? this.keyedParent.getKeyed(keyLatin1, key) : this.parent.get(key);
  }

  has(key: Uint8Array): boolean {
    return this.get(key) !== undefined;
  }

  set(key: Uint8Array, value: Uint8Array): void {
    this.writes.set(keyString(key), value);
  }

  delete(key: Uint8Array): void {
    this.writes.set(keyString(key), null);
  }

  /** A child overlay whose writes reach this one only through `commitInto`. */
  branch(): StoreOverlay {
    return new StoreOverlay(this);
  }

  /** Applies this overlay's writes to `target` (normally the parent it branched from). */
  commitInto(target: KVStore): void {
    if (target instanceof StoreOverlay) {
      // Overlay to overlay (the usual case: msgs → tx → block): copy the entries as they are,
      // without turning each key back into bytes and then into a string again.
      for (const [k, v] of this.writes) target.writes.set(k, v);
      return;
    }
    for (const [k, v] of this.writes) {
      if (v === null) target.delete(latin1Bytes(k));
      else target.set(latin1Bytes(k), v);
    }
  }

  get size(): number {
    return this.writes.size;
  }

  /**
   * The buffered writes, each key once, in the order first written: deterministic, since execution
   * is. Not sorted, because no consumer needs an order: the state tree sorts by key hash itself,
   * and a LevelDB batch and the staged block's Map take writes in any order.
   */
  bufferedWrites(): StateWrite[] {
    const out: StateWrite[] = [];
    for (const [k, v] of this.writes) out.push({ key: latin1Bytes(k), keyLatin1: k, value: v });
    return out;
  }
}
