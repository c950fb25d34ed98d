/**
 * Accounts: number, sequence and public key per address, stored as cosmos.auth.v1beta1.BaseAccount
 * so abci_query can return the stored bytes to cosmjs as they are.
 */
import { BaseAccount } from "cosmjs-types/cosmos/auth/v1beta1/auth";
import type { Any } from "cosmjs-types/google/protobuf/any";
import { decodeAddress, encodeAddress } from "../../chain/crypto/address.js";
import { sha256 } from "../../chain/crypto/hash.js";
import { DecodedByIdentity } from "../lib/decoded-by-identity.js";
import { key, ModulePrefix, readUint64, uint64Bytes, utf8 } from "../lib/store.js";
import type { KVReader, KVStore } from "../types.js";

const ACCOUNT = 0x01;
const NEXT_ACCOUNT_NUMBER = 0x02;
const PARAMS = 0x03;

export interface Account {
  readonly address: string;
  readonly pubKey: Any | undefined;
  readonly accountNumber: bigint;
  readonly sequence: bigint;
}

export function accountKey(address: Uint8Array): Uint8Array {
  return key(new Uint8Array([ModulePrefix.auth, ACCOUNT]), address);
}

export const ACCOUNT_KEY_PREFIX = new Uint8Array([ModulePrefix.auth, ACCOUNT]);
const NEXT_NUMBER_KEY = new Uint8Array([ModulePrefix.auth, NEXT_ACCOUNT_NUMBER]);
export const AUTH_PARAMS_KEY = new Uint8Array([ModulePrefix.auth, PARAMS]);

/** The address of a module account: the first 20 bytes of sha256(name), as x/auth derives it. */
export function moduleAddress(name: string): string {
  return encodeAddress(sha256(utf8(name)).subarray(0, 20));
}

function accountOf(a: Omit<Account, "pubKey"> & { readonly pubKey?: Any | undefined }): Account {
  return { address: a.address, pubKey: a.pubKey, accountNumber: a.accountNumber, sequence: a.sequence };
}

/** Every tx reads its signers' accounts in CheckTx and again in the block: decode each version once. */
const accounts = new DecodedByIdentity((bytes) => accountOf(BaseAccount.decode(bytes)));

export function decodeAccount(bytes: Uint8Array): Account {
  return accounts.decode(bytes);
}

export function encodeAccount(a: Account): Uint8Array {
  const account = accountOf(a);
  return accounts.remember(BaseAccount.encode(BaseAccount.fromPartial(account)).finish(), account);
}

export function getAccount(store: KVReader, address: string): Account | undefined {
  const bytes = store.get(accountKey(decodeAddress(address)));
  return bytes ? decodeAccount(bytes) : undefined;
}

export function setAccount(store: KVStore, account: Account): void {
  store.set(accountKey(decodeAddress(account.address)), encodeAccount(account));
}

/** Creates an account with the next account number (numbers are never reused). */
export function createAccount(store: KVStore, address: string): Account {
  const next = store.get(NEXT_NUMBER_KEY);
  const accountNumber = next ? readUint64(next) : 0n;
  store.set(NEXT_NUMBER_KEY, uint64Bytes(accountNumber + 1n));
  const account: Account = { address, pubKey: undefined, accountNumber, sequence: 0n };
  setAccount(store, account);
  return account;
}

export function getOrCreateAccount(store: KVStore, address: string): Account {
  return getAccount(store, address) ?? createAccount(store, address);
}
