import { randomBytes } from "node:crypto";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  decodeSyncRequest,
  decodeSyncResponse,
  encodeSyncRequest,
  encodeSyncResponse,
  MAX_SYNC_BLOCKS_PER_REQUEST,
  SyncMessageError,
} from "./messages.js";

/** Plain Uint8Arrays, as the decoders return (a Buffer would not deep-equal them). */
const bytes = (n: number) => new Uint8Array(randomBytes(n));

describe("sync protocol messages", () => {
  it("round-trip requests and responses", () => {
    const req = { fromHeight: 42n, count: 20, wantMessages: true };
    expect(decodeSyncRequest(encodeSyncRequest(req))).toEqual(req);
    const resp = {
      latestHeight: 99n,
      blocks: [{ block: bytes(500), commit: bytes(120) }],
      proposals: [bytes(80)],
      votes: [bytes(150), bytes(150)],
    };
    expect(decodeSyncResponse(encodeSyncResponse(resp))).toEqual(resp);
  });

  it("caps how many blocks one request may ask for", () => {
    const bytes = encodeSyncRequest({
      fromHeight: 1n,
      count: MAX_SYNC_BLOCKS_PER_REQUEST + 1,
      wantMessages: false,
    });
    expect(() => decodeSyncRequest(bytes)).toThrow(SyncMessageError);
  });

  it("turns any bytes into a message or a SyncMessageError", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
        for (const decode of [decodeSyncRequest, decodeSyncResponse]) {
          try {
            decode(bytes);
          } catch (err) {
            expect(err).toBeInstanceOf(SyncMessageError);
          }
        }
      }),
      { numRuns: 3000 },
    );
  });
});
