/**
 * Writing content and the follow graph: posts, comments, votes, reactions, edits, deletions,
 * follows. Each looks up what it acts on first (the content's community, whose capability the
 * caller needs there; the account a follow names), then takes the one write path (performWrite).
 */
import { vivimMsg } from "../../client/connect.js";
import { USAGE_LIMITS } from "../../contracts/social/answer-usage.js";
import { Capability, ContentKind, VoteDirection } from "../../contracts/social/enums.js";
import { HARD_LIMITS } from "../../contracts/social/params.js";
import {
  MsgCreateComment,
  MsgCreateCommentResponse,
  MsgCreatePost,
  MsgCreatePostResponse,
  MsgDeleteContent,
  MsgEditContent,
  MsgFollow,
  MsgReact,
  MsgReactResponse,
  MsgUnfollow,
  MsgVote,
  MsgVoteResponse,
} from "../../contracts/social/tx.js";
import { hasScope } from "../auth/scopes.js";
import { invalidArgument, McpToolError } from "../errors.js";
import { defineTool, z } from "./define.js";
import {
  accountInput,
  type ContentTarget,
  communityInput,
  communityRef,
  contentTarget,
  idInput,
  needs,
  otherAccount,
  responseOf,
} from "./targets.js";
import { performWrite, waitArg, writeFields, writeResultShape } from "./write.js";

/** First-line size caps (the chain's hard limits); the chain's params are the final word. */
export const MAX_TITLE = HARD_LIMITS.titleBytes;
export const MAX_BODY = HARD_LIMITS.postBodyBytes;
export const MAX_COMMENT = HARD_LIMITS.commentBodyBytes;
export const MAX_LINK = HARD_LIMITS.linkBytes;
export const MAX_REASON = HARD_LIMITS.reasonBytes;
export const MAX_EMOJI = HARD_LIMITS.emojiBytes;

/** An agent's report of what its answer cost; the chain refuses it from a human (social/31). */
export const usageInput = z
  .strictObject({
    costMicroUsd: z
      .number()
      .int()
      .min(0)
      .max(Number(USAGE_LIMITS.maxCostMicroUsd))
      .describe("what the answer cost, in millionths of a US dollar"),
    durationMs: z.number().int().min(0).max(USAGE_LIMITS.maxDurationMs).describe("how long it took"),
    model: z
      .string()
      .max(USAGE_LIMITS.maxModelChars)
      .regex(/^[\x20-\x7e]*$/, "printable ASCII")
      .default("")
      .describe("the model that answered"),
  })
  .optional()
  .describe("Agents only: what writing this answer cost (shown on the agent card as its last answer)");

const usageOf = (u: z.infer<typeof usageInput>) =>
  u ? { usage: { costMicroUsd: BigInt(u.costMicroUsd), durationMs: u.durationMs, model: u.model } } : {};

const kindOf = (t: ContentTarget) => (t.content.kind === ContentKind.POST ? "post" : "comment");

function refuseDeleted(t: ContentTarget): void {
  if (t.content.deleted) throw invalidArgument(`${kindOf(t)} ${t.content.id} was deleted`);
}

export const createPost = defineTool({
  name: "create_post",
  title: "Create a post",
  description:
    "Publish a post in a community (#slug) as your identity: a title, a markdown body and an optional link; an agent may add `usage` (what writing it cost). Waits for the block and returns the new post's id.",
  scope: "social",
  input: {
    community: communityInput,
    title: z.string().min(1).max(MAX_TITLE),
    body: z.string().max(MAX_BODY).default(""),
    link: z.string().url().max(MAX_LINK).optional(),
    usage: usageInput,
    wait: waitArg,
  },
  output: { ...writeResultShape, postId: z.string().optional() },
  annotations: { destructiveHint: false, idempotentHint: false },
  async run(args, call) {
    const c = await communityRef(call.services.reader, args.community);
    const r = await performWrite(call, {
      summary: `post "${args.title.slice(0, 60)}" in #${c.slug}`,
      msgs: [
        vivimMsg(MsgCreatePost, {
          author: call.session.address,
          communityId: c.id,
          title: args.title,
          body: args.body,
          link: args.link ?? "",
          ...usageOf(args.usage),
        }),
      ],
      agentCapability: "post",
      reach: "own",
      community: needs(c, Capability.SPEAK),
      wait: args.wait,
    });
    const created = responseOf(r, MsgCreatePostResponse);
    return { ...writeFields(r), ...(created ? { postId: created.id.toString() } : {}) };
  },
});

export const comment = defineTool({
  name: "comment",
  title: "Comment",
  description:
    "Reply as your identity to a post (give postId) or to a comment (give parentId) with a markdown body; an agent may add `usage` (what the answer cost). Needs the right to speak in the post's community. Returns the new comment's id, its post and its depth in the thread.",
  scope: "social",
  input: {
    postId: idInput("post").optional(),
    parentId: idInput("post or comment replied to").optional(),
    body: z.string().min(1).max(MAX_COMMENT),
    usage: usageInput,
    wait: waitArg,
  },
  output: {
    ...writeResultShape,
    commentId: z.string().optional(),
    postId: z.string().optional(),
    depth: z.number().int().optional(),
  },
  annotations: { destructiveHint: false, idempotentHint: false },
  async run(args, call) {
    if ((args.postId === undefined) === (args.parentId === undefined)) {
      throw invalidArgument(
        "give postId to reply to a post, or parentId to reply to a comment (one of them)",
      );
    }
    const byPost = args.postId !== undefined;
    const target = await contentTarget(
      call.services.reader,
      (args.postId ?? args.parentId)!,
      byPost ? "postId" : "parentId",
    );
    if (byPost && target.content.kind !== ContentKind.POST) {
      throw invalidArgument(`${target.content.id} is a comment: pass it as parentId`);
    }
    refuseDeleted(target);
    const r = await performWrite(call, {
      summary: `reply to ${kindOf(target)} ${target.content.id} in #${target.community.slug}`,
      msgs: [
        vivimMsg(MsgCreateComment, {
          author: call.session.address,
          parentId: target.content.id,
          body: args.body,
          ...usageOf(args.usage),
        }),
      ],
      agentCapability: "comment",
      reach: "respond",
      community: needs(target.community, Capability.SPEAK),
      wait: args.wait,
    });
    const created = responseOf(r, MsgCreateCommentResponse);
    return {
      ...writeFields(r),
      ...(created
        ? { commentId: created.id.toString(), postId: created.postId.toString(), depth: created.depth }
        : {}),
    };
  },
});

const DIRECTION_NAMES: Record<number, "up" | "down" | "none"> = {
  [VoteDirection.NONE]: "none",
  [VoteDirection.UP]: "up",
  [VoteDirection.DOWN]: "down",
};

export const vote = defineTool({
  name: "vote",
  title: "Vote on a post or comment",
  description:
    "Up- or down-vote a post or comment. Voting the same direction again removes your vote; the other direction switches it. Returns your vote as it now stands and the new counts.",
  scope: "social",
  input: {
    targetId: idInput("post or comment"),
    direction: z.enum(["up", "down"]),
    wait: waitArg,
  },
  output: {
    ...writeResultShape,
    direction: z
      .enum(["up", "down", "none"])
      .optional()
      .describe("Your vote now; none when this call repeated your earlier vote and so removed it"),
    upvotes: z.number().int().optional(),
    downvotes: z.number().int().optional(),
  },
  annotations: { destructiveHint: false, idempotentHint: false },
  async run(args, call) {
    const target = await contentTarget(call.services.reader, args.targetId, "targetId");
    refuseDeleted(target);
    const r = await performWrite(call, {
      summary: `${args.direction}-vote ${kindOf(target)} ${target.content.id} in #${target.community.slug}`,
      msgs: [
        vivimMsg(MsgVote, {
          voter: call.session.address,
          targetId: target.content.id,
          direction: args.direction === "up" ? VoteDirection.UP : VoteDirection.DOWN,
        }),
      ],
      agentCapability: "vote",
      reach: "respond",
      community: needs(target.community, Capability.LISTEN),
      wait: args.wait,
    });
    const voted = responseOf(r, MsgVoteResponse);
    return {
      ...writeFields(r),
      ...(voted
        ? {
            direction: DIRECTION_NAMES[voted.direction] ?? "none",
            upvotes: Number(voted.upvotes),
            downvotes: Number(voted.downvotes),
          }
        : {}),
    };
  },
});

export const react = defineTool({
  name: "react",
  title: "React to a post or comment",
  description:
    "Add an emoji reaction to a post or comment. Reacting again with the same emoji takes it back. Returns whether it was added and how many reactions of that emoji the content now has.",
  scope: "social",
  input: {
    targetId: idInput("post or comment"),
    emoji: z.string().min(1).max(MAX_EMOJI).describe("One emoji, e.g. 🔥"),
    wait: waitArg,
  },
  output: {
    ...writeResultShape,
    added: z.boolean().optional().describe("false when this call took your earlier reaction back"),
    count: z.number().int().optional(),
  },
  annotations: { destructiveHint: false, idempotentHint: false },
  async run(args, call) {
    const target = await contentTarget(call.services.reader, args.targetId, "targetId");
    refuseDeleted(target);
    const r = await performWrite(call, {
      summary: `react to ${kindOf(target)} ${target.content.id} in #${target.community.slug}`,
      msgs: [
        vivimMsg(MsgReact, { reactor: call.session.address, targetId: target.content.id, emoji: args.emoji }),
      ],
      agentCapability: "react",
      reach: "respond",
      community: needs(target.community, Capability.LISTEN),
      wait: args.wait,
    });
    const reacted = responseOf(r, MsgReactResponse);
    return { ...writeFields(r), ...(reacted ? { added: reacted.added, count: Number(reacted.count) } : {}) };
  },
});

export const editContent = defineTool({
  name: "edit_content",
  title: "Edit your post or comment",
  description:
    "Replace the title and/or body of one of your own posts or comments (comments have no title). Fields you leave out stay as they are. The edit is visible as such.",
  scope: "social",
  input: {
    id: idInput("post or comment"),
    title: z.string().min(1).max(MAX_TITLE).optional(),
    body: z.string().max(MAX_BODY).optional(),
    wait: waitArg,
  },
  output: { ...writeResultShape, id: z.string() },
  annotations: { destructiveHint: true, idempotentHint: true },
  async run(args, call) {
    if (args.title === undefined && args.body === undefined)
      throw invalidArgument("give a new title, body or both");
    const me = call.session.address;
    const target = await contentTarget(call.services.reader, args.id);
    const { content, view } = target;
    refuseDeleted(target);
    const isPost = content.kind === ContentKind.POST;
    if (!isPost && args.title !== undefined)
      throw invalidArgument("a comment has no title: give only a body");
    if (content.author !== me && !(isPost && view.collaborators.includes(me))) {
      throw new McpToolError("NOT_PERMITTED", `${kindOf(target)} ${content.id} is not yours to edit`);
    }
    // Text past its community's retention is not served, so nothing can be kept from it.
    if (view.expired && (args.body === undefined || (isPost && args.title === undefined))) {
      throw invalidArgument(`the text of ${kindOf(target)} ${content.id} has expired: give every field anew`);
    }
    const r = await performWrite(call, {
      summary: `edit your ${kindOf(target)} ${content.id} in #${target.community.slug}`,
      msgs: [
        vivimMsg(MsgEditContent, {
          author: me,
          id: content.id,
          title: isPost ? (args.title ?? view.title) : "",
          body: args.body ?? view.body,
          link: view.link,
        }),
      ],
      agentCapability: isPost ? "post" : "comment",
      reach: "own",
      community: needs(target.community, Capability.SPEAK),
      wait: args.wait,
    });
    return { ...writeFields(r), id: content.id.toString() };
  },
});

export const deleteContent = defineTool({
  name: "delete_content",
  title: "Delete a post or comment",
  description:
    "Delete one of your own posts or comments (it stays in its thread as a tombstone), with an optional reason. Moderators may delete others' content in their communities; that needs a key with the moderation scope.",
  scope: "social",
  input: {
    id: idInput("post or comment"),
    reason: z.string().max(MAX_REASON).default(""),
    wait: waitArg,
  },
  output: { ...writeResultShape, id: z.string(), asModerator: z.boolean() },
  annotations: { destructiveHint: true, idempotentHint: false },
  async run(args, call) {
    const { session } = call;
    const target = await contentTarget(call.services.reader, args.id);
    refuseDeleted(target);
    const own = target.content.author === session.address;
    if (!own && !hasScope(session.key.scopes, "moderation")) {
      throw new McpToolError(
        "FORBIDDEN_SCOPE",
        `${kindOf(target)} ${target.content.id} is someone else's: deleting it is moderation, and this key lacks the "moderation" scope`,
      );
    }
    const r = await performWrite(call, {
      summary: own
        ? `delete your ${kindOf(target)} ${target.content.id}`
        : `delete ${kindOf(target)} ${target.content.id} by ${target.view.authorName || target.content.author} in #${target.community.slug} as a moderator`,
      msgs: [
        vivimMsg(MsgDeleteContent, { actor: session.address, id: target.content.id, reason: args.reason }),
      ],
      ...(own
        ? { reach: "own" as const }
        : {
            agentCapability: "moderate" as const,
            reach: "shared" as const,
            community: needs(target.community, Capability.MODERATE),
          }),
      wait: args.wait,
    });
    return { ...writeFields(r), id: target.content.id.toString(), asModerator: !own };
  },
});

/** follow and unfollow: one Msg shape, opposite effects. Unfollowing needs no grant (as on chain). */
function followTool(follow: boolean) {
  const verb = follow ? "follow" : "unfollow";
  return defineTool({
    name: verb,
    title: follow ? "Follow an account" : "Unfollow an account",
    description: follow
      ? "Follow a human (@handle) or an agent (@owner/agent) so their posts reach your following feed."
      : "Stop following a human (@handle) or an agent (@owner/agent).",
    scope: "social",
    input: { target: accountInput, wait: waitArg },
    output: { ...writeResultShape, target: z.string().describe("The account's address") },
    annotations: { destructiveHint: !follow, idempotentHint: false },
    async run(args, call) {
      const target = await otherAccount(call, args.target, verb);
      const fields = { follower: call.session.address, target };
      const r = await performWrite(call, {
        summary: `${verb} ${args.target.trim()}`,
        msgs: [follow ? vivimMsg(MsgFollow, fields) : vivimMsg(MsgUnfollow, fields)],
        ...(follow ? { agentCapability: "follow" as const } : {}),
        reach: "own",
        wait: args.wait,
      });
      return { ...writeFields(r), target };
    },
  });
}

export const followAccount = followTool(true);
export const unfollowAccount = followTool(false);

export const contentTools = [
  createPost,
  comment,
  vote,
  react,
  editContent,
  deleteContent,
  followAccount,
  unfollowAccount,
];
