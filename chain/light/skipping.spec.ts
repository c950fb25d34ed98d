import { describe, expect, it } from "vitest";
import { ValidatorSet } from "../consensus/validator-set.js";
import {
  type LightBlock,
  LightVerificationError,
  verifyAdjacent,
  verifySequential,
  verifySkipping,
  verifyToHeight,
} from "./skipping.js";
import { buildSyntheticChain, newSigningKey, signCommit as signWith } from "./synthetic-chain.js";

const CHAIN = "vivim-light-1";
const KEYS = Array.from({ length: 10 }, newSigningKey);

/** Heights 1-10 are decided by validators 0-3, 11-20 by 2-5 (half overlap), 21-30 by 6-9 (none). */
const membersAt = (h: bigint) => (h <= 10n ? [0, 1, 2, 3] : h <= 20n ? [2, 3, 4, 5] : [6, 7, 8, 9]);
const CHAIN_BLOCKS = buildSyntheticChain({ chainId: CHAIN, height: 30n, keys: KEYS, membersAt });
const setAt = CHAIN_BLOCKS.setAt;
const signCommit = (header: LightBlock["header"], set: ValidatorSet, signers: number, keys = KEYS) =>
  signWith(CHAIN, header, set, signers, keys);
const at = (h: bigint): LightBlock => CHAIN_BLOCKS.at(h);
const codeOf = (f: () => unknown): string => {
  try {
    f();
    return "OK";
  } catch (err) {
    if (err instanceof LightVerificationError) return err.code;
    throw err;
  }
};

describe("light header verification", () => {
  it("verifies every header in turn across validator-set changes", async () => {
    const fetched: bigint[] = [];
    const r = await verifySequential(CHAIN, at(1n), 30n, async (h) => {
      fetched.push(h);
      return at(h);
    });
    expect(r.trusted.header.height).toBe(30n);
    expect(fetched).toHaveLength(29);
    // Each set has 4 equal validators: verification stops at the third signature (more than 2/3).
    expect(r.signaturesChecked).toBe(29 * 3);
  });

  it("skips where the sets overlap by more than 1/3, and bisects where they do not", async () => {
    // 1 → 15: validators 2 and 3 (half the trusted power) signed 15: one step.
    const near = await verifyToHeight(CHAIN, at(1n), 15n, async (h) => at(h));
    expect(near.trace).toEqual([15n]);
    // 1 → 30: nobody of 0-3 signed 30; bisection finds a path through a header of the middle set.
    const fetched: bigint[] = [];
    const far = await verifyToHeight(CHAIN, at(1n), 30n, async (h) => {
      fetched.push(h);
      return at(h);
    });
    expect(far.trusted.header.height).toBe(30n);
    expect(far.trace.at(-1)).toBe(30n);
    expect(far.trace.some((h) => h > 10n && h <= 20n)).toBe(true);
    expect(fetched.length).toBeLessThan(15);
  });

  it("rejects a forged header, a weak commit, a wrong validator set and a broken link, each with its reason", () => {
    const trusted = at(1n);
    // The header altered after the validators signed it.
    const forged = { ...at(2n), header: { ...at(2n).header, appHash: new Uint8Array(32).fill(0xee) } };
    expect(codeOf(() => verifyAdjacent(CHAIN, trusted, forged))).toBe("HEADER_MISMATCH");
    // Only 2 of 4 equal validators signed: not more than 2/3.
    const weak = { ...at(3n), commit: signCommit(at(3n).header, setAt(3n), 2) };
    expect(codeOf(() => verifySkipping(CHAIN, trusted, weak))).toBe("INVALID_COMMIT");
    // Validators that do not hash to the header's validators_hash.
    const wrongSet = { ...at(5n), validators: setAt(15n).validators };
    expect(codeOf(() => verifySkipping(CHAIN, trusted, wrongSet))).toBe("VALIDATORS_MISMATCH");
    // A signature altered in an otherwise valid commit.
    const sigs = at(4n).commit.signatures.map((s, i) =>
      i === 0 ? { ...s, signature: s.signature.map((b, j) => (j === 0 ? b ^ 1 : b)) } : s,
    );
    const badSig = { ...at(4n), commit: { ...at(4n).commit, signatures: sigs } };
    expect(codeOf(() => verifySkipping(CHAIN, trusted, badSig))).toBe("INVALID_COMMIT");
    // Skipping the link: 3 is not the header after 1; another chain's header.
    expect(codeOf(() => verifyAdjacent(CHAIN, trusted, at(3n)))).toBe("NOT_NEWER");
    expect(codeOf(() => verifySkipping("other-chain", trusted, at(3n)))).toBe("WRONG_CHAIN");
    expect(codeOf(() => verifySkipping(CHAIN, at(5n), at(3n)))).toBe("NOT_NEWER");
  });

  it("refuses a header signed by validators the client never trusted, even with a matching hash", async () => {
    // An attacker's own 4 validators sign a header at 25 naming their own set: valid on its own, no trust.
    const attackers = Array.from({ length: 4 }, newSigningKey);
    const fake = ValidatorSet.fromGenesis(attackers.map((k) => ({ pubKey: k.publicKey, power: 10n })));
    const header = { ...at(25n).header, validatorsHash: fake.hash(), nextValidatorsHash: fake.hash() };
    const lb: LightBlock = {
      header,
      commit: signCommit(header, fake, 4, attackers),
      validators: fake.validators,
    };
    expect(codeOf(() => verifySkipping(CHAIN, at(1n), lb))).toBe("NOT_ENOUGH_TRUST");
    expect(codeOf(() => verifySkipping(CHAIN, at(24n), lb))).toBe("NOT_ENOUGH_TRUST");
    // With the honest chain below it, bisection ends at the adjacent step, which names the real set.
    await expect(
      verifyToHeight(CHAIN, at(1n), 25n, async (h) => (h === 25n ? lb : at(h))),
    ).rejects.toMatchObject({ code: "NEXT_VALIDATORS_MISMATCH" });
  });
});
