/**
 * When to take a checkpoint: at every height that is a multiple of `everyBlocks` (the same heights
 * on every node and across restarts), and whenever `everyMinutes` have passed since the last one,
 * so an idle chain that makes few blocks is still anchored. The clock is passed in.
 */
export class AnchorSchedule {
  private lastTakenMs: number;

  constructor(
    private readonly everyBlocks: number,
    private readonly everyMinutes: number,
    startMs: number,
  ) {
    this.lastTakenMs = startMs;
  }

  /** Whether to checkpoint the block at `height` committed at `nowMs`; if so, the timer restarts. */
  take(height: bigint, nowMs: number): boolean {
    const byBlocks = this.everyBlocks > 0 && height % BigInt(this.everyBlocks) === 0n;
    const byTime = this.everyMinutes > 0 && nowMs - this.lastTakenMs >= this.everyMinutes * 60_000;
    if (byBlocks || byTime) this.lastTakenMs = nowMs;
    return byBlocks || byTime;
  }
}
