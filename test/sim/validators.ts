/**
 * The simulated validators: real ed25519 keys derived from fixed seeds (the same keys for every run,
 * so a seed alone reproduces a run), the genesis set, and the set in force at each height.
 */
import { createPrivateKey, createPublicKey, type KeyObject } from "node:crypto";
import { ValidatorSet } from "../../chain/consensus/validator-set.js";
import { sha256 } from "../../chain/crypto/hash.js";

export interface ValidatorKey {
  readonly privateKey: KeyObject;
  readonly publicKey: KeyObject;
  readonly address: Uint8Array;
}

// PKCS#8 DER prefix of an ed25519 private key; the 32-byte seed follows it.
const ED25519_PKCS8_PREFIX = Buffer.from("302e020100300506032b657004220420", "hex");

function keyFromSeed(seed: Uint8Array): { privateKey: KeyObject; publicKey: KeyObject; raw: Uint8Array } {
  const privateKey = createPrivateKey({
    key: Buffer.concat([ED25519_PKCS8_PREFIX, seed]),
    format: "der",
    type: "pkcs8",
  });
  const publicKey = createPublicKey(privateKey);
  const spki = publicKey.export({ format: "der", type: "spki" });
  return { privateKey, publicKey, raw: new Uint8Array(spki.subarray(spki.length - 32)) };
}

export interface Validators {
  readonly genesis: ValidatorSet;
  /** Indexed by validator index in the set, which is also the simulated node id. */
  readonly keys: readonly ValidatorKey[];
}

const byCount = new Map<number, Validators>();

/** `count` equal-power validators; node i is the validator at index i of the set. */
export function simValidators(count: number): Validators {
  const cached = byCount.get(count);
  if (cached) return cached;
  const generated = Array.from({ length: count }, (_, i) =>
    keyFromSeed(sha256(new TextEncoder().encode(`vivim-sim-validator-${i}`))),
  );
  const genesis = ValidatorSet.fromGenesis(generated.map((g) => ({ pubKey: g.raw, power: 10n })));
  const keys = genesis.validators.map((v) => {
    const g = generated.find((k) => Buffer.compare(k.raw, v.pubKey) === 0)!;
    return { privateKey: g.privateKey, publicKey: g.publicKey, address: v.address };
  });
  const validators = { genesis, keys };
  byCount.set(count, validators);
  return validators;
}

/**
 * The set in force at each height: the genesis set at height 1, then advanced one proposer-priority
 * step per height (as CometBFT does), so the proposer of round 0 rotates from height to height.
 */
export class SimValidatorSets {
  private readonly sets: ValidatorSet[];
  private readonly proposers = new Map<string, number>();

  constructor(genesis: ValidatorSet) {
    this.sets = [genesis];
  }

  at(height: bigint): ValidatorSet {
    const index = Number(height) - 1;
    while (this.sets.length <= index)
      this.sets.push(this.sets[this.sets.length - 1]!.incrementProposerPriority(1));
    return this.sets[index]!;
  }

  /** The node that proposes in `round` of `height` (memoised: receivers check every proposal). */
  proposer(height: bigint, round: number): number {
    const key = `${height}/${round}`;
    let index = this.proposers.get(key);
    if (index === undefined) {
      const set = this.at(height);
      index = set.indexOf(set.proposerAt(round).address);
      this.proposers.set(key, index);
    }
    return index;
  }
}
