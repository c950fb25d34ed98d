/**
 * broadcast_signed_tx: the second half of the unsigned flow. When the node does not hold an
 * identity's key, write tools return an unsigned tx; the client signs it and sends the TxRaw here.
 * The server checks it as the chain would without state (decoding, Msg validation, signer keys)
 * and relays it only when every Msg is signed by this key's own identity — a key can never be
 * used to relay somebody else's transactions — and each Msg is within the key's scopes.
 */
import { CodedError } from "../../chain/errors/codes.js";
import { DEFAULT_TX_LIMITS, type DecodedTx, decodeTx } from "../../chain/tx/decode.js";
import { MsgRegistry } from "../../chain/tx/msg-registry.js";
import { defaultModuleRegistry } from "../../contracts/index.js";
import { hasScope, type Scope } from "../auth/scopes.js";
import type { McpSession } from "../context.js";
import { invalidArgument, McpToolError } from "../errors.js";
import { defineTool, z } from "./define.js";
import { waitArg, writeResultShape } from "./write.js";

export const MAX_SIGNED_TX_BYTES = DEFAULT_TX_LIMITS.maxTxBytes;
const MAX_SIGNED_TX_BASE64 = Math.ceil(MAX_SIGNED_TX_BYTES / 3) * 4;
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/** Social-module Msgs that moderate a community rather than take part in it. */
const MODERATION_MSGS = new Set(
  [
    "MsgUpdateCommunity",
    "MsgSetCommunityRules",
    "MsgInviteMember",
    "MsgSetMemberRole",
    "MsgBanMember",
    "MsgUnbanMember",
  ].map((m) => `/vivim.social.v1.${m}`),
);

/** The scope a key needs to relay a Msg: governance and moderation stay apart from social. */
export function scopeForMsg(typeUrl: string): Scope {
  if (typeUrl.startsWith("/cosmos.gov.") || typeUrl.startsWith("/vivim.gov.")) return "governance";
  if (typeUrl.startsWith("/vivim.labels.") || MODERATION_MSGS.has(typeUrl)) return "moderation";
  return "social";
}

let registry: MsgRegistry | undefined;
const msgRegistry = () => {
  registry ??= MsgRegistry.fromModules(defaultModuleRegistry());
  return registry;
};

function decodeSigned(text: string): DecodedTx {
  const compact = text.replace(/\s+/g, "");
  if (compact.length % 4 !== 0 || !BASE64.test(compact)) throw invalidArgument("txBytes is not base64");
  const bytes = new Uint8Array(Buffer.from(compact, "base64"));
  if (bytes.length > MAX_SIGNED_TX_BYTES) {
    throw new McpToolError(
      "PAYLOAD_TOO_LARGE",
      `the tx is ${bytes.length} bytes; at most ${MAX_SIGNED_TX_BYTES}`,
    );
  }
  try {
    return decodeTx(bytes, msgRegistry(), DEFAULT_TX_LIMITS);
  } catch (e) {
    if (!(e instanceof CodedError)) throw e;
    throw new McpToolError("INVALID_ARGUMENT", `the tx is not valid: ${e.log}`, {
      codespace: e.codespace,
      chainCode: e.code,
    });
  }
}

/** Refuses a tx that is not wholly this key's identity's own, or that reaches past the key's scopes. */
function checkOwnAndScoped(tx: DecodedTx, session: McpSession): void {
  const me = session.address;
  const other = tx.signers.find((s) => s.address !== me);
  if (other) {
    throw new McpToolError(
      "NOT_PERMITTED",
      `this key acts only as ${me}; the tx is also signed for ${other.address}, so it cannot be relayed with this key`,
    );
  }
  for (const party of [tx.fee.payer, tx.fee.granter]) {
    if (party && party !== me)
      throw new McpToolError("NOT_PERMITTED", `the tx's fee names another account (${party})`);
  }
  for (const m of tx.msgs) {
    const needed = scopeForMsg(m.typeUrl);
    if (!hasScope(session.key.scopes, needed)) {
      throw new McpToolError(
        "FORBIDDEN_SCOPE",
        `${m.typeUrl} needs the "${needed}" scope, which this key lacks`,
      );
    }
  }
}

export const broadcastSignedTx = defineTool({
  name: "broadcast_signed_tx",
  title: "Broadcast a tx you signed",
  description:
    "Send a transaction you signed yourself: the TxRaw bytes (base64) made from an unsignedTx another tool returned, with your signature over its signDoc. Only transactions of this key's own identity are accepted.",
  scope: "social",
  input: {
    txBytes: z
      .string()
      .min(1)
      .max(MAX_SIGNED_TX_BASE64)
      .describe("Base64 TxRaw: bodyBytes, authInfoBytes, signatures"),
    wait: waitArg,
  },
  output: {
    status: writeResultShape.status,
    txHash: writeResultShape.txHash,
    height: writeResultShape.height,
    msgTypes: z.array(z.string()).describe("The type URL of each Msg the tx carried"),
  },
  annotations: { destructiveHint: true, idempotentHint: true },
  async run(args, { session, services }) {
    const tx = decodeSigned(args.txBytes);
    checkOwnAndScoped(tx, session);
    const outcome = await services.sender.broadcastSigned(tx.bytes, args.wait);
    const msgTypes = tx.msgs.map((m) => m.typeUrl);
    return outcome.committed
      ? { status: "committed" as const, txHash: outcome.txHash, height: outcome.height, msgTypes }
      : { status: "pending" as const, txHash: outcome.txHash, msgTypes };
  },
});

export const signedTools = [broadcastSignedTx];
