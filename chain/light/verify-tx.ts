/**
 * Offline verification that a tx is in a finalised block, from a self-contained bundle:
 *
 *   1. the tx bytes hash to the proof's leaf (and to the claimed tx hash, if the bundle names one);
 *   2. the Merkle proof leads from that leaf to the header's data_hash;
 *   3. the header hashes to the block id the commit signed;
 *   4. the validator set is the one the header commits to (validators_hash), and, when a trusted
 *      set is given, it is that set rather than whatever the bundle carries;
 *   5. more than 2/3 of that set's power signed the commit.
 *
 * Pure: no I/O, no clock. Every check runs even when an earlier one fails, so a report names each
 * tampered part; `ok` is true only if all checks pass.
 */
import { leafHash, verifyMerkleProof } from "../block/merkle.js";
import type { Validator } from "../consensus/validator-set.js";
import { bytesEqual, sha256, toHexUpper } from "../crypto/hash.js";
import {
  commitFromJson,
  headerFromJson,
  type Json,
  JsonShapeError,
  txProofFromJson,
  validatorFromJson,
} from "../rpc/json.js";
import type { Commit, Header } from "../types/block.js";
import {
  check,
  fail,
  signedHeaderChecks,
  undecodable,
  type VerifyCheck,
  type VerifyOptions,
  type VerifyResult,
} from "./verify-header.js";

export type { VerifyCheck, VerifyOptions, VerifyResult } from "./verify-header.js";

/** What `vivim verify tx --save` writes and `--file` reads. */
export interface TxProofBundle {
  chain_id: string;
  /** Uppercase hex sha256 of the tx bytes, when the bundle was fetched for a given hash. */
  tx_hash?: string;
  /** The tx's height, for people reading the file; the header's height is what is checked. */
  height?: string;
  /** CometBFT TxProof JSON: `{root_hash, data, proof: {total, index, leaf_hash, aunts, sides}}`. */
  tx_proof: Json;
  signed_header: { header: Json; commit: Json };
  /** CometBFT validator JSON of the set at the tx's height. */
  validators: Json[];
}

export const MAX_BUNDLE_VALIDATORS = 10_000;

interface Decoded {
  chainId: string;
  txHash: string | undefined;
  tx: Uint8Array;
  proof: ReturnType<typeof txProofFromJson>;
  header: Header;
  commit: Commit;
  validators: Validator[];
}

function obj(v: unknown, field: string): Record<string, unknown> {
  if (typeof v !== "object" || v === null || Array.isArray(v))
    throw new JsonShapeError(field, "must be an object");
  return v as Record<string, unknown>;
}

function decodeBundle(v: unknown): Decoded {
  const b = obj(v, "bundle");
  if (typeof b.chain_id !== "string" || b.chain_id.length === 0) {
    throw new JsonShapeError("chain_id", "must be a non-empty string");
  }
  if (b.tx_hash !== undefined && (typeof b.tx_hash !== "string" || !/^[0-9a-fA-F]{64}$/.test(b.tx_hash))) {
    throw new JsonShapeError("tx_hash", "must be 64 hex characters");
  }
  const sh = obj(b.signed_header, "signed_header");
  if (
    !Array.isArray(b.validators) ||
    b.validators.length === 0 ||
    b.validators.length > MAX_BUNDLE_VALIDATORS
  ) {
    throw new JsonShapeError("validators", `must be an array of 1 to ${MAX_BUNDLE_VALIDATORS} validators`);
  }
  const proof = txProofFromJson(b.tx_proof, "tx_proof");
  return {
    chainId: b.chain_id,
    txHash: typeof b.tx_hash === "string" ? b.tx_hash.toUpperCase() : undefined,
    tx: proof.tx,
    proof,
    header: headerFromJson(sh.header, "signed_header.header"),
    commit: commitFromJson(sh.commit, "signed_header.commit"),
    validators: b.validators.map((x, i) => validatorFromJson(x, `validators[${i}]`)),
  };
}

/**
 * Verifies a tx inclusion bundle. With `trustedValidators` (e.g. from a genesis file) the commit is
 * checked against that set; without it, against the bundle's own set, which only proves the bundle
 * is self-consistent (the detail says so).
 */
export function verifyTxBundle(
  bundle: unknown,
  trustedValidators?: readonly Validator[],
  opts: VerifyOptions = {},
): VerifyResult {
  let d: Decoded;
  try {
    d = decodeBundle(bundle);
  } catch (err) {
    return undecodable(err);
  }
  const txDigest = sha256(d.tx);
  const checks: VerifyCheck[] = [];

  checks.push(
    check("tx hash", () => {
      const actual = toHexUpper(txDigest);
      if (d.txHash !== undefined && d.txHash !== actual) fail(`tx bytes hash to ${actual}, not ${d.txHash}`);
      if (!bytesEqual(leafHash(txDigest), d.proof.proof.leafHash))
        fail("tx bytes do not hash to the proof's leaf");
      return `sha256(tx) = ${actual} is the proof's leaf`;
    }),
  );

  checks.push(
    check("merkle proof", () => {
      if (!bytesEqual(d.proof.root, d.header.dataHash)) fail("proof root_hash is not the header's data_hash");
      if (!verifyMerkleProof(d.header.dataHash, txDigest, d.proof.proof)) {
        fail("proof does not lead from the tx to the header's data_hash");
      }
      return `tx ${d.proof.proof.index + 1} of ${d.proof.proof.total} is under data_hash ${toHexUpper(d.header.dataHash)}`;
    }),
  );

  checks.push(...signedHeaderChecks(d, trustedValidators, opts));

  return { ok: checks.every((c) => c.ok), checks };
}
