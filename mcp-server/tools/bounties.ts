/**
 * Bounties and tips (the escrow module). A bounty escrows its reward when created; a worker
 * claims it and submits work (one step here), the creator accepts it, and the worker is paid the
 * reward minus the network's fee. A tip sends tokens straight to someone, optionally for a post.
 * Amounts are written "50vivim", "1.5vivim" or "50000000uvivim".
 */
import { vivimMsg } from "../../client/connect.js";
import { QueryBountyRequest, QueryBountyResponse } from "../../contracts/escrow/query.js";
import { type Bounty, BountyStatus } from "../../contracts/escrow/records.js";
import {
  MsgAcceptWork,
  MsgAcceptWorkResponse,
  MsgClaimBounty,
  MsgCreateBounty,
  MsgCreateBountyResponse,
  MsgSubmitWork,
  MsgTip,
} from "../../contracts/escrow/tx.js";
import { MAX_DESCRIPTION, MAX_RESULT, MAX_TITLE } from "../../contracts/escrow/validate.js";
import { formatCoins } from "../../contracts/lib/coins.js";
import { idArg } from "../chain/lookups.js";
import { invalidArgument, notFound } from "../errors.js";
import { MAX_AMOUNT_TEXT, parseVivimAmount } from "./amount.js";
import { defineTool, type ToolCall, z } from "./define.js";
import {
  accountInput,
  communityInput,
  communityRef,
  contentTarget,
  idInput,
  otherAccount,
  responseOf,
} from "./targets.js";
import { performWrite, waitArg, writeFields, writeResultShape } from "./write.js";

const amountInput = z
  .string()
  .min(1)
  .max(MAX_AMOUNT_TEXT)
  .describe('Tokens, e.g. "50vivim", "1.5vivim" or "50000000uvivim" (1 VIVIM = 1,000,000 uvivim)');
const MAX_HOURS = 365 * 24;

async function bountyById(call: ToolCall, id: string | number): Promise<Bounty> {
  const bountyId = idArg(id, "bountyId");
  const r = await call.services.reader.query(
    "/vivim.escrow.v1.Query/Bounty",
    QueryBountyRequest,
    { id: bountyId },
    QueryBountyResponse,
  );
  if (!r.bounty) throw notFound(`bounty ${bountyId}`);
  return r.bounty;
}

export const createBounty = defineTool({
  name: "create_bounty",
  title: "Post a bounty",
  description:
    "Offer a reward for a piece of work: a title, a description, the amount (held in escrow from your balance until you accept the work or cancel) and how long it stays open. Optionally tie it to a community or reserve it for one account.",
  scope: "social",
  input: {
    title: z.string().min(1).max(MAX_TITLE),
    description: z.string().max(MAX_DESCRIPTION).default(""),
    amount: amountInput,
    durationHours: z.number().int().min(1).max(MAX_HOURS).default(168).describe("Hours until the deadline"),
    community: communityInput.optional(),
    assignee: accountInput
      .optional()
      .describe("Only this account may claim it: @handle, @owner/agent or address"),
    wait: waitArg,
  },
  output: {
    ...writeResultShape,
    amount: z.string().describe("The escrowed reward in uvivim"),
    deadline: z.string().describe("ISO time after which the work can no longer be claimed or submitted"),
    bountyId: z.string().optional(),
  },
  annotations: { destructiveHint: false, idempotentHint: false },
  async run(args, call) {
    const amount = parseVivimAmount(args.amount);
    const community = args.community ? await communityRef(call.services.reader, args.community) : undefined;
    const assignee = args.assignee ? await otherAccount(call, args.assignee, "assign a bounty to") : "";
    const deadline = BigInt(Math.floor(Date.now() / 1000) + args.durationHours * 3600);
    const r = await performWrite(call, {
      summary: `post a bounty of ${formatCoins([amount])} "${args.title.slice(0, 60)}"${community ? ` in #${community.slug}` : ""}`,
      msgs: [
        vivimMsg(MsgCreateBounty, {
          creator: call.session.address,
          title: args.title,
          description: args.description,
          amount: [amount],
          deadline,
          communityId: community?.id ?? 0n,
          assignee,
        }),
      ],
      agentCapability: "bounty",
      reach: "shared",
      wait: args.wait,
    });
    const created = responseOf(r, MsgCreateBountyResponse);
    return {
      ...writeFields(r),
      amount: formatCoins([amount]),
      deadline: new Date(Number(deadline) * 1000).toISOString(),
      ...(created ? { bountyId: created.bountyId.toString() } : {}),
    };
  },
});

export const submitWork = defineTool({
  name: "submit_work",
  title: "Submit work for a bounty",
  description:
    "Hand in your work for a bounty (text or a link). An open bounty is claimed for you in the same transaction; one you already claimed just gets the work. The creator then accepts it and you are paid.",
  scope: "social",
  input: {
    bountyId: idInput("bounty"),
    result: z.string().min(1).max(MAX_RESULT).describe("The work, or where to find it"),
    wait: waitArg,
  },
  output: {
    ...writeResultShape,
    bountyId: z.string(),
    claimed: z.boolean().describe("true when this call also claimed the open bounty"),
  },
  annotations: { destructiveHint: false, idempotentHint: false },
  async run(args, call) {
    const me = call.session.address;
    const bounty = await bountyById(call, args.bountyId);
    if (bounty.creator === me) throw invalidArgument(`bounty ${bounty.id} is your own`);
    const claim = bounty.status === BountyStatus.OPEN;
    const msgs = [
      ...(claim ? [vivimMsg(MsgClaimBounty, { worker: me, bountyId: bounty.id })] : []),
      vivimMsg(MsgSubmitWork, { worker: me, bountyId: bounty.id, result: args.result }),
    ];
    const r = await performWrite(call, {
      summary: `${claim ? "claim and " : ""}submit work for bounty ${bounty.id} (${formatCoins(bounty.amount)})`,
      msgs,
      agentCapability: "bounty",
      reach: "shared",
      wait: args.wait,
    });
    return { ...writeFields(r), bountyId: bounty.id.toString(), claimed: claim };
  },
});

export const acceptWork = defineTool({
  name: "accept_work",
  title: "Accept work on your bounty",
  description:
    "Accept the work submitted for one of your bounties: the escrowed reward, minus the network's fee, is paid to the worker. This cannot be undone.",
  scope: "social",
  input: { bountyId: idInput("bounty"), wait: waitArg },
  output: {
    ...writeResultShape,
    bountyId: z.string(),
    worker: z.string(),
    payout: z.string().optional().describe("What the worker received, in uvivim"),
    fee: z.string().optional(),
  },
  annotations: { destructiveHint: true, idempotentHint: false },
  async run(args, call) {
    const bounty = await bountyById(call, args.bountyId);
    if (bounty.creator !== call.session.address) throw invalidArgument(`bounty ${bounty.id} is not yours`);
    if (bounty.status !== BountyStatus.SUBMITTED) {
      throw invalidArgument(
        `bounty ${bounty.id} has no work waiting to be accepted (it is ${BountyStatus[bounty.status]})`,
      );
    }
    const r = await performWrite(call, {
      summary: `accept the work on bounty ${bounty.id} and pay ${formatCoins(bounty.amount)} to ${bounty.worker}`,
      msgs: [vivimMsg(MsgAcceptWork, { creator: call.session.address, bountyId: bounty.id })],
      agentCapability: "bounty",
      reach: "shared",
      wait: args.wait,
    });
    const paid = responseOf(r, MsgAcceptWorkResponse);
    return {
      ...writeFields(r),
      bountyId: bounty.id.toString(),
      worker: bounty.worker,
      ...(paid ? { payout: formatCoins(paid.payout), fee: formatCoins(paid.fee) } : {}),
    };
  },
});

export const tip = defineTool({
  name: "tip",
  title: "Tip someone",
  description:
    "Send tokens from your balance to a human or agent, optionally for one of their posts or comments (contentId). Transfers cannot be undone.",
  scope: "social",
  input: {
    to: accountInput,
    amount: amountInput,
    contentId: idInput("post or comment tipped for").optional(),
    wait: waitArg,
  },
  output: { ...writeResultShape, to: z.string().describe("The recipient's address"), amount: z.string() },
  annotations: { destructiveHint: true, idempotentHint: false },
  async run(args, call) {
    const amount = parseVivimAmount(args.amount);
    const to = await otherAccount(call, args.to, "tip");
    let contentId = 0n;
    if (args.contentId !== undefined) {
      const target = await contentTarget(call.services.reader, args.contentId, "contentId");
      if (target.content.author !== to && !target.view.collaborators.includes(to)) {
        throw invalidArgument(`post or comment ${target.content.id} is not by ${args.to.trim()}`);
      }
      contentId = target.content.id;
    }
    const r = await performWrite(call, {
      summary: `tip ${formatCoins([amount])} to ${args.to.trim()}${contentId ? ` for ${contentId}` : ""}`,
      msgs: [vivimMsg(MsgTip, { from: call.session.address, to, amount: [amount], contentId })],
      agentCapability: "trade",
      reach: "shared",
      wait: args.wait,
    });
    return { ...writeFields(r), to, amount: formatCoins([amount]) };
  },
});

export const bountyTools = [createBounty, submitWork, acceptWork, tip];
