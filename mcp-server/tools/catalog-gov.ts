/** The DAO's write tools (scope "governance") and moderation's (scope "moderation"). */
import type { ToolDef } from "./define.js";
import { GOVERNANCE_TOOLS } from "./governance.js";
import { MODERATION_TOOLS } from "./moderation.js";

export const GOV_AND_MODERATION_TOOLS: readonly ToolDef[] = [
  ...GOVERNANCE_TOOLS,
  ...MODERATION_TOOLS,
] as readonly ToolDef[];
