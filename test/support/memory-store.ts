/**
 * An in-memory key-value store for contract specs: what a module's handlers read and write, with
 * sorted forward range queries as the node's state answers them, so query handlers run over it too.
 */
import type { KVStore, QueryContext } from "../../contracts/types.js";

const hex = (b: Uint8Array) => Buffer.from(b).toString("hex");

export class MemoryStore implements KVStore {
  private readonly map = new Map<string, Uint8Array>();
  get(k: Uint8Array) {
    return this.map.get(hex(k));
  }
  has(k: Uint8Array) {
    return this.map.has(hex(k));
  }
  set(k: Uint8Array, v: Uint8Array) {
    this.map.set(hex(k), v);
  }
  delete(k: Uint8Array) {
    this.map.delete(hex(k));
  }
  /** The hex keys under `prefix`, sorted. */
  keysUnder(prefix: Uint8Array): string[] {
    const p = hex(prefix);
    return [...this.map.keys()].filter((k) => k.startsWith(p)).sort();
  }
  /** A query context over this store at `height`. */
  query(height = 1n, chainId = "vivim-test-1"): QueryContext {
    return {
      block: { chainId, height, time: { seconds: 0n, nanos: 0 } },
      get: (k) => this.get(k),
      range: async (prefix, opts) => {
        const after = opts.after ? hex(opts.after) : undefined;
        return this.keysUnder(prefix)
          .filter((k) => after === undefined || k > after)
          .slice(0, opts.limit)
          .map((k): [Uint8Array, Uint8Array] => [Uint8Array.from(Buffer.from(k, "hex")), this.map.get(k)!]);
      },
    };
  }
}
