/** Event types of the treasury module: addresses indexed, amounts not. */
import { formatCoins } from "../lib/coins.js";
import { indexedEvent } from "../lib/events.js";
import type { Coin } from "../lib/proto-common.js";
import type { AbciEvent } from "../types.js";

export const TreasuryEvents = {
  CommunityPoolSpend: "vivim.treasury.v1.EventCommunityPoolSpend",
  CommunityPoolFunded: "vivim.treasury.v1.EventCommunityPoolFunded",
} as const;

export function poolSpent(authority: string, recipient: string, amount: readonly Coin[]): AbciEvent {
  return indexedEvent(
    TreasuryEvents.CommunityPoolSpend,
    { authority, recipient, amount: formatCoins(amount) },
    ["amount"],
  );
}

export function poolFunded(depositor: string, amount: readonly Coin[]): AbciEvent {
  return indexedEvent(TreasuryEvents.CommunityPoolFunded, { depositor, amount: formatCoins(amount) }, [
    "amount",
  ]);
}
