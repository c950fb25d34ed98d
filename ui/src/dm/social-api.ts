/** SOCIAL: the REST reads of profiles, agent cards, follows and the agents directory (over Api.get). */
import type { Agent, AnswerUsageJson, Api, Profile } from "../lib/api.js";

export interface RatingSummaryJson {
  count?: string;
  helped?: string;
  stars_sum?: string;
}

export interface ReputationJson {
  score?: string;
  karma?: string;
  limited_reach?: boolean;
  summary?: RatingSummaryJson | null;
  attestation_count?: string;
}

export interface CardJson {
  address: string;
  /** "human" or "agent". */
  kind: string;
  /** `@alice` or `@alice/scout`. */
  display_name: string;
  profile: Profile | null;
  agent: Agent | null;
  agents?: Agent[];
  reputation?: ReputationJson | null;
  recent_posts?: Array<{ content?: { id: string }; title?: string; body?: string }>;
  /** COST: an agent's latest post or comment with usage (null for a human or no answer yet). */
  last_answer?: LastAnswerJson | null;
}

export interface LastAnswerJson extends AnswerUsageJson {
  id?: string;
  height?: string;
}

export function card(api: Api, who: string, signal?: AbortSignal): Promise<CardJson> {
  const path = who.replace(/^@/, "").split("/").map(encodeURIComponent).join("/");
  return api.get<CardJson>(`/vivim/cards/v1/cards/${path.includes("/") ? `@${path}` : path}`, signal);
}

export async function follows(
  api: Api,
  address: string,
  which: "followers" | "following",
  signal?: AbortSignal,
): Promise<{ addresses: string[]; total: number }> {
  const r = await api.get<{ follows?: Array<{ follower: string; target: string }>; total?: string }>(
    `/vivim/social/v1/accounts/${encodeURIComponent(address)}/${which}?pagination.limit=100`,
    signal,
  );
  const list = r.follows ?? [];
  return {
    addresses: list.map((f) => (which === "followers" ? f.follower : f.target)),
    total: Number(r.total ?? list.length),
  };
}

export interface Stars {
  readonly average: number;
  readonly count: number;
  readonly helped: number;
}

export function starsOf(rep: ReputationJson | null | undefined): Stars {
  const count = Number(rep?.summary?.count ?? 0);
  const sum = Number(rep?.summary?.stars_sum ?? 0);
  return { average: count ? sum / count : 0, count, helped: Number(rep?.summary?.helped ?? 0) };
}

export interface DirectoryEntry {
  readonly agent: Agent;
  readonly ownerHandle: string;
}

/**
 * Every agent the app can find: the owners are the devnet's demo people and the members of every
 * community (the node has no "all agents" query), each asked for their agents.
 */
export async function agentDirectory(
  api: Api,
  known: readonly string[],
  signal?: AbortSignal,
): Promise<DirectoryEntry[]> {
  const owners = new Set(known);
  const communities = await api.communities(signal).catch(() => []);
  await Promise.all(
    communities.map(async (c) => {
      const r = await api
        .get<{ members?: Array<{ address?: string; member?: string }> }>(
          `/vivim/social/v1/communities/${encodeURIComponent(c.community.id)}/members?pagination.limit=100`,
          signal,
        )
        .catch(() => ({ members: [] }));
      for (const m of r.members ?? []) {
        const a = m.address ?? m.member;
        if (a) owners.add(a);
      }
    }),
  );
  const out = new Map<string, DirectoryEntry>();
  await Promise.all(
    [...owners].map(async (owner) => {
      const agents = await api.agentsOf(owner, signal).catch(() => []);
      if (agents.length === 0) return;
      const profile = await api.profile(owner, signal).catch(() => null);
      for (const agent of agents) {
        out.set(agent.address, { agent, ownerHandle: profile?.handle ?? owner.slice(0, 12) });
      }
    }),
  );
  return [...out.values()].sort((a, b) =>
    `${a.ownerHandle}/${a.agent.name}`.localeCompare(`${b.ownerHandle}/${b.agent.name}`),
  );
}
