import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { sha256, toHex } from "../../crypto/hash.js";
import {
  decodeStateProof,
  encodeStateProof,
  type StateProof,
  stateProofFromJSON,
  stateProofToJSON,
  verifyStateProof,
} from "./proof.js";
import { AuthenticatedTree, EMPTY_ROOT } from "./tree.js";

const enc = new TextEncoder();
const k = (s: string | number): Uint8Array => enc.encode(`key-${s}`);
const v = (s: string | number): Uint8Array => enc.encode(`value-${s}`);

// 300 keys; the tree's default cache keeps every node, so no store is needed.
const tree = new AuthenticatedTree({ getNode: () => undefined });
const N = 300;
const root = tree.update(
  EMPTY_ROOT,
  Array.from({ length: N }, (_, i) => ({ key: k(i), value: v(i) })),
).root;

/** First absent key (searching from `from`) whose proof ends in another key's leaf, or in an empty slot. */
function absentKey(endsInLeaf: boolean, from = 0): Uint8Array {
  for (let i = from; ; i++) {
    const key = k(`absent-${i}`);
    if ((tree.prove(root, key).leaf !== null) === endsInLeaf) return key;
  }
}

function flip(b: Uint8Array, at = 0): Uint8Array {
  const c = Uint8Array.from(b); // a copy even for Buffers, whose slice() is a view
  c[at % c.length]! ^= 1;
  return c;
}

/** Variants of a valid proof that each break exactly one thing. */
function tampered(p: StateProof): StateProof[] {
  const out: StateProof[] = [];
  p.siblings.forEach((_, i) => {
    out.push({ ...p, siblings: p.siblings.map((s, j) => (i === j ? flip(s, i) : s)) });
  });
  out.push({ ...p, siblings: p.siblings.slice(1) });
  out.push({ ...p, siblings: p.siblings.slice(0, -1) });
  out.push({ ...p, siblings: [new Uint8Array(32), ...p.siblings] });
  out.push({ ...p, siblings: [...p.siblings, new Uint8Array(32)] });
  if (p.siblings.length >= 2)
    out.push({ ...p, siblings: [p.siblings[1]!, p.siblings[0]!, ...p.siblings.slice(2)] });
  out.push({ ...p, keyHash: flip(p.keyHash) });
  if (p.leaf !== null) {
    out.push({ ...p, leaf: { ...p.leaf, valueHash: flip(p.leaf.valueHash) } });
    out.push({ ...p, leaf: { ...p.leaf, keyHash: flip(p.leaf.keyHash, 31) } });
    out.push({ ...p, leaf: null });
  }
  return out;
}

describe("verifyStateProof", () => {
  it("membership proofs verify for every key, and only with the right value", () => {
    for (let i = 0; i < N; i++) {
      const p = tree.prove(root, k(i));
      expect(p.leaf).not.toBeNull();
      expect(verifyStateProof(root, k(i), v(i), p)).toBe(true);
      expect(verifyStateProof(root, k(i), v(i + 1), p)).toBe(false);
      expect(verifyStateProof(root, k(i), null, p)).toBe(false); // present key cannot be proven absent
      expect(verifyStateProof(root, k(i + 1), v(i + 1), p)).toBe(false); // proof is for another key
    }
  });

  it("non-membership via an empty slot verifies", () => {
    const key = absentKey(false);
    const p = tree.prove(root, key);
    expect(p.leaf).toBeNull();
    expect(p.siblings.length).toBeGreaterThan(0);
    expect(verifyStateProof(root, key, null, p)).toBe(true);
    expect(verifyStateProof(root, key, v(1), p)).toBe(false);
  });

  it("non-membership via another key's leaf verifies", () => {
    const key = absentKey(true);
    const p = tree.prove(root, key);
    expect(toHex(p.leaf!.keyHash)).not.toBe(toHex(sha256(key)));
    expect(verifyStateProof(root, key, null, p)).toBe(true);
    expect(verifyStateProof(root, key, v(1), p)).toBe(false);
  });

  it("a membership proof of key A is not an absence proof for key B", () => {
    // B's slot would be A's leaf only if B shares A's prefix; pick any other key and reuse A's proof.
    const p = tree.prove(root, k(7));
    const other = k("not-there");
    expect(verifyStateProof(root, other, null, { ...p, keyHash: sha256(other) })).toBe(false);
  });

  it("every single tampering breaks membership and non-membership proofs", () => {
    const cases: Array<[Uint8Array, Uint8Array | null]> = [
      [k(5), v(5)],
      [k(123), v(123)],
      [absentKey(false), null],
      [absentKey(true), null],
    ];
    for (const [key, value] of cases) {
      const p = tree.prove(root, key);
      expect(verifyStateProof(root, key, value, p)).toBe(true);
      for (const bad of tampered(p)) expect(verifyStateProof(root, key, value, bad)).toBe(false);
      expect(verifyStateProof(flip(root), key, value, p)).toBe(false);
    }
  });

  it("proofs are bound to their root version", () => {
    const next = tree.update(root, [{ key: k(1), value: v("changed") }]).root;
    expect(verifyStateProof(next, k(1), v(1), tree.prove(root, k(1)))).toBe(false);
    expect(verifyStateProof(next, k(1), v("changed"), tree.prove(next, k(1)))).toBe(true);
    // Another key's proof from the old root also fails: its path hashes include k(1)'s old leaf.
    expect(verifyStateProof(next, k(2), v(2), tree.prove(root, k(2)))).toBe(false);
  });

  it("empty tree and single-leaf tree", () => {
    expect(verifyStateProof(EMPTY_ROOT, k(1), null, tree.prove(EMPTY_ROOT, k(1)))).toBe(true);
    const one = tree.update(EMPTY_ROOT, [{ key: k(1), value: v(1) }]).root;
    const p = tree.prove(one, k(1));
    expect(p.siblings).toHaveLength(0);
    expect(verifyStateProof(one, k(1), v(1), p)).toBe(true);
    const absent = tree.prove(one, k(2));
    expect(absent.leaf).not.toBeNull(); // the lone leaf occupies every slot
    expect(verifyStateProof(one, k(2), null, absent)).toBe(true);
    expect(verifyStateProof(EMPTY_ROOT, k(2), null, absent)).toBe(false);
  });

  it("rejects wrong-sized fields and over-long proofs without throwing", () => {
    const p = tree.prove(root, k(3));
    expect(verifyStateProof(root.subarray(1), k(3), v(3), p)).toBe(false);
    expect(
      verifyStateProof(root, k(3), v(3), { ...p, siblings: [new Uint8Array(31), ...p.siblings.slice(1)] }),
    ).toBe(false);
    const long = Array.from({ length: 257 }, () => new Uint8Array(32));
    expect(verifyStateProof(root, k(3), v(3), { ...p, siblings: long })).toBe(false);
  });
});

describe("JSON form", () => {
  it("round-trips through JSON text and still verifies", () => {
    for (const [key, value] of [
      [k(9), v(9)],
      [absentKey(false), null],
      [absentKey(true), null],
    ] as Array<[Uint8Array, Uint8Array | null]>) {
      const p = tree.prove(root, key);
      const text = JSON.stringify(stateProofToJSON(p));
      const back = stateProofFromJSON(JSON.parse(text));
      expect(stateProofToJSON(back)).toEqual(stateProofToJSON(p));
      expect(verifyStateProof(root, key, value, back)).toBe(true);
    }
  });

  it("rejects malformed input with a clear Error, never a TypeError", () => {
    const good = stateProofToJSON(tree.prove(root, k(9)));
    const h = good.key_hash;
    const bad: unknown[] = [
      null,
      undefined,
      42,
      "proof",
      [],
      {},
      { ...good, key_hash: undefined },
      { ...good, key_hash: h.slice(2) },
      { ...good, key_hash: `zz${h.slice(2)}` },
      { ...good, key_hash: 7 },
      { ...good, extra: 1 },
      { ...good, leaf: undefined },
      { ...good, leaf: "x" },
      { ...good, leaf: [] },
      { ...good, leaf: { key_hash: h } },
      { ...good, leaf: { key_hash: h, value_hash: h, more: h } },
      { ...good, leaf: { key_hash: h, value_hash: null } },
      { ...good, siblings: null },
      { ...good, siblings: h },
      { ...good, siblings: [h, 5] },
      { ...good, siblings: [h, `${h}00`] },
      { ...good, siblings: Array(257).fill(h) },
    ];
    for (const b of bad) {
      let err: unknown;
      try {
        stateProofFromJSON(b);
      } catch (e) {
        err = e;
      }
      expect(err, JSON.stringify(b)?.slice(0, 80)).toBeInstanceOf(Error);
      expect(err).not.toBeInstanceOf(TypeError);
      expect((err as Error).message).toMatch(/^invalid state proof/);
    }
  });

  it("accepts upper-case hex", () => {
    const good = stateProofToJSON(tree.prove(root, k(9)));
    const upper = { ...good, key_hash: good.key_hash.toUpperCase() };
    expect(verifyStateProof(root, k(9), v(9), stateProofFromJSON(upper))).toBe(true);
  });
});

describe("binary form", () => {
  // Two keys sharing a long prefix produce a proof with many empty siblings.
  const chainTree = new AuthenticatedTree({ getNode: () => undefined });
  const chainRoot = chainTree.update(EMPTY_ROOT, [
    { key: k(1), value: v(1) },
    { key: k(2), value: v(2) },
    { key: k(3), value: v(3) },
  ]).root;

  it("round-trips exactly and verifies", () => {
    const proofs: Array<[Uint8Array, StateProof, Uint8Array, Uint8Array | null]> = [
      [root, tree.prove(root, k(0)), k(0), v(0)],
      [root, tree.prove(root, absentKey(false)), absentKey(false), null],
      [root, tree.prove(root, absentKey(true)), absentKey(true), null],
      [EMPTY_ROOT, tree.prove(EMPTY_ROOT, k(0)), k(0), null],
      [chainRoot, chainTree.prove(chainRoot, k(2)), k(2), v(2)],
    ];
    for (const [r, p, key, value] of proofs) {
      const bytes = encodeStateProof(p);
      const back = decodeStateProof(bytes);
      expect(stateProofToJSON(back)).toEqual(stateProofToJSON(p));
      expect(toHex(encodeStateProof(back))).toBe(toHex(bytes));
      expect(verifyStateProof(r, key, value, back)).toBe(true);
    }
  });

  it("spends one bit, not 32 bytes, on an empty sibling", () => {
    const n = 20;
    const p: StateProof = {
      keyHash: sha256(k(1)),
      leaf: null,
      siblings: Array.from({ length: n }, () => new Uint8Array(32)),
    };
    expect(encodeStateProof(p)).toHaveLength(1 + 32 + 2 + Math.ceil(n / 8));
    const withLeaf = {
      ...p,
      leaf: { keyHash: sha256(k(2)), valueHash: sha256(v(2)) },
      siblings: [sha256(k(3))],
    };
    expect(encodeStateProof(withLeaf)).toHaveLength(1 + 32 + 64 + 2 + 1 + 32);
  });

  it("rejects non-canonical or corrupt encodings", () => {
    const good = encodeStateProof(tree.prove(root, k(0))); // has a leaf and some siblings
    const noLeaf = encodeStateProof({ keyHash: sha256(k(1)), leaf: null, siblings: [sha256(k(2))] });
    const cases: Array<[Uint8Array, RegExp]> = [
      [new Uint8Array(0), /truncated/],
      [good.slice(0, -1), /truncated/],
      [new Uint8Array([...good, 0]), /trailing/],
      [new Uint8Array([0x02, ...good.slice(1)]), /flags/],
    ];
    // count = 257
    const big = noLeaf.slice();
    big[33] = 0x01;
    big[34] = 0x01;
    cases.push([big, /siblings \(max 256\)/]);
    // An unused bitmap bit set (count 1, bitmap 0b11000000).
    const unused = noLeaf.slice();
    unused[35] = 0xc0;
    cases.push([new Uint8Array([...unused, ...sha256(k(3))]), /unused bitmap bits/]);
    // A present sibling that is all zeros should have been a bitmap 0.
    const zeroSib = noLeaf.slice();
    zeroSib.fill(0, 36);
    cases.push([zeroSib, /marked present but empty/]);
    for (const [bytes, msg] of cases) expect(() => decodeStateProof(bytes)).toThrow(msg);
  });

  it("decoding arbitrary bytes either succeeds canonically or throws a plain Error", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (bytes) => {
        let decoded: StateProof;
        try {
          decoded = decodeStateProof(bytes);
        } catch (e) {
          expect(e).toBeInstanceOf(Error);
          expect((e as Error).message).toMatch(/^invalid state proof encoding/);
          return;
        }
        expect(toHex(encodeStateProof(decoded))).toBe(toHex(bytes));
      }),
      { numRuns: 2000 },
    );
  });

  it("refuses to encode more than 256 siblings", () => {
    const p: StateProof = { keyHash: sha256(k(1)), leaf: null, siblings: Array(257).fill(sha256(k(2))) };
    expect(() => encodeStateProof(p)).toThrow(/256/);
  });
});
