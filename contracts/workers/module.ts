/**
 * The workers module: the on-chain switch the AI service workers obey. The module authority
 * (governance by default) pauses or resumes one worker by name, or all of them at once; the
 * supervisor reads `workerPauseState` / `isWorkerPaused` (or the PauseState query) every block.
 * Any account also anchors Merkle roots of its workers' audit logs here (MsgAnchorAudit).
 */
import type { ContractModule } from "../types.js";
import { initWorkersGenesis, parseWorkersGenesis } from "./genesis.js";
import { msgAnchorAudit } from "./msg-anchor.js";
import { msgSetWorkerPause } from "./msg-pause.js";
import { queryAuditAnchors, queryLatestAuditAnchor, queryPauseState, queryWorkersParams } from "./query.js";

export const workersModule: ContractModule = {
  name: "workers",
  msgs: [msgSetWorkerPause as never, msgAnchorAudit as never],
  queries: {
    "/vivim.workers.v1.Query/PauseState": queryPauseState,
    "/vivim.workers.v1.Query/Params": queryWorkersParams,
    "/vivim.workers.v1.Query/AuditAnchors": queryAuditAnchors,
    "/vivim.workers.v1.Query/LatestAuditAnchor": queryLatestAuditAnchor,
  },
  validateGenesis(state) {
    parseWorkersGenesis(state);
  },
  initGenesis(ctx, state) {
    initWorkersGenesis(ctx, state);
  },
};
