import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import {
  eigenTrust,
  localTrust,
  scaleScores,
  TRUST_TOTAL,
  type WeightedGraph,
  withOwnerShare,
} from "./eigentrust.js";

/** A CSR graph from `[rater, subject, weight]` triples (grouped by rater in the given order). */
function graph(n: number, edges: Array<[number, number, number]>): WeightedGraph {
  const rows: Array<Array<[number, number]>> = Array.from({ length: n }, () => []);
  for (const [i, j, w] of edges) rows[i]!.push([j, w]);
  const rowStart = new Int32Array(n + 1);
  const target: number[] = [];
  const weight: number[] = [];
  rows.forEach((row, i) => {
    rowStart[i] = target.length;
    for (const [j, w] of row) {
      target.push(j);
      weight.push(w);
    }
  });
  rowStart[n] = target.length;
  return { n, rowStart, target: Int32Array.from(target), weight: Int32Array.from(weight) };
}

const sum = (a: Float64Array) => a.reduce((s, v) => s + v, 0);
const NO_CAP = 1_000_000;

/** Deterministic xorshift32, for a reproducible random graph. */
function prng(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    return x;
  };
}

function randomGraph(n: number, m: number, seed: number): WeightedGraph {
  const next = prng(seed);
  const edges: Array<[number, number, number]> = [];
  for (let e = 0; e < m; e++) {
    const i = next() % n;
    let j = next() % n;
    if (j === i) j = (j + 1) % n;
    edges.push([i, j, next() % 6]);
  }
  edges.sort((a, b) => a[0] - b[0]);
  return graph(n, edges);
}

describe("localTrust", () => {
  it("maps helped + stars to a positive weight and 'did not help' / 1-2 stars to 0, plus vouches", () => {
    const helped = (s: number) => 0x80 | s;
    expect([1, 2, 3, 4, 5].map((s) => localTrust(helped(s), false, 2))).toEqual([0, 0, 1, 2, 3]);
    expect([1, 2, 3, 4, 5].map((s) => localTrust(s, false, 2))).toEqual([0, 0, 0, 0, 0]);
    expect(localTrust(0, true, 2)).toBe(2);
    expect(localTrust(helped(5), true, 2)).toBe(5);
    // A vouch does not outweigh a bad experience: −5 + 2 clips to 0.
    expect(localTrust(1, true, 2)).toBe(0);
  });
});

describe("eigenTrust", () => {
  it("gives a sybil cluster with no edge from the trusted part exactly nothing", () => {
    // 0 is pre-trusted; 0,1,2 rate each other; 3,4,5 rate each other as highly as possible.
    const g = graph(6, [
      [0, 1, 3],
      [0, 2, 1],
      [1, 2, 3],
      [2, 1, 2],
      [3, 4, 5],
      [3, 5, 5],
      [4, 3, 5],
      [4, 5, 5],
      [5, 3, 5],
      [5, 4, 5],
    ]);
    const t = eigenTrust(g, [0], {
      iterations: 20,
      pretrustWeightPpm: 150_000,
      maxRaterInfluencePpm: NO_CAP,
    });
    expect(sum(t)).toBe(TRUST_TOTAL);
    expect([t[3], t[4], t[5]]).toEqual([0, 0, 0]);
    expect(t[1]).toBeGreaterThan(t[2]!); // 0 rates 1 higher, and 2 rates 1
    expect(t[2]).toBeGreaterThan(0);
    expect(t[0]).toBeGreaterThan(0.15 * TRUST_TOTAL);
  });

  it("a sybil cluster reached by one attack edge gets at most what flows over that edge", () => {
    const honest: Array<[number, number, number]> = [
      [0, 1, 3],
      [0, 2, 3],
      [1, 0, 3],
      [1, 2, 3],
      [2, 0, 3],
      [2, 1, 3],
      [2, 3, 1], // the attack edge: 2 gives a sybil 1/7 of its trust
    ];
    const sybils: Array<[number, number, number]> = [];
    for (let i = 3; i < 13; i++) for (let j = 3; j < 13; j++) if (i !== j) sybils.push([i, j, 5]);
    const t = eigenTrust(graph(13, [...honest, ...sybils]), [0], {
      iterations: 30,
      pretrustWeightPpm: 150_000,
      maxRaterInfluencePpm: NO_CAP,
    });
    const cluster = sum(t.subarray(3));
    // Mass entering the cluster each step ≈ (1−α)·t_2/7; it keeps (1−α) per step, so the
    // stationary mass is ≤ (1−α)·t_2/7 / α.
    expect(cluster).toBeGreaterThan(0);
    expect(cluster).toBeLessThanOrEqual((0.85 * t[2]!) / 7 / 0.15 + 1);
    expect(cluster).toBeLessThan(t[2]!);
  });

  it("caps one rater's share of a subject's incoming trust", () => {
    // One pre-trusted rater, one subject: without damping one step moves everything to 1.
    const one = graph(2, [[0, 1, 1]]);
    const cfg = { iterations: 1, pretrustWeightPpm: 0 };
    expect([...eigenTrust(one, [0], { ...cfg, maxRaterInfluencePpm: NO_CAP })]).toEqual([0, TRUST_TOTAL]);
    // With a 25 % cap the lone rater can supply only a quarter; the rest restarts at the seed.
    expect([...eigenTrust(one, [0], { ...cfg, maxRaterInfluencePpm: 250_000 })]).toEqual([
      (TRUST_TOTAL * 3) / 4,
      TRUST_TOTAL / 4,
    ]);
    // Four equal raters each supply exactly a quarter: the cap takes nothing.
    const four = graph(5, [
      [0, 4, 1],
      [1, 4, 1],
      [2, 4, 1],
      [3, 4, 1],
    ]);
    expect([...eigenTrust(four, [0, 1, 2, 3], { ...cfg, maxRaterInfluencePpm: 250_000 })]).toEqual([
      0,
      0,
      0,
      0,
      TRUST_TOTAL,
    ]);
    // Two raters: each is cut to 25 % of the subject's incoming trust.
    const two = graph(3, [
      [0, 2, 1],
      [1, 2, 1],
    ]);
    const t = eigenTrust(two, [0, 0, 0, 1], { ...cfg, maxRaterInfluencePpm: 250_000 });
    // Seeds {0,1} get T/2 each; each passes T/2; X = T, cap = T/4 → y = T/2.
    expect([...t]).toEqual([TRUST_TOTAL / 4, TRUST_TOTAL / 4, TRUST_TOTAL / 2]);
  });

  it("restarts at the seeds with weight α and spreads over everyone without seeds", () => {
    const g = graph(3, [[0, 1, 1]]);
    const t = eigenTrust(g, [0], { iterations: 1, pretrustWeightPpm: 250_000, maxRaterInfluencePpm: NO_CAP });
    expect([...t]).toEqual([TRUST_TOTAL / 4, (TRUST_TOTAL * 3) / 4, 0]);
    const uniform = eigenTrust(graph(4, []), [], {
      iterations: 5,
      pretrustWeightPpm: 150_000,
      maxRaterInfluencePpm: NO_CAP,
    });
    expect([...uniform]).toEqual([1, 1, 1, 1].map(() => TRUST_TOTAL / 4));
  });

  it("is bit-for-bit reproducible: same result on repeated runs, and the recorded checksum", () => {
    const g = randomGraph(2_000, 10_000, 42);
    const cfg = { iterations: 20, pretrustWeightPpm: 150_000, maxRaterInfluencePpm: 250_000 };
    const seeds = [0, 7, 99, 1_234];
    const a = eigenTrust(g, seeds, cfg);
    const b = eigenTrust(g, seeds, cfg);
    expect(Buffer.from(a.buffer).equals(Buffer.from(b.buffer))).toBe(true);
    expect(sum(a)).toBe(TRUST_TOTAL);
    for (const v of a) expect(Number.isInteger(v) && v >= 0).toBe(true);
    // Integers rendered in decimal: independent of the platform's byte order.
    const digest = createHash("sha256")
      .update([...a].join(","))
      .digest("hex");
    expect(digest).toMatchInlineSnapshot(
      `"b002bfe041fbcb2434053f28499922d9e6567cbe36b4d330ecaf54adfaaf9e08"`,
    );
  });
});

describe("owner share and scaling", () => {
  it("credits owners their share of their agents' trust and scales the average to 1_000_000", () => {
    const T = TRUST_TOTAL;
    const trust = Float64Array.from([T / 2, T / 2, 0]);
    // Node 1 is an agent of node 2; 20 % of its trust is credited to 2, 1 keeps its own.
    const f = withOwnerShare(trust, Int32Array.from([-1, 2, -1]), 200_000);
    expect([...f]).toEqual([T / 2, T / 2, Math.floor(T / 10)]);
    const scores = scaleScores(f);
    const total = BigInt(T / 2) * 2n + BigInt(Math.floor(T / 10));
    expect(scores).toEqual([
      (BigInt(T / 2) * 3_000_000n) / total,
      (BigInt(T / 2) * 3_000_000n) / total,
      (BigInt(Math.floor(T / 10)) * 3_000_000n) / total,
    ]);
    expect(scores[0]).toBe(1_363_636n);
    const average = scores.reduce((s, v) => s + v, 0n) / 3n;
    expect(average).toBeGreaterThanOrEqual(999_999n);
    expect(average).toBeLessThanOrEqual(1_000_000n);
    expect(scaleScores(Float64Array.from([0, 0]))).toEqual([0n, 0n]);
  });
});
