/**
 * Signature checks a receiving node makes before anything reaches its state machine: the vote's
 * index and address name a validator of the height's set and its key signed the canonical bytes;
 * a proposal is signed by the proposer of its round; a commit carries +2/3 such precommits.
 */
import { verify } from "node:crypto";
import {
  type Proposal,
  proposalSignBytes,
  SignedMsgType,
  type Vote,
  voteSignBytes,
} from "../../chain/consensus/messages.js";
import type { ValidatorSet } from "../../chain/consensus/validator-set.js";
import { bytesEqual } from "../../chain/crypto/hash.js";
import type { ValidatorKey } from "./validators.js";
import { type CommittedEntry, SIM_CHAIN_ID } from "./wire.js";

export class SignatureVerifier {
  /**
   * Messages are immutable objects shared by every receiver, so a verdict can be memoised per
   * object: n receivers cost one ed25519 verify instead of n. A forged message is a new object.
   */
  private readonly verdicts = new WeakMap<object, boolean>();

  constructor(private readonly keys: readonly ValidatorKey[]) {}

  vote(vote: Vote, set: ValidatorSet): boolean {
    const known = this.verdicts.get(vote);
    if (known !== undefined) return known;
    const validator = set.getByIndex(vote.validatorIndex);
    const key = this.keys[vote.validatorIndex];
    const ok =
      validator !== undefined &&
      key !== undefined &&
      bytesEqual(validator.address, vote.validatorAddress) &&
      verify(null, voteSignBytes(SIM_CHAIN_ID, vote), key.publicKey, vote.signature);
    this.verdicts.set(vote, ok);
    return ok;
  }

  proposal(proposal: Proposal, proposerIndex: number): boolean {
    const known = this.verdicts.get(proposal);
    if (known !== undefined) return known;
    const key = this.keys[proposerIndex];
    const ok =
      key !== undefined &&
      verify(null, proposalSignBytes(SIM_CHAIN_ID, proposal), key.publicKey, proposal.signature);
    this.verdicts.set(proposal, ok);
    return ok;
  }

  /** +2/3 of the set's power in distinct, valid precommits for exactly this block and round. */
  commit(entry: CommittedEntry, set: ValidatorSet): boolean {
    const signers = new Set<number>();
    let power = 0n;
    for (const v of entry.precommits) {
      if (
        v.type !== SignedMsgType.Precommit ||
        v.height !== entry.block.height ||
        v.round !== entry.round ||
        !bytesEqual(v.blockId.hash, entry.block.id.hash) ||
        signers.has(v.validatorIndex) ||
        !this.vote(v, set)
      )
        return false;
      signers.add(v.validatorIndex);
      power += set.getByIndex(v.validatorIndex)!.votingPower;
    }
    return set.hasTwoThirds(power);
  }
}
