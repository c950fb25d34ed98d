/**
 * Offline verification of a proof bundle (proof-bundle.ts), every step a named check with a code:
 *
 *   1. bundle       — the format version and the shape of every field;
 *   2. trust root   — the genesis validators decided the chain's first block (or the trusted light
 *                     block is consistent), and it is the root the caller trusts, when one is given;
 *   3. header H     — each light block in turn, from the one before: adjacent (linked, the set the
 *                     previous header named as next, +2/3 signed) or skipping (+2/3 of its own set
 *                     and more than 1/3 of the previous trusted set signed), as skipping.ts does;
 *   4. target       — the header the bundle names as its target is one of those verified, and
 *                     any after it follow it height by height (each linked to the one before by
 *                     its last_block_id), so an anchor of the last header also witnesses it;
 *   5. claim        — the event leaf is at the target height, where the locator says, and says
 *                     exactly what the claim says (the tx hash is the tx's, for a tx proof); for a
 *                     state proof, the proof is of the claimed key at the target height and its
 *                     leaf holds the claimed value (or shows the key absent);
 *   6. merkle proof — the leaf (and the tx) lead to the header's event_root (data_hash), by a path
 *                     that matches their stated positions; for a state proof ("state proof"), the
 *                     key's path leads to the header's app_hash — with immediate execution, header
 *                     H's app_hash is the state root after block H (consensus/block-builder.ts).
 *
 * Pure: no I/O, no clock. A header that fails ends the chain (nothing after it can be trusted);
 * the claim and Merkle checks still run so a report names every tampered part.
 */
import { type MerkleProof, verifyMerkleProof } from "../block/merkle.js";
import { blockHash } from "../consensus/block-builder.js";
import { type Validator, ValidatorSet } from "../consensus/validator-set.js";
import { bytesEqual, sha256, toHex, toHexUpper } from "../crypto/hash.js";
import { verifyStateProof } from "../state/tree/index.js";
import type { Header } from "../types/block.js";
import { decodeEventLeaf, type EventLeaf } from "../types/codec.js";
import { timestampToRfc3339 } from "../types/timestamp.js";
import {
  type DecodedProof,
  type DecodedProofBundle,
  decodeProofBundle,
  ProofBundleError,
  type ProofBundleErrorCode,
} from "./proof-bundle.js";
import {
  type LightBlock,
  type LightErrorCode,
  LightVerificationError,
  type Tally,
  verifyAdjacent,
  verifyFromGenesis,
  verifyLightBlock,
  verifySkipping,
} from "./skipping.js";

export type ProofErrorCode =
  | ProofBundleErrorCode
  | LightErrorCode
  | "TRUST_MISMATCH"
  | "TARGET_MISMATCH"
  | "CLAIM_MISMATCH"
  | "MERKLE_PROOF_INVALID"
  | "STATE_PROOF_INVALID";

export interface ProofCheck {
  readonly name: string;
  readonly ok: boolean;
  readonly code?: ProofErrorCode;
  readonly detail: string;
}

/** What the verifier already trusts: a genesis (chain id and validators), or one header's hash. */
export type TrustedRoot =
  | { readonly chainId: string; readonly validators: readonly Validator[] }
  | { readonly chainId?: string; readonly height: bigint; readonly headerHash: string };

export interface ProvenClaim {
  readonly chainId: string;
  readonly height: bigint;
  /** Upper-case hex, what an anchor records. */
  readonly headerHash: string;
  readonly appHash: string;
  readonly time: string;
  /**
   * The bundle's last header, hash-linked to the proven one (the same header when it is the last):
   * an anchor of it witnesses the proven header too.
   */
  readonly linkedHeader: { readonly height: bigint; readonly headerHash: string };
  readonly kind: "event" | "tx" | "state";
  readonly txHash?: string;
  readonly txIndex?: number;
  readonly event?: {
    readonly type: string;
    readonly attributes: Readonly<Record<string, string>>;
    readonly eventIndex: number;
  };
  /** A state proof's key and value (lower-case hex); `value: null` = the key is absent. */
  readonly state?: { readonly key: string; readonly value: string | null };
}

export interface ProofVerification {
  readonly ok: boolean;
  /** The first failed check's code and detail. */
  readonly code?: ProofErrorCode;
  readonly message?: string;
  readonly checks: readonly ProofCheck[];
  /** "caller": the root is one the caller trusts; "bundle": only the bundle's own root vouches. */
  readonly trustedBy: "caller" | "bundle";
  /** Heights of the headers verified, trust root first. */
  readonly verifiedHeights: readonly bigint[];
  readonly signaturesChecked: number;
  /** Set when every check passed. */
  readonly proven?: ProvenClaim;
}

class CheckFailure extends Error {
  constructor(
    readonly code: ProofErrorCode,
    message: string,
  ) {
    super(message);
  }
}

function refuse(code: ProofErrorCode, message: string): never {
  throw new CheckFailure(code, message);
}

function run(name: string, body: () => string): ProofCheck {
  try {
    return { name, ok: true, detail: body() };
  } catch (err) {
    if (err instanceof CheckFailure) return { name, ok: false, code: err.code, detail: err.message };
    if (err instanceof LightVerificationError) {
      // A "header H" check names its height already.
      const where = name === `header ${err.height}` ? "" : `height ${err.height}: `;
      return { name, ok: false, code: err.code, detail: `${where}${err.reason}` };
    }
    throw err;
  }
}

/** The sides a Merkle path must take for leaf `index` of `total` (odd nodes promoted, as merkle.ts builds). */
function pathMatchesIndex(p: MerkleProof): boolean {
  if (p.total < 1 || p.index < 0 || p.index >= p.total) return false;
  let i = p.index;
  let n = p.total;
  let step = 0;
  while (n > 1) {
    const promoted = i % 2 === 0 && i === n - 1;
    if (!promoted) {
      const want = i % 2 === 1 ? "left" : "right";
      if (p.steps[step]?.side !== want) return false;
      step += 1;
    }
    i = Math.floor(i / 2);
    n = Math.ceil(n / 2);
  }
  return step === p.steps.length;
}

function checkTrust(d: DecodedProofBundle, trusted: TrustedRoot | undefined, tally: Tally): LightBlock {
  if (trusted?.chainId !== undefined && trusted.chainId !== d.chainId)
    refuse("WRONG_CHAIN", `the bundle is for chain ${d.chainId}, you trust ${trusted.chainId}`);
  if (d.trust.kind === "genesis") {
    if (trusted && "height" in trusted)
      refuse("TRUST_MISMATCH", "the bundle starts from genesis, not from the header you trust");
    const first = d.lightBlocks[0];
    if (!first) refuse("BUNDLE_SCHEMA", "light_blocks: a genesis-rooted bundle starts with the first block");
    verifyFromGenesis(d.chainId, d.trust.validators, first, tally);
    // The bundle's set decided the first block; it must also be the set the caller trusts.
    if (trusted && !bytesEqual(new ValidatorSet(trusted.validators).hash(), first.header.validatorsHash))
      refuse("TRUST_MISMATCH", "the bundle's genesis validators are not the ones you trust");
    return first;
  }
  const root = d.trust.lightBlock;
  if (trusted && !("height" in trusted))
    refuse(
      "TRUST_MISMATCH",
      `the bundle starts from header ${root.header.height}, not from the genesis you trust`,
    );
  if (trusted && "height" in trusted) {
    const hash = toHexUpper(blockHash(root.header));
    if (root.header.height !== trusted.height || hash !== trusted.headerHash.toUpperCase())
      refuse(
        "TRUST_MISMATCH",
        `the bundle starts from header ${root.header.height} ${hash}, you trust ${trusted.height} ${trusted.headerHash}`,
      );
  }
  verifyLightBlock(d.chainId, root, tally);
  return root;
}

function describeLeaf(leaf: EventLeaf): string {
  const attrs = leaf.event.attributes.map((a) => `${a.key}=${a.value}`).join(" ");
  const where = leaf.txIndex < 0 ? "a block event" : `tx ${leaf.txIndex}`;
  return `${leaf.event.type} (${attrs}) at height ${leaf.height}, ${where}, event ${leaf.eventIndex}`;
}

function checkEventClaim(p: Extract<DecodedProof, { kind: "event" }>, height: bigint): EventLeaf {
  let leaf: EventLeaf;
  try {
    leaf = decodeEventLeaf(p.leaf);
  } catch {
    return refuse("CLAIM_MISMATCH", "the leaf is not an encoded event");
  }
  if (leaf.height !== height)
    refuse("CLAIM_MISMATCH", `the leaf is for height ${leaf.height}, the target is ${height}`);
  const loc = p.locator;
  const txIndex = "blockEvent" in loc ? -1 : loc.txIndex;
  if (leaf.txIndex !== txIndex || leaf.eventIndex !== loc.eventIndex)
    refuse(
      "CLAIM_MISMATCH",
      `the leaf is event ${leaf.eventIndex} of tx ${leaf.txIndex}, the locator says event ${loc.eventIndex} of tx ${txIndex}`,
    );
  if (leaf.event.type !== p.claim.type)
    refuse("CLAIM_MISMATCH", `the event is ${leaf.event.type}, the bundle claims ${p.claim.type}`);
  const actual = new Map(leaf.event.attributes.map((a) => [a.key, a.value]));
  const claimed = Object.entries(p.claim.attributes);
  if (claimed.length !== actual.size)
    refuse("CLAIM_MISMATCH", `the event has ${actual.size} attributes, the bundle claims ${claimed.length}`);
  for (const [k, v] of claimed)
    if (actual.get(k) !== v)
      refuse("CLAIM_MISMATCH", `attribute ${k} is ${actual.get(k) ?? "absent"}, the bundle claims ${v}`);
  if (p.tx) {
    const hash = toHexUpper(sha256(p.tx.tx));
    if (!("txHash" in loc) || hash !== loc.txHash)
      refuse("CLAIM_MISMATCH", `the proven tx hashes to ${hash}, the locator names another`);
    if (p.tx.merkle.index !== leaf.txIndex)
      refuse("CLAIM_MISMATCH", `the proven tx is tx ${p.tx.merkle.index}, the event is tx ${leaf.txIndex}'s`);
  } else if ("txHash" in loc) refuse("CLAIM_MISMATCH", "a tx's event needs the tx's inclusion proof");
  return leaf;
}

type StateClaim = Extract<DecodedProof, { kind: "state" }>;

/**
 * The claim and the proof agree: the proof is of the claimed key, taken at the target height, and
 * its leaf holds the claimed value — or, for absence, the key's path ends in an empty slot or in
 * another key's leaf. Checked apart from the root so a changed value is named as such.
 */
function checkStateClaim(p: StateClaim, height: bigint): string {
  if (p.height !== height)
    refuse("CLAIM_MISMATCH", `the state proof is for height ${p.height}, the target is ${height}`);
  const keyHash = sha256(p.key);
  if (!bytesEqual(p.proof.keyHash, keyHash))
    refuse("CLAIM_MISMATCH", "the state proof is of another key than the claimed one");
  const own = p.proof.leaf !== null && bytesEqual(p.proof.leaf.keyHash, keyHash);
  if (p.value === null) {
    if (own) refuse("CLAIM_MISMATCH", "the bundle claims the key is absent, its proof shows it present");
    return `key ${toHex(p.key)} absent after block ${height}`;
  }
  if (!own) refuse("CLAIM_MISMATCH", "the bundle claims a value, its proof shows the key absent");
  if (!bytesEqual(p.proof.leaf!.valueHash, sha256(p.value)))
    refuse("CLAIM_MISMATCH", "the proven leaf holds another value than the claimed one");
  return `key ${toHex(p.key)} = ${toHex(p.value)} after block ${height}`;
}

function checkStateProof(p: StateClaim, header: Header): string {
  if (!verifyStateProof(header.appHash, p.key, p.value, p.proof))
    refuse(
      "STATE_PROOF_INVALID",
      `the proof does not lead from the key to header ${header.height}'s app_hash`,
    );
  return `${p.value === null ? "absence" : "membership"} under app_hash ${toHexUpper(header.appHash)} (${p.proof.levels.length} levels)`;
}

function checkMerkle(p: Exclude<DecodedProof, StateClaim>, header: Header): string {
  const txPart = p.kind === "tx" ? p : p.tx;
  if (p.kind === "event") {
    if (!pathMatchesIndex(p.merkle))
      refuse("MERKLE_PROOF_INVALID", "the event's path does not match its position");
    if (!verifyMerkleProof(header.eventRoot, p.leaf, p.merkle))
      refuse("MERKLE_PROOF_INVALID", "the proof does not lead from the event to the header's event_root");
  }
  if (txPart) {
    if (!bytesEqual(txPart.root, header.dataHash))
      refuse("MERKLE_PROOF_INVALID", "the tx proof's root is not the header's data_hash");
    if (!pathMatchesIndex(txPart.merkle))
      refuse("MERKLE_PROOF_INVALID", "the tx's path does not match its position");
    if (!verifyMerkleProof(header.dataHash, sha256(txPart.tx), txPart.merkle))
      refuse("MERKLE_PROOF_INVALID", "the proof does not lead from the tx to the header's data_hash");
  }
  const parts = [
    p.kind === "event"
      ? `event ${p.merkle.index + 1} of ${p.merkle.total} under event_root ${toHexUpper(header.eventRoot)}`
      : "",
    txPart
      ? `tx ${txPart.merkle.index + 1} of ${txPart.merkle.total} under data_hash ${toHexUpper(header.dataHash)}`
      : "",
  ];
  return parts.filter(Boolean).join("; ");
}

function failed(
  checks: ProofCheck[],
  trustedBy: ProofVerification["trustedBy"],
  heights: readonly bigint[] = [],
  tally: Tally = { checked: 0 },
): ProofVerification {
  const first = checks.find((c) => !c.ok);
  return {
    ok: false,
    code: first?.code,
    message: first ? `${first.name}: ${first.detail}` : undefined,
    checks,
    trustedBy,
    verifiedHeights: heights,
    signaturesChecked: tally.checked,
  };
}

/** Verifies a parsed proof bundle with no network; `trusted` is the root the caller already trusts. */
export function verifyProofBundle(bundle: unknown, opts: { trusted?: TrustedRoot } = {}): ProofVerification {
  const trustedBy = opts.trusted ? "caller" : "bundle";
  let d: DecodedProofBundle;
  try {
    d = decodeProofBundle(bundle);
  } catch (err) {
    if (!(err instanceof ProofBundleError)) throw err;
    return failed([{ name: "bundle", ok: false, code: err.code, detail: err.message }], trustedBy);
  }
  const checks: ProofCheck[] = [];
  const tally: Tally = { checked: 0 };
  const heights: bigint[] = [];
  let current: LightBlock | undefined;
  checks.push(
    run("trust root", () => {
      const root = checkTrust(d, opts.trusted, tally);
      current = root;
      heights.push(root.header.height);
      const what =
        d.trust.kind === "genesis"
          ? `the ${d.trust.validators.length} genesis validators decided block`
          : "trusted header";
      return `${what} ${root.header.height} (${opts.trusted ? "the root you trust" : "the bundle's own root, not independently trusted"})`;
    }),
  );
  const rest = d.trust.kind === "genesis" ? d.lightBlocks.slice(1) : d.lightBlocks;
  for (const lb of rest) {
    if (!current) break;
    const from: LightBlock = current;
    const check = run(`header ${lb.header.height}`, () => {
      const adjacent = lb.header.height === from.header.height + 1n;
      if (adjacent) verifyAdjacent(d.chainId, from, lb, tally);
      else verifySkipping(d.chainId, from, lb, undefined, tally);
      return `${adjacent ? "adjacent to" : "skipping from"} ${from.header.height}: +2/3 of its ${lb.validators.length} validators signed`;
    });
    checks.push(check);
    current = check.ok ? lb : undefined;
    if (check.ok) heights.push(lb.header.height);
  }
  // The header the proof is checked against (verified or not, so the proof checks still report),
  // and the bundle's last header: what an anchor would have recorded.
  const all = d.trust.kind === "genesis" ? d.lightBlocks : [d.trust.lightBlock, ...d.lightBlocks];
  const targetAt = all.findIndex((lb) => lb.header.height === d.target.height);
  const target = all[targetAt];
  const targetHash = target ? toHexUpper(blockHash(target.header)) : "";
  const lastHeader = all.at(-1)!;
  checks.push(
    run("target", () => {
      if (!target)
        refuse("TARGET_MISMATCH", `the bundle has no header at the target height ${d.target.height}`);
      if (targetHash !== d.target.headerHash)
        refuse(
          "TARGET_MISMATCH",
          `header ${d.target.height} is ${targetHash}, the bundle names ${d.target.headerHash}`,
        );
      const after = all.slice(targetAt + 1);
      if (after.some((lb, i) => lb.header.height !== target.header.height + BigInt(i + 1)))
        refuse("TARGET_MISMATCH", "the headers after the target must follow it height by height");
      return after.length === 0
        ? `header ${target.header.height} ${targetHash}`
        : `header ${target.header.height} ${targetHash}, linked to header ${lastHeader.header.height} by ${after.length} adjacent header(s)`;
    }),
  );
  let leaf: EventLeaf | undefined;
  checks.push(
    run("claim", () => {
      const height = target?.header.height ?? d.target.height;
      if (d.proof.kind === "tx") {
        const hash = toHexUpper(sha256(d.proof.tx));
        if (hash !== d.proof.txHash)
          refuse("CLAIM_MISMATCH", `the tx bytes hash to ${hash}, the bundle claims ${d.proof.txHash}`);
        return `tx ${hash}`;
      }
      if (d.proof.kind === "state") return checkStateClaim(d.proof, height);
      leaf = checkEventClaim(d.proof, height);
      return describeLeaf(leaf);
    }),
  );
  const p = d.proof;
  checks.push(
    p.kind === "state"
      ? run("state proof", () => {
          if (!target) refuse("STATE_PROOF_INVALID", "no header to check the proof against");
          return checkStateProof(p, target.header);
        })
      : run("merkle proof", () => {
          if (!target) refuse("MERKLE_PROOF_INVALID", "no header to check the proof against");
          return checkMerkle(p, target.header);
        }),
  );
  if (!checks.every((c) => c.ok) || !target) return failed(checks, trustedBy, heights, tally);
  const h = target.header;
  return {
    ok: true,
    checks,
    trustedBy,
    verifiedHeights: heights,
    signaturesChecked: tally.checked,
    proven: {
      chainId: d.chainId,
      height: h.height,
      headerHash: targetHash,
      appHash: toHexUpper(h.appHash),
      linkedHeader: {
        height: lastHeader.header.height,
        headerHash: toHexUpper(blockHash(lastHeader.header)),
      },
      time: timestampToRfc3339(h.time),
      kind: p.kind,
      ...(p.kind === "state"
        ? { state: { key: toHex(p.key), value: p.value === null ? null : toHex(p.value) } }
        : p.kind === "tx"
          ? { txHash: p.txHash, txIndex: p.merkle.index }
          : {
              ...("txHash" in p.locator ? { txHash: p.locator.txHash } : {}),
              txIndex: leaf!.txIndex,
              event: {
                type: leaf!.event.type,
                attributes: Object.fromEntries(leaf!.event.attributes.map((a) => [a.key, a.value])),
                eventIndex: leaf!.eventIndex,
              },
            }),
    },
  };
}
