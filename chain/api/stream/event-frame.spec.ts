import { createRequire } from "node:module";
import { describe, expect, it } from "vitest";
import { eventFrame, type StreamEvent } from "./block-events.js";
import { eventFramer, wsTextFrame } from "./event-frame.js";

// ws's own frame parser (as a client reads a server's frames); ws ships no types for it.
const { Receiver } = createRequire(import.meta.url)("ws") as {
  Receiver: new (opts: {
    isServer: boolean;
  }) => NodeJS.WritableStream & {
    on(event: "message", cb: (data: Buffer, isBinary: boolean) => void): void;
    on(event: "error", cb: (err: Error) => void): void;
  };
};

/** The messages ws reads from `bytes`, with whether each was binary. */
function parse(bytes: Buffer): Array<{ text: string; isBinary: boolean }> {
  const out: Array<{ text: string; isBinary: boolean }> = [];
  const r = new Receiver({ isServer: false });
  r.on("message", (data, isBinary) => out.push({ text: data.toString("utf8"), isBinary }));
  r.on("error", (err) => {
    throw err;
  });
  r.write(bytes);
  return out;
}

const EVENTS: StreamEvent[] = [
  {
    cursor: { height: 812n, index: 3 },
    tx: "5F0C",
    type: "vivim.social.v1.EventCommentCreated",
    attributes: { content_id: "41", post_id: "40", author: 'vivim1"quoted"\\é😀' },
  },
  {
    cursor: { height: 9n, index: 0 },
    type: "new_block",
    attributes: { height: "9", hash: "AB", time: "2026-01-01T00:00:00Z", num_txs: "0" },
  },
  { cursor: { height: 1n, index: 7 }, type: "active_proposal", attributes: {} },
  { cursor: { height: 2n, index: 1 }, type: "big", attributes: { body: "é".repeat(40_000) } },
];

describe("stream event frames", () => {
  it("frames eventFrame's text as one WebSocket text frame per sub id, shared", () => {
    for (const e of EVENTS) {
      const frameOf = eventFramer(e);
      for (const sub of ["c", "general", "a.b:c-d_e", "x".repeat(64)]) {
        expect(parse(frameOf(sub))).toEqual([{ text: eventFrame(sub, e), isBinary: false }]);
        expect(frameOf(sub)).toBe(frameOf(sub));
      }
    }
  });

  it("uses the 7-bit, 16-bit and 64-bit lengths of RFC 6455", () => {
    for (const n of [0, 125, 126, 65_535, 65_536, 70_000]) {
      const text = "a".repeat(n);
      const frame = wsTextFrame(text);
      expect(frame[0]).toBe(0x81);
      expect(frame.length).toBe(n + (n < 126 ? 2 : n < 65_536 ? 4 : 10));
      expect(parse(frame)).toEqual([{ text, isBinary: false }]);
    }
    // Several frames back to back read as several messages, in order.
    expect(parse(Buffer.concat([wsTextFrame("one"), wsTextFrame("two")])).map((m) => m.text)).toEqual([
      "one",
      "two",
    ]);
  });
});
