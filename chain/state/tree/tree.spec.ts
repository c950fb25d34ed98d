import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { sha256, toHex } from "../../crypto/hash.js";
import { EMPTY_HASH, internalHash, leafHash, nibbleAt, RADIX, slotBit } from "./node.js";
import { verifyStateProof } from "./proof.js";
import {
  AuthenticatedTree,
  EMPTY_ROOT,
  type NodeReader,
  type TreeUpdateResult,
  type TreeWrite,
} from "./tree.js";

const enc = new TextEncoder();
const k = (s: string | number): Uint8Array => enc.encode(`key-${s}`);
const v = (s: string | number): Uint8Array => enc.encode(`value-${s}`);
const put = (key: Uint8Array, value: Uint8Array): TreeWrite => ({ key, value });
const del = (key: Uint8Array): TreeWrite => ({ key, value: null });

/** A persistent node store; `cacheNodes: 1` makes the tree read almost everything back from it. */
class MemStore implements NodeReader {
  readonly nodes = new Map<string, Uint8Array>();
  reads = 0;
  getNode(hash: Uint8Array): Uint8Array | undefined {
    this.reads++;
    return this.nodes.get(toHex(hash));
  }
  persist(r: TreeUpdateResult): Uint8Array {
    for (const [h, e] of r.nodes) this.nodes.set(toHex(h), e);
    return r.root;
  }
}

function fresh(cacheNodes = 1): { store: MemStore; tree: AuthenticatedTree } {
  const store = new MemStore();
  return { store, tree: new AuthenticatedTree(store, { cacheNodes }) };
}

/** Root of a key/value set built in one batch in a throwaway tree. */
function rootOf(entries: Iterable<[Uint8Array, Uint8Array]>): Uint8Array {
  const writes = [...entries].map(([key, value]) => put(key, value));
  return new AuthenticatedTree({ getNode: () => undefined }).update(EMPTY_ROOT, writes).root;
}

/** The first `n` nibbles of sha256(key), to pick keys with known path relations. */
function pathNibbles(key: Uint8Array, n: number): number[] {
  const h = sha256(key);
  return Array.from({ length: n }, (_, d) => nibbleAt(h, d));
}

/** Two keys whose paths share exactly `prefix` leading nibbles. */
function keysSharing(prefix: number): [Uint8Array, Uint8Array] {
  const a = k("anchor");
  const want = pathNibbles(a, prefix + 1);
  for (let i = 0; ; i++) {
    const got = pathNibbles(k(i), prefix + 1);
    if (got.slice(0, prefix).every((x, d) => x === want[d]) && got[prefix] !== want[prefix]) return [a, k(i)];
  }
}

/**
 * The root by the definition, independently of AuthenticatedTree: no leaves = empty, one leaf =
 * that leaf, otherwise an internal node over the 16 nibble groups, hashed flat.
 */
function specRoot(entries: ReadonlyArray<[Uint8Array, Uint8Array]>, depth = 0): Uint8Array {
  if (entries.length === 0) return EMPTY_HASH;
  if (entries.length === 1) return leafHash(sha256(entries[0]![0]), sha256(entries[0]![1]));
  let bitmap = 0;
  const children: Uint8Array[] = [];
  for (let n = 0; n < RADIX; n++) {
    const group = entries.filter(([key]) => nibbleAt(sha256(key), depth) === n);
    if (group.length === 0) continue;
    bitmap |= slotBit(n);
    children.push(specRoot(group, depth + 1));
  }
  return internalHash(bitmap, children);
}

describe("AuthenticatedTree basics", () => {
  it("empty tree has the zero root, no nodes, and absent keys", () => {
    const { tree } = fresh();
    const r = tree.update(EMPTY_ROOT, []);
    expect(toHex(r.root)).toBe("00".repeat(32));
    expect(r.nodes).toHaveLength(0);
    expect(tree.get(EMPTY_ROOT, k(1))).toBeUndefined();
    const p = tree.prove(EMPTY_ROOT, k(1));
    expect(p.leaf).toBeNull();
    expect(p.levels).toHaveLength(0);
    expect(verifyStateProof(EMPTY_ROOT, k(1), null, p)).toBe(true);
    // Deleting from the empty tree changes nothing.
    expect(toHex(tree.update(EMPTY_ROOT, [del(k(1))]).root)).toBe(toHex(EMPTY_ROOT));
  });

  it("a single key's root is its leaf hash", () => {
    const { tree } = fresh();
    const r = tree.update(EMPTY_ROOT, [put(k(1), v(1))]);
    expect(toHex(r.root)).toBe(toHex(leafHash(sha256(k(1)), sha256(v(1)))));
    expect(r.nodes).toHaveLength(1);
    expect(toHex(tree.get(r.root, k(1))!.valueHash)).toBe(toHex(sha256(v(1))));
  });

  it("two keys that diverge at nibble 0 sit under one internal node", () => {
    const [a, b] = keysSharing(0);
    const la = leafHash(sha256(a), sha256(v("a")));
    const lb = leafHash(sha256(b), sha256(v("b")));
    const [na, nb] = [pathNibbles(a, 1)[0]!, pathNibbles(b, 1)[0]!];
    const ordered = na < nb ? [la, lb] : [lb, la];
    expect(
      toHex(
        rootOf([
          [a, v("a")],
          [b, v("b")],
        ]),
      ),
    ).toBe(toHex(internalHash(slotBit(na) | slotBit(nb), ordered)));
  });

  it("keys sharing a 2-nibble prefix hang below a chain of 2 single-child internal nodes", () => {
    const [a, b] = keysSharing(2);
    const la = leafHash(sha256(a), sha256(v("a")));
    const lb = leafHash(sha256(b), sha256(v("b")));
    const na = pathNibbles(a, 3);
    const nb = pathNibbles(b, 3)[2]!;
    let node = internalHash(slotBit(na[2]!) | slotBit(nb), na[2]! < nb ? [la, lb] : [lb, la]);
    for (let d = 1; d >= 0; d--) node = internalHash(slotBit(na[d]!), [node]);
    const { store, tree } = fresh();
    const r = tree.update(EMPTY_ROOT, [put(a, v("a")), put(b, v("b"))]);
    expect(toHex(r.root)).toBe(toHex(node));
    expect(r.nodes).toHaveLength(2 + 3); // two leaves, three internal nodes
    store.persist(r);
    const levels = tree.prove(r.root, a).levels;
    expect(levels.map((l) => l.bitmap)).toEqual([slotBit(nb), 0, 0]);
    expect(levels.map((l) => l.siblings.map(toHex))).toEqual([[toHex(lb)], [], []]);
  });

  it("the root is the definition's root (leaf, empty, flat 16-ary internal nodes)", () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.tuple(fc.uint8Array({ maxLength: 10 }), fc.uint8Array({ maxLength: 6 })), {
          selector: ([key]) => toHex(key),
          maxLength: 300,
        }),
        (set) => {
          expect(toHex(rootOf(set))).toBe(toHex(specRoot(set)));
        },
      ),
      { numRuns: 100 },
    );
  });

  it("updates a value and keeps the old version readable", () => {
    const { store, tree } = fresh();
    const r1 = store.persist(tree.update(EMPTY_ROOT, [put(k(1), v(1)), put(k(2), v(2))]));
    const r2 = store.persist(tree.update(r1, [put(k(1), v("new"))]));
    expect(toHex(r2)).not.toBe(toHex(r1));
    expect(toHex(tree.get(r2, k(1))!.valueHash)).toBe(toHex(sha256(v("new"))));
    expect(toHex(tree.get(r1, k(1))!.valueHash)).toBe(toHex(sha256(v(1))));
    expect(toHex(tree.get(r2, k(2))!.valueHash)).toBe(toHex(sha256(v(2))));
  });

  it("an empty value is a value, not a delete", () => {
    const { tree } = fresh();
    const r = tree.update(EMPTY_ROOT, [put(k(1), new Uint8Array(0))]);
    expect(toHex(r.root)).not.toBe(toHex(EMPTY_ROOT));
    expect(tree.get(r.root, k(1))).toBeDefined();
  });

  it("delete collapses a lone leaf back up to the top", () => {
    for (const shared of [0, 1, 3]) {
      const [a, b] = keysSharing(shared);
      const { store, tree } = fresh();
      const both = store.persist(tree.update(EMPTY_ROOT, [put(a, v("a")), put(b, v("b"))]));
      const r = tree.update(both, [del(b)]);
      expect(toHex(r.root)).toBe(toHex(leafHash(sha256(a), sha256(v("a")))));
      expect(r.nodes).toHaveLength(0); // the surviving leaf moves up unchanged
      expect(toHex(tree.update(r.root, [del(a)]).root)).toBe(toHex(EMPTY_ROOT));
    }
  });

  it("deleting a missing key or rewriting an equal value is a no-op with no new nodes", () => {
    const { store, tree } = fresh();
    const r1 = store.persist(
      tree.update(
        EMPTY_ROOT,
        [1, 2, 3, 4, 5].map((i) => put(k(i), v(i))),
      ),
    );
    const r2 = tree.update(r1, [del(k(99)), del(k(100)), put(k(3), v(3))]);
    expect(toHex(r2.root)).toBe(toHex(r1));
    expect(r2.nodes).toHaveLength(0);
  });

  it("last write wins for duplicate keys in a batch", () => {
    const { tree } = fresh();
    const a = tree.update(EMPTY_ROOT, [put(k(1), v(1)), put(k(2), v(2)), put(k(1), v("last"))]).root;
    expect(toHex(a)).toBe(
      toHex(
        rootOf([
          [k(1), v("last")],
          [k(2), v(2)],
        ]),
      ),
    );
    const b = tree.update(EMPTY_ROOT, [put(k(1), v(1)), put(k(2), v(2)), del(k(1))]).root;
    expect(toHex(b)).toBe(toHex(rootOf([[k(2), v(2)]])));
    const c = tree.update(EMPTY_ROOT, [del(k(1)), put(k(1), v(1))]).root;
    expect(toHex(c)).toBe(toHex(rootOf([[k(1), v(1)]])));
  });

  it("does not mutate or depend on the caller's write array order beyond last-write-wins", () => {
    const writes = [put(k(3), v(3)), put(k(1), v(1)), put(k(2), v(2))];
    const copy = writes.slice();
    const { tree } = fresh();
    tree.update(EMPTY_ROOT, writes);
    expect(writes).toEqual(copy);
  });

  it("rejects a malformed root and reports missing nodes", () => {
    const { tree } = fresh();
    expect(() => tree.update(new Uint8Array(31), [])).toThrow(/32 bytes/);
    expect(() => tree.get(sha256(k("nowhere")), k(1))).toThrow(/missing node/);
  });
});

describe("AuthenticatedTree cost and shape", () => {
  const N = 2000;
  const { store, tree } = fresh(1);
  const root = store.persist(
    tree.update(
      EMPTY_ROOT,
      Array.from({ length: N }, (_, i) => put(k(i), v(i))),
    ),
  );

  it("emits each new node exactly once, content-addressed", () => {
    const r = tree.update(
      root,
      Array.from({ length: 300 }, (_, i) => put(k(i * 7), v(`x${i}`))),
    );
    const seen = new Set<string>();
    for (const [h, e] of r.nodes) {
      expect(toHex(h)).toBe(toHex(sha256(e)));
      seen.add(toHex(h));
    }
    expect(seen.size).toBe(r.nodes.length);
  });

  it("depth grows like log16(n)", () => {
    let total = 0;
    let max = 0;
    for (let i = 0; i < N; i++) {
      const d = tree.prove(root, k(i)).levels.length;
      total += d;
      max = Math.max(max, d);
    }
    // log16(2000) ≈ 2.7; a leaf sits one level below where its path becomes unique.
    expect(total / N).toBeLessThan(4.5);
    expect(max).toBeLessThan(8);
  });

  it("a single write creates exactly one leaf plus one internal node per level", () => {
    const depth = tree.prove(root, k(42)).levels.length;
    const r = tree.update(root, [put(k(42), v("changed"))]);
    expect(r.nodes).toHaveLength(depth + 1);
  });

  it("works from the new root before its nodes are persisted (cache), and persisted nodes suffice", () => {
    const cached = new AuthenticatedTree(store); // default cache
    const r1 = cached.update(root, [put(k("a"), v("a"))]); // not persisted
    const r2 = cached.update(r1.root, [put(k("b"), v("b"))]);
    expect(cached.get(r2.root, k("a"))).toBeDefined();
    expect(verifyStateProof(r2.root, k("b"), v("b"), cached.prove(r2.root, k("b")))).toBe(true);
    // A cold tree (no cache) can read r2 only once both results are persisted.
    const cold = new AuthenticatedTree(store, { cacheNodes: 1 });
    expect(() => cold.get(r2.root, k("a"))).toThrow(/missing node/);
    store.persist(r1);
    store.persist(r2);
    expect(cold.get(r2.root, k("a"))).toBeDefined();
    expect(cold.get(r2.root, k(1999))).toBeDefined();
  });
});

describe("AuthenticatedTree node cache", () => {
  const N = 1000;
  const seed = fresh(1);
  const entries = Array.from({ length: N }, (_, i): [Uint8Array, Uint8Array] => [k(i), v(i)]);
  const root = seed.store.persist(
    seed.tree.update(
      EMPTY_ROOT,
      entries.map(([key, value]) => put(key, value)),
    ),
  );

  /** Node reads for proving keys 500..699 after proving keys 0..299 to warm the cache. */
  function coldReads(cacheNodes: number): { reads: number; loads: number } {
    const tree = new AuthenticatedTree(seed.store, { cacheNodes });
    for (let i = 0; i < 300; i++) tree.prove(root, k(i));
    seed.store.reads = 0;
    let loads = 0;
    for (let i = 500; i < 700; i++) loads += tree.prove(root, k(i)).levels.length + 1;
    return { reads: seed.store.reads, loads };
  }

  it("pins the top levels: once warm, they are never read again", () => {
    // cacheNodes 30 -> a 17-slot frontier (depths 0-1) and a 6-entry LRU. With 1000 keys (~60 per
    // depth-1 slot) no leaf sits above depth 2, so each proof walks through 2 frontier nodes.
    const pinned = coldReads(30);
    expect(pinned.reads).toBeLessThanOrEqual(pinned.loads - 200 * 2);
    // Without a frontier the same walks read (nearly) every node.
    const plain = coldReads(1);
    expect(plain.reads).toBeGreaterThan(plain.loads - 200);
  });

  it("tells from cached nodes alone whether a key is there, and says when it cannot", () => {
    const str = (bytes: Uint8Array) => Buffer.from(bytes).toString("latin1");
    const warm = new AuthenticatedTree(seed.store); // default cache: every node of 1000 keys fits
    for (let i = 0; i < 1000; i++) expect(warm.get(root, k(i))).toBeDefined();
    seed.store.reads = 0;
    for (let i = 0; i < 1000; i++) expect(warm.containsCached(str(root), k(i)), `key ${i}`).toBe(true);
    for (let i = 1000; i < 2000; i++) expect(warm.containsCached(str(root), k(i)), `key ${i}`).toBe(false);
    expect(seed.store.reads).toBe(0);
    expect(warm.containsCached(str(EMPTY_ROOT), k(1))).toBe(false);
    // A cold cache knows nothing below the root, and never reads the store to find out.
    const cold = new AuthenticatedTree(seed.store, { cacheNodes: 1 });
    expect(cold.containsCached(str(root), k(1))).toBeUndefined();
    expect(seed.store.reads).toBe(0);
  });

  it("serves unpersisted forks of the same base from the cache", () => {
    const tree = new AuthenticatedTree(seed.store); // default cache; nothing below is persisted
    const a = tree.update(root, [put(k(1), v("a")), put(k("new-a"), v("a"))]);
    const b = tree.update(root, [put(k(1), v("b")), del(k(2))]);
    // b displaced a's top nodes from the frontier; they must still be reachable.
    const a2 = tree.update(a.root, [put(k(3), v("a2"))]);
    expect(toHex(tree.get(a2.root, k(1))!.valueHash)).toBe(toHex(sha256(v("a"))));
    expect(verifyStateProof(a2.root, k("new-a"), v("a"), tree.prove(a2.root, k("new-a")))).toBe(true);
    expect(verifyStateProof(b.root, k(2), null, tree.prove(b.root, k(2)))).toBe(true);
    const expected = new Map(
      entries.map(([key, value]) => [toHex(key), [key, value] as [Uint8Array, Uint8Array]]),
    );
    expected.set(toHex(k(1)), [k(1), v("a")]);
    expected.set(toHex(k(3)), [k(3), v("a2")]);
    expected.set(toHex(k("new-a")), [k("new-a"), v("a")]);
    expect(toHex(a2.root)).toBe(toHex(rootOf(expected.values())));
  });

  it("keeps leaves that move (pushed down by an insert, up by a delete) cached at their new slot", () => {
    const store = new MemStore();
    const tree = new AuthenticatedTree(store);
    const commit = (r: TreeUpdateResult): Uint8Array => {
      tree.markPersisted(r.created);
      return store.persist(r);
    };
    let root = commit(
      tree.update(
        EMPTY_ROOT,
        Array.from({ length: 1000 }, (_, i) => put(k(i), v(i))),
      ),
    );
    // New keys land beside existing leaves and push them down; deletes pull their siblings up.
    root = commit(
      tree.update(
        root,
        Array.from({ length: 300 }, (_, i) => put(k(`new-${i}`), v(i))),
      ),
    );
    root = commit(
      tree.update(
        root,
        Array.from({ length: 300 }, (_, i) => del(k(i))),
      ),
    );
    store.reads = 0;
    for (let i = 300; i < 1000; i++) expect(tree.get(root, k(i))).toBeDefined();
    for (let i = 0; i < 300; i++) expect(tree.get(root, k(`new-${i}`))).toBeDefined();
    expect(store.reads).toBe(0);
  });

  it("drops displaced versions once they are reported persisted, keeps them until then", () => {
    const store = new MemStore();
    for (const [h, e] of seed.store.nodes) store.nodes.set(h, e);
    const tree = new AuthenticatedTree(store);
    const a = tree.update(root, [put(k(1), v("a"))]);
    // Not persisted: a newer version at the same positions must not push a's nodes out of reach.
    tree.update(root, [put(k(1), v("b"))]);
    store.reads = 0;
    expect(toHex(tree.get(a.root, k(1))!.valueHash)).toBe(toHex(sha256(v("a"))));
    expect(store.reads).toBe(0);

    // Persisted and reported: the next version displacing them lets them go; they are read back.
    const d = tree.update(root, [put(k(2), v("d"))]);
    store.persist(d);
    tree.markPersisted(d.created);
    const e = tree.update(d.root, [put(k(2), v("e"))]);
    store.reads = 0;
    expect(toHex(tree.get(d.root, k(2))!.valueHash)).toBe(toHex(sha256(v("d"))));
    expect(store.reads).toBeGreaterThan(0);
    expect(toHex(tree.get(e.root, k(2))!.valueHash)).toBe(toHex(sha256(v("e"))));
  });
});

describe("AuthenticatedTree prior values", () => {
  const N = 1000;
  const seed = fresh(1);
  const values = new Map<number, Uint8Array>(Array.from({ length: N }, (_, i) => [i, v(i)]));
  const root = seed.store.persist(
    seed.tree.update(
      EMPTY_ROOT,
      [...values].map(([i, value]) => put(k(i), value)),
    ),
  );
  const byKey = new Map([...values].map(([i, value]) => [toHex(k(i)), value]));
  const writes = [
    ...Array.from({ length: 40 }, (_, i) => put(k(i * 3), v(`new-${i}`))),
    ...Array.from({ length: 10 }, (_, i) => del(k(500 + i))),
    put(k(600), v(600)), // rewritten with its own value
    put(k("fresh"), v("fresh")),
  ];
  const expected = new Map(byKey);
  for (const w of writes) {
    if (w.value === null) expected.delete(toHex(w.key));
    else expected.set(toHex(w.key), w.value);
  }
  const expectedRoot = toHex(specRoot([...expected].map(([key, value]) => [Buffer.from(key, "hex"), value])));

  /** The update's root and how many nodes it read from the store, with a 17-slot frontier and no warm-up. */
  function run(priorValue?: (key: Uint8Array) => Uint8Array | undefined): { root: string; reads: number } {
    const tree = new AuthenticatedTree(seed.store, { cacheNodes: 30 });
    seed.store.reads = 0;
    const r = tree.update(root, writes, priorValue ? { priorValue } : {});
    return { root: toHex(r.root), reads: seed.store.reads };
  }

  it("recognises an updated key's old leaf by its value and skips reading it", () => {
    const without = run();
    const withPrior = run((key) => byKey.get(toHex(key)));
    expect(without.root).toBe(expectedRoot);
    expect(withPrior.root).toBe(expectedRoot);
    // ~50 leaves of existing keys are not read (a deleted key's siblings still are).
    expect(withPrior.reads).toBeLessThanOrEqual(without.reads - 40);
  });

  it("a wrong or missing prior value only costs the read", () => {
    const wrong = run((key) => (byKey.has(toHex(key)) ? v("something else") : v("made up")));
    const none = run(() => undefined);
    expect(wrong.root).toBe(expectedRoot);
    expect(none.root).toBe(expectedRoot);
    expect(wrong.reads).toBe(run().reads);
  });
});

type Op = { key: number; value: number | null };

/** Applies ops to a Map (the reference model). */
function model(ops: readonly Op[]): Map<number, number> {
  const m = new Map<number, number>();
  for (const op of ops) {
    if (op.value === null) m.delete(op.key);
    else m.set(op.key, op.value);
  }
  return m;
}

const toWrite = (op: Op): TreeWrite => (op.value === null ? del(k(op.key)) : put(k(op.key), v(op.value)));

describe("AuthenticatedTree against a reference model", () => {
  // A small key space so puts, overwrites and deletes hit the same keys often.
  const opArb = fc.record({
    key: fc.integer({ min: 0, max: 40 }),
    value: fc.option(fc.integer({ min: 0, max: 3 })),
  });

  // cacheNodes 1: (almost) no cache, so every needed node must have been emitted and persisted;
  // 10 and 100: a small frontier plus a tiny LRU, so nodes move between the two.
  it.each([1, 10, 100])(
    "one batch = many batches = one-by-one = built from the final set (cache %i)",
    (cache) => {
      fc.assert(
        fc.property(
          fc.array(opArb, { maxLength: 120 }),
          fc.array(fc.integer({ min: 1, max: 30 })),
          (ops, cuts) => {
            const final = model(ops);
            const expected = rootOf([...final].map(([key, value]) => [k(key), v(value)]));

            const { store, tree } = fresh(cache);
            const oneBatch = store.persist(tree.update(EMPTY_ROOT, ops.map(toWrite)));

            let chunked = EMPTY_ROOT;
            let i = 0;
            for (const c of cuts) {
              chunked = store.persist(tree.update(chunked, ops.slice(i, i + c).map(toWrite)));
              i += c;
            }
            chunked = store.persist(tree.update(chunked, ops.slice(i).map(toWrite)));

            let single = EMPTY_ROOT;
            for (const op of ops) single = store.persist(tree.update(single, [toWrite(op)]));

            expect(toHex(oneBatch)).toBe(toHex(expected));
            expect(toHex(chunked)).toBe(toHex(expected));
            expect(toHex(single)).toBe(toHex(expected));

            for (let key = 0; key <= 40; key++) {
              const got = tree.get(expected, k(key));
              const want = final.get(key);
              expect(got === undefined ? undefined : toHex(got.valueHash)).toBe(
                want === undefined ? undefined : toHex(sha256(v(want))),
              );
              const proof = tree.prove(expected, k(key));
              expect(verifyStateProof(expected, k(key), want === undefined ? null : v(want), proof)).toBe(
                true,
              );
            }
          },
        ),
        { numRuns: 100 },
      );
    },
  );

  it("the root is independent of insertion order", () => {
    const entries = fc.uniqueArray(
      fc.tuple(fc.uint8Array({ maxLength: 12 }), fc.uint8Array({ maxLength: 8 })),
      {
        selector: ([key]) => toHex(key),
        maxLength: 60,
      },
    );
    fc.assert(
      fc.property(entries, fc.integer({ min: 1, max: 8 }), fc.nat(), (set, batch, seed) => {
        // Deterministic shuffle derived from the seed.
        const shuffled = set.slice();
        let s = seed;
        for (let i = shuffled.length - 1; i > 0; i--) {
          s = (s * 1103515245 + 12345) >>> 0;
          const j = s % (i + 1);
          [shuffled[i], shuffled[j]] = [shuffled[j]!, shuffled[i]!];
        }
        const { store, tree } = fresh(1);
        let root = EMPTY_ROOT;
        for (let i = 0; i < shuffled.length; i += batch) {
          root = store.persist(
            tree.update(
              root,
              shuffled.slice(i, i + batch).map(([key, value]) => put(key, value)),
            ),
          );
        }
        expect(toHex(root)).toBe(toHex(rootOf(set)));
      }),
      { numRuns: 200 },
    );
  });

  it("removing keys gives the root of the remaining set (collapse is canonical)", () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.integer({ min: 0, max: 500 }), { minLength: 1, maxLength: 80 }),
        fc.array(fc.boolean(), { minLength: 80, maxLength: 80 }),
        (keys, removeMask) => {
          const { store, tree } = fresh(1);
          const full = store.persist(
            tree.update(
              EMPTY_ROOT,
              keys.map((i) => put(k(i), v(i))),
            ),
          );
          const removed = keys.filter((_, i) => removeMask[i]);
          const kept = keys.filter((_, i) => !removeMask[i]);
          const after = tree.update(
            full,
            removed.map((i) => del(k(i))),
          ).root;
          expect(toHex(after)).toBe(toHex(rootOf(kept.map((i) => [k(i), v(i)]))));
        },
      ),
      { numRuns: 150 },
    );
  });
});
