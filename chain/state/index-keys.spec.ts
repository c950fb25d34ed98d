import { describe, expect, it } from "vitest";
import { useTempDatabase } from "../../test/support/temp-database.js";
import { CommittedState } from "./committed.js";
import { isIndexKey } from "./index-keys.js";
import { type StateWrite, stateWrite } from "./overlay.js";
import { EMPTY_ROOT } from "./tree/index.js";

const record = stateWrite(Uint8Array.from([0x06, 0x20, 1]), Uint8Array.from([7]));
const feedEntry = stateWrite(Uint8Array.from([0x06, 0xe3, 1]), Uint8Array.from([9]));

describe("query-index keys", () => {
  const temp = useTempDatabase("vivim-index-keys-");

  it("are recognised by their sub-prefix", () => {
    expect(isIndexKey(feedEntry.key)).toBe(true);
    expect(isIndexKey(record.key)).toBe(false);
    expect(isIndexKey(Uint8Array.from([0xe3]))).toBe(false);
  });

  it("are stored and readable but leave the app hash alone, and cannot be proven", async () => {
    const state = new CommittedState(temp.db, EMPTY_ROOT);
    const withIndex = state.computeRoot([record, feedEntry]);
    const without = state.computeRoot([record]);
    expect(Buffer.from(withIndex.root).equals(Buffer.from(without.root))).toBe(true);
    expect(withIndex.nodes.length).toBe(without.nodes.length);

    await temp.db.write(state.commitOps([record, feedEntry], withIndex.nodes), { sync: false });
    state.markCommitted([record, feedEntry], withIndex);
    const fresh = new CommittedState(temp.db, withIndex.root);
    expect(Array.from(fresh.get(feedEntry.key) ?? [])).toEqual([9]);
    expect(await fresh.range(Uint8Array.from([0x06, 0xe3]), { limit: 10 })).toHaveLength(1);
    expect(fresh.prove(record.key)).toBeDefined();
    expect(() => fresh.prove(feedEntry.key)).toThrow(/not in the app hash/);
  });

  it("are read from the database, never from a cached older value", async () => {
    const state = new CommittedState(temp.db, EMPTY_ROOT);
    const commit = async (writes: StateWrite[]) => {
      const update = state.computeRoot(writes);
      await temp.db.write(state.commitOps(writes, update.nodes), { sync: false });
      state.markCommitted(writes, update);
    };
    expect(state.get(feedEntry.key)).toBeUndefined();
    await commit([record, feedEntry]);
    expect(Array.from(state.get(feedEntry.key) ?? [])).toEqual([9]);
    await commit([stateWrite(feedEntry.key, Uint8Array.from([10]))]);
    expect(Array.from(state.get(feedEntry.key) ?? [])).toEqual([10]);
    await commit([stateWrite(feedEntry.key, null)]);
    expect(state.get(feedEntry.key)).toBeUndefined();
    expect(Array.from(state.get(record.key) ?? [])).toEqual([7]);
  });
});
