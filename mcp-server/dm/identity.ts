/**
 * The DM identity of a keyring key: the secp256k1 account key at m/44'/118'/0'/0/0 (what cosmjs
 * wallets and the keyring derive), and ADR-036 signing with it — what Keplr's `signArbitrary` gives
 * a member's own client. The private key stays in this process; nothing here logs it.
 */
import { Bip39, EnglishMnemonic, Slip10, Slip10Curve, stringToPath } from "@cosmjs/crypto";
import { toBase64 } from "@cosmjs/encoding";
import { secp256k1 } from "@noble/curves/secp256k1.js";
import { adr036SignBytes } from "../../chain/crypto/adr036.js";
import type { Keyring } from "../../chain/keys/keyring.js";
import { type DmIdentity, dmIdentityFromPrivateKey } from "../../client/dm/keys.js";
import type { ArbitrarySignature } from "../../client/dm/node-api.js";

const ACCOUNT_PATH = stringToPath("m/44'/118'/0'/0/0");

/** The identity behind keyring key `keyName`; throws when it is absent, locked, or not `address`'s. */
export async function dmIdentityOfKey(
  keyring: Keyring,
  keyName: string,
  address: string,
): Promise<DmIdentity> {
  const mnemonic = await keyring.exportMnemonic(keyName);
  const seed = await Bip39.mnemonicToSeed(new EnglishMnemonic(mnemonic));
  const identity = dmIdentityFromPrivateKey(
    Slip10.derivePath(Slip10Curve.Secp256k1, seed, ACCOUNT_PATH).privkey,
  );
  seed.fill(0);
  if (identity.address !== address) throw new Error("the keyring key is not this identity's");
  return identity;
}

/** ADR-036 signing of `text` by the identity (low-S, 64-byte r||s, as cosmjs amino wallets sign). */
export function adr036Signer(identity: DmIdentity): (text: string) => Promise<ArbitrarySignature> {
  const pub_key = toBase64(identity.publicKey);
  return async (text) => {
    const doc = adr036SignBytes(identity.address, new TextEncoder().encode(text));
    const signature = secp256k1.sign(doc, identity.privateKey, { prehash: true, lowS: true });
    return { pub_key, signature: toBase64(signature) };
  };
}
