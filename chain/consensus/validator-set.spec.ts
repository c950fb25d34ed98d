import { describe, expect, it } from "vitest";
import { sha256 } from "../crypto/hash.js";
import { ValidatorSet } from "./validator-set.js";

const key = (i: number) => sha256(new Uint8Array([i]));

describe("ValidatorSet", () => {
  it("rotates the proposer in proportion to voting power", () => {
    let set = ValidatorSet.fromGenesis([
      { pubKey: key(1), power: 1n },
      { pubKey: key(2), power: 2n },
      { pubKey: key(3), power: 7n },
    ]);
    const counts = new Map<string, number>();
    for (let h = 0; h < 1000; h++) {
      const p = Buffer.from(set.proposer().pubKey).toString("hex");
      counts.set(p, (counts.get(p) ?? 0) + 1);
      set = set.incrementProposerPriority(1);
    }
    expect(counts.get(Buffer.from(key(1)).toString("hex"))).toBe(100);
    expect(counts.get(Buffer.from(key(2)).toString("hex"))).toBe(200);
    expect(counts.get(Buffer.from(key(3)).toString("hex"))).toBe(700);
  });

  it("equal powers take turns", () => {
    let set = ValidatorSet.fromGenesis([0, 1, 2, 3].map((i) => ({ pubKey: key(i), power: 10n })));
    const seen: string[] = [];
    for (let h = 0; h < 4; h++) {
      seen.push(Buffer.from(set.proposer().address).toString("hex"));
      set = set.incrementProposerPriority(1);
    }
    expect(new Set(seen).size).toBe(4);
  });

  it("is deterministic and order-independent in hash and proposer", () => {
    const entries = [0, 1, 2].map((i) => ({ pubKey: key(i), power: BigInt(i + 1) }));
    const a = ValidatorSet.fromGenesis(entries);
    const b = ValidatorSet.fromGenesis([...entries].reverse());
    expect(Buffer.from(a.hash())).toEqual(Buffer.from(b.hash()));
    expect(a.proposerAt(3).address).toEqual(b.proposerAt(3).address);
  });

  it("counts +2/3 and +1/3 strictly", () => {
    const set = ValidatorSet.fromGenesis([0, 1, 2].map((i) => ({ pubKey: key(i), power: 1n })));
    expect(set.hasTwoThirds(2n)).toBe(false);
    expect(set.hasTwoThirds(3n)).toBe(true);
    expect(set.hasOneThird(1n)).toBe(false);
    expect(set.hasOneThird(2n)).toBe(true);
  });
});
