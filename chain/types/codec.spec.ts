/**
 * Events are hashed into every block's event root and stored in every tx result, so their bytes
 * must never depend on which encoder wrote them: the one-pass encoder must give exactly the bytes
 * of a BinaryWriter encoding (cosmjs-types' own `tendermint.abci.Event`) for any event, strings
 * that are not well-formed included.
 */
import { BinaryWriter } from "cosmjs-types/binary";
import { Event, ExecTxResult } from "cosmjs-types/tendermint/abci/types";
import { describe, expect, it } from "vitest";
import type { AbciEvent } from "../../contracts/types.js";
import { randomString, rng } from "../../test/support/random-strings.js";
import { leafHash } from "../block/merkle.js";
import {
  decodeEventLeaf,
  decodeTxResult,
  encodeEvent,
  encodeEventLeaf,
  encodeTxResult,
  eventLeafHash,
} from "./codec.js";

function randomEvent(next: () => number): AbciEvent {
  const attributes = Array.from({ length: Math.floor(next() * 6) }, () => ({
    key: next() < 0.1 ? "" : randomString(next, 12),
    value: next() < 0.1 ? "" : randomString(next, 200),
    index: next() < 0.5,
  }));
  return { type: next() < 0.05 ? "" : randomString(next, 16), attributes };
}

/** cosmjs-types' own Event (mutable arrays) with the same content. */
function abciEvent(e: AbciEvent): Event {
  return Event.fromPartial({ type: e.type, attributes: e.attributes.map((a) => ({ ...a })) });
}

function referenceLeaf(height: bigint, txIndex: number, eventIndex: number, e: AbciEvent): Uint8Array {
  const w = BinaryWriter.create();
  if (height !== 0n) w.uint32(8).int64(height);
  if (txIndex !== 0) w.uint32(16).int32(txIndex);
  if (eventIndex !== 0) w.uint32(24).uint32(eventIndex);
  return w
    .uint32(34)
    .bytes(Event.encode(abciEvent(e)).finish())
    .finish();
}

const label = (value: unknown) => JSON.stringify(value, (_, v) => (typeof v === "bigint" ? `${v}` : v));

/** Byte equality, checked cheaply; on a mismatch, vitest's diff with the case that caused it. */
function expectSameBytes(actual: Uint8Array, expected: Uint8Array, input: unknown): void {
  if (Buffer.compare(actual, expected) !== 0) expect(actual, label(input)).toEqual(expected);
}

describe("event encoding", () => {
  it("gives cosmjs-types' bytes for every event, lone surrogates and empty strings included", () => {
    const next = rng(23);
    for (let i = 0; i < 2_000; i++) {
      const event = randomEvent(next);
      expectSameBytes(encodeEvent(event), Event.encode(abciEvent(event)).finish(), event);
    }
  });

  it("gives the reference leaf, and its hash unwritten, for any height, tx index (block events: -1) and event index", () => {
    const next = rng(29);
    const heights = [0n, 1n, 127n, 128n, 2n ** 32n + 5n, 2n ** 53n - 1n, 2n ** 53n, 2n ** 62n];
    for (let i = 0; i < 2_000; i++) {
      const event = randomEvent(next);
      const height = heights[i % heights.length]!;
      const txIndex = next() < 0.2 ? -1 : next() < 0.2 ? 0 : Math.floor(next() * 100_000);
      const eventIndex = next() < 0.2 ? 0 : Math.floor(next() * 300);
      const leaf = encodeEventLeaf(height, txIndex, eventIndex, event);
      expectSameBytes(leaf, referenceLeaf(height, txIndex, eventIndex, event), event);
      expectSameBytes(eventLeafHash(height, txIndex, eventIndex, event), leafHash(leaf), event);
      const decoded = decodeEventLeaf(leaf);
      expect([decoded.height, decoded.txIndex, decoded.eventIndex]).toEqual([height, txIndex, eventIndex]);
    }
  });

  it("hashes a leaf too large for the hashing scratch", () => {
    const event: AbciEvent = {
      type: "big",
      attributes: [{ key: "body", value: "x".repeat(10_000), index: false }],
    };
    expect(eventLeafHash(9n, 1, 2, event)).toEqual(leafHash(encodeEventLeaf(9n, 1, 2, event)));
  });

  it("stores a tx result as cosmjs-types' ExecTxResult bytes, whatever its fields hold", () => {
    const next = rng(31);
    const gases = [0n, 1n, 200_000n, 2n ** 53n - 1n, 2n ** 53n, 2n ** 63n - 1n];
    for (let i = 0; i < 1_000; i++) {
      const result = {
        code: next() < 0.5 ? 0 : next() < 0.9 ? Math.floor(next() * 40) : 0xffff_ffff,
        codespace: next() < 0.5 ? "" : randomString(next, 10),
        log: next() < 0.5 ? "" : randomString(next, 120),
        data: Uint8Array.from({ length: Math.floor(next() * 3) * 17 }, (_, j) => j),
        gasWanted: gases[Math.floor(next() * gases.length)]!,
        gasUsed: gases[Math.floor(next() * gases.length)]!,
        events: Array.from({ length: Math.floor(next() * 4) }, () => randomEvent(next)),
      };
      const reference = ExecTxResult.encode(
        ExecTxResult.fromPartial({ ...result, events: result.events.map(abciEvent) }),
      ).finish();
      expectSameBytes(encodeTxResult(result), reference, result);
    }
  });

  it("round-trips well-formed events through a stored tx result", () => {
    const event: AbciEvent = {
      type: "vivim.social.v1.EventPost",
      attributes: [
        { key: "author", value: "vivim1qqqq", index: true },
        { key: "title", value: "héllo 世界 🙂", index: false },
        { key: "", value: "", index: false },
      ],
    };
    const result = {
      code: 0,
      codespace: "",
      log: "",
      data: new Uint8Array(),
      gasWanted: 200_000n,
      gasUsed: 51_234n,
      events: [event],
    };
    expect(decodeTxResult(encodeTxResult(result)).events).toEqual([event]);
  });
});
