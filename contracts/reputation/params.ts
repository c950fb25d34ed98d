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
});

const PARAMS_KEY = new Uint8Array([ModulePrefix.reputation, 0x04]);

export function getReputationParams(store: KVReader): ReputationParams {
  const bytes = store.get(PARAMS_KEY);
  return bytes ? ReputationParams.decode(bytes) : DEFAULT_REPUTATION_PARAMS;
}

export function setReputationParams(store: KVStore, params: ReputationParams): void {
  store.set(PARAMS_KEY, ReputationParams.encode(params).finish());
}
