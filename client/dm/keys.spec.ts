import { Secp256k1HdWallet } from "@cosmjs/amino";
import { describe, expect, it } from "vitest";
import { addressOf } from "../../chain/crypto/address.js";
import {
  CHAIN_ID,
  dmCode as code,
  counterRng,
  identityOf,
  MNEMONICS,
  privateKeyOf,
} from "../../test/support/dm-fixtures.js";
import {
  decodePrekeyBundle,
  dmIdentityFromPrivateKey,
  ecdh,
  encodePrekeyBundle,
  generatePrekey,
  signPrekeyBundle,
  verifyPrekeyBundle,
} from "./keys.js";

describe("DM identity", () => {
  it("is the account key: same pubkey and address as the cosmjs wallet and chain/crypto", async () => {
    const wallet = await Secp256k1HdWallet.fromMnemonic(MNEMONICS.alice, { prefix: "vivim" });
    const [account] = await wallet.getAccounts();
    const id = dmIdentityFromPrivateKey(await privateKeyOf(MNEMONICS.alice));
    expect(id.address).toBe(account!.address);
    expect(Buffer.from(id.publicKey).toString("hex")).toBe(Buffer.from(account!.pubkey).toString("hex"));
    expect(addressOf("secp256k1", id.publicKey)).toBe(id.address);
  });

  it("rejects invalid private keys", () => {
    expect(code(() => dmIdentityFromPrivateKey(new Uint8Array(32)))).toBe("BAD_KEY");
    expect(code(() => dmIdentityFromPrivateKey(new Uint8Array(31).fill(1)))).toBe("BAD_KEY");
  });

  it("ECDH agrees both ways and rejects points off the curve", async () => {
    const a = await identityOf("alice");
    const b = await identityOf("bob");
    expect(ecdh(a.privateKey, b.publicKey)).toEqual(ecdh(b.privateKey, a.publicKey));
    const bad = Uint8Array.from(b.publicKey);
    bad[0] = 5;
    expect(code(() => ecdh(a.privateKey, bad))).toBe("BAD_KEY");
  });
});

describe("signed prekey bundles", () => {
  it("sign, encode, decode, verify", async () => {
    const bob = await identityOf("bob");
    const pk = generatePrekey({ id: 7, expiresAt: 2_000, rng: counterRng(3) });
    const bundle = signPrekeyBundle(bob, pk, CHAIN_ID);
    expect(code(() => verifyPrekeyBundle(bundle, { chainId: CHAIN_ID, now: 1_000 }))).toBe("OK");
    const round = decodePrekeyBundle(encodePrekeyBundle(bundle));
    expect(round).toEqual(bundle);
    expect(
      code(() => verifyPrekeyBundle(round, { chainId: CHAIN_ID, now: 1_000, expectedAddress: bob.address })),
    ).toBe("OK");
  });

  it("refuses an expired prekey, another chain, another address, a forged signature", async () => {
    const bob = await identityOf("bob");
    const carol = await identityOf("carol");
    const bundle = signPrekeyBundle(bob, generatePrekey({ id: 1, expiresAt: 2_000 }), CHAIN_ID);
    expect(code(() => verifyPrekeyBundle(bundle, { chainId: CHAIN_ID, now: 2_000 }))).toBe("PREKEY_EXPIRED");
    expect(code(() => verifyPrekeyBundle(bundle, { chainId: "other-1", now: 1 }))).toBe("WRONG_CHAIN");
    expect(
      code(() => verifyPrekeyBundle(bundle, { chainId: CHAIN_ID, now: 1, expectedAddress: carol.address })),
    ).toBe("BAD_PREKEY");
    // Carol's prekey signed by Carol but claiming to be Bob's: address/key mismatch.
    const forgedOwner = { ...signPrekeyBundle(carol, generatePrekey({ id: 1, expiresAt: 2_000 }), CHAIN_ID) };
    expect(
      code(() => verifyPrekeyBundle({ ...forgedOwner, address: bob.address }, { chainId: CHAIN_ID, now: 1 })),
    ).toBe("BAD_PREKEY");
    // Any changed field breaks the signature.
    const other = generatePrekey({ id: 1, expiresAt: 2_000 });
    for (const tampered of [
      { ...bundle, prekey: other.publicKey },
      { ...bundle, prekeyId: 2 },
      { ...bundle, expiresAt: 3_000 },
    ]) {
      expect(code(() => verifyPrekeyBundle(tampered, { chainId: CHAIN_ID, now: 1 }))).toBe("BAD_SIGNATURE");
    }
    const sig = Uint8Array.from(bundle.signature);
    sig[10]! ^= 1;
    expect(code(() => verifyPrekeyBundle({ ...bundle, signature: sig }, { chainId: CHAIN_ID, now: 1 }))).toBe(
      "BAD_SIGNATURE",
    );
  });

  it("decoding rejects truncated and trailing bytes", async () => {
    const bob = await identityOf("bob");
    const enc = encodePrekeyBundle(signPrekeyBundle(bob, generatePrekey({ id: 1, expiresAt: 9 }), CHAIN_ID));
    expect(code(() => decodePrekeyBundle(enc.slice(0, -1)))).toBe("BAD_ENVELOPE");
    expect(code(() => decodePrekeyBundle(Uint8Array.of(...enc, 0)))).toBe("BAD_ENVELOPE");
  });
});
