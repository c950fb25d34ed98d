/**
 * The DM identity of a keyring key: the secp256k1 account key at m/44'/118'/0'/0/0 (what cosmjs
 * wallets and the keyring derive), and ADR-036 signing with it — what Keplr's `signArbitrary` gives
 * a member's own client. The private key stays in this process; nothing here logs it.
 */
import { toBase64 } from "@cosmjs/encoding";
import { secp256k1 } from "@noble/curves/secp256k1.js";
import { adr036SignBytes } from "../../chain/crypto/adr036.js";
import { accountPrivateKey, type Keyring } from "../../chain/keys/keyring.js";
import { type DmIdentity, dmIdentityFromPrivateKey } from "../../client/dm/keys.js";
import type { ArbitrarySignature } from "../../client/dm/node-api.js";

/** The identity behind keyring key `keyName`; throws when it is absent, locked, or not `address`'s. */
export async function dmIdentityOfKey(
  keyring: Keyring,
  keyName: string,
  address: string,
): Promise<DmIdentity> {
  const identity = dmIdentityFromPrivateKey(accountPrivateKey(await keyring.exportMnemonic(keyName)));
  if (identity.address !== address) throw new Error("the keyring key is not this identity's");
  return identity;
}

/**
 * Identities derived once per process: unlocking a key and deriving it costs milliseconds of CPU,
 * and DMs and presence ask for the same identities again and again (every presence reconnect).
 */
export class KeyIdentities {
  private readonly derived = new Map<string, Promise<DmIdentity>>();

  constructor(private readonly keyring: Keyring) {}

  of(keyName: string, address: string): Promise<DmIdentity> {
    const cacheKey = `${keyName}|${address}`;
    let identity = this.derived.get(cacheKey);
    if (!identity) {
      identity = dmIdentityOfKey(this.keyring, keyName, address);
      // A failure is not kept: the key may be added to the keyring later.
      identity.catch(() => this.derived.delete(cacheKey));
      this.derived.set(cacheKey, identity);
    }
    return identity;
  }
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
