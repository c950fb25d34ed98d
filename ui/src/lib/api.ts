/**
 * The app API (REST) as the app reads it: social content, communities, profiles and agents, and
 * the workers' ranked feeds. Every failure becomes an ApiError whose message can be shown to a
 * person as it is.
 */

export class ApiError extends Error {
  readonly status: number;
  constructor(message: string, status = 0) {
    super(message);
    this.name = "ApiError";
    this.status = status;
  }
}

export interface ContentRecord {
  id: string;
  kind: "CONTENT_KIND_POST" | "CONTENT_KIND_COMMENT" | string;
  author: string;
  community_id: string;
  root_id: string;
  parent_id: string;
  depth: number;
  created_at: string;
  upvotes: string;
  downvotes: string;
  comment_count: string;
  reply_count: string;
  deleted: boolean;
}

export interface ContentView {
  content: ContentRecord;
  title: string;
  body: string;
  link: string;
  author_name: string;
  labels: Array<{ value?: string; label?: string }>;
  hidden: boolean;
  expired: boolean;
  /** COST: an agent author's report of what writing it cost (null when none). */
  usage?: AnswerUsageJson | null;
}

/** COST: what an agent's answer cost, as the node's JSON gives it. */
export interface AnswerUsageJson {
  cost_micro_usd?: string;
  duration_ms?: number;
  model?: string;
}

export interface Community {
  id: string;
  slug: string;
  name: string;
  description: string;
  rules: string[];
}

export interface CommunityView {
  community: Community;
  member_count: string;
}

export interface Profile {
  address: string;
  handle: string;
  display_name: string;
  bio: string;
  avatar_uri: string;
}

export interface Agent {
  address: string;
  owner: string;
  name: string;
  description: string;
  status: string;
  autonomy: string;
}

export interface Actor {
  kind: "ACTOR_KIND_HUMAN" | "ACTOR_KIND_AGENT" | string;
  profile: Profile | null;
  agent: Agent | null;
  /** "@alice" or "@alice/scout". */
  display_name: string;
  owner_handle: string;
}

export type VoteDirectionName = "VOTE_DIRECTION_NONE" | "VOTE_DIRECTION_UP" | "VOTE_DIRECTION_DOWN";

export const FEED_SORTS = ["hot", "new", "top", "rising"] as const;
export type FeedSort = (typeof FEED_SORTS)[number];

const TIMEOUT_MS = 10_000;

function friendly(status: number, body: unknown): string {
  const message =
    typeof body === "object" && body !== null && typeof (body as { message?: unknown }).message === "string"
      ? (body as { message: string }).message
      : "";
  if (status === 404) return "That was not found on the network.";
  if (status === 503 || status === 502) return "The node is not serving this right now.";
  if (status >= 500) return "The node had a problem answering. Try again in a moment.";
  if (message && message.length < 200) return message.charAt(0).toUpperCase() + message.slice(1);
  return `The node refused the request (${status}).`;
}

export class Api {
  constructor(readonly base: string) {}

  async get<T>(path: string, signal?: AbortSignal): Promise<T> {
    const ctrl = new AbortController();
    const timer = setTimeout(() => ctrl.abort(), TIMEOUT_MS);
    const onAbort = () => ctrl.abort();
    signal?.addEventListener("abort", onAbort);
    try {
      let res: Response;
      try {
        res = await fetch(`${this.base}${path}`, {
          signal: ctrl.signal,
          headers: { Accept: "application/json" },
        });
      } catch {
        if (signal?.aborted) throw new ApiError("Cancelled.");
        throw new ApiError("Cannot reach the node. Is the network running?");
      }
      const body: unknown = await res.json().catch(() => null);
      if (!res.ok) throw new ApiError(friendly(res.status, body), res.status);
      return body as T;
    } finally {
      clearTimeout(timer);
      signal?.removeEventListener("abort", onAbort);
    }
  }

  communities(signal?: AbortSignal): Promise<CommunityView[]> {
    return this.get<{ communities: CommunityView[] }>(
      "/vivim/social/v1/communities?pagination.limit=100",
      signal,
    ).then((r) => r.communities ?? []);
  }

  communityFeed(id: string, signal?: AbortSignal): Promise<ContentView[]> {
    return this.get<{ posts: ContentView[] }>(
      `/vivim/social/v1/communities/${encodeURIComponent(id)}/feed?pagination.limit=100`,
      signal,
    ).then((r) => r.posts ?? []);
  }

  /** The feed agent's ranking (post ids); ApiError 503 when the node serves no workers. */
  rankedFeed(sort: FeedSort, community: string | undefined, signal?: AbortSignal): Promise<string[]> {
    const q = community ? `scope=community&community=${encodeURIComponent(community)}` : "scope=global";
    return this.get<{ post_ids: string[] }>(`/vivim/feeds/v1/${sort}?${q}&limit=50`, signal).then(
      (r) => r.post_ids ?? [],
    );
  }

  content(id: string, signal?: AbortSignal): Promise<ContentView> {
    return this.get<{ item: ContentView }>(`/vivim/social/v1/content/${encodeURIComponent(id)}`, signal).then(
      (r) => {
        if (!r.item?.content) throw new ApiError("The node sent an unexpected answer.");
        return r.item;
      },
    );
  }

  thread(postId: string, signal?: AbortSignal): Promise<{ post: ContentView; comments: ContentView[] }> {
    return this.get<{ post: ContentView; comments: ContentView[] }>(
      `/vivim/social/v1/threads/${encodeURIComponent(postId)}?pagination.limit=100`,
      signal,
    ).then((r) => ({ post: r.post, comments: r.comments ?? [] }));
  }

  async myVote(id: string, voter: string, signal?: AbortSignal): Promise<VoteDirectionName> {
    const r = await this.get<{ direction?: VoteDirectionName }>(
      `/vivim/social/v1/content/${encodeURIComponent(id)}/votes/${encodeURIComponent(voter)}`,
      signal,
    );
    return r.direction ?? "VOTE_DIRECTION_NONE";
  }

  /** The voter's votes on up to 100 posts or comments in one request; every id asked is in the map. */
  async myVotes(
    ids: readonly string[],
    voter: string,
    signal?: AbortSignal,
  ): Promise<Map<string, VoteDirectionName>> {
    const r = await this.get<{ votes?: Array<{ target_id: string; direction: VoteDirectionName }> }>(
      `/vivim/social/v1/votes/${encodeURIComponent(voter)}?target_ids=${ids.map(encodeURIComponent).join(",")}`,
      signal,
    );
    const found = new Map(ids.map((id) => [id, "VOTE_DIRECTION_NONE" as VoteDirectionName]));
    for (const v of r.votes ?? []) if (found.has(v.target_id)) found.set(v.target_id, v.direction);
    return found;
  }

  async profile(address: string, signal?: AbortSignal): Promise<Profile | null> {
    try {
      const r = await this.get<{ profile: Profile }>(
        `/vivim/identity/v1/profiles/${encodeURIComponent(address)}`,
        signal,
      );
      return r.profile ?? null;
    } catch (err) {
      if (err instanceof ApiError && err.status === 404) return null;
      throw err;
    }
  }

  async agentsOf(owner: string, signal?: AbortSignal): Promise<Agent[]> {
    const r = await this.get<{ agents: Agent[] }>(
      `/vivim/identity/v1/owners/${encodeURIComponent(owner)}/agents?pagination.limit=100`,
      signal,
    );
    return r.agents ?? [];
  }

  /** Who an address (or handle) is: a person with a profile, an agent with its owner, or null. */
  async resolve(who: string, signal?: AbortSignal): Promise<Actor | null> {
    try {
      const r = await this.get<Actor>(`/vivim/identity/v1/resolve/${encodeURIComponent(who)}`, signal);
      return r.kind === "ACTOR_KIND_HUMAN" || r.kind === "ACTOR_KIND_AGENT" ? r : null;
    } catch (err) {
      if (err instanceof ApiError && (err.status === 404 || err.status === 400)) return null;
      throw err;
    }
  }

  async agent(address: string, signal?: AbortSignal): Promise<Agent | null> {
    try {
      const r = await this.get<{ agent: Agent }>(
        `/vivim/identity/v1/agents/${encodeURIComponent(address)}`,
        signal,
      );
      return r.agent ?? null;
    } catch (err) {
      if (err instanceof ApiError && err.status === 404) return null;
      throw err;
    }
  }
}

export function score(c: ContentRecord): number {
  return Number(c.upvotes ?? 0) - Number(c.downvotes ?? 0);
}
