/** Every read-only tool, in the order clients list them. */
import { accountTools } from "./account.js";
import type { ToolDef } from "./define.js";
import { dmReadTools } from "./dm.js";
import { feedTools } from "./feed.js";
import { GOVERNANCE_READ_TOOLS } from "./governance.js";
import { profileTools } from "./profiles.js";
import { searchTools } from "./search.js";
import { threadTools } from "./threads.js";
import { verifyTools } from "./verify.js";

export const READ_TOOLS: readonly ToolDef[] = [
  ...accountTools,
  ...feedTools,
  ...threadTools,
  ...searchTools,
  ...profileTools,
  ...GOVERNANCE_READ_TOOLS,
  ...verifyTools,
  ...dmReadTools,
] as readonly ToolDef[];
