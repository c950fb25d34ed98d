/**
 * Direct messages over the app API (the node never sees plaintext: bodies carry envelopes the
 * members' clients sealed, see docs/dm.md):
 *
 *   POST /vivim/dm/v1/envelopes                     { envelope: base64 } → { id, stored, request, deleted? }
 *   POST /vivim/dm/v1/controls                      { kind, from, to, at, pub_key, signature } (ADR-036)
 *   POST /vivim/dm/v1/conversations/{id}/envelopes  { signer, pub_key, signature, at, after?, limit? }
 *        → { envelopes: [{ id, sender, sent_at, expires_at, envelope }] }: the conversation's envelopes
 *        that name the signer (as sender or recipient), for a member who signed
 *        `vivim-dm-read\n<chain id>\n<conversation hex>\n<at>` within 300 s of now.
 *
 * Refusals carry the DM code first in the message (e.g. "NOT_ACCEPTED: ...").
 */
import { decodeEnvelope } from "../../../client/dm/envelope.js";
import { DmError } from "../../../client/dm/errors.js";
import { verifyAdr036 } from "../../crypto/adr036.js";
import type { SignedDmControl } from "../../dm/control.js";
import { DmPolicyError } from "../../dm/policy.js";
import { DmStoreError, MAX_LIST } from "../../dm/store.js";
import type { Json } from "../../rpc/json.js";
import { ApiError, badRequest } from "../http.js";
import { addressParam } from "../params.js";
import type { ApiContext, Route } from "../router.js";

const MAX_READ_SKEW_SECONDS = 300;
const HEX32 = /^[0-9a-f]{64}$/;
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

const nowSeconds = () => Math.floor(Date.now() / 1000);

function str(v: unknown, name: string, max: number): string {
  if (typeof v !== "string" || v.length === 0 || v.length > max)
    throw badRequest(`${name} must be a string of 1..${max} characters`);
  return v;
}

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
  if (err instanceof DmError || err instanceof DmStoreError)
    throw new ApiError("BAD_REQUEST", `${err.code}: ${err.message}`);
  throw err;
}

export function dmReadText(chainId: string, conversationHex: string, at: number): string {
  return `vivim-dm-read\n${chainId}\n${conversationHex}\n${at}`;
}

export const dmRoutes: readonly Route[] = [
  {
    method: "POST",
    name: "dm.submit",
    pattern: /^\/vivim\/dm\/v1\/envelopes$/,
    async handler(ctx, req) {
      const b = await req.body();
      const text = str(b.envelope, "envelope", 140_000);
      if (!BASE64.test(text)) throw badRequest("envelope must be base64");
      try {
        const r = await ctx.node.dm.submit(new Uint8Array(Buffer.from(text, "base64")));
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
        kind: str(b.kind, "kind", 16),
        from: addressParam(str(b.from, "from", 100)),
        to: addressParam(str(b.to, "to", 100)),
        at: int(b.at, "at"),
        pubKey: str(b.pub_key, "pub_key", 64),
        signature: str(b.signature, "signature", 128),
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
      const signer = addressParam(str(b.signer, "signer", 100));
      const at = int(b.at, "at");
      const now = nowSeconds();
      if (Math.abs(at - now) > MAX_READ_SKEW_SECONDS)
        throw badRequest(`at must be within ${MAX_READ_SKEW_SECONDS}s of now`);
      const sig = {
        signer,
        pubKey: str(b.pub_key, "pub_key", 64),
        signature: str(b.signature, "signature", 128),
      };
      const text = dmReadText(ctx.node.genesis.chain_id, conversationHex, at);
      if (!verifyAdr036(sig, new TextEncoder().encode(text))) {
        throw new ApiError(
          "PERMISSION_DENIED",
          "BAD_SIGNATURE: the read request is not signed by its signer",
        );
      }
      const limit = b.limit === undefined ? 50 : Math.min(int(b.limit, "limit"), MAX_LIST);
      const conversation = new Uint8Array(Buffer.from(conversationHex, "hex"));
      let after: Awaited<ReturnType<typeof ctx.node.dm.store.get>>;
      if (b.after !== undefined) {
        const afterHex = str(b.after, "after", 64);
        if (!HEX32.test(afterHex)) throw badRequest("after is a message id (64 hex)");
        after = await ctx.node.dm.store.get(new Uint8Array(Buffer.from(afterHex, "hex")));
        if (!after) throw badRequest("after names no message here");
      }
      const records = await ctx.node.dm.store.list(conversation, { now, limit, ...(after ? { after } : {}) });
      const envelopes: Json[] = [];
      for (const r of records) {
        const h = decodeEnvelope(r.envelope).header;
        if (h.sender !== signer && !h.recipients.includes(signer)) continue;
        envelopes.push({
          id: Buffer.from(r.id).toString("hex"),
          sender: r.sender,
          sent_at: r.sentAt,
          expires_at: r.expiresAt,
          envelope: Buffer.from(r.envelope).toString("base64"),
        });
      }
      return { json: { envelopes } };
    },
  },
];
