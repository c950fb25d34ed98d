/**
 * What byzantine validators agree on out of band: for each height, a split of the honest nodes into
 * two groups that are shown different things, and the two blocks a byzantine proposer sent to the
 * two groups in a round. One byzantine node alone has a conspiracy of one; colluding nodes share one,
 * so they all vote for group 0's block to group 0 and group 1's block to group 1.
 */
import type { SimBlock } from "./blocks.js";
import type { Prng } from "./prng.js";

export class Conspiracy {
  private readonly groupsByHeight = new Map<bigint, number[]>();
  private readonly splits = new Map<string, readonly [SimBlock, SimBlock]>();

  constructor(
    readonly members: ReadonlySet<number>,
    private readonly nodeCount: number,
    private readonly prng: Prng,
  ) {}

  /** 0 or 1 for an honest node; members see group 0's view. */
  groupOf(height: bigint, node: number): 0 | 1 {
    let groups = this.groupsByHeight.get(height);
    if (!groups) {
      groups = new Array<number>(this.nodeCount).fill(0);
      const honest = this.prng.shuffle([...Array(this.nodeCount).keys()].filter((i) => !this.members.has(i)));
      const cut = honest.length > 1 ? this.prng.int(1, honest.length - 1) : honest.length;
      honest.forEach((node, i) => {
        groups![node] = i < cut ? 0 : 1;
      });
      this.groupsByHeight.set(height, groups);
    }
    return groups[node] === 1 ? 1 : 0;
  }

  recordSplit(height: bigint, round: number, blocks: readonly [SimBlock, SimBlock]): void {
    this.splits.set(`${height}/${round}`, blocks);
  }

  split(height: bigint, round: number): readonly [SimBlock, SimBlock] | undefined {
    return this.splits.get(`${height}/${round}`);
  }
}
