import { describe, expect, it } from "vitest";
import { sha256 } from "../crypto/hash.js";
import {
  MAX_TOTAL_VOTING_POWER,
  ValidatorSet,
  ValidatorSetUpdateError,
  validatorAddress,
} from "./validator-set.js";

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

describe("ValidatorSet.applyUpdates", () => {
  const hex = (b: Uint8Array) => Buffer.from(b).toString("hex");
  const raw = (entries: Array<[number, bigint, bigint]>) =>
    new ValidatorSet(
      entries.map(([i, power, priority]) => ({
        address: validatorAddress(key(i)),
        pubKey: key(i),
        votingPower: power,
        proposerPriority: priority,
      })),
    );
  const priorityOf = (set: ValidatorSet, i: number) =>
    set.validators[set.indexOf(validatorAddress(key(i)))]?.proposerPriority;

  it("adds a newcomer at -1.125 x the updated total, then centres the priorities", () => {
    const set = raw([
      [1, 10n, 0n],
      [2, 10n, 0n],
      [3, 10n, 0n],
    ]);
    const next = set.applyUpdates([{ pubKey: key(4), power: 10n }]);
    // total after the update is 40: the newcomer starts at -(40 + 40/8) = -45; the average of
    // (0, 0, 0, -45) truncates to -11, so centring moves everyone up by 11.
    expect(next.size).toBe(4);
    expect(next.totalVotingPower).toBe(40n);
    expect(priorityOf(next, 4)).toBe(-34n);
    for (const i of [1, 2, 3]) expect(priorityOf(next, i)).toBe(11n);
    // The original is untouched.
    expect(set.size).toBe(3);
    expect(priorityOf(set, 1)).toBe(0n);
  });

  it("a newcomer does not propose before the validators already in the set", () => {
    let set = ValidatorSet.fromGenesis([1, 2, 3].map((i) => ({ pubKey: key(i), power: 10n })));
    set = set.applyUpdates([{ pubKey: key(9), power: 10n }]).incrementProposerPriority(1);
    const first: string[] = [];
    for (let h = 0; h < 3; h++) {
      first.push(hex(set.proposer().pubKey));
      set = set.incrementProposerPriority(1);
    }
    expect(first).not.toContain(hex(key(9)));
    // From then on it takes its fair share.
    let turns = 0;
    for (let h = 0; h < 400; h++) {
      if (hex(set.proposer().pubKey) === hex(key(9))) turns++;
      set = set.incrementProposerPriority(1);
    }
    expect(turns).toBe(100);
  });

  it("re-weights a validator keeping its priority, and removes with power 0", () => {
    const set = raw([
      [1, 10n, 7n],
      [2, 10n, -3n],
      [3, 10n, -4n],
    ]);
    const next = set.applyUpdates([
      { pubKey: key(3), power: 0n },
      { pubKey: key(1), power: 30n },
    ]);
    expect(next.size).toBe(2);
    expect(next.totalVotingPower).toBe(40n);
    expect(next.indexOf(validatorAddress(key(3)))).toBe(-1);
    // Priorities kept (7, -3), then centred by their average 2.
    expect(priorityOf(next, 1)).toBe(5n);
    expect(priorityOf(next, 2)).toBe(-5n);
    // Sorted by power: the heavier validator comes first.
    expect(hex(next.validators[0]!.pubKey)).toBe(hex(key(1)));
  });

  it("rescales priorities that drift more than 2x the total power apart", () => {
    const set = raw([
      [1, 1n, 1000n],
      [2, 1n, -1000n],
    ]);
    const next = set.applyUpdates([{ pubKey: key(1), power: 2n }]);
    const ps = next.validators.map((v) => v.proposerPriority);
    const spread = ps.reduce((a, b) => (a > b ? a : b)) - ps.reduce((a, b) => (a < b ? a : b));
    expect(spread).toBeLessThanOrEqual(2n * next.totalVotingPower);
  });

  it("does not depend on the order of the updates", () => {
    const base = ValidatorSet.fromGenesis([1, 2, 3, 4].map((i) => ({ pubKey: key(i), power: BigInt(i) })));
    const updates = [
      { pubKey: key(2), power: 0n },
      { pubKey: key(5), power: 3n },
      { pubKey: key(6), power: 1n },
      { pubKey: key(4), power: 9n },
    ];
    const a = base.applyUpdates(updates);
    const b = base.applyUpdates([...updates].reverse());
    expect(hex(a.hash())).toBe(hex(b.hash()));
    expect(a.validators.map((v) => [hex(v.address), v.proposerPriority])).toEqual(
      b.validators.map((v) => [hex(v.address), v.proposerPriority]),
    );
  });

  it("changes the hash exactly when membership or power changes", () => {
    const set = ValidatorSet.fromGenesis([1, 2].map((i) => ({ pubKey: key(i), power: 5n })));
    expect(set.applyUpdates([])).toBe(set);
    expect(hex(set.applyUpdates([{ pubKey: key(1), power: 5n }]).hash())).toBe(hex(set.hash()));
    expect(hex(set.applyUpdates([{ pubKey: key(1), power: 6n }]).hash())).not.toBe(hex(set.hash()));
  });

  it("rejects invalid change sets without changing anything", () => {
    const set = ValidatorSet.fromGenesis([1, 2].map((i) => ({ pubKey: key(i), power: 5n })));
    const cases: Array<[Array<{ pubKey: Uint8Array; power: bigint }>, RegExp]> = [
      [[{ pubKey: key(7), power: 0n }], /unknown validator/],
      [
        [
          { pubKey: key(1), power: 3n },
          { pubKey: key(1), power: 4n },
        ],
        /duplicate/,
      ],
      [
        [
          { pubKey: key(1), power: 0n },
          { pubKey: key(2), power: 0n },
        ],
        /empty/,
      ],
      [[{ pubKey: key(1), power: -1n }], /negative/],
      [[{ pubKey: key(1).subarray(0, 31), power: 1n }], /32 bytes/],
      [[{ pubKey: key(3), power: MAX_TOTAL_VOTING_POWER }], /exceed the maximum/],
      [[{ pubKey: key(3), power: MAX_TOTAL_VOTING_POWER + 1n }], /exceeds the maximum/],
    ];
    for (const [updates, message] of cases) {
      expect(() => set.applyUpdates(updates)).toThrow(ValidatorSetUpdateError);
      expect(() => set.applyUpdates(updates)).toThrow(message);
    }
    expect(set.size).toBe(2);
    // Replacing every validator at once is allowed: the set is not left empty.
    const replaced = set.applyUpdates([
      { pubKey: key(1), power: 0n },
      { pubKey: key(2), power: 0n },
      { pubKey: key(3), power: 1n },
    ]);
    expect(replaced.validators.map((v) => hex(v.pubKey))).toEqual([hex(key(3))]);
  });
});
