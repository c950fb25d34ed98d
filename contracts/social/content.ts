/**
 * Read access to posts and comments for other modules (labels checks who may label what;
 * reputation and escrow may point at content). `Content` is the header: author, community,
 * parent and root ids, depth, counts, created height and the deleted flag; `getContentRecord`
 * adds the text.
 */
import type { KVReader } from "../types.js";
import { ContentKind } from "./enums.js";
import { SocialKeys } from "./keys.js";
import { type Content, ContentCounts, ContentRecord, contentHeader, ZERO_COUNTS } from "./records.js";

export { ContentKind } from "./enums.js";
export { Content, ContentRecord } from "./records.js";

/** The post or comment `id` (two store reads), or undefined when there is none. */
export function getContent(store: KVReader, id: bigint): Content | undefined {
  const bytes = store.get(SocialKeys.content(id));
  if (!bytes) return undefined;
  const counts = store.get(SocialKeys.counts(id));
  return contentHeader(ContentRecord.decode(bytes), counts ? ContentCounts.decode(counts) : ZERO_COUNTS);
}

/** The stored record with its text (title, body, link, collaborators; cleared when deleted). */
export function getContentRecord(store: KVReader, id: bigint): ContentRecord | undefined {
  const bytes = store.get(SocialKeys.content(id));
  return bytes ? ContentRecord.decode(bytes) : undefined;
}

export const isPost = (c: Pick<Content, "kind">): boolean => c.kind === ContentKind.POST;

/** The text of a post or comment (the record, whose title, body, link, collaborators and delete reason it is). */
export const getContentBody: (store: KVReader, id: bigint) => ContentRecord | undefined = getContentRecord;
