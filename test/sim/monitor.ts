/**
 * The run's invariant checks, fed by the nodes as things happen:
 * - safety: no two honest nodes commit different blocks at one height;
 * - no honest validator ever signs two different votes for one (height, round, type);
 * - equivocation evidence only ever accuses a byzantine validator, and is counted so a run can
 *   require that a byzantine node's double votes were noticed.
 * The first violation is enough to fail a run; the rest are kept for the report.
 */

import type { Vote } from "../../chain/consensus/messages.js";
import { toHex } from "../../chain/crypto/hash.js";
import { type SimBlock, shortHash } from "./blocks.js";

interface FirstCommit {
  readonly node: number;
  readonly hash: string;
  readonly at: number;
}

export class ConsensusMonitor {
  readonly violations: string[] = [];
  /** Honest observations of a byzantine double vote. */
  equivocationsDetected = 0;
  private readonly firstCommit = new Map<bigint, FirstCommit>();
  private readonly honestVotes = new Map<string, string>();

  constructor(private readonly byzantine: ReadonlySet<number>) {}

  isHonest(node: number): boolean {
    return !this.byzantine.has(node);
  }

  get failed(): boolean {
    return this.violations.length > 0;
  }

  recordCommit(node: number, block: SimBlock, at: number): void {
    if (!this.isHonest(node)) return;
    const { height, hash } = block;
    if (block.invalid)
      this.violations.push(
        `VALIDITY: node ${node} committed invalid block ${shortHash(hash)} at height ${height}`,
      );
    const first = this.firstCommit.get(height);
    if (!first) {
      this.firstCommit.set(height, { node, hash, at });
      return;
    }
    if (first.hash !== hash)
      this.violations.push(
        `SAFETY: fork at height ${height}: node ${first.node} committed ${shortHash(first.hash)} ` +
          `at t=${first.at}, node ${node} committed ${shortHash(hash)} at t=${at}`,
      );
  }

  /** Every vote an honest node signs: two different ones for one step would be a double sign. */
  recordHonestVote(vote: Vote): void {
    const key = `${vote.validatorIndex}/${vote.height}/${vote.round}/${vote.type}`;
    const hash = toHex(vote.blockId.hash);
    const earlier = this.honestVotes.get(key);
    if (earlier === undefined) this.honestVotes.set(key, hash);
    else if (earlier !== hash)
      this.violations.push(
        `DOUBLE SIGN: honest validator ${vote.validatorIndex} signed ${shortHash(earlier)} and ` +
          `${shortHash(hash)} at ${vote.height}/${vote.round} type ${vote.type}`,
      );
  }

  recordEvidence(observer: number, first: Vote, second: Vote): void {
    if (!this.isHonest(observer)) return;
    if (this.isHonest(first.validatorIndex)) {
      this.violations.push(
        `FALSE EVIDENCE: node ${observer} accuses honest validator ${first.validatorIndex} ` +
          `at ${first.height}/${first.round} (${shortHash(toHex(first.blockId.hash))} vs ` +
          `${shortHash(toHex(second.blockId.hash))})`,
      );
      return;
    }
    this.equivocationsDetected++;
  }

  /** An honest state machine asked its guard for a signature the guard refused: a machine bug. */
  recordRefusedSignature(node: number, reason: string, at: number): void {
    this.violations.push(`REFUSED SIGN: honest node ${node} asked to sign unsafely at t=${at}: ${reason}`);
  }
}
