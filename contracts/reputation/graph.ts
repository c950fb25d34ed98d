/**
 * The trust graph's compact index: maintained by the Msg handlers a few point writes at a time and
 * read by the epoch end block with point reads only (a KVStore cannot scan). Every account that
 * rated, was rated, attested, was attested, is pre-trusted or owns a scored agent is a node with
 * a dense index; every (rater, subject) pair with a rating or an attestation is one out-edge of
 * the rater, kept in the rater's edge chunks in creation order.
 *
 * Keys (prefix 0x08):
 *   10|addr                         → node: index u32 · out-edge count u32 (big-endian)
 *   11|chunk u32                    → node addresses chunk·64 … chunk·64+63, 20 bytes each
 *   12                              → node count (uint64)
 *   13|rater index u32|chunk u32    → the rater's out-edges chunk·32 … chunk·32+31, 8 bytes each:
 *                                     subject index u32 · rating byte · attestation byte · 0 · 0
 *   14|rater addr|subject addr      → the pair's edge slot (u32)
 *   15                              → pre-trusted addresses, 20 bytes each, in genesis order
 *
 * The rating byte is 0 (no rating) or `stars | 0x80 if helped`; the attestation byte is 0 or 1.
 * Weights are derived from these at the epoch, so a change of params applies to every edge.
 */
import { ADDRESS_LENGTH, decodeAddress } from "../../chain/crypto/address.js";
import { key, ModulePrefix, readUint64, uint64Bytes } from "../lib/store.js";
import type { KVReader, KVStore } from "../types.js";

const P = ModulePrefix.reputation;
const NODE_PREFIX = new Uint8Array([P, 0x10]);
const NODE_CHUNK_PREFIX = new Uint8Array([P, 0x11]);
const NODE_COUNT_KEY = new Uint8Array([P, 0x12]);
const EDGE_CHUNK_PREFIX = new Uint8Array([P, 0x13]);
const EDGE_SLOT_PREFIX = new Uint8Array([P, 0x14]);
const PRETRUSTED_KEY = new Uint8Array([P, 0x15]);

export const NODES_PER_CHUNK = 64;
export const EDGES_PER_CHUNK = 32;
export const EDGE_BYTES = 8;
const FULL_EDGE_CHUNK = EDGES_PER_CHUNK * EDGE_BYTES;

function u32(value: number): Uint8Array {
  const out = new Uint8Array(4);
  out[0] = value >>> 24;
  out[1] = (value >>> 16) & 0xff;
  out[2] = (value >>> 8) & 0xff;
  out[3] = value & 0xff;
  return out;
}

function readU32(b: Uint8Array, offset = 0): number {
  return ((b[offset]! << 24) | (b[offset + 1]! << 16) | (b[offset + 2]! << 8) | b[offset + 3]!) >>> 0;
}

const nodeKey = (addr: Uint8Array) => key(NODE_PREFIX, addr);
const nodeChunkKey = (chunk: number) => key(NODE_CHUNK_PREFIX, u32(chunk));
const edgeChunkKey = (rater: number, chunk: number) => key(EDGE_CHUNK_PREFIX, u32(rater), u32(chunk));
const edgeSlotKey = (rater: Uint8Array, subject: Uint8Array) => key(EDGE_SLOT_PREFIX, rater, subject);

export interface GraphNode {
  readonly index: number;
  readonly outEdges: number;
}

export function nodeCount(store: KVReader): number {
  const b = store.get(NODE_COUNT_KEY);
  return b ? Number(readUint64(b)) : 0;
}

export function getNode(store: KVReader, addr: Uint8Array): GraphNode | undefined {
  const b = store.get(nodeKey(addr));
  return b ? { index: readU32(b, 0), outEdges: readU32(b, 4) } : undefined;
}

function writeNode(store: KVStore, addr: Uint8Array, node: GraphNode): void {
  store.set(nodeKey(addr), key(u32(node.index), u32(node.outEdges)));
}

/** The account's node, added at the end of the index if it has none yet. */
export function ensureNode(store: KVStore, addr: Uint8Array): GraphNode {
  const existing = getNode(store, addr);
  if (existing) return existing;
  const index = nodeCount(store);
  const node = { index, outEdges: 0 };
  writeNode(store, addr, node);
  const ck = nodeChunkKey(Math.floor(index / NODES_PER_CHUNK));
  const chunk = store.get(ck) ?? new Uint8Array();
  const next = new Uint8Array(chunk.length + ADDRESS_LENGTH);
  next.set(chunk);
  next.set(addr, chunk.length);
  store.set(ck, next);
  store.set(NODE_COUNT_KEY, uint64Bytes(BigInt(index + 1)));
  return node;
}

export const RATING_HELPED_BIT = 0x80;

export function ratingByte(helped: boolean, stars: number): number {
  return (stars & 0x7f) | (helped ? RATING_HELPED_BIT : 0);
}

export interface EdgeChange {
  /** New rating byte (see ratingByte); left out keeps the current one. */
  readonly rating?: number;
  /** New attestation flag; left out keeps the current one. */
  readonly attested?: boolean;
}

/** Records a change of the (rater, subject) edge, creating the nodes and the edge as needed. */
export function updateEdge(store: KVStore, rater: string, subject: string, change: EdgeChange): void {
  const r = decodeAddress(rater);
  const s = decodeAddress(subject);
  const raterNode = ensureNode(store, r);
  const subjectNode = ensureNode(store, s);
  const sk = edgeSlotKey(r, s);
  const slotBytes = store.get(sk);
  let slot: number;
  if (slotBytes) {
    slot = readU32(slotBytes);
  } else {
    slot = raterNode.outEdges;
    writeNode(store, r, { index: raterNode.index, outEdges: slot + 1 });
    store.set(sk, u32(slot));
  }
  const ck = edgeChunkKey(raterNode.index, Math.floor(slot / EDGES_PER_CHUNK));
  const old = store.get(ck) ?? new Uint8Array();
  const offset = (slot % EDGES_PER_CHUNK) * EDGE_BYTES;
  const chunk = new Uint8Array(Math.max(old.length, offset + EDGE_BYTES));
  chunk.set(old);
  chunk.set(u32(subjectNode.index), offset);
  if (change.rating !== undefined) chunk[offset + 4] = change.rating;
  if (change.attested !== undefined) chunk[offset + 5] = change.attested ? 1 : 0;
  store.set(ck, chunk);
}

export function setPretrusted(store: KVStore, addresses: readonly string[]): void {
  const bytes = new Uint8Array(addresses.length * ADDRESS_LENGTH);
  addresses.forEach((a, i) => {
    const addr = decodeAddress(a);
    bytes.set(addr, i * ADDRESS_LENGTH);
    ensureNode(store, addr);
  });
  store.set(PRETRUSTED_KEY, bytes);
}

export function getPretrusted(store: KVReader): Uint8Array[] {
  const b = store.get(PRETRUSTED_KEY);
  const out: Uint8Array[] = [];
  if (!b) return out;
  for (let i = 0; i + ADDRESS_LENGTH <= b.length; i += ADDRESS_LENGTH)
    out.push(b.subarray(i, i + ADDRESS_LENGTH));
  return out;
}

/** The whole index as the epoch reads it: nodes in index order, out-edges grouped by rater (CSR). */
export interface StoredGraph {
  readonly n: number;
  /** Node i's address is `addresses[i*20 … i*20+20)`. */
  readonly addresses: Uint8Array;
  /** Rater i's edges are positions rowStart[i] … rowStart[i+1]-1 of the edge arrays. */
  readonly rowStart: Int32Array;
  readonly target: Int32Array;
  readonly rating: Uint8Array;
  readonly attested: Uint8Array;
}

export function addressAt(graph: Pick<StoredGraph, "addresses">, index: number): Uint8Array {
  return graph.addresses.subarray(index * ADDRESS_LENGTH, (index + 1) * ADDRESS_LENGTH);
}

/** Every node's address (20 bytes each, in index order) with ⌈n/64⌉ point reads. */
export function readNodeAddresses(store: KVReader, n = nodeCount(store)): Uint8Array {
  const addresses = new Uint8Array(n * ADDRESS_LENGTH);
  for (let c = 0; c * NODES_PER_CHUNK < n; c++) {
    const chunk = store.get(nodeChunkKey(c));
    if (chunk)
      addresses.set(
        chunk.subarray(0, Math.min(chunk.length, addresses.length - c * NODES_PER_CHUNK * ADDRESS_LENGTH)),
        c * NODES_PER_CHUNK * ADDRESS_LENGTH,
      );
  }
  return addresses;
}

/** Reads the index with ⌈n/64⌉ + n + ⌈edges/32⌉ point reads. */
export function readGraph(store: KVReader): StoredGraph {
  const n = nodeCount(store);
  const addresses = readNodeAddresses(store, n);
  const rowStart = new Int32Array(n + 1);
  let capacity = Math.max(1024, n * 4);
  let target = new Int32Array(capacity);
  let rating = new Uint8Array(capacity);
  let attested = new Uint8Array(capacity);
  let m = 0;
  for (let i = 0; i < n; i++) {
    rowStart[i] = m;
    for (let c = 0; ; c++) {
      const chunk = store.get(edgeChunkKey(i, c));
      if (!chunk) break;
      const count = Math.floor(chunk.length / EDGE_BYTES);
      if (m + count > capacity) {
        capacity = Math.max(capacity * 2, m + count);
        const t = new Int32Array(capacity);
        t.set(target);
        target = t;
        const r = new Uint8Array(capacity);
        r.set(rating);
        rating = r;
        const a = new Uint8Array(capacity);
        a.set(attested);
        attested = a;
      }
      for (let e = 0; e < count; e++) {
        const o = e * EDGE_BYTES;
        target[m] = readU32(chunk, o);
        rating[m] = chunk[o + 4]!;
        attested[m] = chunk[o + 5]!;
        m++;
      }
      if (chunk.length < FULL_EDGE_CHUNK) break;
    }
  }
  rowStart[n] = m;
  return {
    n,
    addresses,
    rowStart,
    target: target.subarray(0, m),
    rating: rating.subarray(0, m),
    attested: attested.subarray(0, m),
  };
}
