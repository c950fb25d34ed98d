import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { WorkersError } from "../errors.js";
import { blockEvents, txHash } from "./block-events.js";

const tx1 = Buffer.from("first tx").toString("base64");
const tx2 = Buffer.from("second tx").toString("base64");
const ev = (type: string, attrs: Record<string, string>) => ({
  type,
  attributes: Object.entries(attrs).map(([key, value]) => ({ key, value, index: true })),
});

const block = (height: number, txs: string[]) => ({
  block: { header: { height: String(height), time: "2026-01-01T00:00:01Z" }, data: { txs } },
});

describe("blockEvents", () => {
  it("tags each successful tx's events with its hash, drops failed txs' events, keeps end-block events", () => {
    const out = blockEvents(5, block(5, [tx1, tx2]), {
      height: "5",
      txs_results: [
        { code: 0, events: [ev("vivim.social.v1.EventPostCreated", { content_id: "1" })] },
        { code: 7, events: [ev("tx", { fee: "1uvivim" })] },
      ],
      finalize_block_events: [ev("vivim.reputation.v1.EventEpoch", { epoch: "2" })],
    });
    const hash1 = createHash("sha256").update("first tx").digest("hex").toUpperCase();
    expect(txHash(tx1)).toBe(hash1);
    expect(out).toEqual({
      height: 5,
      time: "2026-01-01T00:00:01Z",
      txs: [hash1],
      failedTxs: 1,
      events: [
        { type: "vivim.social.v1.EventPostCreated", tx: hash1, attributes: { content_id: "1" } },
        { type: "vivim.reputation.v1.EventEpoch", tx: null, attributes: { epoch: "2" } },
      ],
    });
  });

  it("an empty block has no events", () => {
    const out = blockEvents(2, block(2, []), { height: "2", txs_results: null, finalize_block_events: null });
    expect(out.events).toEqual([]);
    expect(out.txs).toEqual([]);
  });

  it("refuses answers for another height or with mismatched tx results", () => {
    const wrong = () => blockEvents(3, block(4, []), { height: "4", txs_results: [] });
    expect(wrong).toThrow(WorkersError);
    try {
      blockEvents(3, block(3, [tx1]), { height: "3", txs_results: [] });
    } catch (err) {
      expect((err as WorkersError).code).toBe("BAD_BLOCK");
    }
    expect.assertions(2);
  });
});
