/**
 * Builds a proof bundle from a node it does not trust: finds the tx or event (or a state key's value
 * and proof at the node's latest height, fetch-state.ts), then verifies its way
 * from the genesis validators to the target header as a light client does (skipping with bisection,
 * `verifyToHeight`) and keeps exactly the light blocks it used. The finished bundle is verified
 * offline once more before it is returned, so a node serving bad data yields a coded error, never
 * a bundle that would not verify.
 */

import { blockHash } from "../consensus/block-builder.js";
import type { Validator } from "../consensus/validator-set.js";
import { fromBase64, toHexUpper } from "../crypto/hash.js";
import type { Json } from "../rpc/json.js";
import { decodeEventLeaf } from "../types/codec.js";
import { asObject, fetchLightBlock, heightOf, type RpcCaller } from "./fetch-bundle.js";
import { fetchStateProof } from "./fetch-state.js";
import {
  assembleProofBundle,
  type EventLocatorJson,
  MAX_BUNDLE_LIGHT_BLOCKS,
  type ProofBundleJson,
  type ProofJson,
  type TrustRoot,
} from "./proof-bundle.js";
import { RpcClientError } from "./rpc.js";
import { type LightBlock, verifyFromGenesis, verifySequential, verifyToHeight } from "./skipping.js";
import { type ProofErrorCode, type TrustedRoot, verifyProofBundle } from "./verify-proof.js";

/**
 * What to prove: a tx, one event of a tx (its index among the tx's events), a block event, or a
 * raw state key's value (or absence) after the node's latest block.
 */
export type ProofSubject =
  | { readonly kind: "tx"; readonly txHash: string }
  | { readonly kind: "state"; readonly key: Uint8Array }
  | { readonly kind: "event"; readonly txHash: string; readonly eventIndex: number }
  | { readonly kind: "block-event"; readonly height: bigint; readonly eventIndex: number };

export interface ExportProofOptions {
  /** From the genesis the exporter trusts. */
  readonly chainId: string;
  readonly genesisValidators: readonly Validator[];
  readonly initialHeight: bigint;
  /** Root the bundle at this height's light block instead of genesis (verified from genesis here). */
  readonly trustedHeight?: bigint;
  /**
   * Continue the bundle header by header up to this height (e.g. one anchored on another chain), so
   * an anchor of its last header also witnesses the proven one.
   */
  readonly linkTo?: bigint;
  readonly subject: ProofSubject;
}

export type ProofExportErrorCode = ProofErrorCode | "TRUSTED_HEIGHT_INVALID" | "LINK_HEIGHT_INVALID";

export class ProofExportError extends Error {
  override readonly name = "ProofExportError";
  constructor(
    readonly code: ProofExportErrorCode,
    message: string,
  ) {
    super(message);
  }
}

interface Located {
  readonly height: bigint;
  readonly proof: ProofJson;
}

async function locateTx(
  rpc: RpcCaller,
  txHash: string,
): Promise<{ height: bigint; index: number; proof: Json }> {
  const tx = asObject(await rpc.call("tx", { hash: txHash, prove: true }), "tx");
  const index = tx.index;
  if (typeof index !== "number" || !Number.isInteger(index) || index < 0)
    throw new RpcClientError("RPC_BAD_RESPONSE", "tx: index is not an integer");
  if (tx.proof === undefined || tx.proof === null)
    throw new RpcClientError("RPC_BAD_RESPONSE", "tx: the node returned no proof");
  return { height: BigInt(heightOf(tx.height)), index, proof: tx.proof };
}

async function eventProof(rpc: RpcCaller, height: bigint, txIndex: number, eventIndex: number) {
  const r = asObject(
    await rpc.call("event_proof", {
      height: height.toString(),
      tx_index: String(txIndex),
      event_index: String(eventIndex),
    }),
    "event_proof",
  );
  if (typeof r.leaf !== "string") throw new RpcClientError("RPC_BAD_RESPONSE", "event_proof: no leaf");
  let leaf: ReturnType<typeof decodeEventLeaf>;
  try {
    leaf = decodeEventLeaf(fromBase64(r.leaf));
  } catch {
    throw new RpcClientError("RPC_BAD_RESPONSE", "event_proof: the leaf is not an event");
  }
  const claim = {
    type: leaf.event.type,
    attributes: Object.fromEntries(leaf.event.attributes.map((a) => [a.key, a.value])),
  };
  return { leaf: r.leaf, merkle: r.proof ?? null, claim };
}

async function locate(rpc: RpcCaller, s: ProofSubject): Promise<Located> {
  if (s.kind === "state") return fetchStateProof(rpc, s.key);
  if (s.kind === "block-event") {
    const ev = await eventProof(rpc, s.height, -1, s.eventIndex);
    const locator: EventLocatorJson = { block_event: true, event_index: s.eventIndex };
    return { height: s.height, proof: { kind: "event", locator, ...ev } };
  }
  const txHash = s.txHash.toUpperCase();
  const tx = await locateTx(rpc, txHash);
  if (s.kind === "tx")
    return { height: tx.height, proof: { kind: "tx", tx_hash: txHash, tx_proof: tx.proof } };
  const ev = await eventProof(rpc, tx.height, tx.index, s.eventIndex);
  const locator: EventLocatorJson = { tx_hash: txHash, tx_index: tx.index, event_index: s.eventIndex };
  return { height: tx.height, proof: { kind: "event", locator, ...ev, tx_proof: tx.proof } };
}

/** The trust root and light blocks of a bundle, and the root as its verifier should trust it. */
export interface LightPath {
  readonly trust: TrustRoot;
  readonly lightBlocks: readonly LightBlock[];
  readonly trusted: TrustedRoot;
  /** The light block at the target height (one of `lightBlocks`, or the trusted one). */
  readonly target: LightBlock;
}

/**
 * The light blocks a light client uses to reach `target` from genesis (or from the light block at
 * `trustedHeight`, itself verified from genesis here), then header by header up to `linkTo`:
 * `fetch` supplies them, nothing is trusted.
 */
export async function lightPath(o: {
  readonly chainId: string;
  readonly genesisValidators: readonly Validator[];
  readonly initialHeight: bigint;
  readonly trustedHeight?: bigint;
  readonly target: bigint;
  readonly linkTo?: bigint;
  readonly fetch: (height: bigint) => Promise<LightBlock>;
}): Promise<LightPath> {
  const rootHeight = o.trustedHeight ?? o.initialHeight;
  if (rootHeight < o.initialHeight || rootHeight > o.target)
    throw new ProofExportError(
      "TRUSTED_HEIGHT_INVALID",
      `the trusted height must be from ${o.initialHeight} to the proven height ${o.target}, got ${rootHeight}`,
    );
  const genesisBlock = await o.fetch(o.initialHeight);
  verifyFromGenesis(o.chainId, o.genesisValidators, genesisBlock);
  const verifyFrom = async (from: LightBlock, to: bigint) =>
    to === from.header.height ? [] : (await verifyToHeight(o.chainId, from, to, o.fetch)).path;
  const genesisRooted = o.trustedHeight === undefined;
  const root = genesisRooted
    ? genesisBlock
    : ((await verifyFrom(genesisBlock, rootHeight)).at(-1) ?? genesisBlock);
  const toTarget = [...(genesisRooted ? [root] : []), ...(await verifyFrom(root, o.target))];
  const target = toTarget.at(-1) ?? root;
  const linkTo = o.linkTo ?? o.target;
  const room = BigInt(MAX_BUNDLE_LIGHT_BLOCKS - toTarget.length);
  if (linkTo < o.target || linkTo - o.target > room)
    throw new ProofExportError(
      "LINK_HEIGHT_INVALID",
      `the linked height must be from the proven height ${o.target} to ${o.target + room}, got ${linkTo}`,
    );
  const linked = linkTo === o.target ? [] : (await verifySequential(o.chainId, target, linkTo, o.fetch)).path;
  return {
    trust: genesisRooted
      ? { kind: "genesis", validators: o.genesisValidators }
      : { kind: "light_block", lightBlock: root },
    lightBlocks: [...toTarget, ...linked],
    target,
    trusted: genesisRooted
      ? { chainId: o.chainId, validators: o.genesisValidators }
      : { chainId: o.chainId, height: rootHeight, headerHash: toHexUpper(blockHash(root.header)) },
  };
}

export async function exportProofBundle(rpc: RpcCaller, o: ExportProofOptions): Promise<ProofBundleJson> {
  const { height, proof } = await locate(rpc, o.subject);
  const path = await lightPath({ ...o, target: height, fetch: (h) => fetchLightBlock(rpc, h) });
  const bundle = assembleProofBundle({ chainId: o.chainId, ...path, proof });
  const check = verifyProofBundle(bundle, { trusted: path.trusted });
  if (!check.ok)
    throw new ProofExportError(
      check.code ?? "BUNDLE_SCHEMA",
      `the node's data does not verify: ${check.message}`,
    );
  return bundle;
}
