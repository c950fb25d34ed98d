/**
 * A read receipt — "I have read this conversation up to this message" — as its reader signs it:
 * ADR-036 (Keplr's `signArbitrary`, cosmjs amino wallets) over
 * `vivim-dm-receipt\n<chain id>\n<conversation hex>\n<message id hex>\n<at>`. Nodes relay it so the
 * other members see it and the reader's unread counts agree on every node.
 */
import { verifyAdr036 } from "../crypto/adr036.js";
import { MAX_CONTROL_SKEW_SECONDS } from "./control.js";
import { DmPolicyError } from "./policy.js";

export interface SignedDmReceipt {
  readonly reader: string;
  /** 64 lowercase hex. */
  readonly conversation: string;
  /** 64 lowercase hex: the last message read. */
  readonly messageId: string;
  /** Unix seconds, the reader's clock. */
  readonly at: number;
  /** Base64 compressed secp256k1 key of `reader`. */
  readonly pubKey: string;
  /** Base64 64-byte r||s. */
  readonly signature: string;
}

const HEX32 = /^[0-9a-f]{64}$/;

export function dmReceiptText(chainId: string, conversation: string, messageId: string, at: number): string {
  return `vivim-dm-receipt\n${chainId}\n${conversation}\n${messageId}\n${at}`;
}

/** Checks a receipt's form, time and signature; throws DmPolicyError BAD_CONTROL. */
export function verifyDmReceipt(chainId: string, r: SignedDmReceipt, now: number): void {
  if (typeof r.conversation !== "string" || !HEX32.test(r.conversation))
    throw new DmPolicyError("BAD_CONTROL", "conversation is 64 lowercase hex characters");
  if (typeof r.messageId !== "string" || !HEX32.test(r.messageId))
    throw new DmPolicyError("BAD_CONTROL", "message_id is 64 lowercase hex characters");
  if (!Number.isSafeInteger(r.at) || Math.abs(r.at - now) > MAX_CONTROL_SKEW_SECONDS)
    throw new DmPolicyError(
      "BAD_CONTROL",
      `a receipt's time must be within ${MAX_CONTROL_SKEW_SECONDS}s of now`,
    );
  const signed = { signer: r.reader, pubKey: r.pubKey, signature: r.signature };
  const text = dmReceiptText(chainId, r.conversation, r.messageId, r.at);
  if (typeof r.reader !== "string" || !verifyAdr036(signed, new TextEncoder().encode(text)))
    throw new DmPolicyError("BAD_CONTROL", "the receipt is not signed by its reader");
}
