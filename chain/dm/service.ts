/**
 * What a node does with a direct message handed to it (by a member's client or a peer node): it
 * checks the envelope without any key (`verifyEnvelope`: chain, sender signature, sizes, retention,
 * clock), applies the delivery policy, and keeps the ciphertext. A first message to someone who has
 * not accepted the sender is the DM request itself: it is kept and the request recorded; anything
 * more waits for the answer. A delete envelope removes its sender's own messages of that
 * conversation. Signed controls (accept, decline, block, ...) go to the policy.
 */
import {
  type DeleteHeader,
  type DirectHeader,
  decodeEnvelope,
  type Envelope,
  verifyEnvelope,
} from "../../client/dm/envelope.js";
import { verifySignature } from "../crypto/verify.js";
import { type SignedDmControl, verifyDmControl } from "./control.js";
import type { InboxEntry } from "./inbox.js";
import { DmPolicyError, type PairState } from "./policy.js";
import { type SignedDmReceipt, verifyDmReceipt } from "./receipt.js";
import { type DmRecord, type DmStore, DmStoreError } from "./store.js";

/** Unread counts stop here (a client shows "99+"). */
export const MAX_UNREAD = 100;

export interface InboxConversation extends InboxEntry {
  readonly unread: number;
  /** The member's read mark: the id of the last message read. */
  readonly readUpTo?: Uint8Array;
  /** For a 1:1 conversation, where the pair stands (request pending, accepted, ...). */
  readonly pair?: PairState;
}

/** What the store keeps of a verified envelope. */
function recordOf(env: Envelope, bytes: Uint8Array): DmRecord {
  const h = env.header;
  return {
    id: env.messageId,
    conversation: h.conversationId,
    sender: h.sender,
    sentAt: h.sentAt,
    expiresAt: h.expiresAt,
    envelope: bytes,
  };
}

/** A stored envelope's sender and recipients, sorted. */
export function membersOf(envelope: Uint8Array): string[] {
  const h = decodeEnvelope(envelope).header;
  return [...new Set([h.sender, ...h.recipients])].sort();
}

export interface SubmitResult {
  /** Hex sha256 of the envelope. */
  readonly id: string;
  /** Hex conversation id. */
  readonly conversation: string;
  readonly sender: string;
  /** The sender and the recipients, sorted. */
  readonly members: readonly string[];
  readonly sentAt: number;
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
    const about = {
      id: hex(env.messageId),
      conversation: hex(h.conversationId),
      sender: h.sender,
      members: [...new Set([h.sender, ...h.recipients])].sort(),
      sentAt: h.sentAt,
    };
    if (h.kind === 3) return { ...about, ...(await this.deleteOwn(env, bytes, about.members)) };
    if (!(await this.mayDm(h.sender))) {
      throw new DmPolicyError("AGENT_NOT_GRANTED", "this agent's owner has not granted it direct messages");
    }
    // Relays deliver twice: a message already here is not checked against the policy again; a
    // late copy of one its sender deleted is dropped.
    if ((await this.store.get(env.messageId)) || (await this.store.isDeleted(env.messageId, h.sender)))
      return { ...about, stored: false, request: false };
    let request = false;
    if (h.kind === 1) request = await this.checkDirect(h, now);
    else {
      // A group message reaches members who each accepted its sender (groups form from DMs).
      for (const member of h.recipients)
        await this.store.policy.checkDelivery(h.sender, member, "message", now);
    }
    const stored = await this.store.put(recordOf(env, bytes), about.members);
    return { ...about, stored, request };
  }

  /**
   * Applies a signed read receipt: the message must be here, in that conversation, and the reader
   * one of its members. Returns the conversation's members and whether the mark moved forward.
   */
  async receipt(r: SignedDmReceipt, now: number): Promise<{ members: string[]; applied: boolean }> {
    verifyDmReceipt(this.chainId, r, now);
    const id = Buffer.from(r.messageId, "hex");
    const m = await this.store.get(id);
    if (!m || hex(m.conversation) !== r.conversation)
      throw new DmStoreError("NOT_FOUND", "no such message in that conversation here");
    const members = membersOf(m.envelope);
    if (!members.includes(r.reader))
      throw new DmPolicyError("NOT_MEMBER", "only a member of the conversation can mark it read");
    const applied = await this.store.inbox.markRead(m.conversation, r.reader, {
      sentAt: m.sentAt,
      id: m.id,
      at: r.at,
    });
    return { members, applied };
  }

  /** The member's conversations, newest first, with unread counts and where each 1:1 pair stands. */
  async inbox(member: string, now: number, limit: number): Promise<InboxConversation[]> {
    const out: InboxConversation[] = [];
    for (const e of await this.store.inbox.entries(member, now, limit)) {
      const mark = await this.store.inbox.readMark(e.conversation, member);
      const unread = await this.store.countUnread(e.conversation, member, mark, { now, cap: MAX_UNREAD });
      const peer = e.members.length === 2 ? e.members.find((a) => a !== member) : undefined;
      out.push({
        ...e,
        unread,
        ...(mark ? { readUpTo: mark.id } : {}),
        ...(peer ? { pair: await this.store.policy.pair(member, peer) } : {}),
      });
    }
    return out;
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

  /**
   * A sender's deletion: removes their own messages it names in its conversation, and is itself
   * kept (until its retention ends) so members' clients reading the conversation learn of it and
   * a copy of a deleted message that arrives later is refused.
   */
  private async deleteOwn(
    env: Envelope,
    bytes: Uint8Array,
    members: readonly string[],
  ): Promise<{ stored: boolean; request: false; deleted: number }> {
    const h = env.header as DeleteHeader;
    if (await this.store.get(env.messageId)) return { stored: false, request: false, deleted: 0 };
    let deleted = 0;
    for (const id of h.messageIds) {
      const r = await this.store.get(id);
      // Only the sender's own messages, and only of the conversation the deletion names.
      if (!r || r.sender !== h.sender || Buffer.compare(r.conversation, h.conversationId) !== 0) continue;
      await this.store.deleteBySender(id, h.sender);
      deleted += 1;
    }
    // One that deleted nothing here (it outran its messages) is kept only between members who
    // accepted each other: nobody else can file deletions in someone's inbox.
    if (deleted === 0 && !(await this.acceptedByAll(h.sender, h.recipients, h.sentAt)))
      return { stored: false, request: false, deleted };
    const stored = await this.store.put(recordOf(env, bytes), members, h.messageIds);
    return { stored, request: false, deleted };
  }

  private async acceptedByAll(sender: string, recipients: readonly string[], now: number): Promise<boolean> {
    try {
      for (const member of recipients) await this.store.policy.checkDelivery(sender, member, "message", now);
      return true;
    } catch (err) {
      if (err instanceof DmPolicyError) return false;
      throw err;
    }
  }
}
