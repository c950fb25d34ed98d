/** Test-only helpers: account keys derived exactly as cosmjs wallets derive them. */
import { Bip39, EnglishMnemonic, Slip10, Slip10Curve, stringToPath } from "@cosmjs/crypto";
import { DmError } from "../../client/dm/errors.js";
import { type DmIdentity, dmIdentityFromPrivateKey, type Rng } from "../../client/dm/keys.js";

export const CHAIN_ID = "vivim-test-1";
export const MNEMONICS = {
  alice: "abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about",
  bob: "zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo wrong",
  carol: "legal winner thank year wave sausage worth useful legal winner thank yellow",
  dave: "letter advice cage absurd amount doctor acoustic avoid letter advice cage above",
} as const;

export async function privateKeyOf(mnemonic: string): Promise<Uint8Array> {
  const seed = await Bip39.mnemonicToSeed(new EnglishMnemonic(mnemonic));
  return Slip10.derivePath(Slip10Curve.Secp256k1, seed, stringToPath("m/44'/118'/0'/0/0")).privkey;
}

export async function identityOf(name: keyof typeof MNEMONICS): Promise<DmIdentity> {
  return dmIdentityFromPrivateKey(await privateKeyOf(MNEMONICS[name]));
}

/** A deterministic rng for reproducible tests (NOT for production use). */
export function counterRng(seed = 1): Rng {
  let n = seed;
  return (len) => {
    const out = new Uint8Array(len);
    for (let i = 0; i < len; i++) {
      n = (Math.imul(n, 1103515245) + 12345) >>> 0;
      out[i] = n >>> 24;
    }
    return out;
  };
}

/** The DmError code `f` throws, or "OK" when it does not throw (other errors propagate). */
export function dmCode(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    if (e instanceof DmError) return e.code;
    throw e;
  }
  return "OK";
}

export const text = (s: string) => new TextEncoder().encode(s);
export const str = (b: Uint8Array) => new TextDecoder().decode(b);
/** The tests' "now", in Unix seconds. */
export const T0 = 1_800_000_000;
