/**
 * Interactions and karma: what other modules record as people and agents deal with each other,
 * and what reputation builds on. A rating must point at a real interaction between rater and
 * rated (a reply, a bounty, a DM thread both sides acknowledged on chain), so ratings cannot be
 * sprayed at strangers.
 *
 * Keys (prefix 0x08): 01|lower addr|higher addr → Interaction · 02|addr → karma (int64 BE, biased).
 */
import { defineMessage } from "../../chain/codec/proto-message.js";
import { decodeAddress } from "../../chain/crypto/address.js";
import { key, ModulePrefix, readUint64, uint64Bytes } from "../lib/store.js";
import type { ExecContext, KVReader } from "../types.js";

export enum InteractionKind {
  REPLY = 1,
  BOUNTY = 2,
  DM_THREAD = 4,
}

/** Everything two accounts have done together, whichever of them started it. */
export interface Interaction {
  /** Bit set of InteractionKind. */
  kinds: number;
  count: bigint;
  firstHeight: bigint;
  lastHeight: bigint;
}

export const Interaction = defineMessage<Interaction>("vivim.reputation.v1.Interaction", [
  { no: 1, name: "kinds", kind: "uint32" },
  { no: 2, name: "count", kind: "uint64" },
  { no: 3, name: "firstHeight", kind: "int64" },
  { no: 4, name: "lastHeight", kind: "int64" },
]);

const P = ModulePrefix.reputation;
export const INTERACTION_PREFIX = new Uint8Array([P, 0x01]);
export const KARMA_PREFIX = new Uint8Array([P, 0x02]);
/** Karma is signed; stored as value + 2^63 so the bytes sort in numeric order. */
const KARMA_BIAS = 1n << 63n;

function compare(a: Uint8Array, b: Uint8Array): number {
  for (let i = 0; i < a.length && i < b.length; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return a.length - b.length;
}

export function interactionKey(a: string, b: string): Uint8Array {
  const x = decodeAddress(a);
  const y = decodeAddress(b);
  return compare(x, y) <= 0 ? key(INTERACTION_PREFIX, x, y) : key(INTERACTION_PREFIX, y, x);
}

export function getInteraction(store: KVReader, a: string, b: string): Interaction | undefined {
  const bytes = store.get(interactionKey(a, b));
  return bytes ? Interaction.decode(bytes) : undefined;
}

/** Notes that `a` and `b` interacted (no-op for an account with itself). */
export function recordInteraction(ctx: ExecContext, a: string, b: string, kind: InteractionKind): void {
  if (a === b) return;
  const k = interactionKey(a, b);
  const bytes = ctx.store.get(k);
  const height = ctx.block.height;
  const prev = bytes ? Interaction.decode(bytes) : undefined;
  const next: Interaction = {
    kinds: (prev?.kinds ?? 0) | kind,
    count: (prev?.count ?? 0n) + 1n,
    firstHeight: prev?.firstHeight ?? height,
    lastHeight: height,
  };
  ctx.store.set(k, Interaction.toBytes(next));
}

export function karmaKey(address: string): Uint8Array {
  return key(KARMA_PREFIX, decodeAddress(address));
}

export function getKarma(store: KVReader, address: string): bigint {
  const bytes = store.get(karmaKey(address));
  return bytes ? readUint64(bytes) - KARMA_BIAS : 0n;
}

/** Adds `delta` (±) to an author's karma, as votes on their content come and go. */
export function addKarma(ctx: ExecContext, address: string, delta: bigint): void {
  if (delta === 0n) return;
  const next = getKarma(ctx.store, address) + delta;
  // No event of its own: the vote event that caused it already says everything.
  ctx.store.set(karmaKey(address), uint64Bytes(next + KARMA_BIAS));
}
