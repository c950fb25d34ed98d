/**
 * The node's LevelDB. Everything a block changes is written in one atomic, fsynced batch, so after
 * `kill -9` at any moment the node reopens at exactly the last committed block.
 */
import { Level } from "level";

export type DbKey = Uint8Array;
export type DbValue = Uint8Array;

export type BatchOp = { type: "put"; key: DbKey; value: DbValue } | { type: "del"; key: DbKey };

export class DatabaseLockedError extends Error {
  readonly code = "DB_LOCKED";
  constructor(path: string) {
    super(`database ${path} is in use by another process (is another node running on this home?)`);
    this.name = "DatabaseLockedError";
  }
}

export class Database {
  private readonly level: Level<DbKey, DbValue>;

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

  async get(key: DbKey): Promise<DbValue | undefined> {
    return (await this.level.get(key)) ?? undefined;
  }

  async getMany(keys: DbKey[]): Promise<Array<DbValue | undefined>> {
    return (await this.level.getMany(keys)).map((v) => v ?? undefined);
  }

  /**
   * Atomic batch; `sync` fsyncs before resolving (one fsync per block, ~20 ms on this disk). Uses
   * the chained batch: 2.5-3x faster than level's array form for a block's tens of thousands of ops.
   */
  async write(ops: BatchOp[], opts: { sync: boolean }): Promise<void> {
    const batch = this.level.batch();
    for (const op of ops) {
      if (op.type === "put") batch.put(op.key, op.value);
      else batch.del(op.key);
    }
    await batch.write({ sync: opts.sync });
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
