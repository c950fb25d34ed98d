import { describe, expect, it } from "vitest";
import { sha256, toHexUpper } from "../../crypto/hash.js";
import type { Block, TxResult } from "../../types/block.js";
import { eventFrame, streamEventsOf } from "./block-events.js";

const ev = (type: string, attributes: Record<string, string>) => ({
  type,
  attributes: Object.entries(attributes).map(([key, value]) => ({ key, value, index: true })),
});
const result = (events: ReturnType<typeof ev>[]): TxResult =>
  ({
    code: 0,
    codespace: "",
    log: "",
    data: new Uint8Array(),
    gasWanted: 0n,
    gasUsed: 0n,
    events,
  }) as TxResult;

describe("a block as stream events", () => {
  // Only the fields the stream reads; the rest of a header plays no part here.
  const txs = [new Uint8Array([1]), new Uint8Array([2])];
  const block = {
    header: { height: 7n, time: { seconds: 1_700_000_000n, nanos: 5 } },
    txs,
  } as unknown as Block;
  const events = streamEventsOf(
    block,
    new Uint8Array(32).fill(0xab),
    [result([ev("a", { x: "1" }), ev("b", {})]), result([ev("c", {})])],
    txs.map(sha256),
    [ev("active_proposal", { proposal_id: "3" })],
  );

  it("numbers the block event, then tx events in tx order, then end-block events", () => {
    expect(events.map((e) => [e.cursor.index, e.type, e.tx])).toEqual([
      [0, "new_block", undefined],
      [1, "a", toHexUpper(sha256(txs[0]!))],
      [2, "b", toHexUpper(sha256(txs[0]!))],
      [3, "c", toHexUpper(sha256(txs[1]!))],
      [4, "active_proposal", undefined],
    ]);
    expect(events.every((e) => e.cursor.height === 7n)).toBe(true);
    expect(events[0]!.attributes).toEqual({
      height: "7",
      hash: "AB".repeat(32),
      time: "2023-11-14T22:13:20.000000005Z",
      num_txs: "2",
    });
  });

  it("writes the delivered frame", () => {
    expect(JSON.parse(eventFrame("s1", events[1]!))).toEqual({
      type: "event",
      sub: "s1",
      cursor: "7.1",
      height: "7",
      tx: toHexUpper(sha256(txs[0]!)),
      event: { type: "a", attributes: { x: "1" } },
    });
    expect(JSON.parse(eventFrame("s1", events[4]!)).tx).toBeUndefined();
  });
});
