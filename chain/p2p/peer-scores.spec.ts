import { describe, expect, it } from "vitest";
import { PeerScores } from "./peer-scores.js";

describe("PeerScores", () => {
  const make = () => {
    let now = 1_000_000;
    const scores = new PeerScores({ banThreshold: 100, banMs: 60_000, recoveryPerSecond: 1, now: () => now });
    return { scores, advance: (ms: number) => (now += ms) };
  };

  it("bans a peer after repeated invalid signatures and lifts the ban later", () => {
    const { scores, advance } = make();
    expect(scores.penalize("a", "invalid_signature")).toBe(false);
    expect(scores.isBanned("a")).toBe(false);
    expect(scores.penalize("a", "invalid_signature")).toBe(true);
    expect(scores.isBanned("a")).toBe(true);
    expect(scores.isBanned("b")).toBe(false);
    advance(60_001);
    expect(scores.isBanned("a")).toBe(false);
  });

  it("recovers points over time so rare mistakes never add up to a ban", () => {
    const { scores, advance } = make();
    for (let i = 0; i < 10; i++) {
      expect(scores.penalize("a", "malformed")).toBe(false);
      advance(30_000);
    }
    expect(scores.score("a")).toBe(0);
  });
});
