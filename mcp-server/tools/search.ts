/**
 * search: communities by slug or name, accounts by exact @handle or @owner/agent, and posts by the
 * words of their title and body. Post search looks only through the recent posts get_feed ranks
 * (the newest FEED_WINDOW across all communities), not the whole history: full-text search of the
 * chain's history belongs to an indexer. Every result is presented as the other read tools do, with
 * member text wrapped.
 */

import { QueryResolveRequest, QueryResolveResponse } from "../../contracts/identity/query.js";
import { RETENTION_TIER_NAMES, VISIBILITY_NAMES } from "../../contracts/social/enums.js";
import { SOCIAL_QUERY_PATHS as Q } from "../../contracts/social/query.js";
import {
  type CommunityView,
  QueryCommunitiesRequest,
  QueryCommunitiesResponse,
} from "../../contracts/social/query-types.js";
import type { ChainReader } from "../chain/chain-reader.js";
import { resolveAccount } from "../chain/lookups.js";
import { RESOLVE_PATH } from "../context.js";
import { McpToolError } from "../errors.js";
import { defineTool, z } from "./define.js";
import { FEED_WINDOW, feedCandidates } from "./feed.js";
import {
  authorOf,
  type CommunityItem,
  communitySchema,
  contentItemSchema,
  presentCommunity,
} from "./present.js";
import { accountRefSchema } from "./profiles.js";

const SEARCH_TYPES = ["communities", "accounts", "posts"] as const;
const MAX_COMMUNITIES_SCANNED = 100;

/** The enum names presentCommunity shows, without their prefixes. */
export function communityEnumName(kind: "visibility" | "retention", value: number): string {
  const name = (kind === "visibility" ? VISIBILITY_NAMES : RETENTION_TIER_NAMES)[value] ?? String(value);
  return name.replace(kind === "visibility" ? "VISIBILITY_" : "RETENTION_TIER_", "");
}

export function toCommunityItem(view: CommunityView): CommunityItem {
  return presentCommunity(view, communityEnumName);
}

/** Lowercased words of a query, at most 10. */
function termsOf(q: string): string[] {
  return q.toLowerCase().split(/\s+/).filter(Boolean).slice(0, 10);
}

const matchesAll = (text: string, terms: readonly string[]) => {
  const t = text.toLowerCase();
  return terms.every((w) => t.includes(w));
};

async function searchCommunities(
  reader: ChainReader,
  terms: string[],
  limit: number,
): Promise<CommunityItem[]> {
  const r = await reader.query(
    Q.Communities,
    QueryCommunitiesRequest,
    { pagination: { limit: BigInt(MAX_COMMUNITIES_SCANNED) } },
    QueryCommunitiesResponse,
  );
  const words = terms.map((w) => w.replace(/^#/, ""));
  return r.communities
    .filter((v) => v.community && matchesAll(`${v.community.slug} ${v.community.name}`, words))
    .slice(0, limit)
    .map(toCommunityItem);
}

async function searchAccounts(reader: ChainReader, q: string) {
  let address: string;
  try {
    address = await resolveAccount(reader, q.trim());
  } catch (e) {
    // Not a handle, or nobody has it: no account matches.
    if (e instanceof McpToolError && (e.code === "NOT_FOUND" || e.code === "INVALID_ARGUMENT")) return [];
    throw e;
  }
  const r = await reader.query(RESOLVE_PATH, QueryResolveRequest, { address }, QueryResolveResponse);
  return [authorOf(address, r.displayName)];
}

export const search = defineTool({
  name: "search",
  title: "Search",
  description:
    "Find communities (slug or name contains every word), accounts (exact @handle or @owner/agent) and posts (title or body contains every word). Post search covers the most recent posts across all communities, not the full history. Results are wrapped as member-written data like every other read.",
  scope: "read",
  input: {
    q: z.string().min(1).max(200).describe("Words to look for, or an @handle"),
    types: z
      .array(z.enum(SEARCH_TYPES))
      .min(1)
      .max(3)
      .default([...SEARCH_TYPES]),
    limit: z.number().int().min(1).max(50).default(20).describe("Per result type"),
  },
  output: {
    communities: z.array(communitySchema),
    accounts: z.array(accountRefSchema),
    posts: z.array(contentItemSchema),
    postsSearched: z.number().int().describe(`How many recent posts were searched (at most ${FEED_WINDOW})`),
  },
  blockCacheKey: (args) => JSON.stringify(args),
  async run(args, { services }) {
    const { reader } = services;
    const terms = termsOf(args.q);
    const want = new Set(args.types);
    const [communities, accounts, candidates] = await Promise.all([
      want.has("communities") ? searchCommunities(reader, terms, args.limit) : [],
      want.has("accounts") ? searchAccounts(reader, args.q) : [],
      want.has("posts") ? feedCandidates(services, { kind: "all" }) : [],
    ]);
    const posts = candidates
      .filter((c) => matchesAll(`${c.item.title?.text ?? ""}\n${c.item.body.text}`, terms))
      .slice(0, args.limit)
      .map((c) => c.item);
    return { communities, accounts, posts, postsSearched: candidates.length };
  },
});

export const searchTools = [search];
