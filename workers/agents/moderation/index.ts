/** The moderation agent (see docs/workers.md, "Moderation agent"): its definition for the registry. */
import type { AgentDefinition } from "../registry.js";
import { processModerationJob } from "./process.js";

export { type ModerationContext, type ModerationJobResult, processModerationJob } from "./process.js";
export { STRONG_INJECTION, WEAK_INJECTION } from "./rules.js";
export { type SecretKind, scanSecrets } from "./secrets.js";

export const moderationAgent: AgentDefinition = {
  processor: (job, ctx) =>
    processModerationJob(job.data, {
      runtime: ctx.runtime,
      ai: ctx.ai,
      logger: ctx.logger,
      nodeRpcUrl: ctx.nodeRpcUrl,
    }),
};
