/**
 * Offline verification that an event happened in a finalised block, from a self-contained bundle:
 * a post, comment, vote, rating or label is proven by the event its Msg emitted.
 *
 *   1. the leaf decodes to an event at the header's height (and, when the bundle states what it
 *      claims, to exactly that event type with those attribute values);
 *   2. the Merkle proof leads from the leaf to the header's event_root;
 *   3-5. the header, validator set and commit checks every proof shares (verify-header.ts).
 *
 * Pure: no I/O, no clock.
 */
import { verifyMerkleProof } from "../block/merkle.js";
import type { Validator } from "../consensus/validator-set.js";
import { fromBase64, toHexUpper } from "../crypto/hash.js";
import {
  commitFromJson,
  headerFromJson,
  type Json,
  JsonShapeError,
  merkleProofFromJson,
  validatorFromJson,
} from "../rpc/json.js";
import { decodeEventLeaf, type EventLeaf } from "../types/codec.js";
import {
  check,
  fail,
  signedHeaderChecks,
  undecodable,
  type VerifyCheck,
  type VerifyOptions,
  type VerifyResult,
} from "./verify-header.js";
import { MAX_BUNDLE_VALIDATORS } from "./verify-tx.js";

/** What `vivim verify event --save` writes and `--file` reads. */
export interface EventProofBundle {
  chain_id: string;
  height: string;
  /** What the bundle claims the event is; checked against the proven leaf. */
  claim?: { type: string; attributes: Record<string, string> };
  /** The node's `event_proof` answer: `{leaf, proof: {total, index, leaf_hash, aunts, sides}}`. */
  event_proof: { leaf: string; proof: Json };
  signed_header: { header: Json; commit: Json };
  validators: Json[];
}

const MAX_LEAF_BASE64 = 1 << 20;
const MAX_CLAIM_ATTRIBUTES = 64;

function obj(v: unknown, field: string): Record<string, unknown> {
  if (typeof v !== "object" || v === null || Array.isArray(v))
    throw new JsonShapeError(field, "must be an object");
  return v as Record<string, unknown>;
}

function decodeClaim(v: unknown): EventProofBundle["claim"] {
  if (v === undefined) return undefined;
  const c = obj(v, "claim");
  if (typeof c.type !== "string" || c.type.length === 0)
    throw new JsonShapeError("claim.type", "must be a string");
  const attrs = obj(c.attributes ?? {}, "claim.attributes");
  const entries = Object.entries(attrs);
  if (entries.length > MAX_CLAIM_ATTRIBUTES)
    throw new JsonShapeError("claim.attributes", "too many attributes");
  for (const [k, value] of entries) {
    if (typeof value !== "string") throw new JsonShapeError(`claim.attributes.${k}`, "must be a string");
  }
  return { type: c.type, attributes: attrs as Record<string, string> };
}

function decodeBundle(v: unknown) {
  const b = obj(v, "bundle");
  if (typeof b.chain_id !== "string" || b.chain_id.length === 0) {
    throw new JsonShapeError("chain_id", "must be a non-empty string");
  }
  const ep = obj(b.event_proof, "event_proof");
  if (typeof ep.leaf !== "string" || ep.leaf.length > MAX_LEAF_BASE64) {
    throw new JsonShapeError("event_proof.leaf", "must be base64 of at most 1 MiB");
  }
  const sh = obj(b.signed_header, "signed_header");
  if (
    !Array.isArray(b.validators) ||
    b.validators.length === 0 ||
    b.validators.length > MAX_BUNDLE_VALIDATORS
  ) {
    throw new JsonShapeError("validators", `must be an array of 1 to ${MAX_BUNDLE_VALIDATORS} validators`);
  }
  const leafBytes = fromBase64(ep.leaf);
  return {
    chainId: b.chain_id,
    claim: decodeClaim(b.claim),
    leafBytes,
    leaf: decodeEventLeaf(leafBytes),
    proof: merkleProofFromJson(ep.proof, "event_proof.proof"),
    header: headerFromJson(sh.header, "signed_header.header"),
    commit: commitFromJson(sh.commit, "signed_header.commit"),
    validators: b.validators.map((x, i) => validatorFromJson(x, `validators[${i}]`)),
  };
}

function describeEvent(leaf: EventLeaf): string {
  const attrs = leaf.event.attributes.map((a) => `${a.key}=${a.value}`).join(" ");
  const where = leaf.txIndex < 0 ? "block event" : `tx ${leaf.txIndex}`;
  return `${leaf.event.type} (${attrs}) at height ${leaf.height}, ${where}, event ${leaf.eventIndex}`;
}

/** The proven event of a bundle that verified (for callers that display it). */
export function provenEvent(bundle: EventProofBundle): EventLeaf {
  return decodeEventLeaf(fromBase64(bundle.event_proof.leaf));
}

export function verifyEventBundle(
  bundle: unknown,
  trustedValidators?: readonly Validator[],
  opts: VerifyOptions = {},
): VerifyResult {
  let d: ReturnType<typeof decodeBundle>;
  try {
    d = decodeBundle(bundle);
  } catch (err) {
    return undecodable(err);
  }
  const checks: VerifyCheck[] = [];
  checks.push(
    check("event", () => {
      if (d.leaf.height !== d.header.height)
        fail(`leaf is for height ${d.leaf.height}, header is ${d.header.height}`);
      if (d.claim) {
        if (d.leaf.event.type !== d.claim.type)
          fail(`event is ${d.leaf.event.type}, bundle claims ${d.claim.type}`);
        for (const [k, v] of Object.entries(d.claim.attributes)) {
          const actual = d.leaf.event.attributes.find((a) => a.key === k)?.value;
          if (actual !== v) fail(`attribute ${k} is ${actual ?? "absent"}, bundle claims ${v}`);
        }
      }
      return describeEvent(d.leaf);
    }),
  );
  checks.push(
    check("merkle proof", () => {
      if (!verifyMerkleProof(d.header.eventRoot, d.leafBytes, d.proof)) {
        fail("proof does not lead from the event to the header's event_root");
      }
      return `event ${d.proof.index + 1} of ${d.proof.total} is under event_root ${toHexUpper(d.header.eventRoot)}`;
    }),
  );
  checks.push(...signedHeaderChecks(d, trustedValidators, opts));
  return { ok: checks.every((c) => c.ok), checks };
}
