/**
 * The validator set in force at a height, with CometBFT's weighted round-robin proposer selection
 * (proposer priorities: every step adds each validator's power, the highest priority proposes and
 * pays the total power back). Deterministic: the same set and steps give the same proposer everywhere.
 */
import { BinaryWriter } from "cosmjs-types/binary";
import { BlockMerkleTree } from "../block/merkle.js";
import { sha256, toHex } from "../crypto/hash.js";

export interface Validator {
  readonly address: Uint8Array;
  /** ed25519 public key, 32 bytes. */
  readonly pubKey: Uint8Array;
  readonly votingPower: bigint;
  readonly proposerPriority: bigint;
}

/** Consensus address of a validator key: the first 20 bytes of sha256(pubkey), as CometBFT. */
export function validatorAddress(pubKey: Uint8Array): Uint8Array {
  return sha256(pubKey).subarray(0, 20);
}

/** CometBFT caps total power (int64 max / 8) so priorities cannot overflow int64. */
export const MAX_TOTAL_VOTING_POWER = 2n ** 60n - 1n;

function encodeValidatorLeaf(v: Validator): Uint8Array {
  const w = BinaryWriter.create();
  w.uint32(18).bytes(v.pubKey);
  w.uint32(24).int64(v.votingPower);
  return w.finish();
}

function compareAddresses(a: Uint8Array, b: Uint8Array): number {
  return Buffer.compare(a, b);
}

export class ValidatorSetUpdateError extends Error {
  readonly code = "VALIDATOR_SET_UPDATE_INVALID";
  constructor(reason: string) {
    super(`invalid validator set update: ${reason}`);
    this.name = "ValidatorSetUpdateError";
  }
}

export class ValidatorSet {
  readonly validators: readonly Validator[];
  readonly totalVotingPower: bigint;
  private readonly byAddress: Map<string, number>;
  /** The proposer chosen by the last priority step (CometBFT keeps it rather than re-deriving it). */
  private readonly chosen: Uint8Array | undefined;

  constructor(validators: readonly Validator[], chosenProposer?: Uint8Array) {
    this.chosen = chosenProposer;
    if (validators.length === 0) throw new Error("validator set must not be empty");
    // Sorted by power (desc) then address, as CometBFT orders them; indices are stable per set.
    this.validators = [...validators].sort((a, b) =>
      a.votingPower === b.votingPower
        ? compareAddresses(a.address, b.address)
        : a.votingPower > b.votingPower
          ? -1
          : 1,
    );
    this.totalVotingPower = this.validators.reduce((sum, v) => sum + v.votingPower, 0n);
    if (this.totalVotingPower > MAX_TOTAL_VOTING_POWER)
      throw new Error("total voting power exceeds the maximum");
    this.byAddress = new Map(this.validators.map((v, i) => [toHex(v.address), i]));
    if (this.byAddress.size !== this.validators.length) throw new Error("duplicate validator address");
  }

  /** A new set from genesis entries, with priorities initialised the way CometBFT does. */
  static fromGenesis(entries: ReadonlyArray<{ pubKey: Uint8Array; power: bigint }>): ValidatorSet {
    const set = new ValidatorSet(
      entries.map((e) => ({
        address: validatorAddress(e.pubKey),
        pubKey: e.pubKey,
        votingPower: e.power,
        proposerPriority: 0n,
      })),
    );
    return set.incrementProposerPriority(1);
  }

  get size(): number {
    return this.validators.length;
  }

  indexOf(address: Uint8Array): number {
    return this.byAddress.get(toHex(address)) ?? -1;
  }

  getByIndex(index: number): Validator | undefined {
    return this.validators[index];
  }

  /** Merkle root over (pubkey, power) of every validator, committed to by block headers. */
  hash(): Uint8Array {
    return new BlockMerkleTree(this.validators.map(encodeValidatorLeaf)).root;
  }

  /** The proposer of the current step: the one the last priority step chose. */
  proposer(): Validator {
    const chosen = this.chosen ? this.validators[this.indexOf(this.chosen)] : undefined;
    return chosen ?? this.highestPriority();
  }

  /** Highest priority, ties to the lowest address. */
  private highestPriority(): Validator {
    let best = this.validators[0]!;
    for (const v of this.validators) {
      if (v.proposerPriority > best.proposerPriority) best = v;
      else if (v.proposerPriority === best.proposerPriority && compareAddresses(v.address, best.address) < 0)
        best = v;
    }
    return best;
  }

  /** The proposer after `rounds` more steps (round r of a height uses `proposerAt(r)`). */
  proposerAt(rounds: number): Validator {
    return rounds === 0 ? this.proposer() : this.incrementProposerPriority(rounds).proposer();
  }

  /** A copy advanced by `times` steps (one per height, plus one per extra round when asked). */
  incrementProposerPriority(times: number): ValidatorSet {
    let vals = this.rescaleAndCenter();
    let proposer: Validator | undefined;
    for (let i = 0; i < times; i++) {
      vals = vals.map((v) => ({ ...v, proposerPriority: v.proposerPriority + v.votingPower }));
      const chosen = new ValidatorSet(vals).highestPriority();
      proposer = chosen;
      vals = vals.map((v) =>
        compareAddresses(v.address, chosen.address) === 0
          ? { ...v, proposerPriority: v.proposerPriority - this.totalVotingPower }
          : v,
      );
    }
    return new ValidatorSet(vals, proposer?.address ?? this.chosen);
  }

  /** Keeps priorities within 2x total power of each other and centred on zero (CometBFT). */
  private rescaleAndCenter(): Validator[] {
    const priorities = this.validators.map((v) => v.proposerPriority);
    const max = priorities.reduce((a, b) => (a > b ? a : b));
    const min = priorities.reduce((a, b) => (a < b ? a : b));
    const diff = max - min;
    const limit = 2n * this.totalVotingPower;
    const ratio = diff > limit ? (diff + limit - 1n) / limit : 1n;
    let vals = this.validators.map((v) => ({ ...v, proposerPriority: v.proposerPriority / ratio }));
    const sum = vals.reduce((s, v) => s + v.proposerPriority, 0n);
    const avg = sum / BigInt(vals.length);
    vals = vals.map((v) => ({ ...v, proposerPriority: v.proposerPriority - avg }));
    return vals;
  }

  /**
   * A copy with `updates` applied, with CometBFT's `UpdateWithChangeSet` semantics: power 0 removes a
   * validator, a known key takes its new power and keeps its priority, an unknown key joins with
   * priority -1.125 × (total power after the updates, before the removals) so that it does not
   * propose at once and cannot reset a negative priority by leaving and rejoining; then priorities
   * are rescaled and centred. The order of `updates` does not matter. Throws a
   * `ValidatorSetUpdateError` (and changes nothing) for a duplicate key, a negative or oversized
   * power, a removal of an unknown validator, an empty result, or a total over the maximum.
   */
  applyUpdates(
    updates: ReadonlyArray<{ readonly pubKey: Uint8Array; readonly power: bigint }>,
  ): ValidatorSet {
    if (updates.length === 0) return this;
    const changes = updates
      .map((u) => {
        if (u.pubKey.length !== 32)
          throw new ValidatorSetUpdateError(`public key must be 32 bytes, got ${u.pubKey.length}`);
        if (u.power < 0n) throw new ValidatorSetUpdateError(`negative voting power ${u.power}`);
        if (u.power > MAX_TOTAL_VOTING_POWER)
          throw new ValidatorSetUpdateError(`voting power ${u.power} exceeds the maximum`);
        return { address: validatorAddress(u.pubKey), pubKey: u.pubKey, power: u.power };
      })
      .sort((a, b) => compareAddresses(a.address, b.address));
    for (let i = 1; i < changes.length; i++) {
      if (compareAddresses(changes[i - 1]!.address, changes[i]!.address) === 0)
        throw new ValidatorSetUpdateError(`duplicate entry for validator ${toHex(changes[i]!.address)}`);
    }
    const removals = changes.filter((c) => c.power === 0n);
    const upserts = changes.filter((c) => c.power > 0n);

    let removedPower = 0n;
    for (const r of removals) {
      const i = this.indexOf(r.address);
      if (i < 0) throw new ValidatorSetUpdateError(`cannot remove unknown validator ${toHex(r.address)}`);
      removedPower += this.validators[i]!.votingPower;
    }
    const added = upserts.filter((u) => this.indexOf(u.address) < 0).length;
    if (added === 0 && removals.length === this.validators.length)
      throw new ValidatorSetUpdateError("the update would leave the validator set empty");

    // CometBFT's verifyUpdates: apply the deltas smallest first so no intermediate total overflows.
    const delta = (u: (typeof upserts)[number]): bigint =>
      u.power - (this.validators[this.indexOf(u.address)]?.votingPower ?? 0n);
    let total = this.totalVotingPower - removedPower;
    for (const d of upserts.map(delta).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))) {
      total += d;
      if (total > MAX_TOTAL_VOTING_POWER)
        throw new ValidatorSetUpdateError("total voting power would exceed the maximum");
    }
    const totalBeforeRemovals = total + removedPower;
    const newcomerPriority = -(totalBeforeRemovals + (totalBeforeRemovals >> 3n));

    const next = new Map<string, Validator>(this.validators.map((v) => [toHex(v.address), v]));
    for (const u of upserts) {
      const old = next.get(toHex(u.address));
      next.set(toHex(u.address), {
        address: u.address,
        pubKey: u.pubKey,
        votingPower: u.power,
        proposerPriority: old ? old.proposerPriority : newcomerPriority,
      });
    }
    for (const r of removals) next.delete(toHex(r.address));
    const updated = new ValidatorSet([...next.values()]);
    const kept = this.chosen && updated.indexOf(this.chosen) >= 0 ? this.chosen : undefined;
    return new ValidatorSet(updated.rescaleAndCenter(), kept);
  }

  /** More than two thirds of the total power. */
  hasTwoThirds(power: bigint): boolean {
    return power * 3n > this.totalVotingPower * 2n;
  }

  /** More than one third of the total power (round skipping). */
  hasOneThird(power: bigint): boolean {
    return power * 3n > this.totalVotingPower;
  }
}
