/**
 * A chain of light blocks signed with real ed25519 keys, built in-process: what the light client's
 * specs and `npm run bench:light` verify. Every header links to the previous one, names the next
 * height's validator set, and carries a real tx root and event root (one tx per block, whose events
 * are the block's event leaves), so proof bundles can be assembled from it exactly as from a node.
 * Nothing here is used by a running node.
 */
import { generateKeyPairSync, type KeyObject, sign } from "node:crypto";
import type { AbciEvent } from "../../contracts/types.js";
import { BlockMerkleTree } from "../block/merkle.js";
import { blockHash } from "../consensus/block-builder.js";
import { buildCommit } from "../consensus/commit.js";
import { SignedMsgType, type Vote, voteSignBytes } from "../consensus/messages.js";
import { ValidatorSet } from "../consensus/validator-set.js";
import { sha256, toBase64, toHexUpper } from "../crypto/hash.js";
import { txProofJson } from "../rpc/json.js";
import type { BlockId, Commit, Header } from "../types/block.js";
import { encodeEventLeaf } from "../types/codec.js";
import { lightPath } from "./export-proof.js";
import {
  assembleProofBundle,
  merkleProofJson,
  type ProofBundleJson,
  type ProofJson,
} from "./proof-bundle.js";
import type { LightBlock } from "./skipping.js";
import type { TrustedRoot } from "./verify-proof.js";

export interface SigningKey {
  readonly privateKey: KeyObject;
  readonly publicKey: Uint8Array;
}

export function newSigningKey(): SigningKey {
  const { privateKey, publicKey } = generateKeyPairSync("ed25519");
  const x = publicKey.export({ format: "jwk" }).x ?? "";
  return { privateKey, publicKey: new Uint8Array(Buffer.from(x, "base64url")) };
}

export interface SyntheticChainOptions {
  readonly chainId: string;
  readonly height: bigint;
  /** Every key that ever validates; `membersAt` picks from them by index. */
  readonly keys: readonly SigningKey[];
  /** Indices into `keys` of the validators deciding height `h`. */
  readonly membersAt: (h: bigint) => readonly number[];
  /** Events emitted by each block's one tx (default 4). */
  readonly eventsPerBlock?: number;
  /** The state root after block `h`, for state proofs (default: a filler hash per height). */
  readonly appHashAt?: (h: bigint) => Uint8Array;
}

export interface SyntheticBlock extends LightBlock {
  /** The block's one tx and its event leaves, in event-root order. */
  readonly tx: Uint8Array;
  readonly eventLeaves: readonly Uint8Array[];
}

export interface SyntheticChain {
  readonly chainId: string;
  readonly blocks: ReadonlyMap<bigint, SyntheticBlock>;
  /** The validator set deciding height `h`. */
  setAt(h: bigint): ValidatorSet;
  at(h: bigint): SyntheticBlock;
}

const zeros = () => new Uint8Array(32);
export const SYNTHETIC_GENESIS_SECONDS = 1_750_000_000n;

/** The `i`th event of the tx at height `h`: a post, as the social module emits it. */
export function syntheticEvent(h: bigint, i: number): AbciEvent {
  return {
    type: "vivim.social.v1.EventPostCreated",
    attributes: [
      { key: "content_id", value: String(h * 100n + BigInt(i)), index: true },
      { key: "author", value: `vivim1author${i}`, index: true },
    ],
  };
}

/** A commit for `header` signed by the first `signers` validators of `set`, with their keys. */
export function signCommit(
  chainId: string,
  header: Header,
  set: ValidatorSet,
  signers: number,
  keys: readonly SigningKey[],
): Commit {
  const blockId: BlockId = { hash: blockHash(header), parts: { total: 1, hash: zeros() } };
  const votes: Vote[] = set.validators.slice(0, signers).map((v, i) => {
    const key = keys.find((k) => Buffer.compare(k.publicKey, v.pubKey) === 0);
    if (!key) throw new Error(`no key for validator ${i}`);
    const unsigned = {
      type: SignedMsgType.Precommit as const,
      height: header.height,
      round: 0,
      blockId,
      timestamp: { seconds: header.time.seconds, nanos: i },
    };
    const signature = new Uint8Array(sign(null, voteSignBytes(chainId, unsigned), key.privateKey));
    return { ...unsigned, validatorAddress: v.address, validatorIndex: i, signature };
  });
  return buildCommit(set, header.height, 0, blockId, votes);
}

export function buildSyntheticChain(o: SyntheticChainOptions): SyntheticChain {
  const sets = new Map<bigint, ValidatorSet>();
  const setAt = (h: bigint): ValidatorSet => {
    let set = sets.get(h);
    if (!set) {
      set = ValidatorSet.fromGenesis(
        o.membersAt(h).map((i) => ({ pubKey: o.keys[i]!.publicKey, power: 10n })),
      );
      sets.set(h, set);
    }
    return set;
  };
  const blocks = new Map<bigint, SyntheticBlock>();
  let last: BlockId = { hash: zeros(), parts: { total: 0, hash: zeros() } };
  for (let h = 1n; h <= o.height; h++) {
    const set = setAt(h);
    const tx = new TextEncoder().encode(`synthetic tx at height ${h}`);
    const eventLeaves = Array.from({ length: o.eventsPerBlock ?? 4 }, (_, i) =>
      encodeEventLeaf(h, 0, i, syntheticEvent(h, i)),
    );
    const header: Header = {
      version: { block: 11n, app: 1n },
      chainId: o.chainId,
      height: h,
      time: { seconds: SYNTHETIC_GENESIS_SECONDS + h, nanos: 0 },
      lastBlockId: last,
      lastCommitHash: zeros(),
      dataHash: new BlockMerkleTree([sha256(tx)]).root,
      validatorsHash: set.hash(),
      nextValidatorsHash: setAt(h + 1n).hash(),
      consensusHash: zeros(),
      appHash: o.appHashAt?.(h) ?? new Uint8Array(32).fill(Number(h % 256n)),
      lastResultsHash: zeros(),
      eventRoot: new BlockMerkleTree(eventLeaves).root,
      evidenceHash: zeros(),
      proposerAddress: set.proposer().address,
    };
    const commit = signCommit(o.chainId, header, set, set.size, o.keys);
    blocks.set(h, { header, commit, validators: set.validators, tx, eventLeaves });
    last = commit.blockId;
  }
  return {
    chainId: o.chainId,
    blocks,
    setAt,
    at: (h) => {
      const b = blocks.get(h);
      if (!b) throw new RangeError(`no synthetic block at height ${h}`);
      return b;
    },
  };
}

/**
 * A bundle proving event `eventIndex` of the tx at `target` (or, without `eventIndex`, the tx
 * itself; or the given `proof`, e.g. a state proof), built as `vivim export proof` builds one (the
 * same light-block path), rooted at genesis or at the light block at `trustedHeight`.
 */
export async function syntheticProofBundle(
  chain: SyntheticChain,
  o: {
    readonly target: bigint;
    readonly eventIndex?: number;
    readonly trustedHeight?: bigint;
    readonly linkTo?: bigint;
    readonly proof?: ProofJson;
  },
): Promise<{ bundle: ProofBundleJson; trusted: TrustedRoot }> {
  const genesisValidators = chain.setAt(1n).validators;
  const path = await lightPath({
    chainId: chain.chainId,
    genesisValidators,
    initialHeight: 1n,
    trustedHeight: o.trustedHeight,
    target: o.target,
    linkTo: o.linkTo,
    fetch: async (h) => chain.at(h),
  });
  const block = chain.at(o.target);
  const txDigest = sha256(block.tx);
  const txHash = toHexUpper(txDigest);
  const txProof = txProofJson(block.header.dataHash, block.tx, new BlockMerkleTree([txDigest]).proof(0));
  const i = o.eventIndex;
  const event = i === undefined ? undefined : syntheticEvent(o.target, i);
  const proof: ProofJson =
    o.proof ??
    (i === undefined || !event
      ? { kind: "tx", tx_hash: txHash, tx_proof: txProof }
      : {
          kind: "event",
          locator: { tx_hash: txHash, tx_index: 0, event_index: i },
          claim: {
            type: event.type,
            attributes: Object.fromEntries(event.attributes.map((a) => [a.key, a.value])),
          },
          leaf: toBase64(block.eventLeaves[i]!),
          merkle: merkleProofJson(new BlockMerkleTree(block.eventLeaves).proof(i)),
          tx_proof: txProof,
        });
  return { bundle: assembleProofBundle({ chainId: chain.chainId, ...path, proof }), trusted: path.trusted };
}
