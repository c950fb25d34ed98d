/**
 * Direct messages over the app API (the node never sees plaintext: bodies carry envelopes the
 * members' clients sealed, see docs/dm.md):
 *
 *   POST /vivim/dm/v1/envelopes                     { envelope: base64 } → { id, stored, request, deleted? }
 *   POST /vivim/dm/v1/controls                      { kind, from, to, at, pub_key, signature } (ADR-036)
 *   POST /vivim/dm/v1/receipts                      { reader, conversation, message_id, at, pub_key, signature }
 *   POST /vivim/dm/v1/prekeys                       { bundle: base64 } → { address, prekey_id, expires_at }
 *   GET  /vivim/dm/v1/prekeys/{address}             → { address, bundle, prekey_id, expires_at }
 *   POST /vivim/dm/v1/conversations/{id}/envelopes  { signer, pub_key, signature, at, after?, limit? }
 *        → { envelopes: [...], receipts: [...] }: the conversation's envelopes that name the signer,
 *        for a member who signed `vivim-dm-read\n<chain id>\n<conversation hex>\n<at>`.
 *   POST /vivim/dm/v1/inbox                         { signer, pub_key, signature, at, limit? }
 *        → { conversations: [...], requests: [...] } for `vivim-dm-inbox\n<chain id>\n<at>`.
 *
 * Signed reads must be made within 300 s of the node's clock. Refusals carry the DM code first in
 * the message (e.g. "NOT_ACCEPTED: ...").
 */
import { DmError } from "../../../client/dm/errors.js";
import { verifyAdr036 } from "../../crypto/adr036.js";
import type { SignedDmControl } from "../../dm/control.js";
import { DmPolicyError } from "../../dm/policy.js";
import type { SignedDmReceipt } from "../../dm/receipt.js";
import { membersOf } from "../../dm/service.js";
import { DmStoreError, MAX_LIST } from "../../dm/store.js";
import type { Json } from "../../rpc/json.js";
import { ApiError, badRequest, notFound } from "../http.js";
import { addressParam, adr036Fields, stringField } from "../params.js";
import type { ApiContext, Route } from "../router.js";

const MAX_READ_SKEW_SECONDS = 300;
const HEX32 = /^[0-9a-f]{64}$/;
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

const nowSeconds = () => Math.floor(Date.now() / 1000);

function int(v: unknown, name: string): number {
  if (typeof v !== "number" || !Number.isSafeInteger(v) || v < 0)
    throw badRequest(`${name} must be a non-negative integer`);
  return v;
}

/** A DM refusal as an API error: rules the caller broke are 403, malformed input 400. */
function refusal(err: unknown): never {
  if (err instanceof DmPolicyError) {
    const kind =
      err.code === "BAD_CONTROL"
        ? "BAD_REQUEST"
        : err.code === "STALE_CONTROL"
          ? "CONFLICT"
          : "PERMISSION_DENIED";
    throw new ApiError(kind, `${err.code}: ${err.message}`);
  }
  // DmError's message already starts with its code.
  if (err instanceof DmError) throw new ApiError("BAD_REQUEST", err.message);
  if (err instanceof DmStoreError)
    throw new ApiError(err.code === "NOT_FOUND" ? "NOT_FOUND" : "BAD_REQUEST", `${err.code}: ${err.message}`);
  throw err;
}

export function dmReadText(chainId: string, conversationHex: string, at: number): string {
  return `vivim-dm-read\n${chainId}\n${conversationHex}\n${at}`;
}

export function dmInboxText(chainId: string, at: number): string {
  return `vivim-dm-inbox\n${chainId}\n${at}`;
}

/**
 * The member who signed a read (`signer`, `pub_key`, `signature`, `at` of the body) the ADR-036
 * way over `text(at)`, within MAX_READ_SKEW_SECONDS of now; refuses otherwise.
 */
function signedReader(b: Record<string, unknown>, text: (at: number) => string, now: number): string {
  const sig = adr036Fields(b);
  const at = int(b.at, "at");
  if (Math.abs(at - now) > MAX_READ_SKEW_SECONDS)
    throw badRequest(`at must be within ${MAX_READ_SKEW_SECONDS}s of now`);
  if (!verifyAdr036(sig, new TextEncoder().encode(text(at))))
    throw new ApiError("PERMISSION_DENIED", "BAD_SIGNATURE: the request is not signed by its signer");
  return sig.signer;
}

const hexOf = (b: Uint8Array) => Buffer.from(b).toString("hex");
const limitOf = (v: unknown, fallback: number, max: number) =>
  v === undefined ? fallback : Math.max(1, Math.min(int(v, "limit"), max));

function base64Body(v: unknown, name: string, max: number): Uint8Array {
  const text = stringField(v, name, max);
  if (!BASE64.test(text)) throw badRequest(`${name} must be base64`);
  return new Uint8Array(Buffer.from(text, "base64"));
}

export const dmRoutes: readonly Route[] = [
  {
    method: "POST",
    name: "dm.submit",
    pattern: /^\/vivim\/dm\/v1\/envelopes$/,
    async handler(ctx, req) {
      const b = await req.body();
      const envelope = base64Body(b.envelope, "envelope", 140_000);
      try {
        const r = await ctx.node.dm.submit(envelope);
        return {
          json: {
            id: r.id,
            stored: r.stored,
            request: r.request,
            ...(r.deleted !== undefined ? { deleted: r.deleted } : {}),
          },
        };
      } catch (err) {
        return refusal(err);
      }
    },
  },
  {
    method: "POST",
    name: "dm.control",
    pattern: /^\/vivim\/dm\/v1\/controls$/,
    async handler(ctx, req) {
      const b = await req.body();
      const control = {
        kind: stringField(b.kind, "kind", 16),
        from: addressParam(stringField(b.from, "from", 100)),
        to: addressParam(stringField(b.to, "to", 100)),
        at: int(b.at, "at"),
        pubKey: stringField(b.pub_key, "pub_key", 64),
        signature: stringField(b.signature, "signature", 128),
      } as SignedDmControl;
      try {
        await ctx.node.dm.control(control);
      } catch (err) {
        return refusal(err);
      }
      return { json: { applied: true } };
    },
  },
  {
    method: "POST",
    name: "dm.read",
    pattern: /^\/vivim\/dm\/v1\/conversations\/([^/]+)\/envelopes$/,
    async handler(ctx: ApiContext, req) {
      const conversationHex = req.params[0] ?? "";
      if (!HEX32.test(conversationHex)) throw badRequest("a conversation id is 64 lowercase hex characters");
      const b = await req.body();
      const now = nowSeconds();
      const chainId = ctx.node.genesis.chain_id;
      const signer = signedReader(b, (at) => dmReadText(chainId, conversationHex, at), now);
      const limit = limitOf(b.limit, 50, MAX_LIST);
      const conversation = new Uint8Array(Buffer.from(conversationHex, "hex"));
      let after: Awaited<ReturnType<typeof ctx.node.dm.store.get>>;
      if (b.after !== undefined) {
        const afterHex = stringField(b.after, "after", 64);
        if (!HEX32.test(afterHex)) throw badRequest("after is a message id (64 hex)");
        after = await ctx.node.dm.store.get(new Uint8Array(Buffer.from(afterHex, "hex")));
        if (!after) throw badRequest("after names no message here");
      }
      const records = await ctx.node.dm.store.list(conversation, { now, limit, ...(after ? { after } : {}) });
      const envelopes: Json[] = [];
      let members: string[] | undefined;
      for (const r of records) {
        const m = membersOf(r.envelope);
        if (!m.includes(signer)) continue;
        members ??= m;
        envelopes.push({
          id: hexOf(r.id),
          sender: r.sender,
          sent_at: r.sentAt,
          expires_at: r.expiresAt,
          envelope: Buffer.from(r.envelope).toString("base64"),
        });
      }
      // The members' read marks, for a member (known from a message naming the signer).
      const marks = members ? await ctx.node.dm.store.inbox.readMarks(conversation, members) : new Map();
      const receipts: Json[] = [...marks].map(([reader, m]) => ({
        reader,
        message_id: hexOf(m.id),
        at: m.at,
      }));
      return { json: { envelopes, receipts } };
    },
  },
  {
    method: "POST",
    name: "dm.inbox",
    pattern: /^\/vivim\/dm\/v1\/inbox$/,
    async handler(ctx, req) {
      const b = await req.body();
      const now = nowSeconds();
      const chainId = ctx.node.genesis.chain_id;
      const signer = signedReader(b, (at) => dmInboxText(chainId, at), now);
      const list = await ctx.node.dm.service.inbox(signer, now, limitOf(b.limit, 50, MAX_LIST));
      const conversations: Json[] = list.map((c) => ({
        conversation: hexOf(c.conversation),
        members: [...c.members],
        last_sent_at: c.lastSentAt,
        last_id: hexOf(c.lastId),
        unread: c.unread,
        ...(c.readUpTo ? { read_up_to: hexOf(c.readUpTo) } : {}),
        ...(c.pair
          ? { status: c.pair.status, ...(c.pair.requester ? { requester: c.pair.requester } : {}) }
          : {}),
      }));
      const requests: Json[] = list.flatMap((c) =>
        c.pair?.status === "pending" && c.pair.requester !== signer
          ? [{ from: c.pair.requester, at: c.pair.at, conversation: hexOf(c.conversation) }]
          : [],
      );
      return { json: { conversations, requests } };
    },
  },
  {
    method: "POST",
    name: "dm.receipt",
    pattern: /^\/vivim\/dm\/v1\/receipts$/,
    async handler(ctx, req) {
      const b = await req.body();
      const receipt: SignedDmReceipt = {
        reader: addressParam(stringField(b.reader, "reader", 100)),
        conversation: stringField(b.conversation, "conversation", 64),
        messageId: stringField(b.message_id, "message_id", 64),
        at: int(b.at, "at"),
        pubKey: stringField(b.pub_key, "pub_key", 64),
        signature: stringField(b.signature, "signature", 128),
      };
      try {
        const r = await ctx.node.dm.receipt(receipt);
        return { json: { applied: r.applied } };
      } catch (err) {
        return refusal(err);
      }
    },
  },
  {
    method: "POST",
    name: "dm.prekey_publish",
    pattern: /^\/vivim\/dm\/v1\/prekeys$/,
    async handler(ctx, req) {
      const b = await req.body();
      try {
        const bundle = await ctx.node.dm.publishPrekey(base64Body(b.bundle, "bundle", 1_024));
        return {
          json: { address: bundle.address, prekey_id: bundle.prekeyId, expires_at: bundle.expiresAt },
        };
      } catch (err) {
        return refusal(err);
      }
    },
  },
  {
    method: "GET",
    name: "dm.prekey",
    pattern: /^\/vivim\/dm\/v1\/prekeys\/([^/]+)$/,
    async handler(ctx, req) {
      const address = addressParam(req.params[0] ?? "");
      const held = await ctx.node.dm.prekeys.get(address, nowSeconds());
      if (!held) throw notFound(`NOT_FOUND: no current prekey bundle for ${address} on this node`);
      return {
        json: {
          address,
          bundle: Buffer.from(held.bytes).toString("base64"),
          prekey_id: held.bundle.prekeyId,
          expires_at: held.bundle.expiresAt,
        },
      };
    },
  },
];
export { dmReceiptText } from "../../dm/receipt.js";
