/**
 * The one path every write tool takes: agent policy (capabilities, autonomy, approval), the
 * community capability the action needs, then sign-and-broadcast with the node's keyring — or,
 * when the node does not hold the identity's key, an unsigned tx for the client to sign and send
 * with `broadcast_signed_tx`.
 */
import type { EncodeObject } from "@cosmjs/proto-signing";
import {
  CAPABILITY_NAMES,
  type Capability,
  ROLE_NAMES,
  TRUST_LEVEL_NAMES,
} from "../../contracts/social/enums.js";
import { membership } from "../chain/lookups.js";
import type { TxOutcome } from "../chain/tx-sender.js";
import { McpToolError } from "../errors.js";
import type { AgentCapability } from "../safety/agent-capability.js";
import { type ActionReach, checkAgentPolicy } from "../safety/agent-policy.js";
import { type ToolCall, z } from "./define.js";

/** Fields every write tool returns; tools add their own (a new post's id, ...). */
export const writeResultShape = {
  status: z
    .enum(["committed", "pending", "unsigned"])
    .describe(
      "committed: in a block; pending: accepted by the mempool (wait=false); unsigned: sign unsignedTx yourself",
    ),
  txHash: z.string().optional(),
  height: z.number().int().optional(),
  unsignedTx: z
    .object({
      chainId: z.string(),
      accountNumber: z.string(),
      sequence: z.string(),
      bodyBytes: z.string(),
      authInfoBytes: z.string(),
      signDoc: z.string(),
      gasLimit: z.string(),
      fee: z.string(),
    })
    .optional()
    .describe("Base64 SIGN_MODE_DIRECT parts; sign signDoc and send TxRaw with broadcast_signed_tx"),
};

export const waitArg = z
  .boolean()
  .default(true)
  .describe("Wait for the block (default); false returns the tx hash once the mempool accepted it");

export interface WriteRequest {
  /** A short human description for approval prompts, e.g. `post "Hello" in #general`. */
  readonly summary: string;
  readonly msgs: readonly EncodeObject[];
  /** The agent capability the action needs (identity module). */
  readonly agentCapability?: AgentCapability;
  readonly reach: ActionReach;
  /** The community capability the caller needs there, checked before signing. */
  readonly community?: { readonly id: bigint; readonly slug: string; readonly capability: Capability };
  readonly wait?: boolean;
  readonly memo?: string;
}

export interface WriteResult {
  status: "committed" | "pending" | "unsigned";
  txHash?: string;
  height?: number;
  unsignedTx?: z.infer<typeof writeResultShape.unsignedTx>;
  /** Only for committed txs: the Msgs' responses, for the tool to decode (ids of new things). */
  outcome?: TxOutcome;
}

export async function performWrite(call: ToolCall, req: WriteRequest): Promise<WriteResult> {
  const { session, services } = call;
  const caller = await session.identity();
  const verdict = checkAgentPolicy(caller, req.agentCapability, req.reach);
  if (req.community) await requireCommunityCapability(call, req.community);
  if (verdict === "needs-approval") {
    const approved = await call.approve(`${caller.name} wants to ${req.summary}. Approve?`);
    if (approved === undefined) {
      throw new McpToolError(
        "NEEDS_APPROVAL",
        `${caller.name} needs its owner's approval to ${req.summary}; use a client that supports elicitation, or ask the owner to act or to raise the agent's autonomy`,
      );
    }
    if (!approved) throw new McpToolError("NOT_PERMITTED", `the human declined: ${req.summary}`);
  }
  const signer = await session.signer();
  if (!signer) {
    const pubkey =
      caller.agent?.pubKeyType === "secp256k1"
        ? caller.agent.pubKey
        : session.key.pubkey
          ? Buffer.from(session.key.pubkey, "base64")
          : undefined;
    const unsignedTx = await services.sender.unsigned(session.address, pubkey, req.msgs, req.memo);
    return { status: "unsigned", unsignedTx };
  }
  const outcome = await services.sender.send({ address: session.address, signer }, req.msgs, {
    wait: req.wait !== false,
    ...(req.memo ? { memo: req.memo } : {}),
  });
  return outcome.committed
    ? { status: "committed", txHash: outcome.txHash, height: outcome.height, outcome }
    : { status: "pending", txHash: outcome.txHash };
}

async function requireCommunityCapability(
  call: ToolCall,
  c: NonNullable<WriteRequest["community"]>,
): Promise<void> {
  const standing = await membership(call.services.reader, c.id, call.session.address);
  if (standing.banned) throw new McpToolError("NOT_PERMITTED", `you are banned from #${c.slug}`);
  if (!standing.capabilities.includes(c.capability)) {
    const cap = CAPABILITY_NAMES[c.capability]?.replace("CAPABILITY_", "") ?? String(c.capability);
    const role = ROLE_NAMES[standing.role]?.replace("ROLE_", "") ?? "GUEST";
    const trust = TRUST_LEVEL_NAMES[standing.trustLevel]?.replace("TRUST_LEVEL_", "") ?? "UNTRUSTED";
    throw new McpToolError(
      "NOT_PERMITTED",
      `you lack ${cap} in #${c.slug} (role ${role}, trust ${trust})${standing.membership ? "" : "; join it first"}`,
      { capability: cap },
    );
  }
}

/** The write fields of a result, without the raw outcome. */
export function writeFields(r: WriteResult): Omit<WriteResult, "outcome"> {
  const { outcome: _outcome, ...fields } = r;
  return fields;
}
