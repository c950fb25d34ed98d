/**
 * Stream sessions are authenticated ADR-036 style (Keplr's signArbitrary, cosmjs amino signers):
 * the account signs `vivim-stream\n<chain id>\n<nonce>`, the nonce being random per connection, so
 * a signature proves control of the address now and is worthless on any other connection or chain.
 */
import { randomBytes } from "node:crypto";
import { adr036SignBytes, verifyAdr036 } from "../../crypto/adr036.js";

/** A fresh challenge nonce: 32 random bytes, hex. */
export function newNonce(): string {
  return randomBytes(32).toString("hex");
}

/** The text a client signs to open a session on a connection that sent `nonce`. */
export function streamAuthText(chainId: string, nonce: string): string {
  return `vivim-stream\n${chainId}\n${nonce}`;
}

/** The exact bytes an amino wallet signs (the ADR-036 sign doc) for `signer`. */
export function streamAuthSignBytes(signer: string, chainId: string, nonce: string): Uint8Array {
  return adr036SignBytes(signer, new TextEncoder().encode(streamAuthText(chainId, nonce)));
}

/** True when `pubKey` (base64 compressed secp256k1) is `address`'s and signed this connection's challenge. */
export function verifyStreamAuth(
  auth: { address: string; pubKey: string; signature: string },
  chainId: string,
  nonce: string,
): boolean {
  try {
    return verifyAdr036(
      { signer: auth.address, pubKey: auth.pubKey, signature: auth.signature },
      new TextEncoder().encode(streamAuthText(chainId, nonce)),
    );
  } catch {
    return false;
  }
}
