/**
 * Blocks, commits, tx locations and tx results. `commitOps` returns the batch operations for one
 * block; the node writes them together with the state changes in a single fsynced batch.
 */
import type { AbciEvent } from "../../contracts/types.js";
import type { Block, Commit, TxResult } from "../types/block.js";
import {
  decodeBlock,
  decodeCommit,
  decodeTxResult,
  encodeBlock,
  encodeCommit,
  encodeTxResult,
} from "../types/codec.js";
import { LruCache } from "../util/lru.js";
import { Bucket, heightKey, prefixEnd, prefixed, readHeight } from "./buckets.js";
import type { BatchOp, Database } from "./database.js";
import { eventIndexKeys } from "./tx-index-keys.js";

/** The value of an index row, whose key is all it holds; empty, so nothing can change it. */
const NO_VALUE = new Uint8Array(0);
const LATEST_HEIGHT_KEY = prefixed(Bucket.meta, new TextEncoder().encode("latest_height"));
const GENESIS_APP_HASH_KEY = prefixed(Bucket.meta, new TextEncoder().encode("genesis_app_hash"));
const STATE_FORMAT_KEY = prefixed(Bucket.meta, new TextEncoder().encode("state_format"));

/**
 * The layout of the authenticated state tree this code writes: 2 = 16-ary, flat-hashed nodes
 * (chain/state/tree/node.ts). Homes made before it was recorded hold the binary tree (format 1),
 * whose nodes and app hashes this code cannot read or reproduce.
 */
export const STATE_FORMAT = 2;

export interface TxLocation {
  readonly height: bigint;
  readonly index: number;
}

export function txResultKey(height: bigint, index: number): Uint8Array {
  const out = new Uint8Array(13);
  out[0] = Bucket.txResult;
  const view = new DataView(out.buffer);
  view.setBigUint64(1, height);
  view.setUint32(9, index);
  return out;
}

export function locationFromResultKey(key: Uint8Array): TxLocation {
  return { height: readHeight(key, 1), index: new DataView(key.buffer, key.byteOffset).getUint32(9) };
}

export interface CommitBlockInput {
  readonly block: Block;
  readonly blockHash: Uint8Array;
  readonly seenCommit: Commit;
  readonly txHashes: readonly Uint8Array[];
  readonly results: readonly TxResult[];
  readonly endBlockEvents: readonly AbciEvent[];
}

export class BlockStore {
  private latest = 0n;
  private readonly blocks = new LruCache<bigint, Block>(64);

  constructor(private readonly db: Database) {}

  async load(): Promise<void> {
    const v = await this.db.get(LATEST_HEIGHT_KEY);
    this.latest = v ? readHeight(v, 0) : 0n;
  }

  get latestHeight(): bigint {
    return this.latest;
  }

  async genesisAppHash(): Promise<Uint8Array | undefined> {
    return this.db.get(GENESIS_APP_HASH_KEY);
  }

  /** The state tree format the home was created with (1 if it predates the record). */
  async stateFormat(): Promise<number> {
    const v = await this.db.get(STATE_FORMAT_KEY);
    return v?.length === 1 ? v[0]! : 1;
  }

  genesisOps(appHash: Uint8Array): BatchOp[] {
    return [
      { type: "put", key: GENESIS_APP_HASH_KEY, value: appHash },
      { type: "put", key: STATE_FORMAT_KEY, value: Uint8Array.of(STATE_FORMAT) },
    ];
  }

  async getBlock(height: bigint): Promise<Block | undefined> {
    const cached = this.blocks.get(height);
    if (cached) return cached;
    const bytes = await this.db.get(heightKey(Bucket.block, height));
    if (!bytes) return undefined;
    const block = decodeBlock(bytes);
    this.blocks.set(height, block);
    return block;
  }

  /** The committed block at `height`, read synchronously (for deterministic callers like evidence checks). */
  getBlockSync(height: bigint): Block | undefined {
    const cached = this.blocks.get(height);
    if (cached) return cached;
    const bytes = this.db.getSync(heightKey(Bucket.block, height));
    if (!bytes) return undefined;
    const block = decodeBlock(bytes);
    this.blocks.set(height, block);
    return block;
  }

  async getBlockBytes(height: bigint): Promise<Uint8Array | undefined> {
    return this.db.get(heightKey(Bucket.block, height));
  }

  async heightOf(blockHash: Uint8Array): Promise<bigint | undefined> {
    const v = await this.db.get(prefixed(Bucket.blockByHash, blockHash));
    return v ? readHeight(v, 0) : undefined;
  }

  async getSeenCommit(height: bigint): Promise<Commit | undefined> {
    const bytes = await this.db.get(heightKey(Bucket.seenCommit, height));
    return bytes ? decodeCommit(bytes) : undefined;
  }

  async getTxLocation(hash: Uint8Array): Promise<TxLocation | undefined> {
    const v = await this.db.get(prefixed(Bucket.txLocation, hash));
    if (!v) return undefined;
    return { height: readHeight(v, 0), index: new DataView(v.buffer, v.byteOffset).getUint32(8) };
  }

  async getTxResult(loc: TxLocation): Promise<TxResult | undefined> {
    const bytes = await this.db.get(txResultKey(loc.height, loc.index));
    return bytes ? decodeTxResult(bytes) : undefined;
  }

  /** Results of every tx of a block, in order. */
  async getBlockResults(height: bigint): Promise<TxResult[]> {
    const start = txResultKey(height, 0);
    const rows = await this.db.range({
      gte: start,
      lt: prefixEnd(heightKey(Bucket.txResult, height)),
      limit: 1_000_000,
    });
    return rows.map(([, v]) => decodeTxResult(v));
  }

  async getEndBlockEvents(height: bigint): Promise<AbciEvent[]> {
    const bytes = await this.db.get(heightKey(Bucket.blockEvents, height));
    return bytes ? [...decodeTxResult(bytes).events] : [];
  }

  commitOps(input: CommitBlockInput): BatchOp[] {
    const { block, blockHash, seenCommit, txHashes, results, endBlockEvents } = input;
    const height = block.header.height;
    const ops: BatchOp[] = [
      { type: "put", key: heightKey(Bucket.block, height), value: encodeBlock(block) },
      {
        type: "put",
        key: prefixed(Bucket.blockByHash, blockHash),
        value: heightKey(Bucket.meta, height).subarray(1),
      },
      { type: "put", key: heightKey(Bucket.seenCommit, height), value: encodeCommit(seenCommit) },
      { type: "put", key: LATEST_HEIGHT_KEY, value: heightKey(Bucket.meta, height).subarray(1) },
    ];
    ops.push(...this.txOps(height, txHashes, results, endBlockEvents));
    return ops;
  }

  /** The rows a block's txs add: end-block events, each tx's location and result, the event index. */
  txOps(
    height: bigint,
    txHashes: readonly Uint8Array[],
    results: readonly TxResult[],
    endBlockEvents: readonly AbciEvent[],
  ): BatchOp[] {
    const ops: BatchOp[] = [];
    if (endBlockEvents.length > 0) {
      // Stored in the TxResult encoding: only its events field is set.
      const value = encodeTxResult({
        code: 0,
        codespace: "",
        log: "",
        data: new Uint8Array(),
        gasWanted: 0n,
        gasUsed: 0n,
        events: endBlockEvents,
      });
      ops.push({ type: "put", key: heightKey(Bucket.blockEvents, height), value });
    }
    results.forEach((result, index) => {
      const resultKey = txResultKey(height, index);
      // A location is [height][index], the result key without its bucket byte (LevelDB copies both).
      ops.push({
        type: "put",
        key: prefixed(Bucket.txLocation, txHashes[index]!),
        value: resultKey.subarray(1),
      });
      ops.push({ type: "put", key: resultKey, value: encodeTxResult(result) });
      for (const k of eventIndexKeys(result.events, height, index))
        ops.push({ type: "put", key: k, value: NO_VALUE });
    });
    return ops;
  }

  markCommitted(block: Block): void {
    this.latest = block.header.height;
    this.blocks.set(this.latest, block);
  }
}
