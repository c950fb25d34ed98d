/**
 * ADR-036 off-chain signatures: what Keplr's `signArbitrary` and cosmjs's amino signers produce
 * for "sign this text with my account". The sign doc is an amino StdSignDoc with one
 * `sign/MsgSignData { signer, data }`, empty chain id and memo, zero account number, sequence and
 * fee, so a wallet shows it and it can never be a valid transaction.
 */
import { makeSignDoc, serializeSignDoc } from "@cosmjs/amino";
import { addressOf } from "./address.js";
import { verifySignature } from "./verify.js";

export function adr036SignBytes(signer: string, data: Uint8Array): Uint8Array {
  const msg = { type: "sign/MsgSignData", value: { signer, data: Buffer.from(data).toString("base64") } };
  return serializeSignDoc(makeSignDoc([msg], { gas: "0", amount: [] }, "", "", 0, 0));
}

export interface Adr036Signature {
  readonly signer: string;
  /** Base64 compressed secp256k1 public key. */
  readonly pubKey: string;
  /** Base64 64-byte r||s signature. */
  readonly signature: string;
}

/** True when `pubKey` is `signer`'s key and it signed `data` the ADR-036 way. */
export function verifyAdr036(sig: Adr036Signature, data: Uint8Array): boolean {
  const pubkey = Buffer.from(sig.pubKey, "base64");
  const signature = Buffer.from(sig.signature, "base64");
  if (pubkey.length !== 33 || signature.length !== 64) return false;
  if (addressOf("secp256k1", pubkey) !== sig.signer) return false;
  return verifySignature("secp256k1", pubkey, adr036SignBytes(sig.signer, data), signature);
}
