import { describe, expect, it } from "vitest";
import {
  BLOCK_TIME,
  blockIdFor,
  CHAIN_ID,
  doubleSign,
  makeValidators,
  signedVote,
} from "../../test/support/evidence.js";
import type { Timestamp } from "../types/timestamp.js";
import { evidenceHash, evidenceItemSize } from "./codec.js";
import { type EvidenceParams, EvidencePool, evidenceParamsFromGenesis } from "./pool.js";
import {
  type DuplicateVoteEvidence,
  EvidenceInvalidError,
  type EvidenceInvalidReason,
  offenceKey,
} from "./types.js";

const { set, keys } = makeValidators(4);

function timeAt(height: bigint): Timestamp {
  return { seconds: BLOCK_TIME.seconds + height * 10n, nanos: BLOCK_TIME.nanos };
}

function makePool(opts: { params?: Partial<EvidenceParams>; latest?: bigint; maxPending?: number } = {}) {
  const committedInState = new Set<string>();
  const latest = opts.latest ?? 10n;
  const pool: EvidencePool = new EvidencePool({
    chainId: CHAIN_ID,
    params: { maxAgeNumBlocks: 20n, maxAgeDurationNs: 1n, maxBytes: 1_048_576, ...opts.params },
    latest: { height: latest, time: timeAt(latest) },
    validatorSetAt: (h) => (h >= 1n ? set : undefined),
    blockTimeAt: (h): Timestamp | undefined => (h >= 1n && h <= pool.latestHeight ? timeAt(h) : undefined),
    isCommitted: (ev) => committedInState.has(offenceKey(ev)),
    ...(opts.maxPending === undefined ? {} : { maxPending: opts.maxPending }),
  });
  return { pool, committedInState };
}

function evidenceAt(height: bigint, index = 1, tags?: [string, string]): DuplicateVoteEvidence {
  return doubleSign(set, keys, index, { height, time: timeAt(height), ...(tags ? { tags } : {}) }).evidence;
}

function rejection(fn: () => unknown): EvidenceInvalidReason {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(EvidenceInvalidError);
    return (err as EvidenceInvalidError).reason;
  }
  throw new Error("accepted");
}

const hex = (ev: DuplicateVoteEvidence) => Buffer.from(evidenceHash(ev)).toString("hex");

describe("EvidencePool", () => {
  it("parses consensus_params.evidence from genesis", () => {
    expect(
      evidenceParamsFromGenesis({
        max_age_num_blocks: "100000",
        max_age_duration: "172800000000000",
        max_bytes: "1048576",
      }),
    ).toEqual({ maxAgeNumBlocks: 100000n, maxAgeDurationNs: 172800000000000n, maxBytes: 1048576 });
  });

  it("keeps verified peer evidence once per offence and refuses invalid evidence", () => {
    const { pool } = makePool();
    const ev = evidenceAt(5n);
    expect(pool.addFromPeer(ev)).toBe("added");
    expect(pool.addFromPeer(ev)).toBe("duplicate");
    // A third block signed at the same height/round/type: another pair, the same offence.
    expect(pool.addFromPeer(evidenceAt(5n, 1, ["block one", "block three"]))).toBe("duplicate");
    expect(pool.pending().map(hex)).toEqual([hex(ev)]);

    const bad = evidenceAt(6n);
    const sig = new Uint8Array(bad.voteA.signature);
    sig[0]! ^= 0xff;
    expect(rejection(() => pool.addFromPeer({ ...bad, voteA: { ...bad.voteA, signature: sig } }))).toBe(
      "bad_signature",
    );
    expect(rejection(() => pool.addFromPeer({ ...evidenceAt(6n), timestamp: timeAt(7n) }))).toBe(
      "time_mismatch",
    );
    expect(rejection(() => pool.addFromPeer(evidenceAt(11n)))).toBe("unknown_height");
    expect(pool.size).toBe(1);
  });

  it("turns conflicting votes of the height being decided into evidence when that block commits", () => {
    const { pool } = makePool();
    const { first, second } = doubleSign(set, keys, 3, { height: 11n });
    expect(pool.addFromConsensus(first, second, set)).toBe("buffered");
    expect(pool.addFromConsensus(second, first, set)).toBe("duplicate");
    expect(pool.pending()).toEqual([]);
    // A forged conflicting vote (signed by another validator's key) is dropped, never pending.
    const forged = signedVote(set, [keys[0]!, keys[0]!, keys[0]!, keys[0]!], 2, {
      height: 11n,
      blockId: blockIdFor("f"),
    });
    const honest = signedVote(set, keys, 2, { height: 11n, blockId: blockIdFor("g") });
    expect(pool.addFromConsensus(honest, forged, set)).toBe("buffered");

    pool.markCommitted(11n, timeAt(11n), []);
    const pending = pool.pending();
    expect(pending).toHaveLength(1);
    expect(pending[0]!.timestamp).toEqual(timeAt(11n));
    expect(pending[0]!.voteA.validatorIndex).toBe(3);
    expect(pool.bufferedCount).toBe(0);

    // Votes of an already committed height become evidence at once.
    const late = doubleSign(set, keys, 0, { height: 9n });
    expect(pool.addFromConsensus(late.first, late.second, set)).toBe("added");
    expect(pool.pending()[0]!.voteA.height).toBe(9n);
  });

  it("expires evidence older than max_age_num_blocks and max_age_duration, not before both", () => {
    const { pool } = makePool({ latest: 10n });
    const ev = evidenceAt(5n);
    expect(pool.addFromPeer(ev)).toBe("added");
    pool.markCommitted(25n, timeAt(25n), []); // age 20: not more than 20
    expect(pool.size).toBe(1);
    pool.markCommitted(26n, timeAt(26n), []); // age 21 blocks and 210 s
    expect(pool.size).toBe(0);
    expect(pool.addFromPeer(ev)).toBe("expired");

    const slow = makePool({ latest: 30n, params: { maxAgeDurationNs: 10n ** 15n } }).pool;
    expect(slow.addFromPeer(ev)).toBe("added"); // 25 blocks old, but younger than the duration
  });

  it("drops committed evidence and asks chain state about offences committed earlier", () => {
    const { pool, committedInState } = makePool();
    const ev = evidenceAt(5n);
    pool.addFromPeer(ev);
    pool.markCommitted(11n, timeAt(11n), [ev]);
    expect(pool.size).toBe(0);
    expect(pool.addFromPeer(ev)).toBe("committed");

    const restarted = makePool();
    restarted.committedInState.add(offenceKey(ev));
    expect(restarted.pool.addFromPeer(ev)).toBe("committed");
    expect(committedInState.size).toBe(0);
  });

  it("hands the proposer the oldest evidence that fits in max bytes", () => {
    const { pool } = makePool();
    const newer = evidenceAt(8n, 2);
    const older = evidenceAt(4n, 1);
    pool.addFromPeer(newer);
    pool.addFromPeer(older);
    expect(pool.pending().map(hex)).toEqual([hex(older), hex(newer)]);
    expect(pool.pending(evidenceItemSize(older)).map(hex)).toEqual([hex(older)]);
    expect(pool.pending(evidenceItemSize(older) - 1)).toEqual([]);
    const capped = makePool({ params: { maxBytes: evidenceItemSize(older) + 10 } }).pool;
    capped.addFromPeer(newer);
    capped.addFromPeer(older);
    expect(capped.pending(10_000_000).map(hex)).toEqual([hex(older)]);
  });

  it("checks a proposed block's evidence", () => {
    const { pool, committedInState } = makePool();
    const a = evidenceAt(5n, 1);
    const b = evidenceAt(6n, 2);
    pool.addFromPeer(a);
    expect(() => pool.checkProposed([])).not.toThrow();
    expect(() => pool.checkProposed([a, b])).not.toThrow();
    expect(pool.size).toBe(2); // b was not pending: it is now
    expect(rejection(() => pool.checkProposed([a, evidenceAt(5n, 1, ["block one", "block three"])]))).toBe(
      "duplicate",
    );
    expect(rejection(() => pool.checkProposed([evidenceAt(11n)]))).toBe("unknown_height");
    const forgedSig = new Uint8Array(b.voteB.signature);
    forgedSig[5]! ^= 1;
    const c = evidenceAt(7n, 3);
    expect(rejection(() => pool.checkProposed([{ ...c, voteB: { ...c.voteB, signature: forgedSig } }]))).toBe(
      "bad_signature",
    );
    committedInState.add(offenceKey(a));
    expect(rejection(() => pool.checkProposed([a]))).toBe("committed");

    const small = makePool({ params: { maxBytes: evidenceItemSize(a) + evidenceItemSize(b) - 1 } }).pool;
    expect(() => small.checkProposed([a])).not.toThrow();
    expect(rejection(() => small.checkProposed([a, b]))).toBe("over_max_bytes");

    const later = makePool({ latest: 40n }).pool;
    expect(rejection(() => later.checkProposed([b]))).toBe("expired");
  });

  it("refuses evidence beyond its capacity", () => {
    const { pool } = makePool({ maxPending: 1 });
    expect(pool.addFromPeer(evidenceAt(5n, 1))).toBe("added");
    expect(rejection(() => pool.addFromPeer(evidenceAt(5n, 2)))).toBe("pool_full");
  });
});
