import { describe, expect, it } from "vitest";
import { toBase64 } from "../crypto/hash.js";
import type { ProofBundleJson } from "./proof-bundle.js";
import { buildSyntheticChain, newSigningKey, syntheticProofBundle } from "./synthetic-chain.js";
import { verifyProofBundle } from "./verify-proof.js";

const CHAIN = "vivim-proof-1";
const KEYS = Array.from({ length: 10 }, newSigningKey);
/** Heights 1-10 are decided by validators 0-3, 11-20 by 2-5 (half overlap), 21-30 by 6-9 (none). */
const membersAt = (h: bigint) => (h <= 10n ? [0, 1, 2, 3] : h <= 20n ? [2, 3, 4, 5] : [6, 7, 8, 9]);
const chain = buildSyntheticChain({ chainId: CHAIN, height: 30n, keys: KEYS, membersAt });
const genesis = { chainId: CHAIN, validators: chain.setAt(1n).validators };

// A bundle as it travels: JSON text, parsed again by the verifier.
const viaJson = (b: ProofBundleJson): ProofBundleJson => JSON.parse(JSON.stringify(b));
// biome-ignore lint/suspicious/noExplicitAny: tampering reaches into arbitrary parts of the JSON
type Mutable = Record<string, any>;
const last = (b: Mutable) => b.light_blocks[b.light_blocks.length - 1];
const toGenesis = async (target = 25n) =>
  viaJson((await syntheticProofBundle(chain, { target, eventIndex: 2 })).bundle);

/** The code `verifyProofBundle` rejects a tampered copy of the bundle with. */
function codeAfter(
  bundle: ProofBundleJson,
  tamper: (b: Mutable) => void,
  trusted = genesis,
): string | undefined {
  const copy = viaJson(bundle) as Mutable;
  tamper(copy);
  const r = verifyProofBundle(copy, { trusted });
  expect(r.ok).toBe(false);
  return r.code;
}

describe("proof bundles", () => {
  it("proves a post's event from the genesis validators across two validator-set changes", async () => {
    const bundle = await toGenesis();
    // Genesis block, a bisection pivot in the middle set, then the target.
    const heights = bundle.light_blocks.map((lb: Mutable) => lb.signed_header.header.height);
    expect(heights[0]).toBe("1");
    expect(heights.at(-1)).toBe("25");
    expect(heights.some((h) => Number(h) > 10 && Number(h) <= 20)).toBe(true);
    expect(heights.length).toBeLessThan(8);

    const r = verifyProofBundle(bundle, { trusted: genesis });
    expect(r.checks.filter((c) => !c.ok)).toEqual([]);
    expect(r).toMatchObject({ ok: true, trustedBy: "caller" });
    expect(r.verifiedHeights.map(String)).toEqual(heights);
    expect(r.proven).toMatchObject({
      chainId: CHAIN,
      height: 25n,
      headerHash: bundle.target.header_hash,
      kind: "event",
      txIndex: 0,
      event: {
        type: "vivim.social.v1.EventPostCreated",
        attributes: { content_id: "2502", author: "vivim1author2" },
        eventIndex: 2,
      },
    });
    expect(r.signaturesChecked).toBeGreaterThan(0);
    // With no root of its own, the caller learns the bundle is consistent, and that only its root vouches.
    expect(verifyProofBundle(bundle)).toMatchObject({ ok: true, trustedBy: "bundle" });
  });

  it("roots a bundle at a trusted light block and refuses any other root", async () => {
    const { bundle, trusted } = await syntheticProofBundle(chain, {
      target: 28n,
      eventIndex: 0,
      trustedHeight: 15n,
    });
    const json = viaJson(bundle);
    expect(json.trust.kind).toBe("light_block");
    expect(verifyProofBundle(json, { trusted })).toMatchObject({ ok: true, trustedBy: "caller" });
    const wrongHash = { ...trusted, headerHash: "AB".repeat(32) } as typeof trusted;
    expect(verifyProofBundle(json, { trusted: wrongHash }).code).toBe("TRUST_MISMATCH");
    expect(verifyProofBundle(json, { trusted: genesis }).code).toBe("TRUST_MISMATCH");
    // The trusted block and the target may be one header.
    const same = await syntheticProofBundle(chain, { target: 15n, eventIndex: 1, trustedHeight: 15n });
    expect(same.bundle.light_blocks).toEqual([]);
    expect(verifyProofBundle(viaJson(same.bundle), { trusted: same.trusted }).ok).toBe(true);
  });

  it("links the proven header to a later one header by header, for an anchor of that one", async () => {
    const { bundle, trusted } = await syntheticProofBundle(chain, {
      target: 25n,
      eventIndex: 0,
      linkTo: 28n,
    });
    const json = viaJson(bundle);
    expect(json.target.height).toBe("25");
    expect(json.light_blocks.slice(-4).map((lb: Mutable) => lb.signed_header.header.height)).toEqual([
      "25",
      "26",
      "27",
      "28",
    ]);
    const r = verifyProofBundle(json, { trusted });
    expect(r.ok).toBe(true);
    expect(r.proven).toMatchObject({ height: 25n, linkedHeader: { height: 28n } });
    // A gap in the links: 28 still verifies by skipping, but no longer witnesses 25.
    expect(codeAfter(json, (b) => b.light_blocks.splice(-2, 1))).toBe("TARGET_MISMATCH");
    const plain = await toGenesis();
    expect(verifyProofBundle(plain, { trusted: genesis }).proven?.linkedHeader).toEqual({
      height: 25n,
      headerHash: plain.target.header_hash,
    });
  });

  it("rejects a forged header, a weak commit, a wrong validator set and a tampered proof, each with its code", async () => {
    const bundle = await toGenesis();
    // The target header altered after its validators signed it.
    expect(codeAfter(bundle, (b) => (last(b).signed_header.header.app_hash = "EE".repeat(32)))).toBe(
      "HEADER_MISMATCH",
    );
    // Only 2 of 4 equal validators signed the target.
    expect(
      codeAfter(bundle, (b) => {
        for (const s of last(b).signed_header.commit.signatures.slice(2)) s.block_id_flag = 1;
      }),
    ).toBe("INVALID_COMMIT");
    // A signature altered.
    expect(
      codeAfter(bundle, (b) => {
        const sig = Buffer.from(last(b).signed_header.commit.signatures[0].signature, "base64");
        sig[0] = (sig[0] ?? 0) ^ 1;
        last(b).signed_header.commit.signatures[0].signature = toBase64(sig);
      }),
    ).toBe("INVALID_COMMIT");
    // The target's validators swapped for another set; the genesis validators swapped.
    const otherSet = viaJson((await syntheticProofBundle(chain, { target: 15n, eventIndex: 0 })).bundle);
    const setOf15 = otherSet.light_blocks.at(-1)!.validators;
    expect(codeAfter(bundle, (b) => (last(b).validators = setOf15))).toBe("VALIDATORS_MISMATCH");
    expect(codeAfter(bundle, (b) => (b.trust.validators = setOf15))).toBe("VALIDATORS_MISMATCH");
    // The event's Merkle path altered, or its stated position changed.
    expect(
      codeAfter(bundle, (b) => {
        const aunt = Buffer.from(b.proof.merkle.aunts[0], "base64");
        aunt[0] = (aunt[0] ?? 0) ^ 1;
        b.proof.merkle.aunts[0] = toBase64(aunt);
      }),
    ).toBe("MERKLE_PROOF_INVALID");
    expect(codeAfter(bundle, (b) => (b.proof.merkle.index = "3"))).toBe("MERKLE_PROOF_INVALID");
    expect(codeAfter(bundle, (b) => (b.proof.tx_proof.root_hash = "00".repeat(32)))).toBe(
      "MERKLE_PROOF_INVALID",
    );
  });

  it("rejects a claim, a locator, a target or a path that does not match what was proven", async () => {
    const bundle = await toGenesis();
    expect(codeAfter(bundle, (b) => (b.proof.claim.attributes.content_id = "1"))).toBe("CLAIM_MISMATCH");
    expect(codeAfter(bundle, (b) => (b.proof.claim.type = "vivim.social.v1.EventVoteCast"))).toBe(
      "CLAIM_MISMATCH",
    );
    expect(codeAfter(bundle, (b) => (b.proof.locator.event_index = 1))).toBe("CLAIM_MISMATCH");
    expect(codeAfter(bundle, (b) => (b.proof.locator.tx_hash = "CD".repeat(32)))).toBe("CLAIM_MISMATCH");
    expect(codeAfter(bundle, (b) => (b.target.header_hash = "CD".repeat(32)))).toBe("TARGET_MISMATCH");
    // Without the bisection pivot, the target is not trusted from genesis.
    expect(codeAfter(bundle, (b) => (b.light_blocks = [b.light_blocks[0], last(b)]))).toBe(
      "NOT_ENOUGH_TRUST",
    );
    expect(codeAfter(bundle, (b) => b.light_blocks.reverse())).toBe("VALIDATORS_MISMATCH");
    expect(codeAfter(bundle, () => {}, { chainId: "other-1", validators: genesis.validators })).toBe(
      "WRONG_CHAIN",
    );
    // Another network's genesis: consistent on its own, not the one the caller trusts.
    const keys = Array.from({ length: 4 }, newSigningKey);
    const other = buildSyntheticChain({ chainId: CHAIN, height: 3n, keys, membersAt: () => [0, 1, 2, 3] });
    const foreign = viaJson((await syntheticProofBundle(other, { target: 3n, eventIndex: 0 })).bundle);
    expect(verifyProofBundle(foreign).ok).toBe(true);
    expect(verifyProofBundle(foreign, { trusted: genesis }).code).toBe("TRUST_MISMATCH");
  });

  it("proves a tx by its bytes under the header's data_hash", async () => {
    const { bundle, trusted } = await syntheticProofBundle(chain, { target: 25n });
    const json = viaJson(bundle);
    const r = verifyProofBundle(json, { trusted });
    expect(r).toMatchObject({
      ok: true,
      proven: { kind: "tx", txHash: json.proof.kind === "tx" ? json.proof.tx_hash : "", height: 25n },
    });
    expect(codeAfter(json, (b) => (b.proof.tx_hash = "CD".repeat(32)))).toBe("CLAIM_MISMATCH");
    expect(
      codeAfter(json, (b) => (b.proof.tx_proof.data = toBase64(new TextEncoder().encode("another tx")))),
    ).toBe("CLAIM_MISMATCH");
  });

  it("refuses malformed bundles with a schema or version code naming the field", async () => {
    const bundle = await toGenesis(5n);
    expect(codeAfter(bundle, (b) => (b.format = "vivim.light.proof/9"))).toBe("BUNDLE_VERSION");
    expect(codeAfter(bundle, (b) => delete b.proof)).toBe("BUNDLE_SCHEMA");
    expect(codeAfter(bundle, (b) => (b.light_blocks[0].signed_header.header.height = "x"))).toBe(
      "BUNDLE_SCHEMA",
    );
    expect(codeAfter(bundle, (b) => (b.light_blocks = []))).toBe("BUNDLE_SCHEMA");
    const r = verifyProofBundle({ ...viaJson(bundle), proof: { kind: "event", leaf: 7 } });
    expect(r.checks).toEqual([
      { name: "bundle", ok: false, code: "BUNDLE_SCHEMA", detail: expect.stringMatching(/^proof\./) },
    ]);
    for (const junk of [null, 1, "x", [], {}]) expect(verifyProofBundle(junk).ok).toBe(false);
  });
});
