/**
 * tx_search over the event index. Each condition yields the set of txs it matches, from an index
 * scan; the answer is their intersection, ordered by (height, index) and paged.
 */
import { fromHex } from "../crypto/hash.js";
import { matchesValue, type QueryCondition } from "../query/tx-query.js";
import { type BlockStore, locationFromResultKey, type TxLocation, txResultKey } from "./block-store.js";
import { Bucket, heightKey, prefixEnd } from "./buckets.js";
import type { Database } from "./database.js";
import {
  compositeKeyPrefix,
  compositeValuePrefix,
  isIndexableKey,
  locationFromIndexKey,
  valueFromIndexKey,
} from "./tx-index-keys.js";

/** A query matching more txs than this is refused rather than allowed to exhaust memory. */
export const MAX_SCAN = 200_000;

export class TxSearchError extends Error {
  readonly code = "TX_SEARCH";
  constructor(message: string) {
    super(message);
    this.name = "TxSearchError";
  }
}

const locKey = (l: TxLocation): string => `${l.height}:${l.index}`;

function parseLocKey(k: string): TxLocation {
  const [h, i] = k.split(":");
  return { height: BigInt(h!), index: Number(i) };
}

async function scanIndex(
  db: Database,
  prefix: Uint8Array,
  filter?: (key: Uint8Array) => boolean,
): Promise<Set<string>> {
  const keys = await db.keys({ gte: prefix, lt: prefixEnd(prefix), limit: MAX_SCAN + 1 });
  if (keys.length > MAX_SCAN)
    throw new TxSearchError(`query matches more than ${MAX_SCAN} index entries; narrow it`);
  const out = new Set<string>();
  for (const k of keys) if (!filter || filter(k)) out.add(locKey(locationFromIndexKey(k)));
  return out;
}

async function heightRange(db: Database, from: bigint, to: bigint): Promise<Set<string>> {
  if (from > to) return new Set();
  const keys = await db.keys({
    gte: txResultKey(from, 0),
    lt: prefixEnd(heightKey(Bucket.txResult, to)),
    limit: MAX_SCAN + 1,
  });
  if (keys.length > MAX_SCAN) throw new TxSearchError(`query matches more than ${MAX_SCAN} txs; narrow it`);
  return new Set(keys.map((k) => locKey(locationFromResultKey(k))));
}

async function matchCondition(
  db: Database,
  store: BlockStore,
  cond: QueryCondition,
): Promise<Set<string> | "all"> {
  if (cond.key === "tm.event") return "all"; // every indexed tx is a Tx event
  if (cond.key === "tx.hash") {
    if (cond.op !== "=" || !cond.value) throw new TxSearchError("tx.hash supports only =");
    let hash: Uint8Array;
    try {
      hash = fromHex(cond.value.text);
    } catch {
      return new Set();
    }
    const loc = await store.getTxLocation(hash);
    return new Set(loc ? [locKey(loc)] : []);
  }
  if (cond.key === "tx.height") {
    const latest = store.latestHeight;
    if (cond.op === "EXISTS") return "all";
    const n = cond.value && /^\d+$/.test(cond.value.text) ? BigInt(cond.value.text) : undefined;
    if (n === undefined) throw new TxSearchError("tx.height needs an integer");
    switch (cond.op) {
      case "=":
        return heightRange(db, n, n);
      case "<":
        return heightRange(db, 1n, n - 1n);
      case "<=":
        return heightRange(db, 1n, n);
      case ">":
        return heightRange(db, n + 1n, latest);
      case ">=":
        return heightRange(db, n, latest);
      default:
        throw new TxSearchError("tx.height does not support CONTAINS");
    }
  }
  if (!isIndexableKey(cond.key)) return new Set();
  if (cond.op === "=" && cond.value?.kind === "string")
    return scanIndex(db, compositeValuePrefix(cond.key, cond.value.text));
  return scanIndex(db, compositeKeyPrefix(cond.key), (k) => matchesValue(cond, valueFromIndexKey(k)));
}

export interface TxSearchPage {
  readonly total: number;
  readonly locations: readonly TxLocation[];
}

export async function searchTxs(
  db: Database,
  store: BlockStore,
  conditions: readonly QueryCondition[],
  opts: { page: number; perPage: number; orderDesc: boolean },
): Promise<TxSearchPage> {
  let result: Set<string> | undefined;
  for (const cond of conditions) {
    const matched = await matchCondition(db, store, cond);
    if (matched === "all") continue;
    result = result ? new Set([...result].filter((k) => matched.has(k))) : matched;
    if (result.size === 0) break;
  }
  if (!result) result = await heightRange(db, 1n, store.latestHeight);
  const sorted = [...result]
    .map(parseLocKey)
    .sort((a, b) => (a.height === b.height ? a.index - b.index : a.height < b.height ? -1 : 1));
  if (opts.orderDesc) sorted.reverse();
  const start = (opts.page - 1) * opts.perPage;
  return { total: sorted.length, locations: sorted.slice(start, start + opts.perPage) };
}
