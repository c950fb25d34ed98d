import { BaseAccount } from "cosmjs-types/cosmos/auth/v1beta1/auth";
import { PubKey as Ed25519PubKey } from "cosmjs-types/cosmos/crypto/ed25519/keys";
import { PubKey as Secp256k1PubKey } from "cosmjs-types/cosmos/crypto/secp256k1/keys";
import type { Any } from "cosmjs-types/google/protobuf/any";
import { describe, expect, it } from "vitest";
import { encodeAddress } from "../../chain/crypto/address.js";
import { type Account, decodeAccount, encodeAccount } from "./keeper.js";

const address = (seed: number) => encodeAddress(new Uint8Array(20).fill(seed));
const secp: Any = {
  typeUrl: "/cosmos.crypto.secp256k1.PubKey",
  value: Secp256k1PubKey.encode({ key: new Uint8Array(33).fill(3) }).finish(),
};
const ed: Any = {
  typeUrl: "/cosmos.crypto.ed25519.PubKey",
  value: Ed25519PubKey.encode({ key: new Uint8Array(32).fill(9) }).finish(),
};
const reference = (a: Account) => BaseAccount.encode(BaseAccount.fromPartial(a)).finish();

const SEQUENCES = [0n, 1n, 127n, 128n, 300n, 2n ** 32n, 2n ** 63n, 2n ** 64n - 1n];
const NUMBERS = [0n, 1n, 129n, 2n ** 40n];

describe("encodeAccount", () => {
  it("writes exactly BaseAccount.encode's bytes for every key type, number and sequence", () => {
    for (const pubKey of [undefined, secp, ed])
      for (const accountNumber of NUMBERS)
        for (const sequence of SEQUENCES) {
          const account: Account = { address: address(1), pubKey, accountNumber, sequence };
          const bytes = encodeAccount(account);
          expect(bytes).toEqual(reference(account));
          expect(decodeAccount(bytes)).toEqual(account);
        }
  });

  it("keeps successive sequences of one account apart and independent of earlier results", () => {
    const account: Account = { address: address(2), pubKey: secp, accountNumber: 5n, sequence: 0n };
    const first = encodeAccount(account);
    const second = encodeAccount({ ...account, sequence: 1n });
    expect(second).not.toEqual(first);
    first.fill(0);
    expect(encodeAccount(account)).toEqual(reference(account));
    expect(encodeAccount({ ...account, sequence: 1n })).toEqual(second);
  });

  it("never reuses the bytes of another account that shares the same pubKey object", () => {
    const a: Account = { address: address(3), pubKey: ed, accountNumber: 7n, sequence: 4n };
    const otherAddress: Account = { ...a, address: address(4) };
    const otherNumber: Account = { ...a, accountNumber: 8n };
    for (const account of [a, otherAddress, otherNumber, a])
      expect(encodeAccount(account)).toEqual(reference(account));
  });
});
