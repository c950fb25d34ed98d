import { describe, expect, it } from "vitest";
import { errorFrame, parseClientFrame, StreamError } from "./protocol.js";

const MAX = 16 * 1024;
const ADDR = "vivim1qypqxpq9qcrsszg2pvxq6rs0zqg3yyc5lzv7xu";

function codeOf(text: string): string {
  try {
    parseClientFrame(text, MAX);
  } catch (err) {
    if (err instanceof StreamError) return err.code;
    throw err;
  }
  return "OK";
}

describe("stream frames", () => {
  it("parses each client frame", () => {
    expect(parseClientFrame('{"type":"ping"}', MAX)).toEqual({ type: "ping" });
    expect(
      parseClientFrame(
        JSON.stringify({ type: "auth", address: ADDR, pub_key: "A".repeat(44), signature: "B".repeat(88) }),
        MAX,
      ),
    ).toEqual({ type: "auth", address: ADDR, pubKey: "A".repeat(44), signature: "B".repeat(88) });
    expect(
      parseClientFrame(
        JSON.stringify({ type: "subscribe", id: "s1", topic: { kind: "community", id: "7" }, from: "10.2" }),
        MAX,
      ),
    ).toEqual({
      type: "subscribe",
      id: "s1",
      topic: { kind: "community", id: 7n },
      from: { height: 10n, index: 2 },
    });
    expect(
      parseClientFrame(
        JSON.stringify({ type: "subscribe", id: "t", topic: { kind: "thread", post: "3" } }),
        MAX,
      ),
    ).toEqual({
      type: "subscribe",
      id: "t",
      topic: { kind: "thread", post: 3n },
    });
    expect(parseClientFrame('{"type":"unsubscribe","id":"s1"}', MAX)).toEqual({
      type: "unsubscribe",
      id: "s1",
    });
  });

  it("answers each kind of bad frame with its code", () => {
    expect(codeOf(`{"type":"ping","pad":"${"x".repeat(MAX)}"}`)).toBe("FRAME_TOO_LARGE");
    expect(codeOf("not json")).toBe("BAD_FRAME");
    expect(codeOf("[1]")).toBe("BAD_FRAME");
    expect(codeOf("null")).toBe("BAD_FRAME");
    expect(codeOf('{"type":"dance"}')).toBe("BAD_FRAME");
    expect(codeOf('{"type":"auth","address":"x"}')).toBe("BAD_FRAME");
    expect(codeOf('{"type":"subscribe","id":"has space","topic":{"kind":"blocks"}}')).toBe("BAD_FRAME");
    expect(codeOf('{"type":"subscribe","id":"a","topic":{"kind":"everything"}}')).toBe("BAD_TOPIC");
    expect(codeOf('{"type":"subscribe","id":"a","topic":{"kind":"community","id":7}}')).toBe("BAD_TOPIC");
    expect(
      codeOf('{"type":"subscribe","id":"a","topic":{"kind":"thread","post":"99999999999999999999"}}'),
    ).toBe("BAD_TOPIC");
    expect(codeOf('{"type":"subscribe","id":"a","topic":{"kind":"blocks"},"from":"x"}')).toBe("BAD_CURSOR");
    expect(codeOf('{"type":"subscribe","id":"a","topic":{"kind":"blocks"},"from":12}')).toBe("BAD_CURSOR");
  });

  it("parses the live-only topics and the presence and typing frames", () => {
    const conv = "ab".repeat(32);
    expect(parseClientFrame('{"type":"subscribe","id":"d","topic":{"kind":"dm"}}', MAX)).toEqual({
      type: "subscribe",
      id: "d",
      topic: { kind: "dm" },
    });
    expect(
      parseClientFrame(
        JSON.stringify({ type: "subscribe", id: "p", topic: { kind: "presence", accounts: [ADDR, ADDR] } }),
        MAX,
      ),
    ).toEqual({ type: "subscribe", id: "p", topic: { kind: "presence", accounts: [ADDR] } });
    expect(parseClientFrame('{"type":"presence","status":"busy"}', MAX)).toEqual({
      type: "presence",
      status: "busy",
    });
    expect(parseClientFrame(JSON.stringify({ type: "typing", conversation: conv, to: [ADDR] }), MAX)).toEqual(
      {
        type: "typing",
        conversation: conv,
        to: [ADDR],
      },
    );
    expect(codeOf('{"type":"subscribe","id":"d","topic":{"kind":"dm"},"from":"1.0"}')).toBe("BAD_CURSOR");
    expect(codeOf('{"type":"subscribe","id":"p","topic":{"kind":"presence","accounts":[]}}')).toBe(
      "BAD_TOPIC",
    );
    expect(
      codeOf(JSON.stringify({ type: "subscribe", id: "p", topic: { kind: "presence", accounts: ["bob"] } })),
    ).toBe("BAD_TOPIC");
    const many = Array.from({ length: 101 }, () => ADDR);
    expect(
      codeOf(JSON.stringify({ type: "subscribe", id: "p", topic: { kind: "presence", accounts: many } })),
    ).toBe("BAD_TOPIC");
    expect(codeOf('{"type":"presence","status":"invisible"}')).toBe("BAD_FRAME");
    expect(codeOf(JSON.stringify({ type: "typing", conversation: "xyz", to: [ADDR] }))).toBe("BAD_FRAME");
    expect(codeOf(JSON.stringify({ type: "typing", conversation: conv, to: [] }))).toBe("BAD_FRAME");
  });

  it("writes error frames", () => {
    expect(JSON.parse(errorFrame("SLOW_CONSUMER", "too slow"))).toEqual({
      type: "error",
      code: "SLOW_CONSUMER",
      message: "too slow",
    });
    expect(JSON.parse(errorFrame("BAD_TOPIC", "x", "s1")).sub).toBe("s1");
  });
});
