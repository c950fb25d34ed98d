/**
 * A virtual network between simulated nodes: every message gets a seeded random delay (so messages
 * overtake each other), may be dropped or duplicated, is lost across a partition, and is lost when
 * its receiver is down. The faults are switched by the scenario while the run goes on.
 */
import type { EventQueue } from "./event-queue.js";
import type { Prng } from "./prng.js";

export interface LinkFaults {
  readonly minDelayMs: number;
  readonly maxDelayMs: number;
  /** Chance that a message is slow: it gets up to `slowExtraMs` more, so later ones overtake it. */
  readonly slowProbability: number;
  readonly slowExtraMs: number;
  readonly dropProbability: number;
  readonly duplicateProbability: number;
}

export const CLEAN_LINKS: LinkFaults = {
  minDelayMs: 2,
  maxDelayMs: 20,
  slowProbability: 0,
  slowExtraMs: 0,
  dropProbability: 0,
  duplicateProbability: 0,
};

export interface NetworkStats {
  sent: number;
  delivered: number;
  dropped: number;
  duplicated: number;
  /** Cut by a partition or sent to a node that is down. */
  lost: number;
}

export class VirtualNetwork<M> {
  private faults: LinkFaults = CLEAN_LINKS;
  /** Partition group of each node; all 0 when the network is whole. */
  private readonly groupOf: number[];
  private readonly down: boolean[];
  readonly stats: NetworkStats = { sent: 0, delivered: 0, dropped: 0, duplicated: 0, lost: 0 };

  constructor(
    private readonly queue: EventQueue,
    private readonly prng: Prng,
    readonly size: number,
    private readonly deliver: (from: number, to: number, message: M) => void,
  ) {
    this.groupOf = new Array<number>(size).fill(0);
    this.down = new Array<boolean>(size).fill(false);
  }

  setFaults(faults: LinkFaults): void {
    this.faults = faults;
  }

  /** Nodes in different groups cannot talk; nodes left out of every group are alone. */
  partition(groups: readonly (readonly number[])[]): void {
    for (let i = 0; i < this.size; i++) this.groupOf[i] = groups.length + i;
    groups.forEach((group, g) => {
      for (const node of group) this.groupOf[node] = g;
    });
  }

  heal(): void {
    this.groupOf.fill(0);
  }

  setDown(node: number, down: boolean): void {
    this.down[node] = down;
  }

  isDown(node: number): boolean {
    return this.down[node] === true;
  }

  canTalk(from: number, to: number): boolean {
    return this.groupOf[from] === this.groupOf[to];
  }

  send(from: number, to: number, message: M): void {
    if (from === to) return;
    this.stats.sent++;
    if (!this.canTalk(from, to)) {
      this.stats.lost++;
      return;
    }
    if (this.prng.chance(this.faults.dropProbability)) {
      this.stats.dropped++;
      return;
    }
    this.schedule(from, to, message);
    if (this.prng.chance(this.faults.duplicateProbability)) {
      this.stats.duplicated++;
      this.schedule(from, to, message);
    }
  }

  broadcast(from: number, message: M): void {
    for (let to = 0; to < this.size; to++) if (to !== from) this.send(from, to, message);
  }

  private schedule(from: number, to: number, message: M): void {
    const f = this.faults;
    let delay = this.prng.int(f.minDelayMs, f.maxDelayMs);
    if (this.prng.chance(f.slowProbability)) delay += this.prng.int(0, f.slowExtraMs);
    this.queue.after(delay, () => {
      // A partition that starts while a message is in flight cuts it too; a down node hears nothing.
      if (this.down[to] || !this.canTalk(from, to)) {
        this.stats.lost++;
        return;
      }
      this.stats.delivered++;
      this.deliver(from, to, message);
    });
  }
}
