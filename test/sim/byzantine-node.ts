/**
 * A byzantine validator: it follows the chain with an ordinary state machine, but signs without a
 * guard and lies. As proposer it proposes two different blocks (the second sometimes invalid), one
 * to each group of its conspiracy; when it votes it sends one vote to one group and a conflicting
 * one to the other (a double vote per round); now and then it forges a vote in an honest
 * validator's name. It neither relays nor re-sends anything.
 */
import { type Proposal, proposalSignBytes, type Vote } from "../../chain/consensus/messages.js";
import type { ConsensusAction, TendermintMachine } from "../../chain/consensus/state-machine.js";
import { toHex } from "../../chain/crypto/hash.js";
import type { BlockId } from "../../chain/types/block.js";
import { timestampFromMs } from "../../chain/types/timestamp.js";
import { type SimBlock, shortHash } from "./blocks.js";
import type { Conspiracy } from "./conspiracy.js";
import { signUnguarded } from "./sign-guard.js";
import { type NodeEnvironment, SimNode, voteName } from "./sim-node.js";
import type { ValidatorKey } from "./validators.js";
import { type ProposalMessage, SIM_CHAIN_ID, type SimMessage } from "./wire.js";

export interface ByzantineBehaviour {
  /** Chance that a vote outside a split round goes out as two conflicting votes. */
  readonly equivocateProbability: number;
  /** Chance that the second block of a split proposal is invalid. */
  readonly invalidBlockProbability: number;
  /** Chance, per vote, of also sending a vote forged in an honest validator's name. */
  readonly forgeProbability: number;
}

export class ByzantineNode extends SimNode {
  /** Rounds in which this node sent two different votes of one type. */
  conflictingVotesSent = 0;
  private readonly signFree = (bytes: Uint8Array): Uint8Array => signUnguarded(this.key.privateKey, bytes);

  constructor(
    id: number,
    key: ValidatorKey,
    env: NodeEnvironment,
    private readonly conspiracy: Conspiracy,
    private readonly behaviour: ByzantineBehaviour,
  ) {
    super(id, key, env);
  }

  protected override propose(
    machine: TendermintMachine,
    action: ConsensusAction & { kind: "propose" },
  ): ConsensusAction[] {
    const { height } = machine;
    const round = action.round;
    const blocks = [
      this.newBlock(height, round, false),
      this.newBlock(height, round, this.env.prng.chance(this.behaviour.invalidBlockProbability)),
    ] as const;
    this.conspiracy.recordSplit(height, round, blocks);
    const proposals = blocks.map((block) => this.signProposal(height, round, block));
    this.log(
      `BYZ propose ${height}/${round} ${shortHash(blocks[0].hash)} / ${shortHash(blocks[1].hash)}` +
        (blocks[1].invalid ? " (invalid)" : ""),
    );
    for (const block of blocks) this.pool.set(block.hash, block);
    const [first, second] = proposals as [ProposalMessage, ProposalMessage];
    this.sendByGroup(height, first, second);
    return machine.handle({ kind: "proposal", proposal: first.proposal, valid: true });
  }

  protected override vote(
    machine: TendermintMachine,
    action: ConsensusAction & { kind: "vote" },
  ): ConsensusAction[] {
    const { height } = machine;
    const { type, round } = action;
    const ids = this.chooseVotes(height, round, action.blockId);
    const first = this.signVote(type, height, round, ids[0], this.signFree)!;
    const second = sameBlock(ids[0], ids[1])
      ? first
      : this.signVote(type, height, round, ids[1], this.signFree)!;
    if (first !== second) {
      this.conflictingVotesSent++;
      this.log(
        `BYZ double ${voteName(first)} ${height}/${round} ${shortHash(toHex(first.blockId.hash))} / ` +
          shortHash(toHex(second.blockId.hash)),
      );
    }
    this.sendByGroup(height, { kind: "vote", vote: first }, { kind: "vote", vote: second });
    if (this.env.prng.chance(this.behaviour.forgeProbability)) this.forge(first);
    return machine.handle({ kind: "vote", vote: first });
  }

  /** In a split round: each group's block; otherwise sometimes the honest vote and its opposite. */
  private chooseVotes(
    height: bigint,
    round: number,
    choice: BlockId | undefined,
  ): readonly [BlockId | undefined, BlockId | undefined] {
    const split = this.conspiracy.split(height, round);
    if (split) return [split[0].id, split[1].id];
    if (!this.env.prng.chance(this.behaviour.equivocateProbability)) return [choice, choice];
    // Nil against the block, or a block nobody has against nil.
    return [choice, choice ? undefined : this.newBlock(height, round, true).id];
  }

  private signProposal(height: bigint, round: number, block: SimBlock): ProposalMessage {
    const unsigned = { height, round, polRound: -1, blockId: block.id, timestamp: timestampFromMs(this.now) };
    const proposal: Proposal = {
      ...unsigned,
      signature: this.signFree(proposalSignBytes(SIM_CHAIN_ID, unsigned)),
    };
    return { kind: "proposal", proposal, block };
  }

  private sendByGroup(height: bigint, toGroup0: SimMessage, toGroup1: SimMessage): void {
    for (let to = 0; to < this.env.network.size; to++)
      if (to !== this.id)
        this.env.network.send(this.id, to, this.conspiracy.groupOf(height, to) === 0 ? toGroup0 : toGroup1);
  }

  /** A copy of our vote claiming to come from an honest validator: receivers must reject it. */
  private forge(vote: Vote): void {
    const victims = [...Array(this.env.network.size).keys()].filter((i) => !this.conspiracy.members.has(i));
    const victim = this.env.prng.pick(victims);
    const address = this.env.sets.at(vote.height).getByIndex(victim)!.address;
    const forged: Vote = { ...vote, validatorIndex: victim, validatorAddress: address };
    const target = this.env.prng.pick(victims);
    this.log(`BYZ forge vote as validator ${victim} to n${target}`);
    this.env.network.send(this.id, target, { kind: "vote", vote: forged });
  }

  protected override relay(): void {}

  protected override retransmit(): void {}
}

function sameBlock(a: BlockId | undefined, b: BlockId | undefined): boolean {
  return (a ? toHex(a.hash) : "") === (b ? toHex(b.hash) : "");
}
