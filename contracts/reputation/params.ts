/** Reputation parameters (changed by governance through the module authority). */
import { defineMessage } from "../../chain/codec/proto-message.js";
import { moduleAddress } from "../auth/keeper.js";
import { ModulePrefix } from "../lib/store.js";
import type { KVReader, KVStore } from "../types.js";

export interface ReputationParams {
  authority: string;
  /** Scores are recomputed in the end block of every height divisible by this. */
  epochBlocks: bigint;
  /** EigenTrust: weight of the pre-trusted distribution in each iteration, in millionths. */
  pretrustWeightPpm: number;
  eigentrustIterations: number;
  /** Cap on the share of a subject's incoming trust one rater can provide, in millionths. */
  maxRaterInfluencePpm: number;
  /** Share of an agent's score credited to its owner, in millionths. */
  ownerShareOfAgentPpm: number;
  /** Below both of these an account has limited reach (stricter rate limits, no feed boost). */
  fullReachScore: bigint;
  fullReachKarma: bigint;
  /** Local trust an attestation (vouch) adds to the attester's edge to its subject. */
  attestationWeight: number;
  /** MsgRate rate limit per rater: at most `ratingRateMax` per `ratingRateWindowSeconds` (0 forbids rating). */
  ratingRateMax: number;
  ratingRateWindowSeconds: number;
}

export const ReputationParams = defineMessage<ReputationParams>("vivim.reputation.v1.Params", [
  { no: 1, name: "authority", kind: "string" },
  { no: 2, name: "epochBlocks", kind: "uint64" },
  { no: 3, name: "pretrustWeightPpm", kind: "uint32" },
  { no: 4, name: "eigentrustIterations", kind: "uint32" },
  { no: 5, name: "maxRaterInfluencePpm", kind: "uint32" },
  { no: 6, name: "ownerShareOfAgentPpm", kind: "uint32" },
  { no: 7, name: "fullReachScore", kind: "uint64" },
  { no: 8, name: "fullReachKarma", kind: "int64" },
  { no: 9, name: "attestationWeight", kind: "uint32" },
  { no: 10, name: "ratingRateMax", kind: "uint32" },
  { no: 11, name: "ratingRateWindowSeconds", kind: "uint32" },
]);

export const DEFAULT_REPUTATION_PARAMS: ReputationParams = Object.freeze({
  authority: moduleAddress("gov"),
  epochBlocks: 100n,
  pretrustWeightPpm: 150_000,
  eigentrustIterations: 20,
  maxRaterInfluencePpm: 250_000,
  ownerShareOfAgentPpm: 200_000,
  fullReachScore: 500_000n,
  fullReachKarma: 10n,
  attestationWeight: 2,
  ratingRateMax: 20,
  ratingRateWindowSeconds: 3600,
});

/** Bounds MsgUpdateReputationParams and genesis enforce (inclusive). */
export const PARAM_LIMITS = Object.freeze({
  epochBlocks: [1n, 1_000_000n] as const,
  pretrustWeightPpm: [0, 1_000_000] as const,
  eigentrustIterations: [1, 100] as const,
  maxRaterInfluencePpm: [1, 1_000_000] as const,
  ownerShareOfAgentPpm: [0, 1_000_000] as const,
  fullReachScore: [0n, 1_000_000_000_000n] as const,
  fullReachKarma: [0n, 1_000_000_000n] as const,
  attestationWeight: [0, 100] as const,
  ratingRateMax: [0, 10_000] as const,
  ratingRateWindowSeconds: [1, 31 * 86_400] as const,
});

/** The first parameter outside its bounds, as `[snake_case name, reason]`, or undefined. */
export function checkReputationParams(p: ReputationParams): [string, string] | undefined {
  const entries: Array<[keyof typeof PARAM_LIMITS, string]> = [
    ["epochBlocks", "epoch_blocks"],
    ["pretrustWeightPpm", "pretrust_weight_ppm"],
    ["eigentrustIterations", "eigentrust_iterations"],
    ["maxRaterInfluencePpm", "max_rater_influence_ppm"],
    ["ownerShareOfAgentPpm", "owner_share_of_agent_ppm"],
    ["fullReachScore", "full_reach_score"],
    ["fullReachKarma", "full_reach_karma"],
    ["attestationWeight", "attestation_weight"],
    ["ratingRateMax", "rating_rate_max"],
    ["ratingRateWindowSeconds", "rating_rate_window_seconds"],
  ];
  for (const [name, snake] of entries) {
    const [min, max] = PARAM_LIMITS[name];
    const v = p[name];
    if (v < min || v > max) return [snake, `must be between ${min} and ${max}`];
  }
  return undefined;
}

const PARAMS_KEY = new Uint8Array([ModulePrefix.reputation, 0x04]);

export function getReputationParams(store: KVReader): ReputationParams {
  const bytes = store.get(PARAMS_KEY);
  return bytes ? ReputationParams.decode(bytes) : DEFAULT_REPUTATION_PARAMS;
}

export function setReputationParams(store: KVStore, params: ReputationParams): void {
  store.set(PARAMS_KEY, ReputationParams.toBytes(params));
}
