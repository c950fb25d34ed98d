/**
 * Reads the facts routing needs about a post or comment (author, community, thread) from chain
 * state through the app's query path (`app.query`, the same `/vivim.social.v1.Query/Content` cosmjs
 * sends over abci_query). These facts never change after the content is created, and deletion keeps
 * a tombstone with them, so reading the latest state gives what state at the event's height held;
 * each answer is kept in a bounded LRU cache, so an event costs at most one read.
 */
import { LabelPolicy } from "../../../contracts/social/enums.js";
import { SOCIAL_QUERY_PATHS } from "../../../contracts/social/query.js";
import { QueryContentRequest, QueryContentResponse } from "../../../contracts/social/query-types.js";
import type { NodeComponents } from "../../node/node.js";
import { grpcQuery } from "../abci.js";
import type { ContentMeta } from "./routing.js";

const DEFAULT_CACHE_ENTRIES = 50_000;

export class ContentMetaReader {
  private readonly cache = new Map<bigint, ContentMeta | null>();

  constructor(
    private readonly node: NodeComponents,
    private readonly maxEntries = DEFAULT_CACHE_ENTRIES,
  ) {}

  /** The content's meta, or undefined when it does not exist (or cannot be read). */
  async get(id: bigint): Promise<ContentMeta | undefined> {
    const hit = this.cache.get(id);
    if (hit !== undefined) {
      this.cache.delete(id);
      this.cache.set(id, hit);
      return hit ?? undefined;
    }
    let meta: ContentMeta | null = null;
    try {
      const r = await grpcQuery(
        this.node,
        SOCIAL_QUERY_PATHS.Content,
        QueryContentRequest,
        { id, labelPolicy: LabelPolicy.SHOW },
        QueryContentResponse,
      );
      const c = r.item?.content;
      if (c) meta = { author: c.author, communityId: c.communityId, rootId: c.rootId };
    } catch {
      return undefined; // not found (not cached: it may be created later) or a query failure
    }
    if (!meta) return undefined;
    this.cache.set(id, meta);
    if (this.cache.size > this.maxEntries) this.cache.delete(this.cache.keys().next().value as bigint);
    return meta;
  }
}
