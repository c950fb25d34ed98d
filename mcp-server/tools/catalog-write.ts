/** Every tool that changes chain state, in the order clients list them. */
import { auditTools } from "./audit.js";
import { bountyTools } from "./bounties.js";
import { communityTools } from "./communities.js";
import { contentTools } from "./content.js";
import type { ToolDef } from "./define.js";
import { dmWriteTools } from "./dm.js";
import { ratingTools } from "./ratings.js";
import { signedTools } from "./signed.js";

export const WRITE_TOOLS: readonly ToolDef[] = [
  ...contentTools,
  ...communityTools,
  ...ratingTools,
  ...bountyTools,
  ...auditTools,
  ...signedTools,
  ...dmWriteTools,
] as readonly ToolDef[];
