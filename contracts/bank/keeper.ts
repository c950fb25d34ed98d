/** Balances and supply. Amounts are stored as decimal strings, the Cosmos `Int` JSON/proto form. */
import { decodeAddress } from "../../chain/crypto/address.js";
import { CodedError, SdkErrors } from "../../chain/errors/codes.js";
import { getOrCreateAccount } from "../auth/keeper.js";
import { type Coin, formatCoins } from "../lib/coins.js";
import { indexedEvent } from "../lib/events.js";
import { fromUtf8, key, ModulePrefix, utf8 } from "../lib/store.js";
import type { ExecContext, KVReader, KVStore } from "../types.js";

const BALANCE = 0x01;
const SUPPLY = 0x02;

export function balancePrefix(address: Uint8Array): Uint8Array {
  return key(new Uint8Array([ModulePrefix.bank, BALANCE]), address);
}

function balanceKey(address: Uint8Array, denom: string): Uint8Array {
  return key(balancePrefix(address), utf8(denom));
}

export const SUPPLY_PREFIX = new Uint8Array([ModulePrefix.bank, SUPPLY]);

function supplyKey(denom: string): Uint8Array {
  return key(SUPPLY_PREFIX, utf8(denom));
}

function readAmount(bytes: Uint8Array | undefined): bigint {
  return bytes ? BigInt(fromUtf8(bytes)) : 0n;
}

export function getBalance(store: KVReader, address: string, denom: string): bigint {
  return readAmount(store.get(balanceKey(decodeAddress(address), denom)));
}

function setBalance(store: KVStore, address: Uint8Array, denom: string, amount: bigint): void {
  const k = balanceKey(address, denom);
  // Zero balances are deleted, as in x/bank, so state holds only what exists.
  if (amount === 0n) store.delete(k);
  else store.set(k, utf8(amount.toString()));
}

export function getSupply(store: KVReader, denom: string): bigint {
  return readAmount(store.get(supplyKey(denom)));
}

/** Decodes a balance entry found by a prefix scan under `balancePrefix(address)`. */
export function balanceFromEntry(prefixLength: number, k: Uint8Array, v: Uint8Array): Coin {
  return { denom: fromUtf8(k.subarray(prefixLength)), amount: fromUtf8(v) };
}

export function supplyFromEntry(k: Uint8Array, v: Uint8Array): Coin {
  return { denom: fromUtf8(k.subarray(SUPPLY_PREFIX.length)), amount: fromUtf8(v) };
}

export function subtractCoins(ctx: ExecContext, address: string, coins: readonly Coin[]): void {
  const raw = decodeAddress(address);
  for (const c of coins) {
    const have = readAmount(ctx.store.get(balanceKey(raw, c.denom)));
    const want = BigInt(c.amount);
    if (have < want) {
      throw new CodedError(
        SdkErrors.InsufficientFunds,
        `spendable balance ${have}${c.denom} is smaller than ${c.amount}${c.denom}`,
      );
    }
    setBalance(ctx.store, raw, c.denom, have - want);
  }
  if (coins.length > 0)
    ctx.emit(indexedEvent("coin_spent", { spender: address, amount: formatCoins(coins) }, ["amount"]));
}

export function addCoins(ctx: ExecContext, address: string, coins: readonly Coin[]): void {
  const raw = decodeAddress(address);
  getOrCreateAccount(ctx.store, address);
  for (const c of coins) {
    const have = readAmount(ctx.store.get(balanceKey(raw, c.denom)));
    setBalance(ctx.store, raw, c.denom, have + BigInt(c.amount));
  }
  if (coins.length > 0)
    ctx.emit(indexedEvent("coin_received", { receiver: address, amount: formatCoins(coins) }, ["amount"]));
}

/** Moves coins between accounts, creating the recipient's account when it does not exist yet. */
export function sendCoins(ctx: ExecContext, from: string, to: string, coins: readonly Coin[]): void {
  subtractCoins(ctx, from, coins);
  addCoins(ctx, to, coins);
  ctx.emit(indexedEvent("transfer", { recipient: to, sender: from, amount: formatCoins(coins) }, ["amount"]));
}

/** Credits genesis balances and grows the supply; only genesis may create coins for now. */
export function mintGenesisCoins(store: KVStore, address: string, coins: readonly Coin[]): void {
  const raw = decodeAddress(address);
  for (const c of coins) {
    const amount = BigInt(c.amount);
    setBalance(store, raw, c.denom, readAmount(store.get(balanceKey(raw, c.denom))) + amount);
    store.set(supplyKey(c.denom), utf8((getSupply(store, c.denom) + amount).toString()));
  }
}

/** Destroys coins held by `from` and shrinks the supply (burned governance deposits). */
export function burnCoins(ctx: ExecContext, from: string, coins: readonly Coin[]): void {
  subtractCoins(ctx, from, coins);
  for (const c of coins)
    ctx.store.set(supplyKey(c.denom), utf8((getSupply(ctx.store, c.denom) - BigInt(c.amount)).toString()));
  if (coins.length > 0)
    ctx.emit(indexedEvent("burn", { burner: from, amount: formatCoins(coins) }, ["amount"]));
}
