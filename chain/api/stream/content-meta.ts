/**
 * Reads what routing needs from chain state through the app's query path (`app.query`, the same
 * protobuf queries cosmjs sends over abci_query), once per event (`forEvent`, for what routing.ts
 * `lookupsOf` names):
 *
 * - a post's or comment's author, community and thread (`/vivim.social.v1.Query/Content`). These
 *   never change after the content is created, and deletion keeps a tombstone with them, so the
 *   latest state gives what state at the event's height held; kept in a bounded LRU cache.
 * - the accounts a new post's or comment's title and body mention (mentions.ts), from the same
 *   read: each handle resolved through identity (`ProfileByHandle`, `AgentByName` for
 *   `@owner/agent`) as of the read; a name that does not resolve (or a retired agent) is skipped.
 *   Handles are permanent, so resolved handles are cached (bounded); agent names are not (an
 *   agent can change owners). The mentioned set is cached per content.
 * - a reminded proposal's voters so far (`/cosmos.gov.v1.Query/Votes`, every page), not cached:
 *   they change with every vote.
 */
import { QueryVotesRequest, QueryVotesResponse } from "cosmjs-types/cosmos/gov/v1/query";
import {
  QueryAgentByNameRequest,
  QueryAgentByNameResponse,
  QueryProfileByHandleRequest,
  QueryProfileByHandleResponse,
} from "../../../contracts/identity/query.js";
import { AgentStatus } from "../../../contracts/identity/records.js";
import { LabelPolicy } from "../../../contracts/social/enums.js";
import { SOCIAL_QUERY_PATHS } from "../../../contracts/social/query.js";
import { QueryContentRequest, QueryContentResponse } from "../../../contracts/social/query-types.js";
import type { NodeComponents } from "../../node/node.js";
import { grpcQuery } from "../abci.js";
import type { StreamEvent } from "./block-events.js";
import { parseMentions } from "./mentions.js";
import { type ContentMeta, lookupsOf, type RouteMeta } from "./routing.js";

const DEFAULT_CACHE_ENTRIES = 50_000;
/** Resolved handles kept (handle → address). */
const HANDLE_CACHE_ENTRIES = 10_000;
const VOTES_PAGE = 1000n;
/** Votes read for one reminder at most (the rest of a larger electorate may be reminded needlessly). */
const MAX_VOTERS_READ = 100_000;
const NO_MENTIONS: ReadonlySet<string> = new Set();
const PROFILE_BY_HANDLE = "/vivim.identity.v1.Query/ProfileByHandle";
const AGENT_BY_NAME = "/vivim.identity.v1.Query/AgentByName";
const GOV_VOTES = "/cosmos.gov.v1.Query/Votes";

/** A Map used as an LRU cache: a hit moves to the back, the front goes past `max`. */
function lruGet<K, V>(cache: Map<K, V>, key: K): V | undefined {
  const hit = cache.get(key);
  if (hit !== undefined) {
    cache.delete(key);
    cache.set(key, hit);
  }
  return hit;
}

function lruSet<K, V>(cache: Map<K, V>, key: K, value: V, max: number): void {
  cache.set(key, value);
  if (cache.size > max) cache.delete(cache.keys().next().value as K);
}

export class ContentMetaReader {
  private readonly cache = new Map<bigint, ContentMeta>();
  private readonly mentionCache = new Map<bigint, ReadonlySet<string>>();
  private readonly handles = new Map<string, string>();

  constructor(
    private readonly node: Pick<NodeComponents, "app">,
    private readonly maxEntries = DEFAULT_CACHE_ENTRIES,
  ) {}

  /**
   * What routing needs for `event` (routing.ts `lookupsOf`), or undefined when it needs nothing
   * or nothing could be read. Never throws: a failed read leaves its field out.
   */
  async forEvent(event: StreamEvent): Promise<RouteMeta | undefined> {
    const want = lookupsOf(event);
    const [content, found, voters] = await Promise.all([
      want.content === undefined ? undefined : this.get(want.content),
      want.mentionsIn === undefined ? undefined : this.mentionsOf(want.mentionsIn),
      want.votersOf === undefined ? undefined : this.votersOf(want.votersOf),
    ]);
    const mentions = found && found.size > 0 ? found : undefined;
    if (!content && !mentions && !voters) return undefined;
    return { ...content, ...(mentions ? { mentions } : {}), ...(voters ? { voters } : {}) };
  }

  /** The content's meta, or undefined when it does not exist (or cannot be read). */
  async get(id: bigint): Promise<ContentMeta | undefined> {
    const hit = lruGet(this.cache, id);
    if (hit) return hit;
    return (await this.read(id))?.meta;
  }

  /** The accounts the content's title and body mention (its author included; routing leaves it out). */
  async mentionsOf(id: bigint): Promise<ReadonlySet<string> | undefined> {
    const hit = lruGet(this.mentionCache, id);
    if (hit) return hit;
    const read = await this.read(id);
    if (!read) return undefined;
    const names = parseMentions(`${read.title}\n${read.body}`);
    const out = new Set<string>();
    for (const name of names) {
      const address = await this.resolve(name);
      if (address) out.add(address);
    }
    const mentions = out.size > 0 ? out : NO_MENTIONS;
    lruSet(this.mentionCache, id, mentions, this.maxEntries);
    return mentions;
  }

  /** Reads the content once, caching its meta; undefined when it does not exist or cannot be read. */
  private async read(id: bigint): Promise<{ meta: ContentMeta; title: string; body: string } | undefined> {
    try {
      const r = await grpcQuery(
        this.node as NodeComponents,
        SOCIAL_QUERY_PATHS.Content,
        QueryContentRequest,
        { id, labelPolicy: LabelPolicy.SHOW },
        QueryContentResponse,
      );
      const c = r.item?.content;
      if (!c) return undefined;
      const meta: ContentMeta = { author: c.author, communityId: c.communityId, rootId: c.rootId };
      lruSet(this.cache, id, meta, this.maxEntries);
      return { meta, title: r.item?.title ?? "", body: r.item?.body ?? "" };
    } catch {
      return undefined; // not found (not cached: it may be created later) or a query failure
    }
  }

  /** The address of `alice` or `alice/codebot` as of now, or undefined. */
  private async resolve(name: string): Promise<string | undefined> {
    const slash = name.indexOf("/");
    try {
      if (slash < 0) {
        const hit = lruGet(this.handles, name);
        if (hit) return hit;
        const r = await grpcQuery(
          this.node as NodeComponents,
          PROFILE_BY_HANDLE,
          QueryProfileByHandleRequest,
          { handle: name },
          QueryProfileByHandleResponse,
        );
        const address = r.profile?.address;
        if (address) lruSet(this.handles, name, address, HANDLE_CACHE_ENTRIES);
        return address || undefined;
      }
      const r = await grpcQuery(
        this.node as NodeComponents,
        AGENT_BY_NAME,
        QueryAgentByNameRequest,
        { name: `@${name}` },
        QueryAgentByNameResponse,
      );
      return r.agent && r.agent.status !== AgentStatus.RETIRED ? r.agent.address : undefined;
    } catch {
      return undefined; // no such handle or agent
    }
  }

  /** Every account that has voted on proposal `id` so far, or undefined when it cannot be read. */
  async votersOf(id: bigint): Promise<ReadonlySet<string> | undefined> {
    const voters = new Set<string>();
    let key: Uint8Array = new Uint8Array();
    try {
      do {
        const r = await grpcQuery(
          this.node as NodeComponents,
          GOV_VOTES,
          QueryVotesRequest,
          QueryVotesRequest.fromPartial({ proposalId: id, pagination: { key, limit: VOTES_PAGE } }),
          QueryVotesResponse,
        );
        for (const v of r.votes) voters.add(v.voter);
        key = r.pagination?.nextKey ?? new Uint8Array();
      } while (key.length > 0 && voters.size < MAX_VOTERS_READ);
    } catch {
      return undefined;
    }
    return voters;
  }
}
