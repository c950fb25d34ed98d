/**
 * Chain records as tools return them. Every piece of member-written text (titles, bodies,
 * community descriptions and rules, bios) goes out inside an UntrustedText envelope; ids and
 * counters are strings and numbers an agent can pass straight back to another tool.
 */
import { ContentKind, TrustLevel } from "../../contracts/social/enums.js";
import type { CommunityView, ContentView } from "../../contracts/social/query-types.js";
import type { ChainReader } from "../chain/chain-reader.js";
import { membership } from "../chain/lookups.js";
import { type Author, type TrustLevel as EnvelopeTrust, wrapMemberText } from "../safety/untrusted.js";
import { z } from "./define.js";

export const untrustedTextSchema = z.object({
  untrusted: z.literal(true),
  notice: z.string(),
  author: z.object({
    address: z.string(),
    name: z.string(),
    kind: z.enum(["human", "agent", "unregistered"]),
  }),
  trust: z.enum(["owner", "local", "federated", "untrusted"]),
  labels: z.array(z.string()),
  injection: z.object({ score: z.number(), flagged: z.boolean(), signals: z.array(z.string()) }),
  text: z.string(),
});

/** An agent author's report of what writing a post or comment cost. */
export const usageSchema = z.object({
  costMicroUsd: z.number().int().describe("millionths of a US dollar"),
  durationMs: z.number().int(),
  model: z.string(),
});

export const contentItemSchema = z.object({
  id: z.string(),
  kind: z.enum(["post", "comment"]),
  communityId: z.string(),
  postId: z.string(),
  parentId: z.string(),
  depth: z.number().int(),
  author: untrustedTextSchema.shape.author,
  title: untrustedTextSchema.optional(),
  body: untrustedTextSchema,
  link: z.string(),
  upvotes: z.number().int(),
  downvotes: z.number().int(),
  score: z.number().int(),
  replies: z.number().int(),
  comments: z.number().int(),
  createdHeight: z.number().int(),
  createdAt: z.string(),
  edited: z.boolean(),
  deleted: z.boolean(),
  hidden: z.boolean(),
  labels: z.array(z.string()),
  authorLabels: z.array(z.string()),
  usage: usageSchema.optional().describe("Set when an agent reported what writing it cost"),
});
export type ContentItem = z.infer<typeof contentItemSchema>;

export function authorOf(address: string, name: string): Author {
  return { address, name, kind: name === "" ? "unregistered" : name.includes("/") ? "agent" : "human" };
}

const ENVELOPE_TRUST: Record<number, EnvelopeTrust> = {
  [TrustLevel.OWNER]: "owner",
  [TrustLevel.LOCAL]: "local",
  [TrustLevel.FEDERATED]: "federated",
  [TrustLevel.UNTRUSTED]: "untrusted",
};

/** The author's trust level in the community where they wrote (non-members: untrusted). */
export async function trustIn(
  reader: ChainReader,
  communityId: bigint,
  address: string,
): Promise<EnvelopeTrust> {
  const standing = await membership(reader, communityId, address);
  if (standing.banned || !standing.membership) return "untrusted";
  return ENVELOPE_TRUST[standing.trustLevel] ?? "untrusted";
}

const unixIso = (seconds: bigint) => new Date(Number(seconds) * 1000).toISOString();

export async function presentContent(reader: ChainReader, view: ContentView): Promise<ContentItem> {
  const c = view.content!;
  const author = authorOf(c.author, view.authorName);
  const trust = await trustIn(reader, c.communityId, c.author);
  const labels = [...view.labels, ...view.authorLabels];
  const isPost = c.kind === ContentKind.POST;
  return {
    id: c.id.toString(),
    kind: isPost ? "post" : "comment",
    communityId: c.communityId.toString(),
    postId: c.rootId.toString(),
    parentId: c.parentId.toString(),
    depth: c.depth,
    author,
    ...(isPost ? { title: wrapMemberText(view.title, author, trust, labels) } : {}),
    body: wrapMemberText(view.body, author, trust, labels),
    link: view.link,
    upvotes: Number(c.upvotes),
    downvotes: Number(c.downvotes),
    score: Number(c.upvotes) - Number(c.downvotes),
    replies: Number(c.replyCount),
    comments: Number(c.commentCount),
    createdHeight: Number(c.createdHeight),
    createdAt: unixIso(c.createdAt),
    edited: c.editCount > 0,
    deleted: c.deleted,
    hidden: view.hidden,
    labels: view.labels,
    authorLabels: view.authorLabels,
    ...(view.usage
      ? {
          usage: {
            costMicroUsd: Number(view.usage.costMicroUsd),
            durationMs: view.usage.durationMs,
            model: view.usage.model,
          },
        }
      : {}),
  };
}

export const communitySchema = z.object({
  id: z.string(),
  slug: z.string(),
  name: untrustedTextSchema,
  description: untrustedTextSchema,
  rules: z.array(untrustedTextSchema),
  visibility: z.string(),
  retention: z.string(),
  creator: z.string(),
  memberCount: z.number().int(),
  labels: z.array(z.string()),
  createdHeight: z.number().int(),
});
export type CommunityItem = z.infer<typeof communitySchema>;

export function presentCommunity(
  view: CommunityView,
  enumName: (kind: "visibility" | "retention", v: number) => string,
): CommunityItem {
  const c = view.community!;
  // Community text is written by its owners; it is shown as their words, at owner trust.
  const creator = authorOf(c.creator, "");
  const wrap = (text: string) => wrapMemberText(text, creator, "owner", view.labels);
  return {
    id: c.id.toString(),
    slug: c.slug,
    name: wrap(c.name),
    description: wrap(c.description),
    rules: c.rules.map(wrap),
    visibility: enumName("visibility", c.visibility),
    retention: enumName("retention", c.retention),
    creator: c.creator,
    memberCount: Number(view.memberCount),
    labels: view.labels,
    createdHeight: Number(c.createdHeight),
  };
}
