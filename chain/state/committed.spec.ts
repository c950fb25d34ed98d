import { describe, expect, it } from "vitest";
import { useTempDatabase } from "../../test/support/temp-database.js";
import { CommittedState } from "./committed.js";
import { type StateWrite, stateWrite } from "./overlay.js";
import { EMPTY_ROOT } from "./tree/index.js";

const key = (i: number) => Uint8Array.from([0x01, 0x02, i >> 8, i & 0xff]);
const value = (i: number, v: number) => Uint8Array.from([v, i & 0xff]);
const hex = (b: Uint8Array | undefined) => (b ? Buffer.from(b).toString("hex") : undefined);

/** Many keys, so a block creates far more tree nodes than a tiny node cache can keep. */
function block(from: number, count: number, v: number): StateWrite[] {
  return Array.from({ length: count }, (_, j) => stateWrite(key(from + j), value(from + j, v)));
}

describe("CommittedState staging", () => {
  const temp = useTempDatabase("vivim-committed-");

  it("lets the next block build on a staged one while queries and proofs stay at the durable state", async () => {
    // A node cache of 8 forgets the staged block's nodes at once: the next block's tree update
    // must get them from the staged block itself, since none of them is in the database yet.
    const state = new CommittedState(temp.db, EMPTY_ROOT, { treeCacheNodes: 8 });
    const first = block(0, 300, 1);
    const firstUpdate = state.head.computeRoot(first);
    state.stage(first, firstUpdate);

    expect(hex(state.head.get(key(5)))).toBe(hex(value(5, 1)));
    expect(state.get(key(5))).toBeUndefined();
    expect(hex(state.root)).toBe(hex(EMPTY_ROOT));

    // The second block overwrites half of the first's keys and adds new ones, on the staged root.
    const second = [...block(150, 300, 2), stateWrite(key(0), null)];
    const secondUpdate = state.head.computeRoot(second);
    expect(() => state.stage(second, secondUpdate)).toThrow(/already staged/);

    // Only now is the first batch written: the second's root was computed without it on disk.
    await temp.db.write(state.commitOps(first, firstUpdate.nodes), { sync: false });
    state.commitStaged();
    expect(hex(state.root)).toBe(hex(firstUpdate.root));
    expect(hex(state.get(key(5)))).toBe(hex(value(5, 1)));
    expect(state.prove(key(5))).toBeDefined();

    state.stage(second, secondUpdate);
    await temp.db.write(state.commitOps(second, secondUpdate.nodes), { sync: false });
    state.commitStaged();
    expect(state.get(key(0))).toBeUndefined();
    expect(hex(state.get(key(200)))).toBe(hex(value(200, 2)));

    // The same two blocks committed one after the other, without staging, give the same root.
    const direct = new CommittedState(temp.db, EMPTY_ROOT);
    const a = direct.computeRoot(first);
    direct.markCommitted(first, a);
    expect(hex(direct.computeRoot(second).root)).toBe(hex(secondUpdate.root));
    // And a node opened on the durable root reads the second block's state.
    const reopened = new CommittedState(temp.db, secondUpdate.root);
    expect(hex(reopened.get(key(449)))).toBe(hex(value(449, 2)));
    expect(reopened.prove(key(449))).toBeDefined();
  });

  it("refuses a direct commit or a second commit while the staged block is pending", () => {
    const state = new CommittedState(temp.db, EMPTY_ROOT);
    const writes = block(0, 3, 1);
    const update = state.head.computeRoot(writes);
    expect(() => state.commitStaged()).toThrow(/no block is staged/);
    state.stage(writes, update);
    expect(() => state.markCommitted(writes, update)).toThrow(/staged block must be committed first/);
    state.commitStaged();
    expect(() => state.commitStaged()).toThrow(/no block is staged/);
  });
});
