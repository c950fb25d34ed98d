/**
 * When the next height starts: timeout_commit is the block time under load.
 *
 * CometBFT executes a block after deciding it, inside the timeout_commit wait. Here the proposer
 * executes before proposing (the header carries the block's own app hash), so the wait counts from
 * when this node started the height: executing, voting and writing the block overlap it instead of
 * adding to the interval. A height this node never started (adopted by block-sync) waits from its
 * decision.
 *
 * A height that took longer than timeout_commit is still followed after a short gap (a quarter of
 * timeout_commit), never at once. While a long block was built, the txs that arrived sat unread
 * in the RPC's sockets: a proposal cut at once held only the few already checked in, the height
 * after it was the next to take the whole backlog, and under load the chain fell into alternating
 * near-empty and double-size blocks, each double-size one long enough to repeat the pattern.
 */
export interface HeightTiming {
  readonly commitMs: number;
  /** When this node started the height (performance.now()), or undefined if it never did. */
  readonly startedAt: number | undefined;
  readonly decidedAt: number;
  readonly now: number;
}

/**
 * The share of timeout_commit given to checking in what arrived: the least gap after a height, and
 * the longest the engine then waits for CheckTx calls already begun.
 */
export const CHECK_IN_SHARE = 0.25;

export function nextHeightDelayMs(t: HeightTiming): number {
  const from = t.startedAt ?? t.decidedAt;
  return Math.max(t.commitMs * CHECK_IN_SHARE, t.commitMs - (t.now - from));
}
