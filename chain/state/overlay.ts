/**
 * A write-buffering view over a parent store. Execution stacks them (committed state → block →
 * tx → msgs) so a failed tx or msg is dropped by discarding its overlay: nothing half-applies.
 */
import type { KVReader, KVStore } from "../../contracts/types.js";

function keyString(key: Uint8Array): string {
  return Buffer.from(key.buffer, key.byteOffset, key.byteLength).toString("latin1");
}

function keyBytes(key: string): Uint8Array {
  return new Uint8Array(Buffer.from(key, "latin1"));
}

export interface StateWrite {
  readonly key: Uint8Array;
  /** null = delete */
  readonly value: Uint8Array | null;
}

export class StoreOverlay implements KVStore {
  private readonly writes = new Map<string, Uint8Array | null>();

  constructor(private readonly parent: KVReader) {}

  get(key: Uint8Array): Uint8Array | undefined {
    const local = this.writes.get(keyString(key));
    if (local !== undefined) return local ?? undefined;
    return this.parent.get(key);
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
      if (v === null) target.delete(keyBytes(k));
      else target.set(keyBytes(k), v);
    }
  }

  get size(): number {
    return this.writes.size;
  }

  /** The buffered writes in key order (deterministic for hashing and storage). */
  sortedWrites(): StateWrite[] {
    return [...this.writes.keys()]
      .sort()
      .map((k) => ({ key: keyBytes(k), value: this.writes.get(k) ?? null }));
  }
}
