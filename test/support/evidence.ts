/**
 * Real ed25519 validators and signed votes for evidence tests: a double sign here is made exactly
 * as a misbehaving validator would make one.
 */
import { generateKeyPairSync, type KeyObject, sign } from "node:crypto";
import { SignedMsgType, type Vote, voteSignBytes } from "../../chain/consensus/messages.js";
import { ValidatorSet } from "../../chain/consensus/validator-set.js";
import { sha256 } from "../../chain/crypto/hash.js";
import type { DuplicateVoteEvidence } from "../../chain/evidence/types.js";
import { makeDuplicateVoteEvidence } from "../../chain/evidence/verify.js";
import type { BlockId } from "../../chain/types/block.js";
import type { Timestamp } from "../../chain/types/timestamp.js";

export const CHAIN_ID = "vivim-evidence-test";
export const BLOCK_TIME: Timestamp = { seconds: 1_700_000_000n, nanos: 5 };

export interface TestKey {
  readonly privateKey: KeyObject;
  readonly pubKey: Uint8Array;
}

export function makeKey(): TestKey {
  const { privateKey, publicKey } = generateKeyPairSync("ed25519");
  const der = publicKey.export({ format: "der", type: "spki" });
  return { privateKey, pubKey: new Uint8Array(der.subarray(der.length - 32)) };
}

/** `n` validators of `power` each; keys in validator-set order. */
export function makeValidators(n: number, power = 10n): { set: ValidatorSet; keys: TestKey[] } {
  const keys = Array.from({ length: n }, makeKey);
  const set = ValidatorSet.fromGenesis(keys.map((k) => ({ pubKey: k.pubKey, power })));
  const ordered = set.validators.map((v) => keys.find((k) => Buffer.compare(k.pubKey, v.pubKey) === 0)!);
  return { set, keys: ordered };
}

export function blockIdFor(tag: string): BlockId {
  const hash = sha256(new TextEncoder().encode(tag));
  return { hash, parts: { total: 1, hash: sha256(hash) } };
}

export interface VoteFields {
  readonly type?: Vote["type"];
  readonly height?: bigint;
  readonly round?: number;
  readonly blockId: BlockId;
  readonly timestamp?: Timestamp;
}

/** A vote by validator `index` of `set`, signed with its key over the canonical sign bytes. */
export function signedVote(
  set: ValidatorSet,
  keys: readonly TestKey[],
  index: number,
  f: VoteFields,
  chainId = CHAIN_ID,
): Vote {
  const unsigned = {
    type: f.type ?? SignedMsgType.Precommit,
    height: f.height ?? 5n,
    round: f.round ?? 0,
    blockId: f.blockId,
    timestamp: f.timestamp ?? { seconds: 1_700_000_001n, nanos: 0 },
  };
  const signature = new Uint8Array(sign(null, voteSignBytes(chainId, unsigned), keys[index]!.privateKey));
  return { ...unsigned, validatorAddress: set.getByIndex(index)!.address, validatorIndex: index, signature };
}

/** Validator `index` precommits two different blocks at (height, round): real evidence. */
export function doubleSign(
  set: ValidatorSet,
  keys: readonly TestKey[],
  index: number,
  opts: {
    height?: bigint;
    round?: number;
    type?: Vote["type"];
    time?: Timestamp;
    tags?: [string, string];
  } = {},
): { first: Vote; second: Vote; evidence: DuplicateVoteEvidence } {
  const [t1, t2] = opts.tags ?? ["block one", "block two"];
  const common = {
    height: opts.height ?? 5n,
    round: opts.round ?? 0,
    type: opts.type ?? SignedMsgType.Precommit,
  };
  const first = signedVote(set, keys, index, { ...common, blockId: blockIdFor(t1) });
  const second = signedVote(set, keys, index, { ...common, blockId: blockIdFor(t2) });
  return { first, second, evidence: makeDuplicateVoteEvidence(first, second, opts.time ?? BLOCK_TIME, set) };
}
