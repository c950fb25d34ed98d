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

/** BaseAccount field 4 (sequence, varint): the last field, so a new sequence is an append. */
const SEQUENCE_TAG = (4 << 3) | 0;

interface AccountHead {
  readonly address: string;
  readonly accountNumber: bigint;
  /** Fields 1-3 (address, pub_key, account_number) as BaseAccount.encode writes them. */
  readonly bytes: Uint8Array;
}

/**
 * Every tx re-encodes its signer's account with only the sequence changed, in CheckTx and again in
 * the block: keep the bytes before the sequence, by the identity of the (immutable) pubKey the
 * account versions share, and append the sequence.
 */
const heads = new WeakMap<Any, AccountHead>();

function headOf(account: Account, pubKey: Any): AccountHead {
  const cached = heads.get(pubKey);
  if (cached?.address === account.address && cached.accountNumber === account.accountNumber) return cached;
  const head: AccountHead = {
    address: account.address,
    accountNumber: account.accountNumber,
    bytes: BaseAccount.encode(BaseAccount.fromPartial({ ...account, sequence: 0n })).finish(),
  };
  heads.set(pubKey, head);
  return head;
}

function varintLength(v: bigint): number {
  let n = 1;
  for (let x = v >> 7n; x > 0n; x >>= 7n) n++;
  return n;
}

/** The same bytes as BaseAccount.encode (proto3: a zero sequence is omitted). */
function encodeBaseAccount(account: Account): Uint8Array {
  const { pubKey } = account;
  if (pubKey === undefined) return BaseAccount.encode(BaseAccount.fromPartial(account)).finish();
  const head = headOf(account, pubKey).bytes;
  if (account.sequence === 0n) return head.slice();
  const out = new Uint8Array(head.length + 1 + varintLength(account.sequence));
  out.set(head);
  let at = head.length;
  out[at++] = SEQUENCE_TAG;
  let v = account.sequence;
  while (v >= 0x80n) {
    out[at++] = Number(v & 0x7fn) | 0x80;
    v >>= 7n;
  }
  out[at] = Number(v);
  return out;
}

export function encodeAccount(a: Account): Uint8Array {
  const account = accountOf(a);
  return accounts.remember(encodeBaseAccount(account), account);
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
