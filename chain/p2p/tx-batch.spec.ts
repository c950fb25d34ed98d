import { BinaryWriter } from "cosmjs-types/binary";
import { describe, expect, it } from "vitest";
import { decodeTxBatch, encodeTxBatch, TxBatchDecodeError } from "./tx-batch.js";

const limits = { maxTxs: 4, maxTxBytes: 100 };
const tx = (n: number, fill: number) => new Uint8Array(n).fill(fill);

function decodeError(bytes: Uint8Array): TxBatchDecodeError {
  try {
    decodeTxBatch(bytes, limits);
  } catch (err) {
    if (err instanceof TxBatchDecodeError) return err;
    throw err;
  }
  throw new Error("decoded");
}

describe("tx batch wire format", () => {
  it("round-trips txs in order, byte for byte", () => {
    const txs = [tx(1, 1), tx(100, 2), tx(37, 3)];
    const decoded = decodeTxBatch(encodeTxBatch(txs), limits);
    expect(decoded.map((t) => Buffer.from(t).toString("hex"))).toEqual(
      txs.map((t) => Buffer.from(t).toString("hex")),
    );
  });

  it("rejects empty batches, empty txs, oversized txs and too many txs with one coded error", () => {
    expect(decodeError(new Uint8Array()).message).toMatch(/no txs/);
    expect(decodeError(encodeTxBatch([tx(3, 1), new Uint8Array()])).message).toMatch(/empty tx/);
    expect(decodeError(encodeTxBatch([tx(101, 1)])).message).toMatch(/101 bytes, max 100/);
    expect(decodeError(encodeTxBatch([1, 2, 3, 4, 5].map((i) => tx(2, i)))).message).toMatch(/more than 4/);
    expect(decodeError(encodeTxBatch([tx(101, 1)])).code).toBe("TX_BATCH_INVALID");
  });

  it("rejects unknown fields, wrong wire types and truncated input", () => {
    const unknownField = BinaryWriter.create()
      .uint32((2 << 3) | 2)
      .bytes(tx(3, 1))
      .finish();
    expect(decodeError(unknownField).message).toMatch(/unexpected field tag 18/);
    const varintField = BinaryWriter.create()
      .uint32(1 << 3)
      .uint32(5)
      .finish();
    expect(decodeError(varintField).message).toMatch(/unexpected field tag 8/);
    const whole = encodeTxBatch([tx(50, 9)]);
    expect(decodeError(whole.subarray(0, whole.length - 1)).message).toMatch(/truncated/);
  });

  it("never throws anything but its coded error on random bytes", () => {
    let seed = 7;
    const next = () => {
      seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
      return seed;
    };
    for (let i = 0; i < 2_000; i++) {
      const bytes = Uint8Array.from({ length: next() % 64 }, () => next() % 256);
      try {
        const txs = decodeTxBatch(bytes, limits);
        for (const t of txs) expect(t.length).toBeGreaterThan(0);
      } catch (err) {
        expect(err).toBeInstanceOf(TxBatchDecodeError);
      }
    }
  });
});
