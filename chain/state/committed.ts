/**
 * The committed application state: a flat copy of every key's latest value for fast synchronous
 * reads, plus the authenticated tree whose root is the app hash. Both change only in the atomic
 * batch that commits a block.
 *
 * A decided block can be staged while its batch is being written: `head` then reads through it,
 * so the next block executes (and CheckTx runs) on top of it, while queries and proofs keep
 * answering from the durable state until `commitStaged` says the batch is on disk.
 */
import { Bucket, prefixEnd, prefixed } from "../db/buckets.js";
import type { BatchOp, Database } from "../db/database.js";
import { CodedError, SdkErrors } from "../errors/codes.js";
import { latin1String } from "../util/latin1.js";
import { LruCache } from "../util/lru.js";
import { isIndexKey } from "./index-keys.js";
import { type KeyedReader, keyString, type StateWrite } from "./overlay.js";
import { AuthenticatedTree, type StateProof, type TreeNodes, type TreeUpdateResult } from "./tree/index.js";

const ABSENT = new Uint8Array(0);

/** What a block executes on: reads, and the tree root its writes would give. */
export interface ExecutionBase extends KeyedReader {
  computeRoot(writes: readonly StateWrite[]): TreeUpdateResult;
}

/** A decided block whose batch is not durable yet. */
interface StagedBlock {
  /** Its state writes by key string (query-index keys left out: handlers never read them). */
  readonly values: Map<string, Uint8Array>;
  readonly update: TreeUpdateResult;
  /**
   * Its new tree nodes by hash string, built on the first node the tree's cache let go and LevelDB
   * does not have yet (rare: the cache keeps unwritten nodes), so a block normally never pays for it.
   */
  nodes?: Map<string, Uint8Array>;
}

export class CommittedState implements ExecutionBase {
  readonly tree: AuthenticatedTree;
  /** The durable state with the staged block on top: what execution and CheckTx read. */
  readonly head: ExecutionBase;
  private readonly cache: LruCache<string, Uint8Array>;
  private currentRoot: Uint8Array;
  /** `currentRoot` as the tree's hash string, for `containsCached`. */
  private currentRootStr: string;
  private staged: StagedBlock | undefined;

  constructor(
    private readonly db: Database,
    root: Uint8Array,
    opts: { cacheEntries?: number; treeCacheNodes?: number } = {},
  ) {
    this.cache = new LruCache(opts.cacheEntries ?? 200_000);
    this.tree = new AuthenticatedTree(
      {
        getNode: (hash) => db.getSyncPrefixed(Bucket.treeNode, hash) ?? this.stagedNode(hash),
      },
      // The tree pins its top levels by position (2/3 of the budget) and keeps an LRU below. 6M
      // pins levels 0-5 (1.1M slots), which hold a 1M-key state's internal nodes and most of its
      // leaves; memory grows with the state (~200 bytes a cached internal node), not up front.
      { cacheNodes: opts.treeCacheNodes ?? 6_000_000 },
    );
    this.currentRoot = root;
    this.currentRootStr = latin1String(root);
    this.head = {
      get: (key) => this.getHead(keyString(key), key),
      getKeyed: (k, key) => this.getHead(k, key),
      computeRoot: (writes) =>
        this.rootAfter(this.staged?.update.root ?? this.currentRoot, writes, this.head),
    };
  }

  /** The durable app hash (queries and proofs); `head` may be a staged block ahead of it. */
  get root(): Uint8Array {
    return this.currentRoot;
  }

  get(key: Uint8Array): Uint8Array | undefined {
    return this.getKeyed(keyString(key), key);
  }

  getKeyed(k: string, key: Uint8Array): Uint8Array | undefined {
    // Query-index keys are never cached (nor read by handlers, see index-keys.ts): they would
    // only crowd out the records execution reads again.
    if (isIndexKey(key)) return this.db.getSyncPrefixed(Bucket.stateValue, key);
    const cached = this.cache.get(k);
    if (cached !== undefined) return cached === ABSENT ? undefined : cached;
    // Keys a tx creates (a vote, a follow, a new post's records) are read first to learn they are
    // absent: the tree's cached path usually says so without a LevelDB read.
    if (this.tree.containsCached(this.currentRootStr, key) === false) {
      this.cache.set(k, ABSENT);
      return undefined;
    }
    const value = this.db.getSyncPrefixed(Bucket.stateValue, key);
    this.cache.set(k, value ?? ABSENT);
    return value;
  }

  async range(
    prefix: Uint8Array,
    opts: { limit: number; after?: Uint8Array },
  ): Promise<Array<[Uint8Array, Uint8Array]>> {
    const start = prefixed(Bucket.stateValue, prefix);
    const rows = await this.db.range({
      ...(opts.after ? { gt: prefixed(Bucket.stateValue, opts.after) } : { gte: start }),
      lt: prefixEnd(start),
      limit: opts.limit,
    });
    return rows.map(([k, v]) => [k.subarray(1), v]);
  }

  /** A membership or absence proof; query-index keys are outside the tree and cannot be proven. */
  prove(key: Uint8Array): StateProof {
    if (isIndexKey(key))
      throw new CodedError(SdkErrors.InvalidRequest, "query-index keys are not in the app hash");
    return this.tree.prove(this.currentRoot, key);
  }

  private stagedNode(hash: Uint8Array): Uint8Array | undefined {
    const staged = this.staged;
    if (!staged) return undefined;
    if (staged.nodes === undefined) {
      const nodes = new Map<string, Uint8Array>();
      staged.update.nodes.forEach((h, node) => {
        nodes.set(latin1String(h), node);
      });
      staged.nodes = nodes;
    }
    return staged.nodes.get(latin1String(hash));
  }

  private getHead(k: string, key: Uint8Array): Uint8Array | undefined {
    const staged = this.staged?.values.get(k);
    if (staged !== undefined) return staged === ABSENT ? undefined : staged;
    return this.getKeyed(k, key);
  }

  /** Computes the root after `writes` (query-index keys left out), without touching the committed root. */
  computeRoot(writes: readonly StateWrite[]): TreeUpdateResult {
    return this.rootAfter(this.currentRoot, writes, this);
  }

  private rootAfter(root: Uint8Array, writes: readonly StateWrite[], at: KeyedReader): TreeUpdateResult {
    return this.tree.update(
      root,
      writes.filter((w) => !isIndexKey(w.key)),
      // The flat copy holds every key's value at `root`: the tree can recognise an updated key's
      // old leaf by hash instead of reading it back from LevelDB.
      { priorValue: (key) => at.get(key) },
    );
  }

  /** The batch operations that persist `writes` and the tree nodes produced for them. */
  commitOps(writes: readonly StateWrite[], nodes: TreeNodes): BatchOp[] {
    const ops: BatchOp[] = [];
    for (const w of writes) {
      ops.push(
        w.value === null
          ? { type: "del", bucket: Bucket.stateValue, key: w.key }
          : { type: "put", bucket: Bucket.stateValue, key: w.key, value: w.value },
      );
    }
    // The nodes' views are made here, right before the batch copies them.
    nodes.forEach((hash, node) => {
      ops.push({ type: "put", bucket: Bucket.treeNode, key: hash, value: node });
    });
    return ops;
  }

  /** Called once the batch holding `writes` and the nodes of `update` (their root) is durable. */
  markCommitted(writes: readonly StateWrite[], update: TreeUpdateResult): void {
    if (this.staged) throw new Error("committed state: a staged block must be committed first");
    this.stage(writes, update);
    this.commitStaged();
  }

  /**
   * Puts a decided block (computed on `head`) under `head` while its batch is written. One at a
   * time: the next block may execute on it, but is staged only after `commitStaged`.
   */
  stage(writes: readonly StateWrite[], update: TreeUpdateResult): void {
    if (this.staged) throw new Error("committed state: a block is already staged");
    const values = new Map<string, Uint8Array>();
    for (const w of writes) if (!isIndexKey(w.key)) values.set(w.keyLatin1, w.value ?? ABSENT);
    this.staged = { values, update };
  }

  /** The staged block's batch is durable: queries and proofs now see it too. */
  commitStaged(): void {
    const staged = this.staged;
    if (!staged) throw new Error("committed state: no block is staged");
    for (const [k, v] of staged.values) this.cache.set(k, v);
    this.staged = undefined;
    this.tree.markPersisted(staged.update.created);
    this.currentRoot = staged.update.root;
    this.currentRootStr = latin1String(staged.update.root);
  }
}
