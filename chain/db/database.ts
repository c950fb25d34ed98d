/**
 * The node's LevelDB. Everything a block changes is written in one atomic, fsynced batch, so after
 * `kill -9` at any moment the node reopens at exactly the last committed block.
 */
import { Level } from "level";
import { type Bucket, prefixed } from "./buckets.js";

export type DbKey = Uint8Array;
export type DbValue = Uint8Array;

/**
 * A row to write or delete. With `bucket`, the stored key is that byte followed by `key`: the write
 * assembles it in its own buffer, so a caller need not allocate `prefixed(bucket, key)` for each of
 * a block's thousands of state values and tree nodes.
 */
export type BatchOp =
  | { type: "put"; bucket?: Bucket; key: DbKey; value: DbValue }
  | { type: "del"; bucket?: Bucket; key: DbKey };

export class DatabaseLockedError extends Error {
  readonly code = "DB_LOCKED";
  constructor(path: string) {
    super(`database ${path} is in use by another process (is another node running on this home?)`);
    this.name = "DatabaseLockedError";
  }
}

/**
 * V8 keeps a typed array of up to 64 bytes inside its heap object; longer ones have their bytes
 * outside the heap already, and a write hands them over as they are.
 */
const ON_HEAP_MAX_BYTES = 64;
/** Longest key (with its prefix byte) assembled in the read scratch; longer ones get their own array. */
const READ_SCRATCH_BYTES = 1024;

function copiedLength(row: Uint8Array): number {
  return row.length <= ON_HEAP_MAX_BYTES ? row.length : 0;
}

/** Bytes a key takes in the slab: a bucketed key is always assembled there. */
function copiedKeyLength(op: BatchOp): number {
  return op.bucket === undefined ? copiedLength(op.key) : 1 + op.key.length;
}

/** One buffer holding copies of a batch's rows, in order. */
class RowSlab {
  private readonly bytes: Uint8Array;
  private offset = 0;

  constructor(ops: readonly BatchOp[]) {
    let size = 0;
    for (const op of ops) {
      size += copiedKeyLength(op);
      if (op.type === "put") size += copiedLength(op.value);
    }
    this.bytes = new Uint8Array(size);
  }

  view(row: Uint8Array): Uint8Array {
    if (row.length > ON_HEAP_MAX_BYTES) return row;
    const start = this.offset;
    this.bytes.set(row, start);
    this.offset = start + row.length;
    return this.bytes.subarray(start, this.offset);
  }

  key(op: BatchOp): Uint8Array {
    if (op.bucket === undefined) return this.view(op.key);
    const start = this.offset;
    this.bytes[start] = op.bucket;
    this.bytes.set(op.key, start + 1);
    this.offset = start + 1 + op.key.length;
    return this.bytes.subarray(start, this.offset);
  }
}

export class Database {
  private readonly level: Level<DbKey, DbValue>;
  private readonly readScratch = new Uint8Array(READ_SCRATCH_BYTES);

  constructor(readonly path: string) {
    this.level = new Level<DbKey, DbValue>(path, {
      keyEncoding: "view",
      valueEncoding: "view",
      // A block's batch (state values, tree nodes, block, index) is several MB at high load; with
      // LevelDB's 4 MB default every commit would flush the memtable and stall on compactions.
      writeBufferSize: 64 * 1024 * 1024,
      cacheSize: 256 * 1024 * 1024,
      maxFileSize: 16 * 1024 * 1024,
    });
  }

  async open(): Promise<void> {
    try {
      await this.level.open();
    } catch (err) {
      const cause = (err as { cause?: { code?: string } }).cause;
      if (cause?.code === "LEVEL_LOCKED") throw new DatabaseLockedError(this.path);
      throw err;
    }
  }

  async close(): Promise<void> {
    await this.level.close();
  }

  /** Synchronous point read (abstract-level 3): ~4x the rate of an awaited get. */
  getSync(key: DbKey): DbValue | undefined {
    return this.level.getSync(key) ?? undefined;
  }

  /**
   * `getSync(bucket ‖ key)` without allocating the key: it is assembled in a reused buffer outside
   * V8's heap. A key made with `new Uint8Array` of up to 64 bytes lives on the heap, and handing it
   * to LevelDB's native binding first moves it out (a new ArrayBuffer) — more than the read itself
   * costs when the row is in the cache.
   */
  getSyncPrefixed(bucket: Bucket, key: DbKey): DbValue | undefined {
    if (key.length >= READ_SCRATCH_BYTES) return this.getSync(prefixed(bucket, key));
    this.readScratch[0] = bucket;
    this.readScratch.set(key, 1);
    return this.getSync(this.readScratch.subarray(0, key.length + 1));
  }

  async get(key: DbKey): Promise<DbValue | undefined> {
    return (await this.level.get(key)) ?? undefined;
  }

  async getMany(keys: DbKey[]): Promise<Array<DbValue | undefined>> {
    return (await this.level.getMany(keys)).map((v) => v ?? undefined);
  }

  /**
   * Atomic batch; `sync` fsyncs before resolving (one fsync per block, ~20 ms on this disk). Uses
   * the chained batch: 2.5-3x faster than level's array form for a block's tens of thousands of ops.
   *
   * Small keys and values are first copied into one buffer and handed over as views of it. An array
   * of up to 64 bytes lives inside V8's heap, and the native binding would first move each out to
   * its own ArrayBuffer: with the copy a block's write costs ~0.25 µs a row less, and leaves less
   * garbage (`scripts/bench/batch-put.mjs`, docs/benchmarks.md).
   */
  write(ops: readonly BatchOp[], opts: { sync: boolean }): Promise<void> {
    // Not async: once the rows are in the batch, nothing here holds `ops` while the write and its
    // fsync run, so a caller that does not keep them lets them die young.
    try {
      return this.fillBatch(ops).write({ sync: opts.sync });
    } catch (err) {
      return Promise.reject(err);
    }
  }

  private fillBatch(ops: readonly BatchOp[]) {
    const slab = new RowSlab(ops);
    const batch = this.level.batch();
    for (const op of ops) {
      if (op.type === "put") batch.put(slab.key(op), slab.view(op.value));
      else batch.del(slab.key(op));
    }
    return batch;
  }

  /** Entries in [gte, lt), in key order, at most `limit`, optionally in reverse. */
  async range(opts: {
    gte?: DbKey;
    gt?: DbKey;
    lt: DbKey;
    limit: number;
    reverse?: boolean;
  }): Promise<Array<[DbKey, DbValue]>> {
    return this.level.iterator(opts).all();
  }

  /**
   * Rewrites the key range [start, end) on disk, dropping deleted entries (and flushing the write
   * log first): after it, what was deleted there is no longer in any file.
   */
  async compactRange(start: DbKey, end: DbKey): Promise<void> {
    await (this.level as unknown as { compactRange(s: DbKey, e: DbKey): Promise<void> }).compactRange(
      start,
      end,
    );
  }

  /** Keys only, for index scans. */
  async keys(opts: {
    gte?: DbKey;
    gt?: DbKey;
    lt: DbKey;
    limit: number;
    reverse?: boolean;
  }): Promise<DbKey[]> {
    return this.level.keys(opts).all();
  }
}
