import { generateKeyPairSync, type KeyObject, sign } from "node:crypto";
import { describe, expect, it } from "vitest";
import { sha256, toHex } from "../crypto/hash.js";
import type { BlockId } from "../types/block.js";
import { buildCommit, CommitVerificationError, verifyCommit } from "./commit.js";
import { SignedMsgType, type Vote, voteSignBytes } from "./messages.js";
import {
  advanceValidatorSchedule,
  genesisValidatorSchedule,
  headerValidatorHashes,
  type ValidatorSchedule,
  validatorSetAfter,
} from "./validator-schedule.js";
import { type ValidatorSet, ValidatorSetUpdateError, validatorAddress } from "./validator-set.js";

const CHAIN_ID = "vivim-test-1";

interface Key {
  readonly pubKey: Uint8Array;
  readonly privateKey: KeyObject;
}

function newKey(): Key {
  const { publicKey, privateKey } = generateKeyPairSync("ed25519");
  const jwk = publicKey.export({ format: "jwk" });
  return { pubKey: new Uint8Array(Buffer.from(jwk.x!, "base64url")), privateKey };
}

function blockIdAt(height: bigint): BlockId {
  return {
    hash: sha256(new TextEncoder().encode(`block ${height}`)),
    parts: { total: 0, hash: new Uint8Array() },
  };
}

/** The commit of block `height` signed by every validator of `set` whose private key is in `keys`. */
function signCommit(set: ValidatorSet, height: bigint, keys: readonly Key[]): ReturnType<typeof buildCommit> {
  const blockId = blockIdAt(height);
  const precommits: Vote[] = [];
  set.validators.forEach((v, index) => {
    const key = keys.find((k) => toHex(k.pubKey) === toHex(v.pubKey));
    if (!key) return;
    const unsigned = {
      type: SignedMsgType.Precommit as const,
      height,
      round: 0,
      blockId,
      timestamp: { seconds: 1_700_000_000n + height, nanos: 0 },
    };
    precommits.push({
      ...unsigned,
      validatorAddress: v.address,
      validatorIndex: index,
      signature: new Uint8Array(sign(null, voteSignBytes(CHAIN_ID, unsigned), key.privateKey)),
    });
  });
  return buildCommit(set, height, 0, blockId, precommits);
}

const hex = (b: Uint8Array) => toHex(b);
const members = (set: ValidatorSet) =>
  set.validators.map((v) => `${hex(v.pubKey).slice(0, 8)}:${v.votingPower}`).sort();

describe("validator schedule (updates at H are in force at H+2)", () => {
  const keys = [newKey(), newKey(), newKey(), newKey(), newKey()];
  const [a, b, c, d, e] = keys as [Key, Key, Key, Key, Key];
  const genesis = () =>
    genesisValidatorSchedule(
      1n,
      [a, b, c, d].map((k) => ({ pubKey: k.pubKey, power: 10n })),
    );

  it("starts with the genesis set at the initial height and the one after", () => {
    const s = genesis();
    expect(s.height).toBe(1n);
    expect(s.last).toBeUndefined();
    expect(hex(s.current.hash())).toBe(hex(s.next.hash()));
    // One priority step apart, as CometBFT's genesis state.
    expect(s.next.validators).toEqual(s.current.incrementProposerPriority(1).validators);
    expect(s.lastHeightChanged).toBe(1n);
  });

  it("rotates the proposer from height to height when nothing changes", () => {
    let s = genesis();
    const proposers = new Set<string>();
    for (let h = 0; h < 4; h++) {
      proposers.add(hex(s.current.proposer().pubKey));
      const before = s.next;
      s = advanceValidatorSchedule(s, []);
      expect(s.current).toBe(before);
    }
    expect(proposers.size).toBe(4);
    expect(s.lastHeightChanged).toBe(1n);
  });

  it("an update at H shows in H+1's next_validators_hash and is in force from H+2", () => {
    // Heights 1 and 2 without changes; block 3 returns: remove a, add e, re-weight b.
    let s = genesis();
    s = advanceValidatorSchedule(s, []);
    s = advanceValidatorSchedule(s, []);
    expect(s.height).toBe(3n);
    const oldSet = s.current;
    const updates = [
      { pubKey: a.pubKey, power: 0n },
      { pubKey: e.pubKey, power: 10n },
      { pubKey: b.pubKey, power: 20n },
    ];

    const at3 = headerValidatorHashes(s);
    expect(hex(at3.validatorsHash)).toBe(hex(oldSet.hash()));
    expect(hex(at3.nextValidatorsHash)).toBe(hex(oldSet.hash()));

    const s4 = advanceValidatorSchedule(s, updates);
    const newSet = s4.next;
    expect(members(newSet)).toEqual(members(oldSet.applyUpdates(updates)));
    expect(newSet.indexOf(validatorAddress(e.pubKey))).toBeGreaterThanOrEqual(0);
    expect(newSet.indexOf(validatorAddress(a.pubKey))).toBe(-1);
    expect(oldSet.indexOf(validatorAddress(e.pubKey))).toBe(-1);
    const at4 = headerValidatorHashes(s4);
    expect(hex(at4.validatorsHash)).toBe(hex(oldSet.hash()));
    expect(hex(at4.nextValidatorsHash)).toBe(hex(newSet.hash()));
    expect(hex(at4.nextValidatorsHash)).not.toBe(hex(oldSet.hash()));
    expect(s4.lastHeightChanged).toBe(5n);

    const s5 = advanceValidatorSchedule(s4, []);
    expect(s5.height).toBe(5n);
    expect(s5.current).toBe(newSet);
    expect(s5.last?.hash()).toEqual(oldSet.hash());
    expect(hex(headerValidatorHashes(s5).validatorsHash)).toBe(hex(newSet.hash()));
    expect(s5.current.totalVotingPower).toBe(50n);
    expect(s5.lastHeightChanged).toBe(5n);
  });

  it("every commit verifies against the set in force at its height, and only that set", () => {
    const setAt = new Map<bigint, ValidatorSet>();
    let s: ValidatorSchedule = genesis();
    const updatesAt = new Map<bigint, Array<{ pubKey: Uint8Array; power: bigint }>>([
      [2n, [{ pubKey: e.pubKey, power: 30n }]],
      [
        4n,
        [
          { pubKey: a.pubKey, power: 0n },
          { pubKey: b.pubKey, power: 0n },
        ],
      ],
    ]);
    for (let h = 1n; h <= 8n; h++) {
      setAt.set(h, s.current);
      s = advanceValidatorSchedule(s, updatesAt.get(h) ?? []);
    }
    for (let h = 1n; h <= 8n; h++) {
      const set = setAt.get(h)!;
      // Signed by every key: only the members of the set in force at h contribute.
      const commit = signCommit(set, h, keys);
      verifyCommit(CHAIN_ID, set, blockIdAt(h), commit);
    }
    // e joins through block 2's updates: absent at 3, present at 4 with power 30 of 70.
    expect(setAt.get(3n)!.totalVotingPower).toBe(40n);
    expect(setAt.get(4n)!.totalVotingPower).toBe(70n);
    expect(setAt.get(6n)!.totalVotingPower).toBe(50n);

    // The old validators alone cannot commit height 4: a, b, c, d hold 40 of 70, not more than 2/3.
    const oldOnly = signCommit(setAt.get(4n)!, 4n, [a, b, c, d]);
    expect(() => verifyCommit(CHAIN_ID, setAt.get(4n)!, blockIdAt(4n), oldOnly)).toThrow(
      CommitVerificationError,
    );
    // A commit of height 6 is not verifiable against the set of height 5 (a and b had left).
    const at6 = signCommit(setAt.get(6n)!, 6n, keys);
    expect(() => verifyCommit(CHAIN_ID, setAt.get(5n)!, blockIdAt(6n), at6)).toThrow(CommitVerificationError);
  });

  it("matches CometBFT's state.Update rule step by step", () => {
    const s = advanceValidatorSchedule(genesis(), []);
    const updates = [{ pubKey: e.pubKey, power: 5n }];
    const manual = s.next.applyUpdates(updates).incrementProposerPriority(1);
    const viaHelper = validatorSetAfter(s.next, updates);
    const viaSchedule = advanceValidatorSchedule(s, updates).next;
    expect(viaHelper.validators).toEqual(manual.validators);
    expect(viaSchedule.validators).toEqual(manual.validators);
    expect(hex(viaSchedule.proposer().address)).toBe(hex(manual.proposer().address));
  });

  it("refuses an invalid change set", () => {
    const s = genesis();
    const stranger = newKey();
    expect(() => advanceValidatorSchedule(s, [{ pubKey: stranger.pubKey, power: 0n }])).toThrow(
      ValidatorSetUpdateError,
    );
    expect(() =>
      advanceValidatorSchedule(
        s,
        [a, b, c, d].map((k) => ({ pubKey: k.pubKey, power: 0n })),
      ),
    ).toThrow(/empty/);
  });
});
