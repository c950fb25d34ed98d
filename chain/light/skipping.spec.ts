import { generateKeyPairSync, type KeyObject, sign } from "node:crypto";
import { describe, expect, it } from "vitest";
import { blockHash } from "../consensus/block-builder.js";
import { buildCommit } from "../consensus/commit.js";
import { SignedMsgType, type Vote, voteSignBytes } from "../consensus/messages.js";
import { ValidatorSet } from "../consensus/validator-set.js";
import type { BlockId, Header } from "../types/block.js";
import {
  type LightBlock,
  LightVerificationError,
  verifyAdjacent,
  verifySequential,
  verifySkipping,
  verifyToHeight,
} from "./skipping.js";

const CHAIN = "vivim-light-1";
const zeros = () => new Uint8Array(32);

interface Key {
  privateKey: KeyObject;
  publicKey: Uint8Array;
}
function newKey(): Key {
  const { privateKey, publicKey } = generateKeyPairSync("ed25519");
  const x = publicKey.export({ format: "jwk" }).x ?? "";
  return { privateKey, publicKey: new Uint8Array(Buffer.from(x, "base64url")) };
}
const KEYS = Array.from({ length: 10 }, newKey);

/** Heights 1-10 are decided by validators 0-3, 11-20 by 2-5 (half overlap), 21-30 by 6-9 (none). */
const membersAt = (h: bigint) => (h <= 10n ? [0, 1, 2, 3] : h <= 20n ? [2, 3, 4, 5] : [6, 7, 8, 9]);
const setAt = (h: bigint) =>
  ValidatorSet.fromGenesis(membersAt(h).map((i) => ({ pubKey: KEYS[i]!.publicKey, power: 10n })));

function signCommit(header: Header, set: ValidatorSet, signers: number, keys: readonly Key[] = KEYS) {
  const blockId: BlockId = { hash: blockHash(header), parts: { total: 1, hash: zeros() } };
  const votes: Vote[] = [];
  set.validators.slice(0, signers).forEach((v, i) => {
    const key = keys.find((k) => Buffer.compare(k.publicKey, v.pubKey) === 0)!;
    const unsigned = {
      type: SignedMsgType.Precommit as const,
      height: header.height,
      round: 0,
      blockId,
      timestamp: { seconds: 1_750_000_000n + header.height, nanos: i },
    };
    const signature = new Uint8Array(sign(null, voteSignBytes(CHAIN, unsigned), key.privateKey));
    votes.push({ ...unsigned, validatorAddress: v.address, validatorIndex: i, signature });
  });
  return buildCommit(set, header.height, 0, blockId, votes);
}

/** A chain of 30 light blocks, each header linked to the previous one, signed by all of its set. */
function makeChain(): Map<bigint, LightBlock> {
  const chain = new Map<bigint, LightBlock>();
  let last: BlockId = { hash: zeros(), parts: { total: 0, hash: zeros() } };
  for (let h = 1n; h <= 30n; h++) {
    const set = setAt(h);
    const header: Header = {
      version: { block: 11n, app: 1n },
      chainId: CHAIN,
      height: h,
      time: { seconds: 1_750_000_000n + h, nanos: 0 },
      lastBlockId: last,
      lastCommitHash: zeros(),
      dataHash: zeros(),
      validatorsHash: set.hash(),
      nextValidatorsHash: setAt(h + 1n).hash(),
      consensusHash: zeros(),
      appHash: new Uint8Array(32).fill(Number(h)),
      lastResultsHash: zeros(),
      eventRoot: zeros(),
      evidenceHash: zeros(),
      proposerAddress: set.proposer().address,
    };
    const commit = signCommit(header, set, set.size);
    chain.set(h, { header, commit, validators: set.validators });
    last = commit.blockId;
  }
  return chain;
}

const CHAIN_BLOCKS = makeChain();
const at = (h: bigint) => CHAIN_BLOCKS.get(h)!;
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
    expect(r.signaturesChecked).toBe(29 * 4);
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
    const attackers = Array.from({ length: 4 }, newKey);
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
