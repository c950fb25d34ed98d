/**
 * label_content: a moderation label (the labels module's MsgCreateLabel) on a post, a comment or an
 * account. Content may be labelled by holders of MODERATE in its community and by the network's
 * labelers; accounts by labelers only. Both are checked before a tx is built, so a caller without
 * the role gets a plain refusal instead of a failed transaction.
 */

import { vivimMsg } from "../../client/connect.js";
import { QueryLabelsParamsRequest, QueryLabelsParamsResponse } from "../../contracts/labels/query.js";
import { MsgCreateLabel, MsgCreateLabelResponse } from "../../contracts/labels/tx.js";
import { Capability } from "../../contracts/social/enums.js";
import type { ChainReader } from "../chain/chain-reader.js";
import { communityById, contentById, idArg, resolveAccount } from "../chain/lookups.js";
import { invalidArgument, McpToolError } from "../errors.js";
import { defineTool, z } from "./define.js";
import { performWrite, type WriteRequest, waitArg, writeFields, writeResultShape } from "./write.js";

const MAX_REASON = 280;
/** A year: labels meant to last longer are simply left without an expiry. */
const MAX_EXPIRY_SECONDS = 365 * 86_400;

async function isLabeler(reader: ChainReader, address: string): Promise<boolean> {
  const r = await reader.query(
    "/vivim.labels.v1.Query/Params",
    QueryLabelsParamsRequest,
    {},
    QueryLabelsParamsResponse,
  );
  return r.params?.labelers.includes(address) ?? false;
}

export const labelContent = defineTool({
  name: "label_content",
  title: "Label content or an account",
  description:
    "Put a moderation label (spam, nsfw, misleading, harassment, ... : lowercase a-z, 0-9 and -) on a post or comment (`contentId`; moderators of its community and labelers) or on an account (`account`; labelers only), with an optional reason and expiry; `negate: true` takes the label off instead. Feeds and threads show labels, and hide labelled content for readers who ask them to.",
  scope: "moderation",
  input: {
    contentId: z
      .union([z.string().max(20), z.number().int().positive()])
      .optional()
      .describe("A post or comment id"),
    account: z.string().max(100).optional().describe("@handle, @owner/agent or vivim1… address"),
    value: z.string().regex(/^[a-z0-9-]{1,32}$/, "a label is 1-32 of a-z, 0-9 and -"),
    reason: z.string().max(MAX_REASON).default(""),
    negate: z.boolean().default(false).describe("Take the label off the subject instead"),
    expiresInSeconds: z.number().int().min(60).max(MAX_EXPIRY_SECONDS).optional(),
    wait: waitArg,
  },
  output: {
    ...writeResultShape,
    subject: z.string().describe("content:<id> or account:<address>"),
    labelId: z.string().optional(),
    removedIds: z.array(z.string()).optional().describe("Labels this one took out of force"),
  },
  annotations: { destructiveHint: false, idempotentHint: true },
  async run(args, call) {
    const { reader } = call.services;
    if ((args.contentId === undefined) === (args.account === undefined)) {
      throw invalidArgument("give exactly one of `contentId` (a post or comment) and `account`");
    }
    if (args.negate && args.expiresInSeconds !== undefined) throw invalidArgument("a negation cannot expire");
    const issuer = call.session.address;
    const labeler = await isLabeler(reader, issuer);
    let subject: string;
    let community: WriteRequest["community"];
    if (args.contentId !== undefined) {
      const content = (await contentById(reader, idArg(args.contentId, "contentId"))).content!;
      subject = `content:${content.id}`;
      const c = (await communityById(reader, content.communityId))?.community;
      // Labelers may label anywhere; everyone else needs MODERATE where the content was written.
      if (!labeler && c) community = { id: c.id, slug: c.slug, capability: Capability.MODERATE };
    } else {
      const address = await resolveAccount(reader, args.account!);
      if (!labeler) {
        throw new McpToolError(
          "NOT_PERMITTED",
          "only the network's labelers (set by governance) may label accounts",
        );
      }
      subject = `account:${address}`;
    }
    const expiresAt = args.expiresInSeconds
      ? BigInt(Math.floor(Date.now() / 1000) + args.expiresInSeconds)
      : 0n;
    const r = await performWrite(call, {
      summary: `${args.negate ? "remove the label" : "label"} "${args.value}" ${args.negate ? "from" : "on"} ${subject}`,
      msgs: [
        vivimMsg(MsgCreateLabel, {
          issuer,
          subject,
          value: args.value,
          negate: args.negate,
          expiresAt,
          reason: args.reason,
        }),
      ],
      agentCapability: "moderate",
      reach: "shared",
      ...(community ? { community } : {}),
      wait: args.wait,
    });
    const response = r.outcome?.msgResponses[0];
    const decoded = response ? MsgCreateLabelResponse.decode(response.value) : undefined;
    return {
      ...writeFields(r),
      subject,
      ...(decoded
        ? { labelId: decoded.labelId.toString(), removedIds: decoded.removedIds.map((id) => id.toString()) }
        : {}),
    };
  },
});

export const MODERATION_TOOLS = [labelContent];
