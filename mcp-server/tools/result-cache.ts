/**
 * Whole results of read tools, shared by every session for one block height: within a block, a
 * thread or a feed page is the same for everyone who asks, so it is computed, serialized and
 * checked against its output schema once. The next block empties the cache.
 */
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";

const MAX_ENTRIES = 2_000;

export class BlockResultCache {
  private height = -1;
  private readonly entries = new Map<string, Promise<CallToolResult>>();
  /** Results already checked against their output schema (see server.ts). */
  readonly validated = new WeakSet<CallToolResult>();

  /** The cached result for `key` at `height`, computing it with `compute` on a miss. */
  get(height: number, key: string, compute: () => Promise<CallToolResult>): Promise<CallToolResult> {
    if (height !== this.height || this.entries.size >= MAX_ENTRIES) {
      this.entries.clear();
      this.height = height;
    }
    let hit = this.entries.get(key);
    if (!hit) {
      hit = compute();
      this.entries.set(key, hit);
      // Errors are not cached: the next call tries again.
      hit.then(
        (r) => r.isError && this.entries.delete(key),
        () => this.entries.delete(key),
      );
    }
    return hit;
  }
}
