import { describe, expect, it } from "vitest";
import { sha256, toHex } from "../crypto/hash.js";
import { AuthenticatedTree, EMPTY_ROOT, stateProofToJSON, type TreeWrite } from "../state/tree/index.js";
import type { ProofBundleJson, ProofJson } from "./proof-bundle.js";
import { buildSyntheticChain, newSigningKey, syntheticProofBundle } from "./synthetic-chain.js";
import { verifyProofBundle } from "./verify-proof.js";

const enc = new TextEncoder();
const k = (i: number | string) => enc.encode(`balance/vivim1holder${i}/uvivim`);
const v = (i: number | string) => enc.encode(String(i));

// Two real states of the authenticated tree: after block 12 (keys 0-99) and from block 13 on
// (keys 100-199 added, key 5 changed). Each header's app_hash is the root after its own block.
// Every node kept, as the node's LevelDB keeps them, so both roots stay provable.
const nodes = new Map<string, Uint8Array>();
const tree = new AuthenticatedTree({ getNode: (hash) => nodes.get(toHex(hash)) });
function applied(root: Uint8Array, writes: readonly TreeWrite[]): Uint8Array {
  const r = tree.update(root, writes);
  for (const [hash, encoded] of r.nodes) nodes.set(toHex(hash), Uint8Array.from(encoded));
  return r.root;
}
const earlyWrites = Array.from({ length: 100 }, (_, i) => ({ key: k(i), value: v(i) }));
const lateWrites = [
  ...Array.from({ length: 100 }, (_, i) => ({ key: k(100 + i), value: v(100 + i) })),
  { key: k(5), value: v("5-spent") },
];
const early = applied(EMPTY_ROOT, earlyWrites);
const late = applied(early, lateWrites);
const rootAfter = (h: bigint) => (h <= 12n ? early : late);
/** What the state holds after block `h`, by hex key. */
const contentsAfter = (h: bigint) =>
  new Map((h <= 12n ? earlyWrites : [...earlyWrites, ...lateWrites]).map((w) => [toHex(w.key), w.value]));

const CHAIN = "vivim-state-1";
const KEYS = Array.from({ length: 6 }, newSigningKey);
/** The validator set changes by half at 11: a bundle to 20 verifies across the change. */
const membersAt = (h: bigint) => (h <= 10n ? [0, 1, 2, 3] : [2, 3, 4, 5]);
const chain = buildSyntheticChain({
  chainId: CHAIN,
  height: 24n,
  keys: KEYS,
  membersAt,
  appHashAt: rootAfter,
});
const genesis = { chainId: CHAIN, validators: chain.setAt(1n).validators };

/** The state proof of `key` after block `height`, claiming what the tree holds there. */
function stateProof(key: Uint8Array, height: bigint): Extract<ProofJson, { kind: "state" }> {
  const value = contentsAfter(height).get(toHex(key));
  return {
    kind: "state",
    height: height.toString(),
    key: toHex(key),
    value: value === undefined ? null : toHex(value),
    proof: stateProofToJSON(tree.prove(rootAfter(height), key)),
  };
}

const viaJson = (b: ProofBundleJson): ProofBundleJson => JSON.parse(JSON.stringify(b));
// biome-ignore lint/suspicious/noExplicitAny: tampering reaches into arbitrary parts of the JSON
type Mutable = Record<string, any>;

async function bundleOf(proof: ProofJson, target: bigint): Promise<ProofBundleJson> {
  return viaJson((await syntheticProofBundle(chain, { target, proof })).bundle);
}

function codeAfter(bundle: ProofBundleJson, tamper: (b: Mutable) => void): string | undefined {
  const copy = viaJson(bundle) as Mutable;
  tamper(copy);
  const r = verifyProofBundle(copy, { trusted: genesis });
  expect(r.ok).toBe(false);
  return r.code;
}

const flipHex = (hex: string) => (hex[0] === "0" ? "1" : "0") + hex.slice(1);

describe("state proofs in proof bundles", () => {
  it("proves a key's value under the app_hash of the header after its block", async () => {
    const bundle = await bundleOf(stateProof(k(150), 20n), 20n);
    const r = verifyProofBundle(bundle, { trusted: genesis });
    expect(r.checks.filter((c) => !c.ok)).toEqual([]);
    expect(r.checks.map((c) => c.name)).toContain("state proof");
    expect(r).toMatchObject({
      ok: true,
      proven: {
        kind: "state",
        height: 20n,
        appHash: toHex(late).toUpperCase(),
        state: { key: toHex(k(150)), value: toHex(v(150)) },
      },
    });
    // The value before the change at 13 is proven under header 12, the new one under 20.
    const before = await bundleOf(stateProof(k(5), 12n), 12n);
    expect(verifyProofBundle(before, { trusted: genesis }).proven?.state?.value).toBe(toHex(v(5)));
  });

  it("proves a key absent, both where its path ends empty and where another key's leaf sits", async () => {
    const endings = new Set<boolean>();
    for (let i = 0; endings.size < 2 && i < 500; i++) {
      const key = k(`absent-${i}`);
      const endsInLeaf = tree.prove(late, key).leaf !== null;
      if (endings.has(endsInLeaf)) continue;
      endings.add(endsInLeaf);
      const r = verifyProofBundle(await bundleOf(stateProof(key, 20n), 20n), { trusted: genesis });
      expect(r).toMatchObject({
        ok: true,
        proven: { kind: "state", state: { key: toHex(key), value: null } },
      });
    }
    expect(endings.size).toBe(2);
    // Key 150 did not exist yet after block 12.
    const r = verifyProofBundle(await bundleOf(stateProof(k(150), 12n), 12n), { trusted: genesis });
    expect(r).toMatchObject({ ok: true, proven: { state: { value: null } } });
  });

  it("refuses a changed value, a changed leaf, a tampered sibling and a claim of absence, each with its code", async () => {
    const bundle = await bundleOf(stateProof(k(150), 20n), 20n);
    // The value changed: the proof's leaf holds another.
    expect(codeAfter(bundle, (b) => (b.proof.value = toHex(v(1_000_000))))).toBe("CLAIM_MISMATCH");
    // The value and the leaf's value hash changed together: the path no longer reaches app_hash.
    expect(
      codeAfter(bundle, (b) => {
        b.proof.value = toHex(v(1_000_000));
        b.proof.proof.leaf.value_hash = toHex(sha256(v(1_000_000)));
      }),
    ).toBe("STATE_PROOF_INVALID");
    // One sibling hash altered (the root level always has other children in this state).
    const top = (b: Mutable) => b.proof.proof.levels.at(-1);
    expect(codeAfter(bundle, (b) => (top(b).siblings[0] = flipHex(top(b).siblings[0])))).toBe(
      "STATE_PROOF_INVALID",
    );
    // A sibling dropped, with its bitmap bit.
    expect(
      codeAfter(bundle, (b) => {
        // The last sibling is the highest nibble's, the bitmap's lowest set bit.
        top(b).siblings.pop();
        top(b).bitmap &= top(b).bitmap - 1;
      }),
    ).toBe("STATE_PROOF_INVALID");
    // A level dropped.
    expect(codeAfter(bundle, (b) => b.proof.proof.levels.pop())).toBe("STATE_PROOF_INVALID");
    // A present key claimed absent, and a proof of absence passed off as a value.
    expect(codeAfter(bundle, (b) => (b.proof.value = null))).toBe("CLAIM_MISMATCH");
    const absent = await bundleOf(stateProof(k("absent-0"), 20n), 20n);
    expect(codeAfter(absent, (b) => (b.proof.value = toHex(v(1))))).toBe("CLAIM_MISMATCH");
    // The proof is of another key than the one claimed.
    expect(codeAfter(bundle, (b) => (b.proof.key = toHex(k(151))))).toBe("CLAIM_MISMATCH");
  });

  it("refuses a proof against the wrong header", async () => {
    // Key 5's old value, proven after block 12, presented under header 20 (after it changed).
    const stale = { ...stateProof(k(5), 12n), height: "20" };
    expect(verifyProofBundle(await bundleOf(stale, 20n), { trusted: genesis }).code).toBe(
      "STATE_PROOF_INVALID",
    );
    // Key 150's proof from block 20 under header 12, when it did not exist yet.
    const early150 = { ...stateProof(k(150), 20n), height: "12" };
    expect(verifyProofBundle(await bundleOf(early150, 12n), { trusted: genesis }).code).toBe(
      "STATE_PROOF_INVALID",
    );
    // A proof naming another height than the bundle's target.
    const bundle = await bundleOf(stateProof(k(150), 20n), 20n);
    expect(codeAfter(bundle, (b) => (b.proof.height = "21"))).toBe("CLAIM_MISMATCH");
    // The target header's app_hash altered: its validators never signed that.
    expect(
      codeAfter(
        bundle,
        (b) => (b.light_blocks.at(-1).signed_header.header.app_hash = toHex(early).toUpperCase()),
      ),
    ).toBe("HEADER_MISMATCH");
  });

  it("refuses malformed state proofs and unknown proof kinds by field", async () => {
    const bundle = await bundleOf(stateProof(k(150), 20n), 20n);
    const detail = (tamper: (b: Mutable) => void) => {
      const copy = viaJson(bundle) as Mutable;
      tamper(copy);
      const r = verifyProofBundle(copy, { trusted: genesis });
      expect(r.code).toBe("BUNDLE_SCHEMA");
      return r.checks[0]?.detail;
    };
    expect(detail((b) => (b.proof.key = "xyz"))).toMatch(/^proof\.key:/);
    expect(detail((b) => (b.proof.key = ""))).toMatch(/^proof\.key:/);
    expect(detail((b) => (b.proof.value = 7))).toMatch(/^proof\.value:/);
    expect(detail((b) => (b.proof.height = "0"))).toMatch(/^proof\.height:/);
    expect(detail((b) => (b.proof.proof.levels = [{ bitmap: 1, siblings: ["ab"] }]))).toMatch(
      /^proof\.proof:.*levels\[0\]\.siblings\[0\]/,
    );
    expect(detail((b) => (b.proof.proof.levels = [{ bitmap: 3, siblings: ["00".repeat(32)] }]))).toMatch(
      /^proof\.proof:.*levels\[0\]\.siblings/,
    );
    expect(detail((b) => (b.proof.proof.levels = [{ bitmap: 65536, siblings: [] }]))).toMatch(
      /^proof\.proof:.*levels\[0\]\.bitmap/,
    );
    expect(detail((b) => (b.proof.proof.levels = Array(65).fill({ bitmap: 0, siblings: [] })))).toMatch(
      /^proof\.proof:.*more than 64 levels/,
    );
    expect(detail((b) => (b.proof.kind = "receipt"))).toMatch(/^proof\.kind:/);
  });
});
