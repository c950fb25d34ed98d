import { describe, expect, it } from "vitest";
import { rng } from "../../test/support/random-strings.js";
import { useTempDatabase } from "../../test/support/temp-database.js";
import { toHex } from "../crypto/hash.js";
import { Bucket, prefixed } from "./buckets.js";
import type { BatchOp } from "./database.js";

/** Hex of a read's result: LevelDB hands back Buffers, the rows were written as Uint8Arrays. */
const hexOf = (value: Uint8Array | undefined) => value && toHex(value);

const bytesOf = (random: () => number, length: number) =>
  Uint8Array.from({ length }, () => Math.floor(random() * 256));

describe("Database", () => {
  const temp = useTempDatabase("vivim-db-");

  it("writes every row of a batch exactly, whatever array its bytes live in", async () => {
    const random = rng(7);
    const shared = bytesOf(random, 4096);
    const rows: Array<[Uint8Array, Uint8Array]> = [];
    for (let i = 0; i < 300; i++) {
      const key = prefixed(Bucket.stateValue, bytesOf(random, 1 + (i % 70)), Uint8Array.of(i >> 8, i));
      // Small arrays on V8's heap (copied by the write), views into a shared buffer, empty
      // values, and values past 64 bytes that the write hands over as they are (one as large as
      // a block's bytes).
      const value =
        i % 4 === 0
          ? bytesOf(random, i % 60)
          : i % 4 === 1
            ? shared.subarray(i, i + 100 + i)
            : i % 4 === 2
              ? new Uint8Array(0)
              : bytesOf(random, i === 3 ? 70_000 : 500);
      rows.push([key, value]);
    }
    await temp.db.write(
      rows.map(([key, value]) => ({ type: "put", key, value })),
      { sync: false },
    );
    for (const [key, value] of rows) expect(hexOf(temp.db.getSync(key))).toBe(toHex(value));
  });

  it("applies puts and deletes in order within one batch", async () => {
    const a = prefixed(Bucket.stateValue, Uint8Array.of(1));
    const b = prefixed(Bucket.stateValue, Uint8Array.of(2));
    await temp.db.write([{ type: "put", key: b, value: Uint8Array.of(9) }], { sync: false });
    const ops: BatchOp[] = [
      { type: "put", key: a, value: Uint8Array.of(1) },
      { type: "del", key: b },
      { type: "put", key: a, value: Uint8Array.of(2) },
    ];
    await temp.db.write(ops, { sync: true });
    expect(hexOf(temp.db.getSync(a))).toBe("02");
    expect(temp.db.getSync(b)).toBeUndefined();
  });

  it("stores a bucketed row under bucket ‖ key, mixed with plain rows, puts and deletes alike", async () => {
    const random = rng(13);
    const keys = [1, 20, 63, 64, 65, 200].map((n) => bytesOf(random, n));
    const plain = prefixed(Bucket.stateValue, Uint8Array.of(0xaa));
    await temp.db.write(
      [
        ...keys.map(
          (key, i): BatchOp => ({ type: "put", bucket: Bucket.treeNode, key, value: Uint8Array.of(i) }),
        ),
        { type: "put", key: plain, value: Uint8Array.of(7) },
        { type: "put", bucket: Bucket.stateValue, key: keys[0]!, value: Uint8Array.of(8) },
      ],
      { sync: false },
    );
    expect(keys.map((key) => hexOf(temp.db.getSync(prefixed(Bucket.treeNode, key))))).toEqual(
      keys.map((_, i) => toHex(Uint8Array.of(i))),
    );
    expect(hexOf(temp.db.getSync(plain))).toBe("07");
    expect(hexOf(temp.db.getSync(prefixed(Bucket.stateValue, keys[0]!)))).toBe("08");
    // No row under the bare key: the bucket byte is part of what was stored.
    expect(temp.db.getSync(keys[1]!)).toBeUndefined();

    await temp.db.write([{ type: "del", bucket: Bucket.treeNode, key: keys[5]! }], { sync: false });
    expect(temp.db.getSync(prefixed(Bucket.treeNode, keys[5]!))).toBeUndefined();
    expect(hexOf(temp.db.getSync(prefixed(Bucket.treeNode, keys[4]!)))).toBe("04");
  });

  it("reads prefix ‖ key without the caller building it, for short and long keys alike", async () => {
    const random = rng(11);
    const keys = [1, 2, 33, 64, 65, 1022, 1023, 1024, 3000].map((n) => bytesOf(random, n));
    await temp.db.write(
      keys.map((key, i) => ({
        type: "put",
        key: prefixed(Bucket.treeNode, key),
        value: Uint8Array.of(i),
      })),
      { sync: false },
    );
    const values = keys.map((key) => temp.db.getSyncPrefixed(Bucket.treeNode, key));
    // Each value is its own: the reused read buffer never shows through a returned value.
    expect(values.map(hexOf)).toEqual(keys.map((_, i) => toHex(Uint8Array.of(i))));
    expect(temp.db.getSyncPrefixed(Bucket.stateValue, keys[0]!)).toBeUndefined();
    // A shorter key after a longer one reads only its own bytes, not the longer key's tail.
    expect(temp.db.getSyncPrefixed(Bucket.treeNode, keys[2]!.subarray(0, 1))).toBeUndefined();
  });
});
