/**
 * What a DM identity keeps, and for how long, on plain data: expired kept messages are dropped
 * (and no longer shown), at most MAX_KEPT_MESSAGES per conversation in the order they were sent,
 * "seen" marks the cursor has passed go, the cursor passes only settled envelopes, a session is
 * sent on for a week and then replaced, and idle sessions are deleted unless current. The node
 * side of the same flows is covered by test/e2e/dm-account.test.ts.
 */
import { describe, expect, it } from "vitest";
import {
  idleSessions,
  liveMessages,
  MAX_KEPT_MESSAGES,
  retainMessages,
  retainSeen,
  SESSION_IDLE_SECONDS,
  SESSION_MAX_AGE_SECONDS,
  SETTLE_SECONDS,
  sessionTooOld,
  settled,
  trimConversation,
} from "./retain.js";
import type { KeptMessage, KeptSession } from "./state.js";

const DAY = 86_400;
const T0 = 1_800_000_000;

const message = (id: string, sentAt: number, expiresAt: number, dir: "in" | "out" = "in"): KeptMessage => ({
  id,
  from: dir === "in" ? "vivim1peer" : "vivim1me",
  dir,
  sentAt,
  expiresAt,
  text: id,
});
const session = (conversation: string, createdAt: number, usedAt: number): KeptSession => ({
  state: "{}",
  conversation,
  createdAt,
  usedAt,
});
const ids = (ms: readonly KeptMessage[]) => ms.map((m) => m.id);

describe("kept messages", () => {
  it("drops a message once it expires (ephemeral after a day, sessions after 30)", () => {
    const kept = [message("sessions", T0 + 1, T0 + 1 + 30 * DAY), message("ephemeral", T0 + 2, T0 + 2 + DAY)];
    expect(ids(retainMessages(kept, T0 + 3))).toEqual(["sessions", "ephemeral"]);
    expect(ids(retainMessages(kept, T0 + 2 + DAY - 1))).toEqual(["sessions", "ephemeral"]);
    expect(ids(retainMessages(kept, T0 + 2 + DAY))).toEqual(["sessions"]);
    expect(ids(retainMessages(kept, T0 + 1 + 30 * DAY))).toEqual([]);
    // What is shown follows the same expiry, even before the next trim.
    expect(ids(liveMessages(kept, T0 + 2 * DAY, 100))).toEqual(["sessions"]);
  });

  it("orders by time sent, keeping arrival order within a second", () => {
    const far = T0 + 30 * DAY;
    const kept = [
      message("b", T0 + 5, far),
      message("a", T0 + 1, far, "out"),
      message("c1", T0 + 5, far),
      message("c2", T0 + 5, far, "out"),
      message("d", T0 + 3, far),
    ];
    expect(ids(retainMessages(kept, T0))).toEqual(["a", "d", "b", "c1", "c2"]);
  });

  it("keeps at most MAX_KEPT_MESSAGES per conversation, dropping the oldest", () => {
    const kept = Array.from({ length: MAX_KEPT_MESSAGES + 5 }, (_, i) =>
      message(`m${i}`, T0 + MAX_KEPT_MESSAGES + 5 - i, T0 + 30 * DAY),
    );
    const out = retainMessages(kept, T0);
    expect(out).toHaveLength(MAX_KEPT_MESSAGES);
    expect(out[0]!.id).toBe(`m${MAX_KEPT_MESSAGES - 1}`);
    expect(out.at(-1)!.id).toBe("m0");
    expect(ids(retainMessages(kept, T0, 2))).toEqual(["m1", "m0"]);
  });

  it("shows the newest `limit` live messages in their kept order", () => {
    const kept = [
      message("old", T0, T0 + DAY),
      message("x", T0 + 1, T0 + 30 * DAY),
      message("y", T0 + 2, T0 + 30 * DAY),
      message("z", T0 + 3, T0 + 30 * DAY),
    ];
    expect(ids(liveMessages(kept, T0 + 5, 2))).toEqual(["y", "z"]);
    expect(ids(liveMessages(kept, T0 + DAY, 10))).toEqual(["x", "y", "z"]);
  });

  it("does not change what it is given", () => {
    const kept = [message("b", T0 + 2, T0 + 30 * DAY), message("a", T0 + 1, T0 + 1)];
    const copy = structuredClone(kept);
    retainMessages(kept, T0 + 5);
    liveMessages(kept, T0 + 5, 1);
    expect(kept).toEqual(copy);
  });
});

describe("seen marks and the read cursor", () => {
  it("keeps every mark until there is a cursor, then those at or after it", () => {
    const seen = { a: T0, b: T0 + 10, c: T0 + 20 };
    expect(retainSeen(seen, undefined)).toEqual(seen);
    expect(retainSeen(seen, T0 + 10)).toEqual({ b: T0 + 10, c: T0 + 20 });
    expect(retainSeen(seen, T0 + 21)).toEqual({});
    expect(seen).toEqual({ a: T0, b: T0 + 10, c: T0 + 20 });
  });

  it("trims a conversation's messages and marks together", () => {
    const c = {
      messages: [message("gone", T0, T0 + DAY), message("kept", T0 + 1, T0 + 30 * DAY)],
      seen: { gone: T0, kept: T0 + 1 },
      cursorSentAt: T0 + 1,
    };
    expect(trimConversation(c, T0 + 2 * DAY)).toEqual({
      messages: [c.messages[1]],
      seen: { kept: T0 + 1 },
    });
  });

  it("lets the cursor pass an envelope only once it is SETTLE_SECONDS old (late relays)", () => {
    expect(settled(T0, T0)).toBe(false);
    expect(settled(T0, T0 + SETTLE_SECONDS - 1)).toBe(false);
    expect(settled(T0, T0 + SETTLE_SECONDS)).toBe(true);
  });
});

describe("sessions", () => {
  it("sends on a session for SESSION_MAX_AGE_SECONDS, then starts a new one", () => {
    const s = session("conv", T0, T0);
    expect(sessionTooOld(s, T0 + DAY)).toBe(false);
    expect(sessionTooOld(s, T0 + SESSION_MAX_AGE_SECONDS)).toBe(false);
    expect(sessionTooOld(s, T0 + SESSION_MAX_AGE_SECONDS + 1)).toBe(true);
    // Age counts from creation, not from last use.
    expect(sessionTooOld(session("conv", T0, T0 + 8 * DAY), T0 + 8 * DAY)).toBe(true);
  });

  it("deletes sessions idle for SESSION_IDLE_SECONDS unless a conversation's current one", () => {
    const state = {
      sessions: {
        current: session("c1", T0, T0),
        replaced: session("c1", T0, T0 + DAY),
        recent: session("c2", T0, T0 + 20 * DAY),
        old: session("c2", T0, T0 + 2),
      },
      current: { c1: "current", c2: "other" },
    };
    expect(idleSessions(state, T0 + DAY + SESSION_IDLE_SECONDS)).toEqual(["old"]);
    expect(idleSessions(state, T0 + DAY + SESSION_IDLE_SECONDS + 1)).toEqual(["replaced", "old"]);
    expect(idleSessions(state, T0 + 400 * DAY)).toEqual(["replaced", "recent", "old"]);
    expect(idleSessions(state, T0 + 2 + SESSION_IDLE_SECONDS)).toEqual([]);
    expect(Object.keys(state.sessions)).toHaveLength(4);
  });
});
