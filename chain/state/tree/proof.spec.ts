import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { sha256, toHex } from "../../crypto/hash.js";
import {
  decodeStateProof,
  encodeStateProof,
  type ProofLevel,
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

// --- The proof format written out independently of node.ts / proof.ts ------------------------

/** Nibble `depth` of a 32-byte path, most significant first (past the end: 0, for over-long proofs). */
const nibble = (path: Uint8Array, depth: number): number => {
  const byte = path[depth >>> 1] ?? 0;
  return depth & 1 ? byte & 0x0f : byte >>> 4;
};
/** Bitmap bit of child slot n: bit 15 - n. */
const bit = (n: number): number => 0x8000 >>> n;
const popcount = (x: number): number => {
  let c = 0;
  for (; x !== 0; x &= x - 1) c++;
  return c;
};
const cat = (...parts: ArrayLike<number>[]): Uint8Array =>
  Uint8Array.from(parts.flatMap((p) => Array.from(p)));
const ZERO = new Uint8Array(32);

/**
 * The root a proof leads to, by the documented encoding (leaf 0x00|keyHash|valueHash, internal
 * 0x01|bitmap BE|children in nibble order, flat sha256), putting the running hash into the key's
 * own slot at each level. Only meaningful for well-shaped proofs.
 */
function modelRoot(p: StateProof): Uint8Array {
  let node: Uint8Array | null = p.leaf === null ? null : sha256(cat([0], p.leaf.keyHash, p.leaf.valueHash));
  p.levels.forEach((l, i) => {
    const own = nibble(p.keyHash, p.levels.length - 1 - i);
    let bitmap = 0;
    let next = 0;
    const children: Uint8Array[] = [];
    for (let n = 0; n < 16; n++) {
      if (n === own && node !== null) children.push(node);
      else if ((l.bitmap & bit(n)) !== 0) children.push(l.siblings[next++]!);
      else continue;
      bitmap |= bit(n);
    }
    node = sha256(cat([1, bitmap >>> 8, bitmap & 0xff], ...children));
  });
  return node ?? ZERO;
}

/** A proof of `depth` levels (one sibling each) for `key`, and the root it leads to by the model. */
function deepProof(
  key: Uint8Array,
  value: Uint8Array | null,
  depth: number,
): { root: Uint8Array; proof: StateProof } {
  const keyHash = sha256(key);
  const levels: ProofLevel[] = [];
  for (let d = depth - 1; d >= 0; d--) {
    levels.push({ bitmap: bit((nibble(keyHash, d) + 1) % 16), siblings: [sha256(enc.encode(`deep-${d}`))] });
  }
  const proof: StateProof = {
    keyHash,
    leaf: value === null ? null : { keyHash, valueHash: sha256(value) },
    levels,
  };
  return { root: modelRoot(proof), proof };
}

/** Exact expected size of the binary form. */
const encodedSize = (p: StateProof): number =>
  1 + 32 + (p.leaf === null ? 0 : 64) + 1 + p.levels.reduce((s, l) => s + 2 + 32 * popcount(l.bitmap), 0);

// --- Fixtures ----------------------------------------------------------------------------------

/** First key `make(i)` (i = 0, 1, …) that satisfies `ok`. */
function findKey(make: (i: number) => Uint8Array, ok: (key: Uint8Array) => boolean): Uint8Array {
  for (let i = 0; i < 1_000_000; i++) {
    const key = make(i);
    if (ok(key)) return key;
  }
  throw new Error("no such key");
}

/** First absent key (searching from `from`) whose proof ends in another key's leaf, or in an empty slot. */
function absentKey(endsInLeaf: boolean, from = 0): Uint8Array {
  return findKey(
    (i) => k(`absent-${i + from}`),
    (key) => (tree.prove(root, key).leaf !== null) === endsInLeaf,
  );
}

/**
 * A tree where two keys share their first 4 nibbles: their proofs carry levels with no siblings
 * (bitmap 0), the hexary counterpart of the old "long run of empty siblings".
 */
const [twinA, twinB] = ((): [Uint8Array, Uint8Array] => {
  const seen = new Map<number, Uint8Array>();
  for (let i = 0; ; i++) {
    const key = k(`twin-${i}`);
    const h = sha256(key);
    const prefix = (h[0]! << 8) | h[1]!;
    const other = seen.get(prefix);
    if (other !== undefined) return [other, key];
    seen.set(prefix, key);
  }
})();
const twinHash = sha256(twinA);
const lone = findKey(
  (i) => k(`lone-${i}`),
  (key) => nibble(sha256(key), 0) !== nibble(twinHash, 0),
);
const twinTree = new AuthenticatedTree({ getNode: () => undefined });
const twinRoot = twinTree.update(EMPTY_ROOT, [
  { key: twinA, value: v("a") },
  { key: twinB, value: v("b") },
  { key: lone, value: v("lone") },
]).root;
/** Absent, shares the twins' first nibble only: its slot is empty, beside a single-child node. */
const twinGap = findKey(
  (i) => k(`gap-${i}`),
  (key) => nibble(sha256(key), 0) === nibble(twinHash, 0) && nibble(sha256(key), 1) !== nibble(twinHash, 1),
);
/** Absent, shares the lone key's first nibble: its slot holds the lone leaf. */
const loneNeighbour = findKey(
  (i) => k(`near-${i}`),
  (key) => nibble(sha256(key), 0) === nibble(sha256(lone), 0),
);

function flip(b: Uint8Array, at = 0): Uint8Array {
  const c = Uint8Array.from(b); // a copy even for Buffers, whose slice() is a view
  c[at % c.length]! ^= 1;
  return c;
}

/** A level's 16 child slots (undefined = absent). */
function slotsOf(l: ProofLevel): Array<Uint8Array | undefined> {
  let next = 0;
  return Array.from({ length: 16 }, (_, n) => ((l.bitmap & bit(n)) !== 0 ? l.siblings[next++] : undefined));
}

/** The well-shaped level (bitmap and siblings agree) holding `slots`. */
function levelOf(slots: ReadonlyArray<Uint8Array | undefined>): ProofLevel {
  let bitmap = 0;
  const siblings: Uint8Array[] = [];
  slots.forEach((s, n) => {
    if (s === undefined) return;
    bitmap |= bit(n);
    siblings.push(s);
  });
  return { bitmap, siblings };
}

const withLevel = (p: StateProof, i: number, l: ProofLevel): StateProof => ({
  ...p,
  levels: p.levels.map((x, j) => (j === i ? l : x)),
});

const EXTRA = sha256(enc.encode("extra"));

/** Variants of a valid proof that each break exactly one thing, labelled for failure messages. */
function tampered(p: StateProof): Array<[string, StateProof]> {
  const out: Array<[string, StateProof]> = [];
  const add = (what: string, q: StateProof): void => {
    out.push([what, q]);
  };
  const n = p.levels.length;
  add("keyHash byte 0", { ...p, keyHash: flip(p.keyHash) });
  add("keyHash byte 31", { ...p, keyHash: flip(p.keyHash, 31) });

  p.levels.forEach((l, i) => {
    const own = nibble(p.keyHash, n - 1 - i);
    const slots = slotsOf(l);
    const at = `level ${i}`;
    const replaced = (j: number, s: Uint8Array): StateProof =>
      withLevel(p, i, { ...l, siblings: l.siblings.map((x, jj) => (jj === j ? s : x)) });
    l.siblings.forEach((s, j) => {
      for (let b = 0; b < 32; b++) add(`${at} sibling ${j} byte ${b}`, replaced(j, flip(s, b)));
      add(`${at} sibling ${j} zeroed`, replaced(j, ZERO));
    });
    if (l.siblings.length >= 2) {
      const swapped = [l.siblings[1]!, l.siblings[0]!, ...l.siblings.slice(2)];
      add(`${at} first siblings swapped`, withLevel(p, i, { ...l, siblings: swapped }));
    }
    // A bitmap bit flipped on its own (the count no longer matches, or the own slot is marked).
    for (let b = 0; b < 16; b++) {
      add(`${at} bitmap bit ${b} flipped`, withLevel(p, i, { ...l, bitmap: l.bitmap ^ (1 << b) }));
    }
    // Well-shaped changes: a sibling added, removed, or moved to another slot (incl. the key's own).
    for (let from = 0; from < 16; from++) {
      if (slots[from] === undefined) {
        const filled = slots.map((s, m) => (m === from ? EXTRA : s));
        add(`${at} slot ${from} filled`, withLevel(p, i, levelOf(filled)));
        continue;
      }
      const emptied = slots.map((s, m) => (m === from ? undefined : s));
      add(`${at} slot ${from} emptied`, withLevel(p, i, levelOf(emptied)));
      for (let to = 0; to < 16; to++) {
        if (slots[to] !== undefined) continue;
        const moved = slots.map((s, m) => (m === from ? undefined : m === to ? slots[from] : s));
        const label = `${at} slot ${from} moved to ${to}${to === own ? " (own)" : ""}`;
        add(label, withLevel(p, i, levelOf(moved)));
      }
    }
    add(`${at} dropped`, { ...p, levels: p.levels.filter((_, j) => j !== i) });
    add(`${at} duplicated`, { ...p, levels: [...p.levels.slice(0, i + 1), l, ...p.levels.slice(i + 1)] });
  });

  // Levels added at the bottom (a new deepest node) and at the top (a new root), with and without siblings.
  const bottomFree = (nibble(p.keyHash, n) + 1) % 16;
  add("level added at the bottom", {
    ...p,
    levels: [{ bitmap: bit(bottomFree), siblings: [EXTRA] }, ...p.levels],
  });
  add("empty level added at the bottom", { ...p, levels: [{ bitmap: 0, siblings: [] }, ...p.levels] });
  const topFree = (nibble(p.keyHash, 0) + 1) % 16;
  add("level added at the top", { ...p, levels: [...p.levels, { bitmap: bit(topFree), siblings: [EXTRA] }] });
  add("empty level added at the top", { ...p, levels: [...p.levels, { bitmap: 0, siblings: [] }] });

  if (p.leaf !== null) {
    add("leaf valueHash", { ...p, leaf: { ...p.leaf, valueHash: flip(p.leaf.valueHash) } });
    add("leaf keyHash byte 31", { ...p, leaf: { ...p.leaf, keyHash: flip(p.leaf.keyHash, 31) } });
    add("leaf keyHash byte 0", { ...p, leaf: { ...p.leaf, keyHash: flip(p.leaf.keyHash) } });
    add("leaf removed", { ...p, leaf: null });
  } else {
    // Another key's leaf sharing the whole prefix: a forged "its slot holds another key" claim.
    add("leaf added", { ...p, leaf: { keyHash: flip(p.keyHash, 31), valueHash: EXTRA } });
  }
  return out;
}

const json = (p: StateProof): string => JSON.stringify(stateProofToJSON(p));

describe("prover output", () => {
  it("follows the documented format: bitmap bit 15-n, own slot clear, siblings in nibble order", () => {
    const cases: Array<[Uint8Array, StateProof]> = [
      ...Array.from({ length: N }, (_, i): [Uint8Array, StateProof] => [root, tree.prove(root, k(i))]),
      [root, tree.prove(root, absentKey(false))],
      [root, tree.prove(root, absentKey(true))],
      ...[twinA, twinB, lone, twinGap, loneNeighbour].map((key): [Uint8Array, StateProof] => [
        twinRoot,
        twinTree.prove(twinRoot, key),
      ]),
    ];
    for (const [r, p] of cases) {
      expect(p.levels.length).toBeLessThanOrEqual(64);
      p.levels.forEach((l, i) => {
        expect(Number.isInteger(l.bitmap) && l.bitmap >= 0 && l.bitmap <= 0xffff).toBe(true);
        expect(l.bitmap & bit(nibble(p.keyHash, p.levels.length - 1 - i))).toBe(0);
        expect(l.siblings).toHaveLength(popcount(l.bitmap));
        for (const s of l.siblings) {
          expect(s).toHaveLength(32);
          expect(toHex(s)).not.toBe(toHex(ZERO));
        }
      });
      if (p.leaf !== null) {
        for (let d = 0; d < p.levels.length; d++) {
          expect(nibble(p.leaf.keyHash, d)).toBe(nibble(p.keyHash, d));
        }
      }
      expect(toHex(modelRoot(p))).toBe(toHex(r));
    }
    // A 300-key hexary tree is shallow: the root has all 16 children, leaves sit at depth 2-4.
    expect(tree.prove(root, k(0)).levels.at(-1)!.siblings).toHaveLength(15);
  });

  it("keys sharing a prefix give levels without siblings", () => {
    const p = twinTree.prove(twinRoot, twinA);
    expect(toHex(p.leaf!.keyHash)).toBe(toHex(twinHash));
    expect(p.levels.length).toBeGreaterThanOrEqual(5);
    expect(p.levels[0]!.bitmap).toBe(bit(nibble(sha256(twinB), p.levels.length - 1)));
    expect(p.levels.slice(1, -1).every((l) => l.bitmap === 0 && l.siblings.length === 0)).toBe(true);
    expect(p.levels.at(-1)!.bitmap).toBe(bit(nibble(sha256(lone), 0)));
  });
});

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
    for (const [r, key, p] of [
      [root, absentKey(false), tree.prove(root, absentKey(false))],
      // The empty slot's node has a single (internal) child.
      [twinRoot, twinGap, twinTree.prove(twinRoot, twinGap)],
    ] as Array<[Uint8Array, Uint8Array, StateProof]>) {
      expect(p.leaf).toBeNull();
      expect(p.levels.length).toBeGreaterThan(0);
      expect(verifyStateProof(r, key, null, p)).toBe(true);
      expect(verifyStateProof(r, key, v(1), p)).toBe(false);
    }
    expect(twinTree.prove(twinRoot, twinGap).levels[0]!.siblings).toHaveLength(1);
  });

  it("non-membership via another key's leaf verifies", () => {
    for (const [r, key, p] of [
      [root, absentKey(true), tree.prove(root, absentKey(true))],
      [twinRoot, loneNeighbour, twinTree.prove(twinRoot, loneNeighbour)],
    ] as Array<[Uint8Array, Uint8Array, StateProof]>) {
      expect(toHex(p.leaf!.keyHash)).not.toBe(toHex(sha256(key)));
      expect(verifyStateProof(r, key, null, p)).toBe(true);
      expect(verifyStateProof(r, key, v(1), p)).toBe(false);
    }
    expect(toHex(twinTree.prove(twinRoot, loneNeighbour).leaf!.keyHash)).toBe(toHex(sha256(lone)));
  });

  it("a membership proof of key A is not an absence proof for key B", () => {
    const p = tree.prove(root, k(7));
    // B must not live in A's slot (then A's leaf would legitimately prove B absent).
    const other = findKey(
      (i) => k(`not-there-${i}`),
      (key) => toHex(tree.prove(root, key).leaf?.keyHash ?? ZERO) !== toHex(p.keyHash),
    );
    expect(verifyStateProof(root, other, null, { ...p, keyHash: sha256(other) })).toBe(false);
    expect(verifyStateProof(root, other, null, p)).toBe(false);
    expect(verifyStateProof(root, other, v(7), p)).toBe(false);
  });

  it("every single tampering breaks membership and non-membership proofs", () => {
    const cases: Array<[Uint8Array, Uint8Array, Uint8Array | null, StateProof]> = [
      [root, k(5), v(5), tree.prove(root, k(5))],
      [root, k(123), v(123), tree.prove(root, k(123))],
      [root, absentKey(false), null, tree.prove(root, absentKey(false))],
      [root, absentKey(true), null, tree.prove(root, absentKey(true))],
      [twinRoot, twinA, v("a"), twinTree.prove(twinRoot, twinA)],
      [twinRoot, lone, v("lone"), twinTree.prove(twinRoot, lone)],
      [twinRoot, twinGap, null, twinTree.prove(twinRoot, twinGap)],
      [twinRoot, loneNeighbour, null, twinTree.prove(twinRoot, loneNeighbour)],
    ];
    let count = 0;
    for (const [r, key, value, p] of cases) {
      expect(verifyStateProof(r, key, value, p)).toBe(true);
      const original = json(p);
      for (const [what, bad] of tampered(p)) {
        expect(json(bad), what).not.toBe(original); // really a change
        expect(verifyStateProof(r, key, value, bad), what).toBe(false);
        count++;
      }
      expect(verifyStateProof(flip(r), key, value, p)).toBe(false);
      expect(verifyStateProof(flip(r, 31), key, value, p)).toBe(false);
    }
    expect(count).toBeGreaterThan(1000);
  });

  it("proofs are bound to their root version", () => {
    const next = tree.update(root, [{ key: k(1), value: v("changed") }]).root;
    expect(verifyStateProof(next, k(1), v(1), tree.prove(root, k(1)))).toBe(false);
    expect(verifyStateProof(next, k(1), v("changed"), tree.prove(next, k(1)))).toBe(true);
    // Another key's proof from the old root also fails: its path hashes include k(1)'s old leaf.
    expect(verifyStateProof(next, k(2), v(2), tree.prove(root, k(2)))).toBe(false);
    // An absence proof goes stale once the key is written.
    const gone = absentKey(false);
    const withIt = tree.update(root, [{ key: gone, value: v("new") }]).root;
    expect(verifyStateProof(withIt, gone, null, tree.prove(root, gone))).toBe(false);
    expect(verifyStateProof(withIt, gone, v("new"), tree.prove(withIt, gone))).toBe(true);
  });

  it("empty tree and single-leaf tree", () => {
    const none = tree.prove(EMPTY_ROOT, k(1));
    expect(none.leaf).toBeNull();
    expect(none.levels).toHaveLength(0);
    expect(verifyStateProof(EMPTY_ROOT, k(1), null, none)).toBe(true);
    expect(verifyStateProof(EMPTY_ROOT, k(1), v(1), none)).toBe(false);
    expect(verifyStateProof(root, k(1), null, none)).toBe(false);
    for (const [what, bad] of tampered(none)) {
      expect(verifyStateProof(EMPTY_ROOT, k(1), null, bad), what).toBe(false);
    }

    const one = tree.update(EMPTY_ROOT, [{ key: k(1), value: v(1) }]).root;
    expect(toHex(one)).toBe(toHex(sha256(cat([0], sha256(k(1)), sha256(v(1)))))); // the root is the leaf
    const p = tree.prove(one, k(1));
    expect(p.levels).toHaveLength(0);
    expect(verifyStateProof(one, k(1), v(1), p)).toBe(true);
    expect(verifyStateProof(one, k(1), v(2), p)).toBe(false);
    const absent = tree.prove(one, k(2));
    expect(absent.leaf).not.toBeNull(); // the lone leaf occupies every slot
    expect(absent.levels).toHaveLength(0);
    expect(verifyStateProof(one, k(2), null, absent)).toBe(true);
    expect(verifyStateProof(EMPTY_ROOT, k(2), null, absent)).toBe(false);
    for (const [what, bad] of tampered(absent)) {
      expect(verifyStateProof(one, k(2), null, bad), what).toBe(false);
    }
  });

  it("accepts 64 levels, the full key depth", () => {
    const { root: r, proof } = deepProof(k(1), v(1), 64);
    expect(verifyStateProof(r, k(1), v(1), proof)).toBe(true);
    const absent = deepProof(k(1), null, 64);
    expect(verifyStateProof(absent.root, k(1), null, absent.proof)).toBe(true);
  });

  it("rejects wrong-sized fields and over-long proofs without throwing", () => {
    const p = tree.prove(root, k(3));
    const key = k(3);
    const value = v(3);
    const l0 = p.levels[0]!;
    expect(l0.siblings.length).toBeGreaterThan(0);
    const firstSibling = (s: Uint8Array): StateProof =>
      withLevel(p, 0, { ...l0, siblings: [s, ...l0.siblings.slice(1)] });
    const bad: Array<[string, Uint8Array, StateProof]> = [
      ["short root", root.subarray(1), p],
      ["long root", cat(root, [0]), p],
      ["short keyHash", root, { ...p, keyHash: p.keyHash.subarray(1) }],
      ["long keyHash", root, { ...p, keyHash: cat(p.keyHash, [0]) }],
      ["short leaf keyHash", root, { ...p, leaf: { ...p.leaf!, keyHash: p.leaf!.keyHash.subarray(0, 31) } }],
      ["long leaf valueHash", root, { ...p, leaf: { ...p.leaf!, valueHash: cat(p.leaf!.valueHash, [0]) } }],
      ["short sibling", root, firstSibling(new Uint8Array(31))],
      ["long sibling", root, firstSibling(cat(l0.siblings[0]!, [0]))],
      ["non-integer bitmap", root, withLevel(p, 0, { ...l0, bitmap: l0.bitmap + 0.5 })],
      ["NaN bitmap", root, withLevel(p, 0, { ...l0, bitmap: Number.NaN })],
      ["negative bitmap", root, withLevel(p, 0, { ...l0, bitmap: -1 })],
      // 0x10000 | bitmap: the low 16 bits are right, and a bitmap check that masks would pass.
      ["17-bit bitmap", root, withLevel(p, 0, { ...l0, bitmap: 0x10000 | l0.bitmap })],
      ["one sibling too many", root, withLevel(p, 0, { ...l0, siblings: [...l0.siblings, EXTRA] })],
      ["one sibling too few", root, withLevel(p, 0, { ...l0, siblings: l0.siblings.slice(1) })],
      ["65 copies of a level", root, { ...p, levels: Array(65).fill(l0) }],
      ["1000 levels", root, { ...p, levels: Array(1000).fill({ bitmap: 0, siblings: [] }) }],
    ];
    // Over-long yet hash-consistent (the 65th level takes nibble 0): rejected for its length.
    const long = deepProof(key, value, 65);
    expect(toHex(modelRoot(long.proof))).toBe(toHex(long.root));
    bad.push(["65 consistent levels", long.root, long.proof]);
    for (const [what, r, q] of bad) {
      let ok: boolean | undefined;
      expect(() => {
        ok = verifyStateProof(r, key, value, q);
      }, what).not.toThrow();
      expect(ok, what).toBe(false);
    }
    expect(verifyStateProof(root, key, value, p)).toBe(true);
  });
});

describe("JSON form", () => {
  it("has the documented shape", () => {
    const p = tree.prove(root, k(9));
    const j = stateProofToJSON(p);
    expect(Object.keys(j).sort()).toEqual(["key_hash", "leaf", "levels"]);
    expect(j.key_hash).toBe(toHex(sha256(k(9))));
    expect(j.leaf).toEqual({ key_hash: toHex(sha256(k(9))), value_hash: toHex(sha256(v(9))) });
    expect(j.levels).toEqual(p.levels.map((l) => ({ bitmap: l.bitmap, siblings: l.siblings.map(toHex) })));
    expect(stateProofToJSON(tree.prove(root, absentKey(false))).leaf).toBeNull();
  });

  it("round-trips through JSON text and still verifies", () => {
    const deep = deepProof(k(1), v(1), 64);
    for (const [r, key, value, p] of [
      [root, k(9), v(9), tree.prove(root, k(9))],
      [root, absentKey(false), null, tree.prove(root, absentKey(false))],
      [root, absentKey(true), null, tree.prove(root, absentKey(true))],
      [twinRoot, twinA, v("a"), twinTree.prove(twinRoot, twinA)],
      [EMPTY_ROOT, k(0), null, tree.prove(EMPTY_ROOT, k(0))],
      [deep.root, k(1), v(1), deep.proof],
    ] as Array<[Uint8Array, Uint8Array, Uint8Array | null, StateProof]>) {
      const text = JSON.stringify(stateProofToJSON(p));
      const back = stateProofFromJSON(JSON.parse(text));
      expect(stateProofToJSON(back)).toEqual(stateProofToJSON(p));
      expect(verifyStateProof(r, key, value, back)).toBe(true);
    }
  });

  it("rejects malformed input with a clear Error naming the field, never a TypeError", () => {
    const good = stateProofToJSON(tree.prove(root, k(9)));
    expect(good.levels.length).toBeGreaterThanOrEqual(2);
    const h = good.key_hash;
    const lv = good.levels[0]!;
    const own = nibble(stateProofFromJSON(good).keyHash, good.levels.length - 1);
    const ownBit = bit(own);
    const otherBit = bit((own + 1) % 16);
    /** `good` with level `i` replaced. */
    const level = (l: unknown, i = 0): unknown => ({
      ...good,
      levels: good.levels.map((x, j) => (j === i ? l : x)),
    });
    const bad: Array<[unknown, string]> = [
      [null, "expected an object"],
      [undefined, "expected an object"],
      [42, "expected an object"],
      ["proof", "expected an object"],
      [[], "expected an object"],
      [{}, "key_hash"],
      [{ ...good, key_hash: undefined }, "key_hash"],
      [{ ...good, key_hash: h.slice(2) }, "key_hash"],
      [{ ...good, key_hash: `zz${h.slice(2)}` }, "key_hash"],
      [{ ...good, key_hash: 7 }, "key_hash"],
      [{ ...good, extra: 1 }, "extra"],
      // The old binary-tree format.
      [{ key_hash: h, leaf: null, siblings: [h] }, "siblings"],
      [{ ...good, leaf: undefined }, "leaf"],
      [{ ...good, leaf: "x" }, "leaf"],
      [{ ...good, leaf: [] }, "leaf"],
      [{ ...good, leaf: { key_hash: h } }, "leaf.value_hash"],
      [{ ...good, leaf: { key_hash: h, value_hash: h, more: h } }, "leaf.more"],
      [{ ...good, leaf: { key_hash: h, value_hash: null } }, "leaf.value_hash"],
      [{ ...good, leaf: { key_hash: 1, value_hash: h } }, "leaf.key_hash"],
      [{ ...good, levels: undefined }, "levels"],
      [{ ...good, levels: null }, "levels"],
      [{ ...good, levels: h }, "levels"],
      [{ ...good, levels: { 0: lv } }, "levels"],
      [{ ...good, levels: Array(65).fill({ bitmap: 0, siblings: [] }) }, "64 levels"],
      [level(null), "levels[0]"],
      [level([]), "levels[0]"],
      [level(5), "levels[0]"],
      [level({ ...lv, extra: 1 }), "levels[0].extra"],
      [level({ siblings: lv.siblings }), "levels[0].bitmap"],
      [level({ ...lv, bitmap: null }), "levels[0].bitmap"],
      [level({ ...lv, bitmap: String(lv.bitmap) }), "levels[0].bitmap"],
      [level({ ...lv, bitmap: lv.bitmap + 0.5 }), "levels[0].bitmap"],
      [level({ ...lv, bitmap: Number.NaN }), "levels[0].bitmap"],
      [level({ ...lv, bitmap: Number.POSITIVE_INFINITY }), "levels[0].bitmap"],
      [level({ bitmap: 0x10000, siblings: [] }), "levels[0].bitmap"],
      [level({ ...lv, bitmap: 0x10000 | lv.bitmap }), "levels[0].bitmap"],
      [level({ bitmap: -1, siblings: [] }), "levels[0].bitmap"],
      [level({ bitmap: lv.bitmap }), "levels[0].siblings"],
      [level({ ...lv, siblings: null }), "levels[0].siblings"],
      [level({ ...lv, siblings: h }), "levels[0].siblings"],
      [level({ ...lv, siblings: [...lv.siblings, h] }), "levels[0].siblings"],
      [level({ ...lv, siblings: lv.siblings.slice(1) }), "levels[0].siblings"],
      [level({ bitmap: 0, siblings: [h] }), "levels[0].siblings"],
      [level({ bitmap: 0x8000, siblings: [] }), "levels[0].siblings"],
      [level({ bitmap: 0x8000, siblings: [5] }), "levels[0].siblings[0]"],
      [level({ bitmap: 0xc000, siblings: [h, `${h}00`] }), "levels[0].siblings[1]"],
      [level({ bitmap: 0x8000, siblings: [`zz${h.slice(2)}`] }), "levels[0].siblings[0]"],
      [level({ bitmap: 0x8000, siblings: [h.slice(1)] }), "levels[0].siblings[0]"],
      [level({ ...lv, bitmap: -1 }, 1), "levels[1].bitmap"],
      // Well-formed on its own, impossible on this key's path: parsing refuses it too.
      [level({ bitmap: ownBit, siblings: [h] }), "levels[0]: bitmap marks the key's own slot"],
      [level({ bitmap: otherBit, siblings: ["00".repeat(32)] }), "levels[0]: a present sibling is empty"],
    ];
    for (const [b, field] of bad) {
      const what = JSON.stringify(b)?.slice(0, 100) ?? String(b);
      let err: unknown;
      try {
        stateProofFromJSON(b);
      } catch (e) {
        err = e;
      }
      expect(err, what).toBeInstanceOf(Error);
      expect(err, what).not.toBeInstanceOf(TypeError);
      expect((err as Error).message, what).toMatch(/^invalid state proof: /);
      expect((err as Error).message, what).toContain(field);
    }
    // Sanity: the template itself parses.
    expect(json(stateProofFromJSON(good))).toBe(JSON.stringify(good));
  });

  it("accepts upper-case hex", () => {
    for (const [key, value] of [
      [k(9), v(9)],
      [absentKey(true), null],
    ] as Array<[Uint8Array, Uint8Array | null]>) {
      const good = stateProofToJSON(tree.prove(root, key));
      const upper = {
        key_hash: good.key_hash.toUpperCase(),
        leaf: good.leaf && {
          key_hash: good.leaf.key_hash.toUpperCase(),
          value_hash: good.leaf.value_hash.toUpperCase(),
        },
        levels: good.levels.map((l) => ({
          bitmap: l.bitmap,
          siblings: l.siblings.map((s) => s.toUpperCase()),
        })),
      };
      expect(JSON.stringify(upper)).not.toBe(JSON.stringify(good));
      const back = stateProofFromJSON(upper);
      expect(stateProofToJSON(back)).toEqual(good);
      expect(verifyStateProof(root, key, value, back)).toBe(true);
    }
  });
});

describe("binary form", () => {
  it("lays out bytes as documented", () => {
    const keyHash = new Uint8Array(32).fill(0x5a); // own nibble 5 at even depths, 0xa at odd ones
    const a = sha256(enc.encode("a"));
    const b = sha256(enc.encode("b"));
    const leaf = { keyHash: flip(keyHash, 31), valueHash: EXTRA };
    const p: StateProof = {
      keyHash,
      leaf,
      levels: [
        { bitmap: bit(0) | bit(15), siblings: [a, b] }, // bottom: depth 1
        { bitmap: 0, siblings: [] }, // depth 0
      ],
    };
    const want = cat([1], keyHash, leaf.keyHash, leaf.valueHash, [2], [0x80, 0x01], a, b, [0, 0]);
    expect(toHex(encodeStateProof(p))).toBe(toHex(want));
    expect(json(decodeStateProof(want))).toBe(json(p));
    const noLeaf = { ...p, leaf: null };
    expect(toHex(encodeStateProof(noLeaf))).toBe(toHex(cat([0], keyHash, [2], [0x80, 0x01], a, b, [0, 0])));
  });

  it("round-trips exactly and verifies", () => {
    const one = tree.update(EMPTY_ROOT, [{ key: k(1), value: v(1) }]).root;
    const deep = deepProof(k(1), v(1), 64);
    const proofs: Array<[Uint8Array, StateProof, Uint8Array, Uint8Array | null]> = [
      [root, tree.prove(root, k(0)), k(0), v(0)],
      [root, tree.prove(root, absentKey(false)), absentKey(false), null],
      [root, tree.prove(root, absentKey(true)), absentKey(true), null],
      [EMPTY_ROOT, tree.prove(EMPTY_ROOT, k(0)), k(0), null],
      [one, tree.prove(one, k(1)), k(1), v(1)],
      [one, tree.prove(one, k(2)), k(2), null],
      [twinRoot, twinTree.prove(twinRoot, twinB), twinB, v("b")],
      [twinRoot, twinTree.prove(twinRoot, twinGap), twinGap, null],
      [deep.root, deep.proof, k(1), v(1)],
    ];
    for (const [r, p, key, value] of proofs) {
      const bytes = encodeStateProof(p);
      const back = decodeStateProof(bytes);
      expect(stateProofToJSON(back)).toEqual(stateProofToJSON(p));
      expect(toHex(encodeStateProof(back))).toBe(toHex(bytes));
      expect(verifyStateProof(r, key, value, back)).toBe(true);
    }
  });

  it("spends 2 bytes per level plus 32 per present sibling", () => {
    const proofs: StateProof[] = [
      ...Array.from({ length: N }, (_, i) => tree.prove(root, k(i))),
      tree.prove(root, absentKey(false)),
      tree.prove(root, absentKey(true)),
      tree.prove(EMPTY_ROOT, k(0)),
      ...[twinA, twinB, lone, twinGap, loneNeighbour].map((key) => twinTree.prove(twinRoot, key)),
      deepProof(k(1), v(1), 64).proof,
    ];
    const seen = new Set<string>();
    for (const p of proofs) {
      expect(encodeStateProof(p)).toHaveLength(encodedSize(p));
      seen.add(p.leaf === null ? "no leaf" : "leaf");
      for (const l of p.levels) seen.add(`siblings ${popcount(l.bitmap)}`);
    }
    // The formula was exercised on both proof kinds and on empty, sparse and full levels.
    for (const s of ["leaf", "no leaf", "siblings 0", "siblings 1", "siblings 15"]) expect(seen).toContain(s);
    // An empty level costs only its bitmap.
    const twin = twinTree.prove(twinRoot, twinA);
    expect(encodeStateProof(twin)).toHaveLength(1 + 32 + 64 + 1 + twin.levels.length * 2 + 32 * 2);
  });

  it("rejects non-canonical or corrupt encodings", () => {
    const good = encodeStateProof(tree.prove(root, k(0))); // has a leaf and some siblings
    // One level (depth 0) whose only sibling is beside the key's own slot.
    const keyHash = sha256(k(1));
    const own = nibble(keyHash, 0);
    const other = (own + 1) % 16;
    const noLeaf = encodeStateProof({
      keyHash,
      leaf: null,
      levels: [{ bitmap: bit(other), siblings: [sha256(k(2))] }],
    });
    expect(noLeaf).toHaveLength(1 + 32 + 1 + 2 + 32);
    expect(decodeStateProof(noLeaf).levels).toHaveLength(1);
    const patched = (at: number, bytes: number[]): Uint8Array => {
      const c = noLeaf.slice();
      c.set(bytes, at);
      return c;
    };
    const be16 = (x: number): number[] => [x >>> 8, x & 0xff];
    const cases: Array<[string, Uint8Array, RegExp]> = [
      ["empty", new Uint8Array(0), /truncated/],
      ["trailing byte", new Uint8Array([...good, 0]), /1 trailing bytes/],
      ["trailing hash", cat(noLeaf, EXTRA), /32 trailing bytes/],
      ["flags 0x02", new Uint8Array([0x02, ...good.slice(1)]), /unknown flags/],
      ["flags 0x03", new Uint8Array([0x03, ...good.slice(1)]), /unknown flags/],
      ["flags 0x80", new Uint8Array([0x80, ...noLeaf.slice(1)]), /unknown flags/],
      ["leaf flag without a leaf", patched(0, [0x01]), /truncated/],
      ["count 65", patched(33, [65]), /65 levels \(max 64\)/],
      ["count 255", patched(33, [255]), /255 levels \(max 64\)/],
      ["count too high", patched(33, [2]), /truncated/],
      ["count too low", patched(33, [0]), /34 trailing bytes/],
      ["bitmap claims two siblings", patched(34, be16(bit(other) | bit((own + 2) % 16))), /truncated/],
      ["own slot set instead", patched(34, be16(bit(own))), /level 0: .*own slot/],
      ["own slot set as well", cat(patched(34, be16(bit(own) | bit(other))), EXTRA), /level 0: .*own slot/],
      ["empty present sibling", cat(noLeaf.subarray(0, 36), ZERO), /level 0: .*present sibling is empty/],
    ];
    // Every proper prefix is truncated.
    for (let cut = 0; cut < good.length; cut++) {
      cases.push([`prefix ${cut}`, good.subarray(0, cut), /truncated/]);
    }
    for (const [what, bytes, msg] of cases) expect(() => decodeStateProof(bytes), what).toThrow(msg);

    // The own slot is the key's nibble at each level's depth, counted bottom-up.
    const kh = new Uint8Array(32).fill(0x5a); // nibble 5 at depth 0, 0xa at depth 1
    const two = (bottom: number, top: number): Uint8Array =>
      encodeStateProof({
        keyHash: kh,
        leaf: null,
        levels: [
          { bitmap: bit(bottom), siblings: [EXTRA] },
          { bitmap: bit(top), siblings: [EXTRA] },
        ],
      });
    expect(decodeStateProof(two(5, 0xa)).levels).toHaveLength(2);
    expect(() => decodeStateProof(two(0xa, 0xa))).toThrow(/level 0: .*own slot/);
    expect(() => decodeStateProof(two(5, 5))).toThrow(/level 1: .*own slot/);
  });

  it("decoding arbitrary bytes either succeeds canonically or throws a plain Error", () => {
    const check = (bytes: Uint8Array): boolean => {
      let decoded: StateProof;
      try {
        decoded = decodeStateProof(bytes);
      } catch (e) {
        expect(e).toBeInstanceOf(Error);
        expect((e as Error).constructor).toBe(Error);
        expect((e as Error).message).toMatch(/^invalid state proof encoding: /);
        return false;
      }
      expect(toHex(encodeStateProof(decoded))).toBe(toHex(bytes));
      return true;
    };
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (bytes) => {
        check(bytes);
      }),
      { numRuns: 2000 },
    );

    // Random bytes seldom get past the flags; also try near-valid encodings, mutated.
    const outcomes = { ok: 0, rejected: 0 };
    const nearValid = fc
      .record({
        keyHash: fc.uint8Array({ minLength: 32, maxLength: 32 }),
        leaf: fc.option(fc.uint8Array({ minLength: 64, maxLength: 64 })),
        levels: fc.array(
          fc.record({
            bitmap: fc.integer({ min: 0, max: 0xffff }),
            clearOwn: fc.boolean(),
            zeroSibling: fc.integer({ min: 0, max: 20 }),
          }),
          { maxLength: 5 },
        ),
      })
      .map(({ keyHash, leaf, levels }) => {
        const parts: ArrayLike<number>[] = [[leaf === null ? 0 : 1], keyHash, leaf ?? [], [levels.length]];
        levels.forEach((l, i) => {
          const own = bit(nibble(keyHash, levels.length - 1 - i));
          const bitmap = l.clearOwn ? l.bitmap & ~own : l.bitmap | own;
          parts.push([bitmap >>> 8, bitmap & 0xff]);
          for (let j = 0; j < popcount(bitmap); j++) {
            parts.push(j === l.zeroSibling ? ZERO : sha256(cat([i, j], keyHash)));
          }
        });
        return cat(...parts);
      });
    const mutated = fc.tuple(
      nearValid,
      fc.oneof(
        fc.constant({ kind: "none" as const, at: 0, x: 0 }),
        fc.record({ kind: fc.constant("xor" as const), at: fc.nat(), x: fc.integer({ min: 1, max: 255 }) }),
        fc.record({ kind: fc.constant("cut" as const), at: fc.nat(), x: fc.constant(0) }),
        fc.record({
          kind: fc.constant("append" as const),
          at: fc.constant(0),
          x: fc.integer({ min: 0, max: 255 }),
        }),
      ),
    );
    fc.assert(
      fc.property(mutated, ([bytes, m]) => {
        let b = bytes;
        if (m.kind === "xor") {
          b = bytes.slice();
          b[m.at % b.length]! ^= m.x;
        } else if (m.kind === "cut") b = bytes.subarray(0, m.at % bytes.length);
        else if (m.kind === "append") b = cat(bytes, [m.x]);
        if (check(b)) outcomes.ok++;
        else outcomes.rejected++;
      }),
      { numRuns: 2000 },
    );
    // Both paths were really exercised.
    expect(outcomes.ok).toBeGreaterThan(100);
    expect(outcomes.rejected).toBeGreaterThan(100);
  });

  it("refuses to encode a level that cannot be on the key's path", () => {
    const p = tree.prove(root, k(9));
    const own = nibble(p.keyHash, p.levels.length - 1);
    const withOwn = { ...p, levels: [{ bitmap: bit(own), siblings: [EXTRA] }, ...p.levels.slice(1)] };
    expect(() => encodeStateProof(withOwn)).toThrow(/level 0: .*own slot/);
    const miscounted = {
      ...p,
      levels: [{ bitmap: bit((own + 1) % 16), siblings: [] }, ...p.levels.slice(1)],
    };
    expect(() => encodeStateProof(miscounted)).toThrow(/level 0: .*count/);
  });

  it("refuses to encode more than 64 levels", () => {
    const p = deepProof(k(1), null, 65).proof;
    expect(() => encodeStateProof(p)).toThrow(/64/);
    const empties = Array(65).fill({ bitmap: 0, siblings: [] });
    expect(() => encodeStateProof({ ...p, levels: empties })).toThrow(/64/);
    const max = deepProof(k(1), null, 64);
    const bytes = encodeStateProof(max.proof);
    expect(bytes[33]).toBe(64);
    expect(verifyStateProof(max.root, k(1), null, decodeStateProof(bytes))).toBe(true);
  });
});
