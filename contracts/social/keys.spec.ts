/** Key layout: every list query is one prefix range in the order it is shown. */
import { describe, expect, it } from "vitest";
import { childPath, idFromFeedKey, SocialKeys } from "./keys.js";

const ALICE = "vivim1qyqszqgpqyqszqgpqyqszqgpqyqszqgpq69hez";

function compare(a: Uint8Array, b: Uint8Array): number {
  for (let i = 0; i < a.length && i < b.length; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return a.length - b.length;
}

/** A small deterministic PRNG (the test must not depend on Math.random). */
function prng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

describe("thread keys", () => {
  it("a prefix scan of a thread walks it depth-first, replies in the order they were made", () => {
    const rand = prng(7);
    interface Node {
      id: number;
      path: Uint8Array;
      children: Node[];
      depth: number;
    }
    const root: Node = { id: 0, path: new Uint8Array(), children: [], depth: 0 };
    const all: Node[] = [root];
    let seq = 0;
    for (let i = 0; i < 2000; i++) {
      // Favour recent and shallow nodes a little, like real threads, with a depth cap.
      const candidates = all.filter((n) => n.depth < 64);
      const parent = candidates[Math.floor(rand() * candidates.length)]!;
      seq += 1; // the post's comment count when the reply is made
      const node: Node = {
        id: seq,
        path: childPath(parent.path, seq),
        children: [],
        depth: parent.depth + 1,
      };
      parent.children.push(node);
      all.push(node);
    }
    const expected: number[] = [];
    const walk = (n: Node) => {
      if (n !== root) expected.push(n.id);
      for (const c of n.children) walk(c);
    };
    walk(root);
    const keys = all.slice(1).map((n) => ({ id: n.id, key: SocialKeys.thread(42n, n.path) }));
    keys.sort((a, b) => compare(a.key, b.key));
    expect(keys.map((k) => k.id)).toEqual(expected);
    const prefix = SocialKeys.threadPrefix(42n);
    for (const k of keys) expect(compare(k.key.subarray(0, prefix.length), prefix)).toBe(0);
    // Another thread's keys never fall inside this prefix range.
    const other = SocialKeys.thread(43n, childPath(new Uint8Array(), 1));
    expect(compare(other.subarray(0, prefix.length), prefix)).not.toBe(0);
  });

  it("paths grow four bytes per level", () => {
    const p = childPath(childPath(new Uint8Array(), 1), 0x01020304);
    expect(Array.from(p)).toEqual([0, 0, 0, 1, 1, 2, 3, 4]);
  });
});

describe("feed keys", () => {
  it("sort newest first and give the id back", () => {
    const ids = [1n, 2n, 300n, 70_000n, 2n ** 40n];
    const community = ids.map((id) => SocialKeys.communityFeed(5n, id)).sort(compare);
    expect(community.map(idFromFeedKey)).toEqual([...ids].reverse());
    const author = ids.map((id) => SocialKeys.authorFeed(ALICE, id)).sort(compare);
    expect(author.map(idFromFeedKey)).toEqual([...ids].reverse());
  });

  it("keep communities and authors apart", () => {
    const a = SocialKeys.communityFeedPrefix(1n);
    const b = SocialKeys.communityFeed(256n, 1n);
    expect(compare(b.subarray(0, a.length), a)).not.toBe(0);
  });
});
