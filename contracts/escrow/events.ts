/** Event types of the escrow module: ids and addresses only (never titles, results or reasons). */
import { formatCoins } from "../lib/coins.js";
import { indexedEvent } from "../lib/events.js";
import type { Coin } from "../lib/proto-common.js";
import type { AbciEvent } from "../types.js";
import type { Bounty } from "./records.js";

export const EscrowEvents = {
  BountyCreated: "vivim.escrow.v1.EventBountyCreated",
  BountyClaimed: "vivim.escrow.v1.EventBountyClaimed",
  BountyUnclaimed: "vivim.escrow.v1.EventBountyUnclaimed",
  WorkSubmitted: "vivim.escrow.v1.EventWorkSubmitted",
  WorkAccepted: "vivim.escrow.v1.EventWorkAccepted",
  WorkDisputed: "vivim.escrow.v1.EventWorkDisputed",
  DisputeResolved: "vivim.escrow.v1.EventDisputeResolved",
  BountyCancelled: "vivim.escrow.v1.EventBountyCancelled",
  Tip: "vivim.escrow.v1.EventTip",
  AgentWithdrawal: "vivim.escrow.v1.EventAgentWithdrawal",
  ParamsUpdated: "vivim.escrow.v1.EventParamsUpdated",
} as const;

/** An event about a bounty: always `bounty_id`, `creator` and `worker` (empty while unclaimed). */
export function bountyEvent(
  type: string,
  b: Bounty,
  extra: Record<string, string> = {},
  unindexed: readonly string[] = [],
): AbciEvent {
  return indexedEvent(
    type,
    { bounty_id: b.id.toString(), creator: b.creator, worker: b.worker, ...extra },
    unindexed,
  );
}

export const coinsText = (coins: readonly Coin[]) => formatCoins(coins);
