/**
 * Which validator set is in force at which height, with CometBFT's two-block delay: the validator
 * updates returned by block H's end-block hooks are folded into the "next validators" (in force at
 * H+1, already fixed) to give the set in force at H+2. So block H+1's header carries them in
 * `next_validators_hash`, block H+2 is proposed, voted on and committed by the new set, and its
 * commit appears as block H+3's `last_commit`. Pure: no I/O, the same inputs give the same sets.
 *
 * The rule is CometBFT's `state.Update`:
 *   nValSet = NextValidators.Copy(); nValSet.UpdateWithChangeSet(updates); nValSet.IncrementProposerPriority(1)
 *   LastValidators = Validators; Validators = NextValidators; NextValidators = nValSet
 * here named `last`, `current` and `next` (the shape of the engine's `ValidatorSets`).
 */
import { ValidatorSet } from "./validator-set.js";

export interface ValidatorSetChange {
  /** ed25519 public key, 32 bytes. */
  readonly pubKey: Uint8Array;
  /** New voting power; 0 removes the validator. */
  readonly power: bigint;
}

export interface ValidatorSchedule {
  /** The height being decided next. */
  readonly height: bigint;
  /** In force at `height - 1`: signed the commit carried as block `height`'s last_commit (none at the first height). */
  readonly last: ValidatorSet | undefined;
  /** In force at `height`: proposes and votes on it; block `height`'s `validators_hash`. */
  readonly current: ValidatorSet;
  /** In force at `height + 1`: block `height`'s `next_validators_hash`. */
  readonly next: ValidatorSet;
  /** The last height whose set differs in members or powers from the one before it (CometBFT's LastHeightValidatorsChanged). */
  readonly lastHeightChanged: bigint;
}

/** The set in force two heights after the block that returned `updates`, from the set in force one height after it. */
export function validatorSetAfter(next: ValidatorSet, updates: readonly ValidatorSetChange[]): ValidatorSet {
  return next.applyUpdates(updates).incrementProposerPriority(1);
}

/**
 * The schedule of a new chain: the genesis validators are in force at `initialHeight` (priorities
 * stepped once, as CometBFT's NewValidatorSet does) and at `initialHeight + 1` (stepped once more).
 */
export function genesisValidatorSchedule(
  initialHeight: bigint,
  entries: ReadonlyArray<{ pubKey: Uint8Array; power: bigint }>,
): ValidatorSchedule {
  const current = ValidatorSet.fromGenesis(entries);
  return {
    height: initialHeight,
    last: undefined,
    current,
    next: current.incrementProposerPriority(1),
    lastHeightChanged: initialHeight,
  };
}

/**
 * The schedule after block `schedule.height` committed with `updates` (its end-block validator
 * updates, possibly none). Throws a `ValidatorSetUpdateError` for an invalid change set: the
 * contracts never return one, so that is a bug to halt on, not a block to skip.
 */
export function advanceValidatorSchedule(
  schedule: ValidatorSchedule,
  updates: readonly ValidatorSetChange[],
): ValidatorSchedule {
  const after = validatorSetAfter(schedule.next, updates);
  return {
    height: schedule.height + 1n,
    last: schedule.current,
    current: schedule.next,
    next: after,
    lastHeightChanged: updates.length > 0 ? schedule.height + 2n : schedule.lastHeightChanged,
  };
}

/** The validator hashes block `schedule.height`'s header must carry. */
export function headerValidatorHashes(schedule: ValidatorSchedule): {
  validatorsHash: Uint8Array;
  nextValidatorsHash: Uint8Array;
} {
  return { validatorsHash: schedule.current.hash(), nextValidatorsHash: schedule.next.hash() };
}
