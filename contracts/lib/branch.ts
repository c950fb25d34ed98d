/**
 * A write buffer over a store: reads see the buffer first, then the parent; nothing reaches the
 * parent until `commit()`. What a module uses to run something that must apply whole or not at
 * all inside an end block (a passed proposal's messages), as the node does for each tx.
 */

import { latin1String } from "../../chain/util/latin1.js";
import type { AbciEvent, ExecContext, KVStore } from "../types.js";

export class BufferedStore implements KVStore {
  /** Latin-1 of the key → value, or null for a deletion; insertion order is commit order. */
  private readonly writes = new Map<string, { key: Uint8Array; value: Uint8Array | null }>();

  constructor(private readonly parent: KVStore) {}

  private static id(key: Uint8Array): string {
    return latin1String(key);
  }

  get(key: Uint8Array): Uint8Array | undefined {
    const w = this.writes.get(BufferedStore.id(key));
    if (w) return w.value ?? undefined;
    return this.parent.get(key);
  }

  has(key: Uint8Array): boolean {
    return this.get(key) !== undefined;
  }

  set(key: Uint8Array, value: Uint8Array): void {
    this.writes.set(BufferedStore.id(key), { key: key.slice(), value: value.slice() });
  }

  delete(key: Uint8Array): void {
    this.writes.set(BufferedStore.id(key), { key: key.slice(), value: null });
  }

  commit(): void {
    for (const { key, value } of this.writes.values()) {
      if (value === null) this.parent.delete(key);
      else this.parent.set(key, value);
    }
    this.writes.clear();
  }
}

/** A context whose writes and events are kept apart until `commit()`; dropping it discards both. */
export function branchContext(ctx: ExecContext): { ctx: ExecContext; commit(): void } {
  const store = new BufferedStore(ctx.store);
  const events: AbciEvent[] = [];
  return {
    ctx: { ...ctx, store, emit: (e) => void events.push(e) },
    commit() {
      store.commit();
      for (const e of events) ctx.emit(e);
    },
  };
}
