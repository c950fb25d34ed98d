/**
 * The reputation agent (see docs/workers.md, "Reputation agent"): finds rating rings, self-dealing
 * between an owner and its agents, and sybil clusters; labels the accounts involved with an
 * explanation; never edits a score.
 */
import type { AgentDefinition } from "../registry.js";
import { processReputationJob } from "./process.js";

export const reputationAgent: AgentDefinition = {
  processor: (job, ctx) =>
    processReputationJob(job.data, {
      redis: ctx.redis,
      log: ctx.logger,
      runtime: ctx.runtime,
      nodeRpcUrl: ctx.nodeRpcUrl,
    }),
};

export {
  type AccountInfo,
  buildGraph,
  DEFAULT_DETECTOR_PARAMS,
  type DetectorParams,
  detect,
  type Finding,
  findRings,
  findSelfDealing,
  findSybilClusters,
} from "./detect.js";
export { explain, LABELS } from "./explain.js";
export { processReputationJob, type ReputationContext, type ReputationJobResult } from "./process.js";
export { clearGraph, GRAPH_KEY_PREFIX, graphKeys } from "./store.js";
