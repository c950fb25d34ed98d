/**
 * A DM control — request, accept, decline, block, unblock — as its sender signs it: an ADR-036
 * signature (what Keplr's `signArbitrary` and cosmjs amino wallets produce) over
 * `vivim-dm-control\n<chain id>\n<kind>\n<from>\n<to>\n<at>`, so a person can sign one from any
 * Cosmos wallet and every node checks it the same way.
 */
import { adr036SignBytes, verifyAdr036 } from "../crypto/adr036.js";
import { type DmControl, type DmControlKind, DmPolicyError } from "./policy.js";

export const DM_CONTROL_KINDS: readonly DmControlKind[] = [
  "request",
  "accept",
  "decline",
  "block",
  "unblock",
];
/** How far a control's stated time may be from the node's clock. */
export const MAX_CONTROL_SKEW_SECONDS = 300;

export interface SignedDmControl extends DmControl {
  /** Base64 compressed secp256k1 key of `from`. */
  readonly pubKey: string;
  /** Base64 64-byte r||s. */
  readonly signature: string;
}

export function dmControlText(chainId: string, c: DmControl): string {
  return `vivim-dm-control\n${chainId}\n${c.kind}\n${c.from}\n${c.to}\n${c.at}`;
}

/** The exact bytes a wallet signs for a control. */
export function dmControlSignBytes(chainId: string, c: DmControl): Uint8Array {
  return adr036SignBytes(c.from, new TextEncoder().encode(dmControlText(chainId, c)));
}

/** Checks a signed control (kind, clock, signature by `from`); throws DmPolicyError. */
export function verifyDmControl(chainId: string, c: SignedDmControl, now: number): DmControl {
  if (!DM_CONTROL_KINDS.includes(c.kind)) throw new DmPolicyError("BAD_CONTROL", "unknown control kind");
  if (!Number.isSafeInteger(c.at) || Math.abs(c.at - now) > MAX_CONTROL_SKEW_SECONDS) {
    throw new DmPolicyError(
      "BAD_CONTROL",
      `a control's time must be within ${MAX_CONTROL_SKEW_SECONDS}s of now`,
    );
  }
  const signed = { signer: c.from, pubKey: c.pubKey, signature: c.signature };
  if (!verifyAdr036(signed, new TextEncoder().encode(dmControlText(chainId, c)))) {
    throw new DmPolicyError("BAD_CONTROL", "the control is not signed by its sender");
  }
  return { kind: c.kind, from: c.from, to: c.to, at: c.at };
}
