/**
 * What the OPS views (communities, governance, network, workers) read: the app API's gov, social
 * and workers routes through the shared Api client, and the node's CometBFT RPC (JSON over GET,
 * CORS-enabled) for validators, blocks, peers and the mempool. Every failure is an ApiError whose
 * message can be shown to a person as it is.
 */
import { type Api, ApiError } from "../lib/api.js";

export interface Coin {
  denom: string;
  amount: string;
}

export interface Tally {
  yes_count: string;
  abstain_count: string;
  no_count: string;
  no_with_veto_count: string;
}

export type ProposalStatus =
  | "PROPOSAL_STATUS_DEPOSIT_PERIOD"
  | "PROPOSAL_STATUS_VOTING_PERIOD"
  | "PROPOSAL_STATUS_PASSED"
  | "PROPOSAL_STATUS_REJECTED"
  | "PROPOSAL_STATUS_FAILED"
  | string;

export interface Proposal {
  id: string;
  messages: Array<{ "@type"?: string }>;
  status: ProposalStatus;
  final_tally_result: Tally | null;
  submit_time: string | null;
  deposit_end_time: string | null;
  total_deposit: Coin[];
  voting_start_time: string | null;
  voting_end_time: string | null;
  metadata: string;
  title: string;
  summary: string;
  proposer: string;
  expedited: boolean;
  failed_reason: string;
}

export interface GovParams {
  min_deposit: Coin[];
  quorum: string;
  threshold: string;
  veto_threshold: string;
  voting_period: string;
  max_deposit_period: string;
}

export interface ProposalInfo {
  electorate?: string;
  stage?: string;
  execute_after?: string;
  executed_height?: string;
  total_weight?: string;
}

export interface VotingPower {
  electorate?: string;
  weight?: string;
  total_weight?: string;
  refusal?: string;
}

export interface Membership {
  community_id: string;
  address: string;
  role: string;
  status: string;
}

export const STATUS_LABEL: Record<string, string> = {
  PROPOSAL_STATUS_DEPOSIT_PERIOD: "Deposit period",
  PROPOSAL_STATUS_VOTING_PERIOD: "Voting",
  PROPOSAL_STATUS_PASSED: "Passed",
  PROPOSAL_STATUS_REJECTED: "Rejected",
  PROPOSAL_STATUS_FAILED: "Failed",
};

export const govApi = {
  async proposals(api: Api, signal?: AbortSignal): Promise<Proposal[]> {
    const r = await api.get<{ proposals: Proposal[] }>(
      "/cosmos/gov/v1/proposals?pagination.limit=100&pagination.reverse=true",
      signal,
    );
    return r.proposals ?? [];
  },
  async proposal(api: Api, id: string, signal?: AbortSignal): Promise<Proposal> {
    const r = await api.get<{ proposal: Proposal }>(
      `/cosmos/gov/v1/proposals/${encodeURIComponent(id)}`,
      signal,
    );
    if (!r.proposal) throw new ApiError("The node sent an unexpected answer.");
    return r.proposal;
  },
  async tally(api: Api, id: string, signal?: AbortSignal): Promise<Tally> {
    const r = await api.get<{ tally: Tally }>(
      `/cosmos/gov/v1/proposals/${encodeURIComponent(id)}/tally`,
      signal,
    );
    return r.tally;
  },
  async params(api: Api, signal?: AbortSignal): Promise<GovParams | null> {
    const r = await api
      .get<{ params: GovParams }>("/cosmos/gov/v1/params/tallying", signal)
      .catch(() => null);
    return r?.params ?? null;
  },
  async info(api: Api, id: string, signal?: AbortSignal): Promise<ProposalInfo | null> {
    const r = await api
      .get<{ info: ProposalInfo }>(`/vivim/gov/v1/proposals/${encodeURIComponent(id)}/info`, signal)
      .catch(() => null);
    return r?.info ?? null;
  },
  async votingPower(api: Api, id: string, voter: string, signal?: AbortSignal): Promise<VotingPower | null> {
    return api
      .get<VotingPower>(
        `/vivim/gov/v1/proposals/${encodeURIComponent(id)}/voting_power/${encodeURIComponent(voter)}`,
        signal,
      )
      .catch(() => null);
  },
  async myVote(api: Api, id: string, voter: string, signal?: AbortSignal): Promise<string | null> {
    try {
      const r = await api.get<{ vote: { options: Array<{ option: string; weight: string }> } }>(
        `/cosmos/gov/v1/proposals/${encodeURIComponent(id)}/votes/${encodeURIComponent(voter)}`,
        signal,
      );
      return r.vote?.options?.[0]?.option ?? null;
    } catch (err) {
      if (err instanceof ApiError && (err.status === 404 || err.status === 400)) return null;
      throw err;
    }
  },
};

export const socialOps = {
  async members(api: Api, communityId: string, signal?: AbortSignal): Promise<Membership[]> {
    const r = await api.get<{ members: Membership[] }>(
      `/vivim/social/v1/communities/${encodeURIComponent(communityId)}/members?pagination.limit=100`,
      signal,
    );
    return r.members ?? [];
  },
};

/** The workers' supervisor as the node reports it; 503 when the node serves no workers. */
export interface WorkerAgentState {
  agent?: string;
  name?: string;
  status?: string;
  state?: string;
  restarts?: number | string;
  last_block?: number | string;
  lastBlock?: number | string;
  heartbeat?: string | number;
  last_heartbeat?: string | number;
  queue?: number | string;
  queue_depth?: number | string;
  spend?: number | string;
  budget?: number | string;
  [key: string]: unknown;
}

export interface Approval {
  id: string;
  agent: string;
  status: string;
  subject: string;
  tool: string;
  summary: string;
  reason: string;
  confidence: number;
  created_at: string;
}

export const workersApi = {
  status(api: Api, signal?: AbortSignal): Promise<unknown> {
    return api.get<unknown>("/vivim/workers/v1/agents", signal);
  },
  async approvals(api: Api, signal?: AbortSignal): Promise<Approval[]> {
    const r = await api.get<{ approvals: Approval[] }>("/vivim/workers/v1/approvals?status=pending", signal);
    return r.approvals ?? [];
  },
  async pauseState(api: Api, signal?: AbortSignal): Promise<unknown> {
    return api.get<unknown>("/vivim/workers/v1/pause_state", signal).catch(() => null);
  },
  async queues(api: Api, signal?: AbortSignal): Promise<QueueCounts[]> {
    const r = await api.get<{ queues: QueueCounts[] }>("/vivim/workers/v1/queues", signal);
    return r.queues ?? [];
  },
  async aiSpend(api: Api, signal?: AbortSignal): Promise<AiKeySpend[]> {
    const r = await api.get<{ keys: AiKeySpend[] }>("/vivim/workers/v1/ai_spend", signal);
    return r.keys ?? [];
  },
};

/** BullMQ job counts of one worker queue. */
export interface QueueCounts {
  queue: string;
  counts: Partial<Record<"waiting" | "prioritized" | "active" | "delayed" | "completed" | "failed", number>>;
}

/** One AI-provider key's spend against its budgets (µUSD), as the supervisor publishes it. */
export interface AiKeySpend {
  id: string;
  label: string;
  provider: string;
  revoked: boolean;
  calls: number;
  dayMicroUsd: number;
  dailyBudgetMicroUsd: number;
  monthMicroUsd: number;
  monthlyBudgetMicroUsd: number;
}

/** A JSON-over-GET call to the node's CometBFT RPC. */
export async function rpc<T>(
  base: string,
  method: string,
  params: Record<string, string> = {},
  signal?: AbortSignal,
): Promise<T> {
  const q = new URLSearchParams(params).toString();
  let res: Response;
  try {
    res = await fetch(`${base.replace(/\/$/, "")}/${method}${q ? `?${q}` : ""}`, {
      ...(signal ? { signal } : {}),
      headers: { Accept: "application/json" },
    });
  } catch {
    if (signal?.aborted) throw new ApiError("Cancelled.");
    throw new ApiError("Cannot reach the node's RPC. Is the network running?");
  }
  const body = (await res.json().catch(() => null)) as { result?: T; error?: { message?: string } } | null;
  if (!res.ok || !body || body.error || body.result === undefined) {
    throw new ApiError("The node's RPC could not answer right now.", res.status);
  }
  return body.result;
}
