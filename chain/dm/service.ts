/**
 * What a node does with a direct message handed to it (by a member's client or a peer node): it
 * checks the envelope without any key (`verifyEnvelope`: chain, sender signature, sizes, retention,
 * clock), applies the delivery policy, and keeps the ciphertext. A first message to someone who has
 * not accepted the sender is the DM request itself: it is kept and the request recorded; anything
 * more waits for the answer. A delete envelope removes its sender's own messages of that
 * conversation. Signed controls (accept, decline, block, ...) go to the policy.
 */
import { type DirectHeader, type Envelope, verifyEnvelope } from "../../client/dm/envelope.js";
import { verifySignature } from "../crypto/verify.js";
import { type SignedDmControl, verifyDmControl } from "./control.js";
import { DmPolicyError } from "./policy.js";
import type { DmStore } from "./store.js";

export interface SubmitResult {
  /** Hex sha256 of the envelope. */
  readonly id: string;
  /** False when this node already had it (relays deliver twice). */
  readonly stored: boolean;
  /** The message opened a DM request. */
  readonly request: boolean;
  /** For a delete envelope: how many messages it removed here. */
  readonly deleted?: number;
}

const nativeVerify = (pubkey: Uint8Array, signBytes: Uint8Array, signature: Uint8Array) =>
  verifySignature("secp256k1", pubkey, signBytes, signature);

const hex = (b: Uint8Array) => Buffer.from(b).toString("hex");

/**
 * Whether an account may send DMs: a human may; an agent only while active and granted `dm` by its
 * owner (the identity module). The node answers it from chain state.
 */
export type DmSenderCheck = (address: string) => Promise<boolean>;

export class DmService {
  constructor(
    private readonly store: DmStore,
    private readonly chainId: string,
    private readonly mayDm: DmSenderCheck = async () => true,
  ) {}

  /** Checks and keeps one envelope; throws DmError (the envelope) or DmPolicyError (the rules). */
  async submit(bytes: Uint8Array, now: number): Promise<SubmitResult> {
    const env = verifyEnvelope(bytes, { chainId: this.chainId, now, verifySignature: nativeVerify });
    const h = env.header;
    if (h.kind === 3) return this.deleteOwn(env, h.messageIds);
    if (!(await this.mayDm(h.sender))) {
      throw new DmPolicyError("AGENT_NOT_GRANTED", "this agent's owner has not granted it direct messages");
    }
    // Relays deliver twice: a message already here is not checked against the policy again.
    if (await this.store.get(env.messageId)) return { id: hex(env.messageId), stored: false, request: false };
    let request = false;
    if (h.kind === 1) request = await this.checkDirect(h, now);
    else {
      // A group message reaches members who each accepted its sender (groups form from DMs).
      for (const member of h.recipients)
        await this.store.policy.checkDelivery(h.sender, member, "message", now);
    }
    const stored = await this.store.put({
      id: env.messageId,
      conversation: h.conversationId,
      sender: h.sender,
      sentAt: h.sentAt,
      expiresAt: h.expiresAt,
      envelope: bytes,
    });
    return { id: hex(env.messageId), stored, request };
  }

  /** Applies a signed control (accept, decline, block, unblock; request is normally a first message). */
  async control(c: SignedDmControl, now: number): Promise<void> {
    await this.store.policy.apply(verifyDmControl(this.chainId, c, now));
  }

  /** A 1:1 message: delivered when accepted, else it becomes the request (true). */
  private async checkDirect(h: DirectHeader, now: number): Promise<boolean> {
    if (h.recipients.length !== 1)
      throw new DmPolicyError("BAD_CONTROL", "a direct message has one recipient");
    const to = h.recipients[0]!;
    try {
      await this.store.policy.checkDelivery(h.sender, to, "message", now);
      return false;
    } catch (err) {
      if (!(err instanceof DmPolicyError) || err.code !== "NOT_ACCEPTED") throw err;
    }
    // False when the answer came in meanwhile (the pair accepted each other): a plain message then.
    return this.store.policy.apply({ kind: "request", from: h.sender, to, at: h.sentAt });
  }

  private async deleteOwn(env: Envelope, ids: readonly Uint8Array[]): Promise<SubmitResult> {
    const h = env.header;
    let deleted = 0;
    for (const id of ids) {
      const r = await this.store.get(id);
      // Only the sender's own messages, and only of the conversation the deletion names.
      if (!r || r.sender !== h.sender || Buffer.compare(r.conversation, h.conversationId) !== 0) continue;
      await this.store.deleteBySender(id, h.sender);
      deleted += 1;
    }
    return { id: hex(env.messageId), stored: false, request: false, deleted };
  }
}
