import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { Database } from "../db/database.js";
import { CommittedState } from "./committed.js";
import { isIndexKey } from "./index-keys.js";
import { EMPTY_ROOT } from "./tree/index.js";

const record = { key: Uint8Array.from([0x06, 0x20, 1]), value: Uint8Array.from([7]) };
const feedEntry = { key: Uint8Array.from([0x06, 0xe3, 1]), value: Uint8Array.from([9]) };

describe("query-index keys", () => {
  let dir: string;
  let db: Database;
  beforeEach(async () => {
    dir = mkdtempSync(path.join(tmpdir(), "vivim-index-keys-"));
    db = new Database(dir);
    await db.open();
  });
  afterEach(async () => {
    await db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("are recognised by their sub-prefix", () => {
    expect(isIndexKey(feedEntry.key)).toBe(true);
    expect(isIndexKey(record.key)).toBe(false);
    expect(isIndexKey(Uint8Array.from([0xe3]))).toBe(false);
  });

  it("are stored and readable but leave the app hash alone, and cannot be proven", async () => {
    const state = new CommittedState(db, EMPTY_ROOT);
    const withIndex = state.computeRoot([record, feedEntry]);
    const without = state.computeRoot([record]);
    expect(Buffer.from(withIndex.root).equals(Buffer.from(without.root))).toBe(true);
    expect(withIndex.nodes.length).toBe(without.nodes.length);

    await db.write(state.commitOps([record, feedEntry], withIndex.nodes), { sync: false });
    state.markCommitted([record, feedEntry], withIndex);
    const fresh = new CommittedState(db, withIndex.root);
    expect(Array.from(fresh.get(feedEntry.key) ?? [])).toEqual([9]);
    expect(await fresh.range(Uint8Array.from([0x06, 0xe3]), { limit: 10 })).toHaveLength(1);
    expect(fresh.prove(record.key)).toBeDefined();
    expect(() => fresh.prove(feedEntry.key)).toThrow(/not in the app hash/);
  });

  it("are read from the database, never from a cached older value", async () => {
    const state = new CommittedState(db, EMPTY_ROOT);
    const commit = async (writes: Array<{ key: Uint8Array; value: Uint8Array | null }>) => {
      const update = state.computeRoot(writes);
      await db.write(state.commitOps(writes, update.nodes), { sync: false });
      state.markCommitted(writes, update);
    };
    expect(state.get(feedEntry.key)).toBeUndefined();
    await commit([record, feedEntry]);
    expect(Array.from(state.get(feedEntry.key) ?? [])).toEqual([9]);
    await commit([{ key: feedEntry.key, value: Uint8Array.from([10]) }]);
    expect(Array.from(state.get(feedEntry.key) ?? [])).toEqual([10]);
    await commit([{ key: feedEntry.key, value: null }]);
    expect(state.get(feedEntry.key)).toBeUndefined();
    expect(Array.from(state.get(record.key) ?? [])).toEqual([7]);
  });
});
