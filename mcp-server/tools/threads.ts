/** Reading a conversation: get_thread. */
import { LabelPolicy } from "../../contracts/social/enums.js";
import { SOCIAL_QUERY_PATHS as Q } from "../../contracts/social/query.js";
import { QueryThreadRequest, QueryThreadResponse } from "../../contracts/social/query-types.js";
import { idArg } from "../chain/lookups.js";
import { defineTool, z } from "./define.js";
import { contentItemSchema, presentContent } from "./present.js";

export const getThread = defineTool({
  name: "get_thread",
  title: "Get a thread",
  description:
    "A post and its comments, depth-first in the order they were written, each wrapped as member-written data with author, trust level, labels and an injection score. Page with `cursor`.",
  scope: "read",
  input: {
    postId: z.union([z.string(), z.number()]).describe("The post's id"),
    limit: z.number().int().min(1).max(100).default(50),
    cursor: z.string().max(200).optional().describe("nextCursor of the previous page"),
    labelPolicy: z.enum(["show", "annotate", "hide"]).default("annotate"),
  },
  output: {
    post: contentItemSchema,
    comments: z.array(contentItemSchema),
    nextCursor: z.string().optional(),
  },
  blockCacheKey: (args) => JSON.stringify(args),
  async run(args, { services }) {
    const postId = idArg(args.postId, "postId");
    const r = await services.reader.query(
      Q.Thread,
      QueryThreadRequest,
      {
        postId,
        labelPolicy: policyOf(args.labelPolicy),
        pagination: {
          limit: BigInt(args.limit),
          key: args.cursor ? Buffer.from(args.cursor, "base64url") : new Uint8Array(),
        },
      },
      QueryThreadResponse,
    );
    const post = await presentContent(services.reader, r.post!);
    const comments = await Promise.all(r.comments.map((c) => presentContent(services.reader, c)));
    const next = r.pagination?.nextKey;
    return {
      post,
      comments,
      ...(next && next.length > 0 ? { nextCursor: Buffer.from(next).toString("base64url") } : {}),
    };
  },
});

export function policyOf(p: "show" | "annotate" | "hide"): LabelPolicy {
  return p === "show" ? LabelPolicy.SHOW : p === "hide" ? LabelPolicy.HIDE : LabelPolicy.ANNOTATE;
}

export const threadTools = [getThread];
