/**
 * Header verification for a light client, as CometBFT's light client does it: from a trusted light
 * block (header, commit, validator set), a later header is accepted either
 *
 * - adjacent (height + 1): its validator set is the one the trusted header named as next, it links
 *   to the trusted header, and more than 2/3 of that set signed it; or
 * - skipping (any later height): more than 2/3 of its own validator set signed it, and validators
 *   of the trusted set holding more than 1/3 of the trusted power are among the signers — so at
 *   least one honest validator the client already trusts vouches for it.
 *
 * When the overlap is too small (the set changed too much in between), `verifyToHeight` bisects:
 * it verifies a header halfway, trusts it, and tries again from there. Pure given its inputs; the
 * caller supplies light blocks (from RPC or a bundle).
 */
import { type KeyObject, verify } from "node:crypto";
import { blockHash } from "../consensus/block-builder.js";
import { ed25519PublicKey } from "../consensus/keys.js";
import { SignedMsgType, voteSignBytes } from "../consensus/messages.js";
import { type Validator, ValidatorSet, validatorAddress } from "../consensus/validator-set.js";
import { bytesEqual, toHex, toHexUpper } from "../crypto/hash.js";
import { BlockIdFlag, type Commit, type CommitSig, type Header } from "../types/block.js";
import { compareTimestamps } from "../types/timestamp.js";
import { LruCache } from "../util/lru.js";

export interface LightBlock {
  readonly header: Header;
  readonly commit: Commit;
  /** The validator set that decided this height (hashes to `header.validatorsHash`). */
  readonly validators: readonly Validator[];
}

export type LightErrorCode =
  | "WRONG_CHAIN"
  | "NOT_NEWER"
  | "HEADER_MISMATCH"
  | "VALIDATORS_MISMATCH"
  | "NEXT_VALIDATORS_MISMATCH"
  | "INVALID_COMMIT"
  | "NOT_ENOUGH_TRUST";

export class LightVerificationError extends Error {
  override readonly name = "LightVerificationError";
  constructor(
    readonly code: LightErrorCode,
    readonly height: bigint,
    /** The message without the code and height, for reports that show those already. */
    readonly reason: string,
  ) {
    super(`${code} at height ${height}: ${reason}`);
  }
}

/** The share of the trusted power that must have signed a skipped-to header (CometBFT's default 1/3). */
export interface TrustLevel {
  readonly numerator: bigint;
  readonly denominator: bigint;
}
export const DEFAULT_TRUST_LEVEL: TrustLevel = { numerator: 1n, denominator: 3n };

export interface VerifiedRange {
  /** The highest light block now trusted. */
  readonly trusted: LightBlock;
  /** Heights verified on the way, in order (bisection pivots included). */
  readonly trace: readonly bigint[];
  /** The light blocks of `trace`, each verified from the one before: what a proof bundle carries. */
  readonly path: readonly LightBlock[];
  /** Commit signatures checked (what a benchmark counts). */
  readonly signaturesChecked: number;
}

/** Signatures verified so far. */
export interface Tally {
  checked: number;
}

function fail(code: LightErrorCode, height: bigint, message: string): never {
  throw new LightVerificationError(code, height, message);
}

// Headers are immutable once decoded; a light block's hash is needed by several checks.
const headerHashes = new WeakMap<Header, Uint8Array>();
function headerHash(h: Header): Uint8Array {
  let hash = headerHashes.get(h);
  if (!hash) {
    hash = blockHash(h);
    headerHashes.set(h, hash);
  }
  return hash;
}

/** A validator set whose addresses match their keys, with its hash and parsed public keys. */
interface CheckedSet {
  readonly set: ValidatorSet;
  readonly hash: Uint8Array;
  /** node:crypto keys by set index: parsing a key costs more than verifying with it. */
  readonly keys: readonly KeyObject[];
}

// Consecutive headers are usually decided by the same set; hashing it (a Merkle tree) costs about
// half a signature check, so checked sets are memoised by their full content.
const checkedSets = new LruCache<string, CheckedSet>(256);

function checkedSet(validators: readonly Validator[], height: bigint): CheckedSet {
  let key = "";
  for (const v of validators) key += `${toHex(v.pubKey)}:${toHex(v.address)}:${v.votingPower};`;
  const hit = checkedSets.get(key);
  if (hit) return hit;
  for (const v of validators)
    if (!bytesEqual(v.address, validatorAddress(v.pubKey)))
      fail("VALIDATORS_MISMATCH", height, `validator ${toHexUpper(v.address)} does not match its key`);
  let set: ValidatorSet;
  try {
    set = new ValidatorSet(validators);
  } catch (err) {
    return fail("VALIDATORS_MISMATCH", height, (err as Error).message);
  }
  const checked = { set, hash: set.hash(), keys: set.validators.map((v) => ed25519PublicKey(v.pubKey)) };
  checkedSets.set(key, checked);
  return checked;
}

/**
 * Power of `cs` among the commit's valid signatures for `header` (each validator once), counted
 * until `enough` holds: like CometBFT's light client, signatures past the threshold are not
 * checked. `verified` remembers signatures already checked for this commit (by the key that
 * checked them), so the trust-overlap pass of a skip does not verify a signature twice.
 */
function signedPower(
  chainId: string,
  cs: CheckedSet,
  header: Header,
  commit: Commit,
  tally: Tally,
  enough: (power: bigint) => boolean,
  verified: Map<CommitSig, Uint8Array>,
): bigint {
  const blockId = { hash: headerHash(header), parts: commit.blockId.parts };
  let power = 0n;
  const seen = new Set<number>();
  for (const sig of commit.signatures) {
    if (sig.flag !== BlockIdFlag.Commit) continue;
    const i = cs.set.indexOf(sig.validatorAddress);
    if (i < 0) continue;
    if (seen.has(i)) fail("INVALID_COMMIT", header.height, "a validator signed twice");
    seen.add(i);
    const val = cs.set.getByIndex(i)!;
    const checkedWith = verified.get(sig);
    if (!checkedWith || !bytesEqual(checkedWith, val.pubKey)) {
      const signBytes = voteSignBytes(chainId, {
        type: SignedMsgType.Precommit,
        height: commit.height,
        round: commit.round,
        blockId,
        timestamp: sig.timestamp,
      });
      tally.checked += 1;
      if (!verify(null, signBytes, cs.keys[i]!, sig.signature))
        fail("INVALID_COMMIT", header.height, `bad signature from validator ${toHexUpper(val.address)}`);
      verified.set(sig, val.pubKey);
    }
    power += val.votingPower;
    if (enough(power)) break;
  }
  return power;
}

/** Checks a light block on its own (chain, commit for this header, set, +2/3 signed). */
function checkSelf(
  chainId: string,
  lb: LightBlock,
  tally: Tally,
  verified: Map<CommitSig, Uint8Array>,
): void {
  const h = lb.header;
  if (h.chainId !== chainId)
    fail("WRONG_CHAIN", h.height, `header is for chain ${h.chainId}, expected ${chainId}`);
  if (lb.commit.height !== h.height)
    fail("HEADER_MISMATCH", h.height, `the commit is for height ${lb.commit.height}`);
  if (!bytesEqual(lb.commit.blockId.hash, headerHash(h)))
    fail("HEADER_MISMATCH", h.height, "the commit signed another block than this header");
  const cs = checkedSet(lb.validators, h.height);
  if (!bytesEqual(cs.hash, h.validatorsHash))
    fail("VALIDATORS_MISMATCH", h.height, "the validator set does not hash to the header's validators_hash");
  const power = signedPower(chainId, cs, h, lb.commit, tally, (p) => cs.set.hasTwoThirds(p), verified);
  if (!cs.set.hasTwoThirds(power))
    fail(
      "INVALID_COMMIT",
      h.height,
      `signed power ${power} is not more than 2/3 of ${cs.set.totalVotingPower}`,
    );
}

/**
 * A light block someone trusts by other means (its hash from a checkpoint or an anchor): it must
 * at least be consistent — its commit signed this header and more than 2/3 of its set signed.
 */
export function verifyLightBlock(chainId: string, lb: LightBlock, tally: Tally = { checked: 0 }): void {
  checkSelf(chainId, lb, tally, new Map());
}

function checkNewer(trusted: Header, untrusted: Header): void {
  if (untrusted.height <= trusted.height)
    fail("NOT_NEWER", untrusted.height, `not above the trusted height ${trusted.height}`);
  if (compareTimestamps(untrusted.time, trusted.time) <= 0)
    fail("NOT_NEWER", untrusted.height, "its time is not after the trusted header's");
}

/**
 * The first block of a chain, trusted from its genesis validators: they must be the block's set
 * and more than 2/3 of them must have signed it. The root every later verification starts from.
 */
export function verifyFromGenesis(
  chainId: string,
  genesisValidators: readonly Validator[],
  first: LightBlock,
  tally: Tally = { checked: 0 },
): void {
  if (!bytesEqual(checkedSet(genesisValidators, first.header.height).hash, first.header.validatorsHash))
    fail(
      "VALIDATORS_MISMATCH",
      first.header.height,
      "the first block is not decided by the genesis validators",
    );
  checkSelf(chainId, first, tally, new Map());
}

/** The header right after a trusted one. */
export function verifyAdjacent(
  chainId: string,
  trusted: LightBlock,
  next: LightBlock,
  tally: Tally = { checked: 0 },
): void {
  const h = next.header;
  if (h.height !== trusted.header.height + 1n)
    fail("NOT_NEWER", h.height, `is not the height after ${trusted.header.height}`);
  checkNewer(trusted.header, h);
  if (!bytesEqual(h.lastBlockId.hash, headerHash(trusted.header)))
    fail("HEADER_MISMATCH", h.height, "it does not link to the trusted header");
  if (!bytesEqual(h.validatorsHash, trusted.header.nextValidatorsHash))
    fail(
      "NEXT_VALIDATORS_MISMATCH",
      h.height,
      "its validators are not the ones the trusted header named as next",
    );
  checkSelf(chainId, next, tally, new Map());
}

/** Any later header, trusted through the trusted set's overlap with its signers. */
export function verifySkipping(
  chainId: string,
  trusted: LightBlock,
  untrusted: LightBlock,
  trustLevel: TrustLevel = DEFAULT_TRUST_LEVEL,
  tally: Tally = { checked: 0 },
): void {
  checkNewer(trusted.header, untrusted.header);
  const verified = new Map<CommitSig, Uint8Array>();
  checkSelf(chainId, untrusted, tally, verified);
  const trustedSet = checkedSet(trusted.validators, trusted.header.height);
  const total = trustedSet.set.totalVotingPower;
  const trustedEnough = (p: bigint) => p * trustLevel.denominator > total * trustLevel.numerator;
  const overlap = signedPower(
    chainId,
    trustedSet,
    untrusted.header,
    untrusted.commit,
    tally,
    trustedEnough,
    verified,
  );
  if (!trustedEnough(overlap))
    fail(
      "NOT_ENOUGH_TRUST",
      untrusted.header.height,
      `trusted validators holding ${overlap} of ${total} signed it; more than ${trustLevel.numerator}/${trustLevel.denominator} is needed`,
    );
}

/**
 * Verifies the header at `target` from `trusted`, skipping where the validator sets overlap enough
 * and bisecting where they do not. `fetch` supplies the light block at a height.
 */
export async function verifyToHeight(
  chainId: string,
  trusted: LightBlock,
  target: bigint,
  fetch: (height: bigint) => Promise<LightBlock>,
  trustLevel: TrustLevel = DEFAULT_TRUST_LEVEL,
): Promise<VerifiedRange> {
  const tally: Tally = { checked: 0 };
  const trace: bigint[] = [];
  const path: LightBlock[] = [];
  let current = trusted;
  const pending: bigint[] = [target];
  while (pending.length > 0) {
    const height = pending[pending.length - 1]!;
    const lb = await fetch(height);
    if (lb.header.height !== height)
      fail("HEADER_MISMATCH", height, `the source answered height ${lb.header.height}`);
    try {
      if (height === current.header.height + 1n) verifyAdjacent(chainId, current, lb, tally);
      else verifySkipping(chainId, current, lb, trustLevel, tally);
    } catch (err) {
      if (!(err instanceof LightVerificationError) || err.code !== "NOT_ENOUGH_TRUST") throw err;
      // Too much changed since the trusted header: trust a header halfway first.
      pending.push(current.header.height + (height - current.header.height) / 2n);
      continue;
    }
    current = lb;
    trace.push(height);
    path.push(lb);
    pending.pop();
  }
  return { trusted: current, trace, path, signaturesChecked: tally.checked };
}

/** Verifies every header from `trusted` up to `target`, one after another. */
export async function verifySequential(
  chainId: string,
  trusted: LightBlock,
  target: bigint,
  fetch: (height: bigint) => Promise<LightBlock>,
): Promise<VerifiedRange> {
  const tally: Tally = { checked: 0 };
  const trace: bigint[] = [];
  const path: LightBlock[] = [];
  let current = trusted;
  for (let h = trusted.header.height + 1n; h <= target; h++) {
    const lb = await fetch(h);
    verifyAdjacent(chainId, current, lb, tally);
    current = lb;
    trace.push(h);
    path.push(lb);
  }
  return { trusted: current, trace, path, signaturesChecked: tally.checked };
}
