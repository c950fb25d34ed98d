/**
 * When the next height starts: timeout_commit is the block time under load.
 *
 * CometBFT executes a block after deciding it, inside the timeout_commit wait. Here the proposer
 * executes before proposing (the header carries the block's own app hash), so the wait counts from
 * when this node started the height: executing, voting and writing the block overlap it instead of
 * adding to the interval. A height this node never started (adopted by block-sync) waits from its
 * decision. The caller starts the next height only once this one is written, so a delay of 0 still
 * never starts it early.
 */
export interface HeightTiming {
  readonly commitMs: number;
  /** When this node started the height (performance.now()), or undefined if it never did. */
  readonly startedAt: number | undefined;
  readonly decidedAt: number;
  readonly now: number;
}

export function nextHeightDelayMs(t: HeightTiming): number {
  const from = t.startedAt ?? t.decidedAt;
  return Math.max(0, t.commitMs - (t.now - from));
}
