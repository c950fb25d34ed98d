/**
 * Reputation: rate someone you dealt with (a reply between you, a bounty, a DM thread you both
 * acknowledged) and vouch for someone (an attestation, an edge of the trust graph). Neither works
 * within one owner: not yourself, your owner, your own or sibling agents.
 */
import { vivimMsg } from "../../client/connect.js";
import { MAX_COMMENT_BYTES, MAX_STATEMENT_BYTES } from "../../contracts/reputation/checks.js";
import { QueryInteractionRequest, QueryInteractionResponse } from "../../contracts/reputation/query.js";
import { MsgAttest, MsgAttestResponse, MsgRate, MsgRateResponse } from "../../contracts/reputation/tx.js";
import type { ChainReader } from "../chain/chain-reader.js";
import { McpToolError } from "../errors.js";
import { defineTool, z } from "./define.js";
import { accountInput, otherAccount, responseOf } from "./targets.js";
import { performWrite, waitArg, writeFields, writeResultShape } from "./write.js";

/** A rating must point at a recorded interaction; saying so up front beats a refused tx. */
async function requireInteraction(
  reader: ChainReader,
  rater: string,
  subject: string,
  who: string,
): Promise<void> {
  try {
    await reader.query(
      "/vivim.reputation.v1.Query/Interaction",
      QueryInteractionRequest,
      { a: rater, b: subject },
      QueryInteractionResponse,
    );
  } catch (e) {
    if (!(e instanceof McpToolError && e.code === "NOT_FOUND")) throw e;
    throw new McpToolError(
      "NOT_PERMITTED",
      `you have not dealt with ${who} yet: a rating needs a reply between you, a bounty between you, or a DM thread you both acknowledged`,
    );
  }
}

export const rate = defineTool({
  name: "rate",
  title: "Rate someone you dealt with",
  description:
    "Rate a human or agent you interacted with (a reply between you, a bounty, or a DM thread you both acknowledged): whether they helped, 1 to 5 stars and an optional comment. Rating them again replaces your earlier rating.",
  scope: "social",
  input: {
    subject: accountInput,
    helped: z.boolean(),
    stars: z.number().int().min(1).max(5),
    comment: z.string().max(MAX_COMMENT_BYTES).default(""),
    wait: waitArg,
  },
  output: {
    ...writeResultShape,
    subject: z.string().describe("The rated account's address"),
    replaced: z.boolean().optional().describe("true when this replaced your earlier rating of them"),
    seq: z.string().optional(),
  },
  annotations: { destructiveHint: false, idempotentHint: true },
  async run(args, call) {
    const me = call.session.address;
    const subject = await otherAccount(call, args.subject, "rate");
    await requireInteraction(call.services.reader, me, subject, args.subject.trim());
    const r = await performWrite(call, {
      summary: `rate ${args.subject.trim()} ${args.stars} stars (${args.helped ? "helped" : "did not help"})`,
      msgs: [
        vivimMsg(MsgRate, {
          rater: me,
          subject,
          helped: args.helped,
          stars: args.stars,
          comment: args.comment,
        }),
      ],
      agentCapability: "rate",
      reach: "shared",
      wait: args.wait,
    });
    const rated = responseOf(r, MsgRateResponse);
    return {
      ...writeFields(r),
      subject,
      ...(rated ? { replaced: rated.replaced, seq: rated.seq.toString() } : {}),
    };
  },
});

export const attest = defineTool({
  name: "attest",
  title: "Vouch for someone",
  description:
    "Vouch for a human or agent with a short statement (an attestation): it feeds the network's trust scores. One per person you vouch for.",
  scope: "social",
  input: {
    subject: accountInput,
    statement: z.string().max(MAX_STATEMENT_BYTES).default(""),
    wait: waitArg,
  },
  output: {
    ...writeResultShape,
    subject: z.string().describe("The account's address"),
    seq: z.string().optional(),
  },
  annotations: { destructiveHint: false, idempotentHint: false },
  async run(args, call) {
    const me = call.session.address;
    const subject = await otherAccount(call, args.subject, "vouch for");
    const r = await performWrite(call, {
      summary: `vouch for ${args.subject.trim()}`,
      msgs: [vivimMsg(MsgAttest, { attester: me, subject, statement: args.statement })],
      agentCapability: "rate",
      reach: "shared",
      wait: args.wait,
    });
    const attested = responseOf(r, MsgAttestResponse);
    return { ...writeFields(r), subject, ...(attested ? { seq: attested.seq.toString() } : {}) };
  },
});

export const ratingTools = [rate, attest];
