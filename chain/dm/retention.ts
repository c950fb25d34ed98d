/**
 * The retention task every node runs over its DM store: once a minute (and at start) it deletes
 * the messages whose retention tier has expired, so each node forgets them on its own, without
 * waiting to be told.
 */
import type { Logger } from "../util/logger.js";
import type { DmStore } from "./store.js";

export class DmRetention {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;

  constructor(
    private readonly store: DmStore,
    private readonly log: Logger,
    private readonly o: { intervalMs?: number; now?: () => number } = {},
  ) {}

  start(): void {
    if (this.timer) return;
    void this.runOnce();
    this.timer = setInterval(() => void this.runOnce(), this.o.intervalMs ?? 60_000);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.running;
  }

  /** One pass (also what `start` runs on its schedule); returns how many messages it deleted. */
  async runOnce(): Promise<number> {
    if (this.running) {
      await this.running;
      return 0;
    }
    let deleted = 0;
    this.running = (async () => {
      const now = Math.floor((this.o.now ?? Date.now)() / 1000);
      try {
        // Batches of 10,000 until nothing expired is left.
        for (let n = await this.store.gc(now); n > 0; n = await this.store.gc(now)) deleted += n;
        if (deleted > 0) this.log.info({ deleted }, "expired direct messages deleted");
      } catch (err) {
        this.log.warn({ code: "DM_GC_FAILED", err: (err as Error).message }, "DM retention pass failed");
      }
    })();
    await this.running;
    this.running = undefined;
    return deleted;
  }
}
