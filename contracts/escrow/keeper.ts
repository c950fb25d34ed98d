/**
 * Escrow state access: bounty records and their list indexes, and the money movements of the
 * module (all through the bank keeper, so every movement emits the usual transfer events).
 */
import { CodedError } from "../../chain/errors/codes.js";
import { sendCoins } from "../bank/keeper.js";
import { BASE_DENOM } from "../lib/coins.js";
import type { Coin } from "../lib/proto-common.js";
import { readUint64, uint64Bytes } from "../lib/store.js";
import { TREASURY_ADDRESS } from "../treasury/keeper.js";
import type { ExecContext, KVReader, KVStore } from "../types.js";
import { EscrowErrors } from "./errors.js";
import { EscrowKeys } from "./keys.js";
import { BPS, ESCROW_ADDRESS } from "./params.js";
import { Bounty } from "./records.js";

const PRESENT = new Uint8Array([1]);

export function getBounty(store: KVReader, id: bigint): Bounty | undefined {
  const bytes = store.get(EscrowKeys.bounty(id));
  return bytes ? Bounty.decode(bytes) : undefined;
}

export function requireBounty(store: KVReader, id: bigint): Bounty {
  const bounty = getBounty(store, id);
  if (!bounty) throw new CodedError(EscrowErrors.BountyNotFound, `bounty ${id}`);
  return bounty;
}

export function nextBountyId(store: KVStore): bigint {
  const bytes = store.get(EscrowKeys.nextId());
  const id = bytes ? readUint64(bytes) : 1n;
  store.set(EscrowKeys.nextId(), uint64Bytes(id + 1n));
  return id;
}

function indexKeys(b: Bounty): Uint8Array[] {
  const keys = [
    EscrowKeys.all(b.id),
    EscrowKeys.status(b.status, b.id),
    EscrowKeys.creator(b.creator, b.id),
    EscrowKeys.creatorStatus(b.creator, b.status, b.id),
  ];
  if (b.worker)
    keys.push(EscrowKeys.worker(b.worker, b.id), EscrowKeys.workerStatus(b.worker, b.status, b.id));
  return keys;
}

const hex = (k: Uint8Array) => Buffer.from(k).toString("hex");

/**
 * Writes `next` and moves its index entries from where `prev` (the stored version, if any) had
 * them: at most a few deletes and sets per status change.
 */
export function saveBounty(store: KVStore, prev: Bounty | undefined, next: Bounty): void {
  store.set(EscrowKeys.bounty(next.id), Bounty.toBytes(next));
  const before = prev ? indexKeys(prev) : [];
  const after = indexKeys(next);
  const keep = new Set(after.map(hex));
  const had = new Set(before.map(hex));
  for (const k of before) if (!keep.has(hex(k))) store.delete(k);
  for (const k of after) if (!had.has(hex(k))) store.set(k, PRESENT);
}

/** The uvivim amount of a one-coin list (bounties hold exactly one uvivim coin). */
export function uvivimOf(coins: readonly Coin[]): bigint {
  let total = 0n;
  for (const c of coins) if (c.denom === BASE_DENOM) total += BigInt(c.amount);
  return total;
}

export function uvivim(amount: bigint): Coin[] {
  return amount > 0n ? [{ denom: BASE_DENOM, amount: amount.toString() }] : [];
}

/** `amount * bps / 10000`, rounded down. */
export function bpsOf(amount: bigint, bps: number | bigint): bigint {
  return (amount * BigInt(bps)) / BPS;
}

export function escrowFunds(ctx: ExecContext, from: string, amount: readonly Coin[]): void {
  sendCoins(ctx, from, ESCROW_ADDRESS, amount);
}

/**
 * Pays `gross` uvivim out of escrow to `worker`, the fee (`feeBps` of it, rounded down) to the
 * treasury; returns what each got.
 */
export function payWorker(
  ctx: ExecContext,
  worker: string,
  gross: bigint,
  feeBps: number,
): { payout: bigint; fee: bigint } {
  const fee = bpsOf(gross, feeBps);
  const payout = gross - fee;
  if (payout > 0n) sendCoins(ctx, ESCROW_ADDRESS, worker, uvivim(payout));
  if (fee > 0n) sendCoins(ctx, ESCROW_ADDRESS, TREASURY_ADDRESS, uvivim(fee));
  return { payout, fee };
}

export function refund(ctx: ExecContext, creator: string, amount: bigint): void {
  if (amount > 0n) sendCoins(ctx, ESCROW_ADDRESS, creator, uvivim(amount));
}
