/**
 * Posts and comments: create, edit, delete (a tombstone).
 *
 * A post needs SPEAK in its community (non-members of a public community are guests, who by
 * default only LISTEN, so they join first). A comment needs SPEAK in the post's community, replies
 * to a post or a comment up to `max_comment_depth`, and records a REPLY interaction between its
 * author and the parent's author (what reputation ratings must point at).
 */
import { CodedError } from "../../chain/errors/codes.js";
import { type Actor, getActor } from "../identity/keeper.js";
import { defineMsg, respond } from "../lib/define.js";
import { uint64Bytes } from "../lib/store.js";
import { InteractionKind, recordInteraction } from "../reputation/interactions.js";
import type { ExecContext } from "../types.js";
import { type AnswerUsage, checkUsage, recordLastAnswer, requireAgentForUsage } from "./answer-usage.js";
import { mayPostLinks, type Standing } from "./capabilities.js";
import { Capability, ContentKind } from "./enums.js";
import { SocialErrors } from "./errors.js";
import { SocialEvents, socialEvent } from "./events.js";
import {
  limitRate,
  nextId,
  requireCapability,
  requireCommunity,
  requireContent,
  requireGrant,
  requireSocialActor,
  type StoredContent,
  setCounts,
  setRecord,
  standing,
} from "./keeper.js";
import { childPath, RateAction, SocialKeys } from "./keys.js";
import { getSocialParams, HARD_LIMITS, type SocialParams } from "./params.js";
import type { Community, ContentRecord } from "./records.js";
import {
  MsgCreateComment,
  MsgCreateCommentResponse,
  MsgCreatePost,
  MsgCreatePostResponse,
  MsgDeleteContent,
  MsgDeleteContentResponse,
  MsgEditContent,
  MsgEditContentResponse,
} from "./tx.js";
import { checkAddress, checkAddressList, checkId, checkLink, checkText } from "./validation.js";

const MAX_THREAD_SEQ = 0xffff_ffffn;

function checkPostFields(
  m: { title: string; body: string; link: string },
  limits: { title: number; body: number; link: number },
): void {
  checkText(m.title, "title", { maxBytes: limits.title, required: true });
  checkText(m.body, "body", { maxBytes: limits.body, multiline: true });
  checkLink(m.link, limits.link);
}

function checkLinkAllowed(link: string, s: Standing): void {
  if (link !== "" && !mayPostLinks(s.trust))
    throw new CodedError(SocialErrors.LinkNotAllowed, "remove the link or ask a moderator for more trust");
}

export interface NewPost {
  author: string;
  community: Community;
  title: string;
  body: string;
  link: string;
  collaborators: string[];
  /** An agent's usage report; the caller checked that the author is an agent. */
  usage?: AnswerUsage | undefined;
}

/** Writes a post (Msg and genesis); the caller checked who may post. */
export function writePost(ctx: ExecContext, p: NewPost): ContentRecord {
  const id = nextId(ctx.store, SocialKeys.nextContentId());
  const post: ContentRecord = {
    id,
    kind: ContentKind.POST,
    author: p.author,
    communityId: p.community.id,
    parentId: 0n,
    rootId: id,
    depth: 0,
    path: new Uint8Array(),
    createdHeight: ctx.block.height,
    createdAt: ctx.block.time.seconds,
    editCount: 0,
    editedHeight: 0n,
    deleted: false,
    deletedBy: "",
    deletedHeight: 0n,
    title: p.title,
    body: p.body,
    link: p.link,
    collaborators: [...p.collaborators],
    deleteReason: "",
    usage: p.usage,
  };
  setRecord(ctx.store, post);
  if (p.usage) recordLastAnswer(ctx, p.author, id, p.usage);
  const height = uint64Bytes(ctx.block.height);
  ctx.store.set(SocialKeys.communityFeed(p.community.id, id), height);
  ctx.store.set(SocialKeys.authorFeed(p.author, id), height);
  ctx.emit(
    socialEvent(SocialEvents.PostCreated, {
      content_id: id.toString(),
      community_id: p.community.id.toString(),
      author: p.author,
    }),
  );
  return post;
}

/** Checks a post against the params and the author's standing (Msg and genesis). */
export function checkNewPost(
  ctx: ExecContext,
  params: SocialParams,
  p: Omit<NewPost, "community">,
  community: Community,
): void {
  checkPostFields(p, {
    title: params.maxTitleBytes,
    body: params.maxPostBodyBytes,
    link: params.maxLinkBytes,
  });
  const s = requireCapability(ctx.store, community, p.author, Capability.SPEAK);
  checkLinkAllowed(p.link, s);
  if (p.collaborators.length > params.maxCollaborators)
    throw new CodedError(SocialErrors.FieldTooLong, `at most ${params.maxCollaborators} collaborators`);
  for (const c of p.collaborators)
    if (!getActor(ctx.store, c)) throw new CodedError(SocialErrors.UnknownAccount, `collaborator ${c}`);
}

export const msgCreatePost = defineMsg(MsgCreatePost, {
  signers: (m) => [m.author],
  validateBasic(m) {
    checkAddress(m.author, "author");
    checkId(m.communityId, "community_id");
    checkPostFields(m, {
      title: HARD_LIMITS.titleBytes,
      body: HARD_LIMITS.postBodyBytes,
      link: HARD_LIMITS.linkBytes,
    });
    checkAddressList(m.collaborators, "collaborators", HARD_LIMITS.collaborators, m.author);
    checkUsage(m.usage);
  },
  handle(ctx, m) {
    const actor = requireSocialActor(ctx, m.author, "post");
    requireAgentForUsage(actor, m.usage);
    const params = getSocialParams(ctx.store);
    const community = requireCommunity(ctx.store, m.communityId);
    checkNewPost(ctx, params, m, community);
    limitRate(ctx, params, actor, RateAction.POST);
    const post = writePost(ctx, { ...m, community });
    return respond(MsgCreatePostResponse, { id: post.id });
  },
});

/** Writes a reply to `parent` (Msg and genesis); the caller checked who may reply. */
export function writeComment(
  ctx: ExecContext,
  author: string,
  parent: StoredContent,
  root: StoredContent,
  body: string,
  usage?: AnswerUsage,
): ContentRecord {
  const seq = root.counts.commentCount + 1n;
  if (seq > MAX_THREAD_SEQ) throw new CodedError(SocialErrors.ThreadFull, `post ${root.record.id}`);
  const id = nextId(ctx.store, SocialKeys.nextContentId());
  const path = childPath(parent.record.path, Number(seq));
  const comment: ContentRecord = {
    id,
    kind: ContentKind.COMMENT,
    author,
    communityId: root.record.communityId,
    parentId: parent.record.id,
    rootId: root.record.id,
    depth: parent.record.depth + 1,
    path,
    createdHeight: ctx.block.height,
    createdAt: ctx.block.time.seconds,
    editCount: 0,
    editedHeight: 0n,
    deleted: false,
    deletedBy: "",
    deletedHeight: 0n,
    title: "",
    body,
    link: "",
    collaborators: [],
    deleteReason: "",
    usage,
  };
  setRecord(ctx.store, comment);
  if (usage) recordLastAnswer(ctx, author, id, usage);
  ctx.store.set(SocialKeys.thread(root.record.id, path), uint64Bytes(id));
  const rootCounts = { ...root.counts, commentCount: seq };
  if (parent.record.id === root.record.id) {
    rootCounts.replyCount += 1n;
  } else {
    setCounts(ctx.store, parent.record.id, { ...parent.counts, replyCount: parent.counts.replyCount + 1n });
  }
  setCounts(ctx.store, root.record.id, rootCounts);
  if (parent.record.author !== author)
    recordInteraction(ctx, author, parent.record.author, InteractionKind.REPLY);
  ctx.emit(
    socialEvent(SocialEvents.CommentCreated, {
      content_id: id.toString(),
      post_id: root.record.id.toString(),
      parent_id: parent.record.id.toString(),
      community_id: root.record.communityId.toString(),
      author,
    }),
  );
  return comment;
}

/** The parent and thread post of a new reply, or the refusal (deleted, too deep). */
export function replyTarget(
  ctx: ExecContext,
  params: SocialParams,
  parentId: bigint,
): { parent: StoredContent; root: StoredContent } {
  const parent = requireContent(ctx.store, parentId);
  if (parent.record.deleted) throw new CodedError(SocialErrors.ContentDeleted, `cannot reply to ${parentId}`);
  const root =
    parent.record.kind === ContentKind.POST ? parent : requireContent(ctx.store, parent.record.rootId);
  if (root.record.deleted)
    throw new CodedError(SocialErrors.ContentDeleted, `post ${root.record.id} is deleted`);
  if (parent.record.depth + 1 > params.maxCommentDepth)
    throw new CodedError(SocialErrors.DepthExceeded, `at most ${params.maxCommentDepth} levels`);
  return { parent, root };
}

export const msgCreateComment = defineMsg(MsgCreateComment, {
  signers: (m) => [m.author],
  validateBasic(m) {
    checkAddress(m.author, "author");
    checkId(m.parentId, "parent_id");
    checkText(m.body, "body", { maxBytes: HARD_LIMITS.commentBodyBytes, required: true, multiline: true });
    checkUsage(m.usage);
  },
  handle(ctx, m) {
    const actor = requireSocialActor(ctx, m.author, "comment");
    requireAgentForUsage(actor, m.usage);
    const params = getSocialParams(ctx.store);
    checkText(m.body, "body", { maxBytes: params.maxCommentBodyBytes, required: true, multiline: true });
    const { parent, root } = replyTarget(ctx, params, m.parentId);
    const community = requireCommunity(ctx.store, root.record.communityId);
    requireCapability(ctx.store, community, m.author, Capability.SPEAK);
    limitRate(ctx, params, actor, RateAction.COMMENT);
    const comment = writeComment(ctx, m.author, parent, root, m.body, m.usage);
    return respond(MsgCreateCommentResponse, {
      id: comment.id,
      postId: root.record.id,
      depth: comment.depth,
    });
  },
});

export const msgEditContent = defineMsg(MsgEditContent, {
  signers: (m) => [m.author],
  validateBasic(m) {
    checkAddress(m.author, "author");
    checkId(m.id, "id");
    // A post needs a title; whether this is a post is known only in the handler.
    checkText(m.title, "title", { maxBytes: HARD_LIMITS.titleBytes });
    checkText(m.body, "body", { maxBytes: HARD_LIMITS.postBodyBytes, multiline: true });
    checkLink(m.link, HARD_LIMITS.linkBytes);
  },
  handle(ctx, m) {
    const actor: Actor = requireSocialActor(ctx, m.author);
    const params = getSocialParams(ctx.store);
    const content = requireContent(ctx.store, m.id).record;
    if (content.deleted) throw new CodedError(SocialErrors.ContentDeleted, `content ${m.id}`);
    const isPost = content.kind === ContentKind.POST;
    requireGrant(actor, isPost ? "post" : "comment");
    if (content.author !== m.author && !(isPost && content.collaborators.includes(m.author)))
      throw new CodedError(SocialErrors.NotAuthor, `content ${m.id}`);
    const community = requireCommunity(ctx.store, content.communityId);
    const s = requireCapability(ctx.store, community, m.author, Capability.SPEAK);
    if (isPost) {
      checkPostFields(m, {
        title: params.maxTitleBytes,
        body: params.maxPostBodyBytes,
        link: params.maxLinkBytes,
      });
      checkLinkAllowed(m.link, s);
    } else {
      if (m.title !== "" || m.link !== "")
        throw new CodedError(SocialErrors.InvalidField, "a comment has no title or link");
      checkText(m.body, "body", { maxBytes: params.maxCommentBodyBytes, required: true, multiline: true });
    }
    limitRate(ctx, params, actor, RateAction.EDIT);
    setRecord(ctx.store, {
      ...content,
      title: m.title,
      body: m.body,
      link: m.link,
      editCount: content.editCount + 1,
      editedHeight: ctx.block.height,
    });
    ctx.emit(socialEvent(SocialEvents.ContentEdited, { content_id: m.id.toString(), editor: m.author }));
    return respond(MsgEditContentResponse, {});
  },
});

export const msgDeleteContent = defineMsg(MsgDeleteContent, {
  signers: (m) => [m.actor],
  validateBasic(m) {
    checkAddress(m.actor, "actor");
    checkId(m.id, "id");
    checkText(m.reason, "reason", { maxBytes: HARD_LIMITS.reasonBytes, multiline: true });
  },
  handle(ctx, m) {
    const actor = requireSocialActor(ctx, m.actor);
    const content = requireContent(ctx.store, m.id).record;
    if (content.deleted) throw new CodedError(SocialErrors.ContentDeleted, `content ${m.id} already deleted`);
    const byAuthor = content.author === m.actor;
    if (!byAuthor) {
      requireGrant(actor, "moderate");
      const community = requireCommunity(ctx.store, content.communityId);
      if ((standing(ctx.store, community, m.actor).mask & (1 << Capability.MODERATE)) === 0)
        throw new CodedError(SocialErrors.NotAuthor, `content ${m.id}`);
    }
    setRecord(ctx.store, {
      ...content,
      title: "",
      body: "",
      link: "",
      deleteReason: m.reason,
      deleted: true,
      deletedBy: m.actor,
      deletedHeight: ctx.block.height,
    });
    if (content.kind === ContentKind.POST) {
      ctx.store.delete(SocialKeys.communityFeed(content.communityId, content.id));
      ctx.store.delete(SocialKeys.authorFeed(content.author, content.id));
    }
    ctx.emit(
      socialEvent(SocialEvents.ContentDeleted, {
        content_id: m.id.toString(),
        actor: m.actor,
        by_moderator: byAuthor ? "false" : "true",
      }),
    );
    return respond(MsgDeleteContentResponse, {});
  },
});
