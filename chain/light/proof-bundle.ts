/**
 * The self-contained proof bundle `vivim export proof` writes and `vivim light verify-event` reads:
 * a trust root (the genesis validators, or one light block the verifier trusts by its hash), the
 * light blocks a light client verified to get from there to the target height (in the order it
 * verified them, bisection pivots included), and the Merkle proof of a tx or an event under the
 * target header (or of a state key's value, or its absence, under the header's app_hash) — the last
 * one, or one followed by adjacent headers up to a header anchored on another chain. JSON in CometBFT's shapes (rpc/json.ts); decoding here checks the shape only, with a
 * coded error naming the field — `verifyProofBundle` checks what the shapes say.
 */
import type { MerkleProof } from "../block/merkle.js";
import { blockHash } from "../consensus/block-builder.js";
import type { Validator } from "../consensus/validator-set.js";
import { fromBase64, fromHex, toBase64, toHexUpper } from "../crypto/hash.js";
import {
  commitFromJson,
  commitJson,
  headerFromJson,
  headerJson,
  type Json,
  JsonShapeError,
  merkleProofFromJson,
  txProofFromJson,
  validatorFromJson,
  validatorJson,
} from "../rpc/json.js";
import { type StateProof, type StateProofJSON, stateProofFromJSON } from "../state/tree/index.js";
import type { LightBlock } from "./skipping.js";
import { MAX_BUNDLE_VALIDATORS } from "./verify-tx.js";

export const PROOF_BUNDLE_FORMAT = "vivim.light.proof/1";
/** Bisection needs about log2(heights) blocks per validator-set change; far more is not a proof. */
export const MAX_BUNDLE_LIGHT_BLOCKS = 4096;
const MAX_LEAF_BASE64 = 1 << 20;
const MAX_CLAIM_ATTRIBUTES = 64;
const MAX_INDEX = 1_000_000;
/** abci_query takes keys of at most 64 KiB (chain/execution/query.ts); values are capped like leaves. */
const MAX_STATE_KEY_BYTES = 64 * 1024;
const MAX_STATE_VALUE_BYTES = 1 << 20;

export type ProofBundleErrorCode = "BUNDLE_SCHEMA" | "BUNDLE_VERSION";

export class ProofBundleError extends Error {
  override readonly name = "ProofBundleError";
  constructor(
    readonly code: ProofBundleErrorCode,
    message: string,
  ) {
    super(message);
  }
}

type JsonObject = { [key: string]: Json };

export interface LightBlockJson {
  signed_header: { header: Json; commit: Json };
  validators: Json[];
}

/** Which event of a block: one of a tx's events (by the tx's hash and index) or a block event. */
export type EventLocatorJson =
  | { tx_hash: string; tx_index: number; event_index: number }
  | { block_event: true; event_index: number };

export interface EventClaimJson {
  type: string;
  attributes: Record<string, string>;
}

export type ProofJson =
  | {
      kind: "event";
      locator: EventLocatorJson;
      /** What the event says, decoded from the leaf (for readers; checked against it). */
      claim: EventClaimJson;
      /** The encoded event leaf, base64, and its proof to the header's event_root. */
      leaf: string;
      merkle: Json;
      /** For a tx's event: the tx's inclusion proof, binding the tx hash to the event's tx index. */
      tx_proof?: Json;
    }
  | { kind: "tx"; tx_hash: string; tx_proof: Json }
  | {
      kind: "state";
      /** The state after block `height`, which header `height`'s app_hash commits to (the target). */
      height: string;
      /** The raw store key and its value, hex; `value: null` claims the key is absent. */
      key: string;
      value: string | null;
      /** The key's path in the authenticated state tree (chain/state/tree/proof.ts, JSON form). */
      proof: StateProofJSON;
    };

export interface ProofBundleJson {
  format: typeof PROOF_BUNDLE_FORMAT;
  chain_id: string;
  trust: { kind: "genesis"; validators: Json[] } | { kind: "light_block"; light_block: LightBlockJson };
  /** Verified in this order, each from the one before (the first from the trust root). */
  light_blocks: LightBlockJson[];
  /**
   * The header the proof is under: one of the light blocks (or the trusted one). Any light blocks
   * after it follow it height by height, up to a header that was anchored elsewhere.
   */
  target: { height: string; header_hash: string };
  proof: ProofJson;
}

export type EventLocator =
  | { readonly txHash: string; readonly txIndex: number; readonly eventIndex: number }
  | { readonly blockEvent: true; readonly eventIndex: number };

export interface TxInclusion {
  readonly tx: Uint8Array;
  readonly root: Uint8Array;
  readonly merkle: MerkleProof;
}

export type DecodedProof =
  | {
      readonly kind: "event";
      readonly locator: EventLocator;
      readonly claim: EventClaimJson;
      readonly leaf: Uint8Array;
      readonly merkle: MerkleProof;
      readonly tx?: TxInclusion;
    }
  | ({ readonly kind: "tx"; readonly txHash: string } & TxInclusion)
  | {
      readonly kind: "state";
      readonly height: bigint;
      readonly key: Uint8Array;
      readonly value: Uint8Array | null;
      readonly proof: StateProof;
    };

export interface DecodedProofBundle {
  readonly chainId: string;
  readonly trust: TrustRoot;
  readonly lightBlocks: readonly LightBlock[];
  readonly target: { readonly height: bigint; readonly headerHash: string };
  readonly proof: DecodedProof;
}

// ---------------------------------------------------------------- encoding

export function lightBlockJson(lb: LightBlock): LightBlockJson {
  return {
    signed_header: { header: headerJson(lb.header), commit: commitJson(lb.commit) },
    validators: lb.validators.map(validatorJson),
  };
}

export function merkleProofJson(p: MerkleProof): JsonObject {
  return {
    total: String(p.total),
    index: String(p.index),
    leaf_hash: toBase64(p.leafHash),
    aunts: p.steps.map((s) => toBase64(s.hash)),
    sides: p.steps.map((s) => s.side),
  };
}

export type TrustRoot =
  | { readonly kind: "genesis"; readonly validators: readonly Validator[] }
  | { readonly kind: "light_block"; readonly lightBlock: LightBlock };

/**
 * A bundle from its parts: the trust root, the light blocks verified from it in order (for a
 * genesis root, the chain's first block comes first) and the proof under the last header.
 */
export function assembleProofBundle(parts: {
  readonly chainId: string;
  readonly trust: TrustRoot;
  readonly lightBlocks: readonly LightBlock[];
  readonly proof: ProofJson;
  /** The header the proof is under (default: the last); headers after it must follow it height by height. */
  readonly target?: LightBlock;
}): ProofBundleJson {
  const target =
    parts.target ??
    parts.lightBlocks.at(-1) ??
    (parts.trust.kind === "light_block" ? parts.trust.lightBlock : undefined);
  if (!target) throw new RangeError("a proof bundle needs at least one header");
  return {
    format: PROOF_BUNDLE_FORMAT,
    chain_id: parts.chainId,
    trust:
      parts.trust.kind === "genesis"
        ? { kind: "genesis", validators: parts.trust.validators.map(validatorJson) }
        : { kind: "light_block", light_block: lightBlockJson(parts.trust.lightBlock) },
    light_blocks: parts.lightBlocks.map(lightBlockJson),
    target: { height: target.header.height.toString(), header_hash: toHexUpper(blockHash(target.header)) },
    proof: parts.proof,
  };
}

// ---------------------------------------------------------------- decoding (shape only)

function schema(field: string, reason: string): never {
  throw new ProofBundleError("BUNDLE_SCHEMA", `${field}: ${reason}`);
}

function obj(v: unknown, field: string): Record<string, unknown> {
  if (typeof v !== "object" || v === null || Array.isArray(v)) schema(field, "must be an object");
  return v as Record<string, unknown>;
}

function array(v: unknown, field: string, min: number, max: number): unknown[] {
  if (!Array.isArray(v) || v.length < min || v.length > max)
    schema(field, `must be an array of ${min} to ${max} entries`);
  return v;
}

function index(v: unknown, field: string, min = 0): number {
  if (typeof v !== "number" || !Number.isInteger(v) || v < min || v > MAX_INDEX)
    schema(field, `must be an integer from ${min} to ${MAX_INDEX}`);
  return v;
}

function hash64(v: unknown, field: string): string {
  if (typeof v !== "string" || !/^[0-9A-Fa-f]{64}$/.test(v)) schema(field, "must be 64 hex characters");
  return v.toUpperCase();
}

function validators(v: unknown, field: string): Validator[] {
  return array(v, field, 1, MAX_BUNDLE_VALIDATORS).map((x, i) => validatorFromJson(x, `${field}[${i}]`));
}

function lightBlock(v: unknown, field: string): LightBlock {
  const o = obj(v, field);
  const sh = obj(o.signed_header, `${field}.signed_header`);
  return {
    header: headerFromJson(sh.header, `${field}.signed_header.header`),
    commit: commitFromJson(sh.commit, `${field}.signed_header.commit`),
    validators: validators(o.validators, `${field}.validators`),
  };
}

function locator(v: unknown, field: string): EventLocator {
  const o = obj(v, field);
  const eventIndex = index(o.event_index, `${field}.event_index`);
  if (o.block_event === true) return { blockEvent: true, eventIndex };
  return {
    txHash: hash64(o.tx_hash, `${field}.tx_hash`),
    txIndex: index(o.tx_index, `${field}.tx_index`),
    eventIndex,
  };
}

function claim(v: unknown, field: string): EventClaimJson {
  const o = obj(v, field);
  if (typeof o.type !== "string" || o.type.length === 0 || o.type.length > 256)
    schema(`${field}.type`, "must be a non-empty string");
  const attrs = obj(o.attributes, `${field}.attributes`);
  const entries = Object.entries(attrs);
  if (entries.length > MAX_CLAIM_ATTRIBUTES) schema(`${field}.attributes`, "too many attributes");
  for (const [k, value] of entries)
    if (typeof value !== "string") schema(`${field}.attributes.${k}`, "must be a string");
  return { type: o.type, attributes: attrs as Record<string, string> };
}

function base64(v: unknown, field: string): Uint8Array {
  if (typeof v !== "string" || v.length > MAX_LEAF_BASE64) schema(field, "must be base64 of at most 1 MiB");
  try {
    return fromBase64(v);
  } catch {
    return schema(field, "must be base64");
  }
}

function hexBytes(v: unknown, field: string, minBytes: number, maxBytes: number): Uint8Array {
  if (
    typeof v !== "string" ||
    v.length < minBytes * 2 ||
    v.length > maxBytes * 2 ||
    !/^(?:[0-9A-Fa-f]{2})*$/.test(v)
  )
    schema(field, `must be hex of ${minBytes} to ${maxBytes} bytes`);
  return fromHex(v);
}

function stateProof(v: unknown, field: string): StateProof {
  try {
    return stateProofFromJSON(v);
  } catch (err) {
    // stateProofFromJSON names the field inside the proof: "invalid state proof: siblings[3] must be …".
    return schema(field, (err as Error).message);
  }
}

function txInclusion(v: unknown, field: string): TxInclusion {
  const p = txProofFromJson(v, field);
  return { tx: p.tx, root: p.root, merkle: p.proof };
}

function proof(v: unknown, field: string): DecodedProof {
  const o = obj(v, field);
  if (o.kind === "event")
    return {
      kind: "event",
      locator: locator(o.locator, `${field}.locator`),
      claim: claim(o.claim, `${field}.claim`),
      leaf: base64(o.leaf, `${field}.leaf`),
      merkle: merkleProofFromJson(o.merkle, `${field}.merkle`),
      ...(o.tx_proof === undefined ? {} : { tx: txInclusion(o.tx_proof, `${field}.tx_proof`) }),
    };
  if (o.kind === "tx")
    return {
      kind: "tx",
      txHash: hash64(o.tx_hash, `${field}.tx_hash`),
      ...txInclusion(o.tx_proof, `${field}.tx_proof`),
    };
  if (o.kind === "state") {
    if (typeof o.height !== "string" || !/^[1-9]\d{0,18}$/.test(o.height))
      schema(`${field}.height`, "must be a positive height");
    return {
      kind: "state",
      height: BigInt(o.height),
      key: hexBytes(o.key, `${field}.key`, 1, MAX_STATE_KEY_BYTES),
      value: o.value === null ? null : hexBytes(o.value, `${field}.value`, 0, MAX_STATE_VALUE_BYTES),
      proof: stateProof(o.proof, `${field}.proof`),
    };
  }
  // A kind from a later verifier is refused here, by name, rather than half-checked.
  return schema(`${field}.kind`, 'must be "event", "tx" or "state"');
}

function trust(v: unknown): TrustRoot {
  const o = obj(v, "trust");
  if (o.kind === "genesis")
    return { kind: "genesis", validators: validators(o.validators, "trust.validators") };
  if (o.kind === "light_block")
    return { kind: "light_block", lightBlock: lightBlock(o.light_block, "trust.light_block") };
  return schema("trust.kind", 'must be "genesis" or "light_block"');
}

/** Decodes a parsed bundle; throws ProofBundleError (BUNDLE_VERSION or BUNDLE_SCHEMA naming the field). */
export function decodeProofBundle(v: unknown): DecodedProofBundle {
  const b = obj(v, "bundle");
  if (b.format !== PROOF_BUNDLE_FORMAT)
    throw new ProofBundleError(
      "BUNDLE_VERSION",
      `format is ${JSON.stringify(b.format ?? null)}, this verifier reads ${PROOF_BUNDLE_FORMAT}`,
    );
  try {
    if (typeof b.chain_id !== "string" || b.chain_id.length === 0 || b.chain_id.length > 50)
      schema("chain_id", "must be a chain id of 1 to 50 characters");
    const target = obj(b.target, "target");
    if (typeof target.height !== "string" || !/^[1-9]\d{0,18}$/.test(target.height))
      schema("target.height", "must be a positive height");
    return {
      chainId: b.chain_id,
      trust: trust(b.trust),
      lightBlocks: array(b.light_blocks, "light_blocks", 0, MAX_BUNDLE_LIGHT_BLOCKS).map((x, i) =>
        lightBlock(x, `light_blocks[${i}]`),
      ),
      target: { height: BigInt(target.height), headerHash: hash64(target.header_hash, "target.header_hash") },
      proof: proof(b.proof, "proof"),
    };
  } catch (err) {
    // The shared JSON decoders throw JsonShapeError: the same failure, one code for callers.
    if (err instanceof JsonShapeError) throw new ProofBundleError("BUNDLE_SCHEMA", err.message);
    throw err;
  }
}
