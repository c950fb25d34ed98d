/**
 * The checks every light-client proof shares once its leaf is under a header: the header belongs to
 * the expected chain and is the block the commit signed, the validator set is the one the header
 * commits to (a trusted set when one is given), and more than 2/3 of its power signed. Each check
 * runs even when an earlier one fails, so a report names every tampered part.
 */
import { blockHash } from "../consensus/block-builder.js";
import { verifyCommit } from "../consensus/commit.js";
import { type Validator, ValidatorSet, validatorAddress } from "../consensus/validator-set.js";
import { bytesEqual, toHexUpper } from "../crypto/hash.js";
import { BlockIdFlag, type Commit, type Header } from "../types/block.js";

export interface VerifyCheck {
  readonly name: string;
  readonly ok: boolean;
  readonly detail: string;
}

export interface VerifyResult {
  readonly ok: boolean;
  readonly checks: readonly VerifyCheck[];
}

export interface VerifyOptions {
  /** The chain the verifier expects (e.g. from a trusted genesis); the header must carry it. */
  readonly chainId?: string;
}

export interface SignedHeaderParts {
  readonly chainId: string;
  readonly header: Header;
  readonly commit: Commit;
  readonly validators: readonly Validator[];
}

/** A validator set from validators, checking each address is its key's; throws with the reason. */
function validatorSetOf(validators: readonly Validator[]): ValidatorSet {
  for (const v of validators) {
    if (!bytesEqual(v.address, validatorAddress(v.pubKey))) {
      throw new Error(`validator ${toHexUpper(v.address)} does not match its public key`);
    }
  }
  return new ValidatorSet(validators);
}

const reason = (err: unknown): string => (err instanceof Error ? err.message : String(err));

/** Runs one named check: its detail on success, the thrown reason on failure. */
export function check(name: string, run: () => string): VerifyCheck {
  try {
    return { name, ok: true, detail: run() };
  } catch (err) {
    return { name, ok: false, detail: reason(err) };
  }
}

export function fail(message: string): never {
  throw new Error(message);
}

/** A result that could not even be decoded: one failed "bundle" check. */
export function undecodable(err: unknown): VerifyResult {
  return { ok: false, checks: [{ name: "bundle", ok: false, detail: reason(err) }] };
}

export function signedHeaderChecks(
  d: SignedHeaderParts,
  trustedValidators: readonly Validator[] | undefined,
  opts: VerifyOptions,
): VerifyCheck[] {
  const headerHash = blockHash(d.header);
  const checks: VerifyCheck[] = [];
  checks.push(
    check("header", () => {
      if (d.header.chainId !== d.chainId)
        fail(`header is for chain ${d.header.chainId}, bundle says ${d.chainId}`);
      if (opts.chainId !== undefined && d.header.chainId !== opts.chainId) {
        fail(`header is for chain ${d.header.chainId}, expected ${opts.chainId}`);
      }
      if (d.commit.height !== d.header.height)
        fail(`commit is for height ${d.commit.height}, header is ${d.header.height}`);
      if (!bytesEqual(headerHash, d.commit.blockId.hash)) {
        fail(
          `header hashes to ${toHexUpper(headerHash)}, commit signed ${toHexUpper(d.commit.blockId.hash)}`,
        );
      }
      return `header ${d.header.height} hashes to ${toHexUpper(headerHash)}, the block the commit signed`;
    }),
  );

  let valSet: ValidatorSet | undefined;
  checks.push(
    check("validator set", () => {
      valSet = validatorSetOf(trustedValidators ?? d.validators);
      const hash = valSet.hash();
      if (!bytesEqual(hash, d.header.validatorsHash)) {
        fail(
          trustedValidators
            ? `trusted validator set hash ${toHexUpper(hash)} is not the header's validators_hash (the set may have changed since)`
            : `validator set hash ${toHexUpper(hash)} is not the header's validators_hash`,
        );
      }
      const source = trustedValidators ? "trusted set" : "set from the bundle (not independently trusted)";
      return `${valSet.size} validator(s), total power ${valSet.totalVotingPower}: ${source}, matches validators_hash`;
    }),
  );

  checks.push(
    check("commit", () => {
      if (!valSet) fail("no usable validator set");
      verifyCommit(d.chainId, valSet, { hash: headerHash, parts: d.commit.blockId.parts }, d.commit);
      const signed = d.commit.signatures.filter((s) => s.flag === BlockIdFlag.Commit).length;
      return `${signed} of ${valSet.size} validators signed, more than 2/3 of the power`;
    }),
  );
  return checks;
}
