/**
 * Authenticated state tree: a 16-ary sparse Merkle tree over sha256(key) paths, one nibble per
 * level, compressed as in Diem's Jellyfish Merkle Tree — a leaf sits at the shallowest depth where
 * its path is unique, so the expected depth is ~log16(n) and a write re-hashes only the nodes on
 * its path. Each node is hashed flat (node.ts): a new key costs about a quarter of the nodes a
 * binary tree would write.
 *
 * Canonical shape (what makes the root a function of the key/value set alone, whatever the
 * order of writes): a subtree with no leaves is EMPTY_HASH, a subtree with exactly one leaf is
 * that leaf, and any other subtree is an internal node. Internal nodes with a single child do
 * exist (keys sharing a long prefix), but never above a lone leaf.
 *
 * Nodes are immutable and content-addressed, so old roots stay readable as long as their nodes
 * are kept; `update` only returns new nodes and never deletes (pruning is the caller's choice).
 * Hashes are latin1 strings internally (see HashStr in node.ts) and bytes at the API boundary.
 */
import { toHex } from "../../crypto/hash.js";
import {
  decodeNodeStr,
  EMPTY_HASH_STR,
  fromHashStr,
  HASH_LEN,
  type HashStr,
  INTERNAL_TAG,
  LEAF_TAG,
  type LeafStr,
  leafHashStr,
  MAX_DEPTH,
  NodeSlab,
  type NodeStr,
  nibbleAtStr,
  RADIX,
  sha256Str,
  slotBit,
  type TreeNodes,
  toHashStr,
} from "./node.js";
import type { ProofLevel, StateProof } from "./proof.js";

/**
 * Synchronous node store: e.g. level `getSync` on prefix + hash, checked after a map of nodes
 * returned by `update` but not yet written. Called only on cache misses.
 */
export interface NodeReader {
  getNode(hash: Uint8Array): Uint8Array | undefined;
}

/** Root of the empty tree: 32 zero bytes. Shared — do not mutate. */
export const EMPTY_ROOT: Uint8Array = new Uint8Array(HASH_LEN);

export interface TreeWrite {
  key: Uint8Array;
  /** null deletes the key. */
  value: Uint8Array | null;
}

export interface TreeUpdateResult {
  root: Uint8Array;
  /**
   * Nodes created by this update as [hash, encoding], in creation order (children before
   * parents). Each appears once. The arrays are views into shared slabs: persist or copy them,
   * don't mutate them.
   */
  nodes: TreeNodes;
  /** The same nodes as the cache holds them: hand to `markPersisted` once they are durable. */
  created: CreatedNodes;
}

/**
 * A cached node. `persisted` says its version is durable (loaded from the store, or reported by
 * `markPersisted`): when a newer version displaces it from the frontier it can simply be dropped,
 * since a reader can always load it again. Unpersisted ones go to the LRU instead.
 */
type CachedNode = NodeStr & { persisted: boolean };

/** The nodes one update created, opaque to callers. */
export class CreatedNodes {
  constructor(readonly list: CachedNode[]) {}
}

export interface AuthenticatedTreeOptions {
  /**
   * Decoded nodes kept in memory. Default 200,000. About 2/3 of it pins the top levels of the
   * tree by position (the levels every block touches), the rest (at most 2 x 65,536) is an LRU
   * for deeper nodes and displaced versions.
   */
  cacheNodes?: number;
}

const DEFAULT_CACHE_NODES = 200_000;

/** A write after hashing: path = sha256(key), valueHash null = delete. */
interface PathWrite {
  path: HashStr;
  valueHash: HashStr | null;
  key: Uint8Array;
}

export interface TreeUpdateOptions {
  /**
   * The key's value under the root being updated, if the caller knows it (e.g. from a flat copy
   * of the state), else undefined. Asked only when the write reaches a subtree whose node is not
   * in the cache: if that node is the key's own leaf with this value, the tree replaces it without
   * reading it from the store. A wrong answer costs only the read it was meant to save.
   */
  priorValue?: (key: Uint8Array) => Uint8Array | undefined;
}

type Kind = typeof LEAF_TAG | typeof INTERNAL_TAG | "empty";

/**
 * A subtree during an update. `kind` is undefined for an untouched child not loaded yet; `pos`
 * is its frontier slot (see NodeCache), only needed to load such a child.
 */
interface Ref {
  hash: HashStr;
  kind: Kind | undefined;
  pos: number;
}

const EMPTY_REF: Ref = { hash: EMPTY_HASH_STR, kind: "empty", pos: -1 };

/** Per-update scratch: where new nodes are encoded and collected. */
interface Batch {
  /** Where new nodes are encoded; also the update's list of them. */
  slab: NodeSlab;
  created: CachedNode[];
  priorValue: TreeUpdateOptions["priorValue"];
  /**
   * The visited children's Refs of the node being rebuilt, one array per depth: `apply` at depth d
   * is done with its array before another call at depth d starts, so an update needs one array
   * per level rather than one per node it visits.
   */
  refsByDepth: Array<Array<Ref | undefined>>;
}

function refsAt(batch: Batch, depth: number): Array<Ref | undefined> {
  const refs = batch.refsByDepth[depth];
  if (refs !== undefined) return refs.fill(undefined);
  const fresh = new Array<Ref | undefined>(RADIX);
  batch.refsByDepth[depth] = fresh;
  return fresh;
}

/**
 * Deepest level the frontier may cover (levels 0-5, 16^5 slots at the last); beyond that the LRU
 * takes over. One more level would cost 16^6 slots, ~270 MB of slot arrays, up front.
 */
const MAX_FRONTIER_DEPTH = 6;

/**
 * Most entries one LRU generation holds. Besides deep nodes the LRU receives the unpersisted nodes
 * a newer version displaces from the frontier (a fork, or a root not written yet, may still need
 * them). Two generations of 2^16 hold several blocks' worth; a larger LRU mostly keeps deep nodes
 * that random keys seldom touch again, and costs every full GC its tracing.
 */
const MAX_LRU_GENERATION = 1 << 16;

/**
 * Node cache in two parts, both keyed by hash (so a hit is always the right node):
 *
 * - The frontier: one slot per tree position for the top levels, indexed like a 16-ary heap
 *   (root 0, children of slot i at 16i+1 .. 16i+16). Every block rewrites the top ~log16(writes)
 *   levels and touches the next few often, so they are worth pinning; a new version of a node
 *   simply overwrites the old one in its slot, so stale versions never pile up.
 * - An LRU for everything deeper. With uniformly random keys, deep nodes are rarely touched
 *   twice, so a plain LRU would spend most of its room on them and keep only the top ~13
 *   levels; hot keys still benefit from it.
 *
 * The LRU has two generations: O(1) per access, no per-hit bookkeeping; entries used since the
 * last rotation survive the next one, so it holds between cap/2 and cap entries.
 */
class NodeCache {
  /** Number of frontier slots: 1 + 16 + … + 16^(depth-1), covering depths 0 .. depth-1. */
  readonly frontierSize: number;
  private readonly frontierHashes: Array<HashStr | undefined>;
  private readonly frontierNodes: Array<CachedNode | undefined>;
  private young = new Map<HashStr, CachedNode>();
  private old = new Map<HashStr, CachedNode>();
  private readonly half: number;

  constructor(capacity: number) {
    let depth = 0;
    let slots = 0;
    while (depth < MAX_FRONTIER_DEPTH && slots + RADIX ** depth <= (capacity * 2) / 3)
      slots += RADIX ** depth++;
    this.frontierSize = slots;
    this.frontierHashes = new Array(this.frontierSize);
    this.frontierNodes = new Array(this.frontierSize);
    this.half = Math.min(MAX_LRU_GENERATION, Math.max(1, Math.floor((capacity - this.frontierSize) / 2)));
  }

  /** Frontier slot of the root: 0, or -1 if there is no frontier. */
  get rootPos(): number {
    return this.frontierSize > 0 ? 0 : -1;
  }

  /** Frontier slot of child `nibble` of slot `pos`, or -1 below the frontier. */
  child(pos: number, nibble: number): number {
    if (pos < 0) return -1;
    const c = RADIX * pos + 1 + nibble;
    return c < this.frontierSize ? c : -1;
  }

  get(hash: HashStr, pos: number): CachedNode | undefined {
    if (pos >= 0 && this.frontierHashes[pos] === hash) return this.frontierNodes[pos];
    // Also try the LRU for frontier positions: it holds unpersisted versions a newer one displaced.
    const hit = this.young.get(hash);
    if (hit !== undefined) return hit;
    const aged = this.old.get(hash);
    if (aged !== undefined) this.set(hash, aged, -1);
    return aged;
  }

  set(hash: HashStr, node: CachedNode, pos: number): void {
    if (pos >= 0) {
      const prev = this.frontierHashes[pos];
      const displaced = this.frontierNodes[pos];
      // An unpersisted displaced node may belong to another live version (a fork, or a root
      // whose nodes are not written yet): hand it to the LRU rather than dropping it.
      if (prev !== undefined && prev !== hash && !displaced!.persisted) this.set(prev, displaced!, -1);
      this.frontierHashes[pos] = hash;
      this.frontierNodes[pos] = node;
      return;
    }
    if (this.young.size >= this.half) {
      this.old = this.young;
      this.young = new Map();
    }
    this.young.set(hash, node);
  }
}

export class AuthenticatedTree {
  private readonly reader: NodeReader;
  private readonly cache: NodeCache;

  constructor(reader: NodeReader, opts?: AuthenticatedTreeOptions) {
    const cap = opts?.cacheNodes ?? DEFAULT_CACHE_NODES;
    if (!Number.isInteger(cap) || cap < 0) {
      throw new Error("state tree: cacheNodes must be a non-negative integer");
    }
    this.reader = reader;
    this.cache = new NodeCache(cap);
  }

  /**
   * Applies `writes` to the tree at `root` and returns the new root and the nodes it created.
   * Pure with respect to stored data: nothing is written, and the old root stays valid.
   * Duplicate keys: the last write wins. Deleting a missing key is a no-op. Throws if a node it
   * needs is neither cached nor served by the reader.
   *
   * New nodes are cached, so an update/get/prove from the new root normally works before they
   * are persisted. The cache is bounded, though (at 1M accounts its LRU part holds about one
   * block's deep nodes), so a caller that keeps results unpersisted across several updates
   * (speculative execution of several blocks) must serve those nodes from its reader.
   */
  update(root: Uint8Array, writes: readonly TreeWrite[], opts: TreeUpdateOptions = {}): TreeUpdateResult {
    const rootRef: Ref = { hash: rootStr(root), kind: undefined, pos: this.cache.rootPos };
    const sorted = prepareWrites(writes);
    const batch: Batch = {
      slab: new NodeSlab(),
      created: [],
      priorValue: opts.priorValue,
      refsByDepth: [],
    };
    const ref = this.apply(rootRef, 0, rootRef.pos, sorted, 0, sorted.length, batch);
    return { root: fromHashStr(ref.hash), nodes: batch.slab, created: new CreatedNodes(batch.created) };
  }

  /**
   * Reports an update's nodes durable in the reader's store, so that the cache may drop them
   * when newer versions replace them. Optional: unreported nodes are only kept longer.
   */
  markPersisted(created: CreatedNodes): void {
    for (const node of created.list) node.persisted = true;
  }

  /** The value hash stored for `key` under `root`, or undefined if the key is absent. */
  get(root: Uint8Array, key: Uint8Array): { valueHash: Uint8Array } | undefined {
    const path = sha256Str(key);
    const leaf = this.leafOnPath(rootStr(root), path, false);
    return leaf?.keyHash === path ? { valueHash: fromHashStr(leaf.valueHash) } : undefined;
  }

  /**
   * Whether `key` is in the tree under `root`, from cached nodes alone: undefined when a node on
   * its path is not cached (the caller then reads its store). A new key's path ends at an empty
   * slot or another key's leaf, almost always within the pinned levels, so asking this first
   * spares a store read that would find nothing.
   */
  containsCached(root: HashStr, key: Uint8Array): boolean | undefined {
    const path = sha256Str(key);
    const leaf = this.leafOnPath(root, path, true);
    return leaf === undefined ? undefined : leaf?.keyHash === path;
  }

  /** Proof of the key's value, or of its absence, under `root`. Check with verifyStateProof. */
  prove(root: Uint8Array, key: Uint8Array): StateProof {
    const path = sha256Str(key);
    const topDown: ProofLevel[] = [];
    let h = rootStr(root);
    let pos = this.cache.rootPos;
    let leaf: CachedNode | null = null;
    for (let depth = 0; h !== EMPTY_HASH_STR; depth++) {
      const node = this.load(h, pos);
      if (node.kind === LEAF_TAG) {
        leaf = node;
        break;
      }
      if (depth >= MAX_DEPTH) throw new Error("state tree: path deeper than 64 levels (corrupt tree)");
      const nibble = nibbleAtStr(path, depth);
      let bitmap = 0;
      const siblings: Uint8Array[] = [];
      node.children.forEach((c, n) => {
        if (n === nibble || c === EMPTY_HASH_STR) return;
        bitmap |= slotBit(n);
        siblings.push(fromHashStr(c));
      });
      topDown.push({ bitmap, siblings });
      h = node.children[nibble]!;
      pos = this.cache.child(pos, nibble);
    }
    return {
      keyHash: fromHashStr(path),
      leaf:
        leaf?.kind === LEAF_TAG
          ? { keyHash: fromHashStr(leaf.keyHash), valueHash: fromHashStr(leaf.valueHash) }
          : null,
      levels: topDown.reverse(),
    };
  }

  // -------------------------------------------------------------------------------------------

  /**
   * The leaf where `path` ends under `root` (it may hold another key), null if it ends at an empty
   * slot, or undefined if `cachedOnly` and a node on the way is not cached.
   */
  private leafOnPath(root: HashStr, path: HashStr, cachedOnly: boolean): LeafStr | null | undefined {
    let h = root;
    let pos = this.cache.rootPos;
    for (let depth = 0; h !== EMPTY_HASH_STR; depth++) {
      const node = cachedOnly ? this.cache.get(h, pos) : this.load(h, pos);
      if (node === undefined) return undefined;
      if (node.kind === LEAF_TAG) return node;
      if (depth >= MAX_DEPTH) throw new Error("state tree: path deeper than 64 levels (corrupt tree)");
      const nibble = nibbleAtStr(path, depth);
      h = node.children[nibble]!;
      pos = this.cache.child(pos, nibble);
    }
    return null;
  }

  /** The node with hash `h`, which sits at frontier slot `pos` (-1 if below the frontier). */
  private load(h: HashStr, pos: number): CachedNode {
    const cached = this.cache.get(h, pos);
    if (cached !== undefined) return cached;
    const hashBytes = fromHashStr(h);
    const encoded = this.reader.getNode(hashBytes);
    if (encoded === undefined) throw new Error(`state tree: missing node ${toHex(hashBytes)}`);
    const node: CachedNode = { ...decodeNodeStr(encoded), persisted: true };
    this.cache.set(h, node, pos);
    return node;
  }

  private kindOf(ref: Ref): Kind {
    if (ref.kind === undefined)
      ref.kind = ref.hash === EMPTY_HASH_STR ? "empty" : this.load(ref.hash, ref.pos).kind;
    return ref.kind;
  }

  private record(hash: HashStr, node: CachedNode, pos: number, batch: Batch): Ref {
    this.cache.set(hash, node, pos);
    batch.created.push(node);
    return { hash, kind: node.kind, pos };
  }

  private emitLeaf(keyHash: HashStr, valueHash: HashStr, pos: number, batch: Batch): Ref {
    const node: CachedNode = { kind: LEAF_TAG, keyHash, valueHash, persisted: false };
    return this.record(batch.slab.leaf(keyHash, valueHash), node, pos, batch);
  }

  /**
   * A leaf that moves to another depth (pushed down beside a new key, or up when its sibling
   * subtrees empty) keeps its hash and is not re-emitted: cache it at its new slot as well, or
   * the next update to pass there would read it back from the store.
   */
  private place(hash: HashStr, leaf: CachedNode, pos: number): Ref {
    this.cache.set(hash, leaf, pos);
    return { hash, kind: LEAF_TAG, pos };
  }

  /**
   * Rebuilds a parent from its (possibly new) children, collapsing to keep the shape canonical.
   * `children` holds all 16 slots' hashes, `bitmap` which of them are present; `refs` the Refs of
   * the slots that were visited.
   */
  private join(
    children: HashStr[],
    bitmap: number,
    refs: Array<Ref | undefined>,
    pos: number,
    batch: Batch,
  ): Ref {
    if (bitmap === 0) return EMPTY_REF;
    if ((bitmap & (bitmap - 1)) === 0) {
      // One child: the slot of the single set bit.
      const only = Math.clz32(bitmap) - 16;
      // Only look at a child's kind when it is alone: loading untouched children just to learn
      // their kinds would add node reads per level per write.
      const ref = refs[only] ?? { hash: children[only]!, kind: undefined, pos: this.cache.child(pos, only) };
      if (this.kindOf(ref) === LEAF_TAG) return this.place(ref.hash, this.load(ref.hash, ref.pos), pos);
    }
    const node: CachedNode = { kind: INTERNAL_TAG, children, bitmap, persisted: false };
    return this.record(batch.slab.internal(children, bitmap), node, pos, batch);
  }

  /**
   * A single write reaching an uncached subtree: if the subtree is the key's own leaf holding the
   * value the caller says it had (its hash is that leaf's hash), the write's result without reading
   * the node; otherwise undefined. At 1M accounts most leaves sit below the pinned levels, so this
   * saves a LevelDB read per updated key.
   */
  private replaceOwnLeaf(ref: Ref, pos: number, w: PathWrite, batch: Batch): Ref | undefined {
    if (ref.hash === EMPTY_HASH_STR || this.cache.get(ref.hash, pos) !== undefined) return undefined;
    const prior = batch.priorValue!(w.key);
    if (prior === undefined) return undefined;
    const priorHash = sha256Str(prior);
    if (leafHashStr(w.path, priorHash) !== ref.hash) return undefined;
    if (w.valueHash === null) return EMPTY_REF;
    if (w.valueHash === priorHash) return ref;
    return this.emitLeaf(w.path, w.valueHash, pos, batch);
  }

  /**
   * Applies ws[lo, hi) — sorted by path, unique, all sharing the first `depth` nibbles — to the
   * subtree `ref` at `depth` (frontier slot `pos`). Returns `ref` itself (same object) when
   * nothing changed, so callers skip re-hashing unchanged parents: each changed node is hashed
   * exactly once per batch.
   */
  private apply(
    ref: Ref,
    depth: number,
    pos: number,
    ws: readonly PathWrite[],
    lo: number,
    hi: number,
    batch: Batch,
  ): Ref {
    if (lo === hi) return ref;
    if (hi - lo === 1 && batch.priorValue !== undefined && ref.kind === undefined) {
      const replaced = this.replaceOwnLeaf(ref, pos, ws[lo]!, batch);
      if (replaced !== undefined) return replaced;
    }
    const node = ref.hash === EMPTY_HASH_STR ? null : this.load(ref.hash, pos);
    if (node !== null) ref.kind = node.kind;

    if (hi - lo === 1) {
      const w = ws[lo]!;
      if (node === null) return w.valueHash === null ? ref : this.emitLeaf(w.path, w.valueHash, pos, batch);
      if (node.kind === LEAF_TAG) {
        if (w.path === node.keyHash) {
          if (w.valueHash === null) return EMPTY_REF;
          return w.valueHash === node.valueHash ? ref : this.emitLeaf(w.path, w.valueHash, pos, batch);
        }
        if (w.valueHash === null) return ref; // deleting a key that is not there
      }
    }
    // Several writes, or a leaf plus a write for another key: split on this nibble. At depth 64
    // all paths are equal, so the single-write cases above always end the recursion first.
    if (depth >= MAX_DEPTH) throw new Error("state tree: path deeper than 64 levels (corrupt tree)");

    const children: HashStr[] =
      node?.kind === INTERNAL_TAG ? node.children.slice() : new Array<HashStr>(RADIX).fill(EMPTY_HASH_STR);
    let bitmap = node?.kind === INTERNAL_TAG ? node.bitmap : 0;
    const refs = refsAt(batch, depth);
    if (node?.kind === LEAF_TAG) {
      // Push the existing leaf down one level, beside the writes.
      const n = nibbleAtStr(node.keyHash, depth);
      refs[n] = this.place(ref.hash, node, this.cache.child(pos, n));
      children[n] = ref.hash;
      bitmap |= slotBit(n);
    }

    let changed = false;
    for (let i = lo; i < hi; ) {
      const n = nibbleAtStr(ws[i]!.path, depth);
      let j = i + 1;
      while (j < hi && nibbleAtStr(ws[j]!.path, depth) === n) j++;
      const childPos = this.cache.child(pos, n);
      const before = refs[n] ?? { hash: children[n]!, kind: undefined, pos: childPos };
      const after = this.apply(before, depth + 1, childPos, ws, i, j, batch);
      if (after !== before) {
        changed = true;
        children[n] = after.hash;
        bitmap = after.hash === EMPTY_HASH_STR ? bitmap & ~slotBit(n) : bitmap | slotBit(n);
      }
      refs[n] = after;
      i = j;
    }
    // Nothing changed below (e.g. only deletes of absent keys, or rewrites of equal values).
    if (!changed) return ref;
    return this.join(children, bitmap, refs, pos, batch);
  }
}

function rootStr(root: Uint8Array): HashStr {
  if (!(root instanceof Uint8Array) || root.length !== HASH_LEN)
    throw new Error("state tree: root must be 32 bytes");
  return toHashStr(root);
}

/** Hashes, sorts by path and de-duplicates (last write per key wins). */
function prepareWrites(writes: readonly TreeWrite[]): PathWrite[] {
  const hashed: PathWrite[] = writes.map((w, i) => {
    if (!(w.key instanceof Uint8Array)) throw new Error(`state tree: write ${i} key must be a Uint8Array`);
    if (w.value !== null && !(w.value instanceof Uint8Array)) {
      throw new Error(`state tree: write ${i} value must be a Uint8Array or null`);
    }
    return { path: sha256Str(w.key), valueHash: w.value === null ? null : sha256Str(w.value), key: w.key };
  });
  // latin1 strings compare like their bytes. Array.prototype.sort is stable, so equal paths keep
  // their input order and the last one wins below.
  hashed.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  const unique: PathWrite[] = [];
  for (let i = 0; i < hashed.length; i++) {
    if (hashed[i + 1]?.path !== hashed[i]!.path) unique.push(hashed[i]!);
  }
  return unique;
}
