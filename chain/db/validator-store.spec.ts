import { BinaryReader, BinaryWriter } from "cosmjs-types/binary";
import { ValidatorSet as ValidatorSetProto } from "cosmjs-types/tendermint/types/validator";
import { describe, expect, it } from "vitest";
import { useTempDatabase } from "../../test/support/temp-database.js";
import {
  advanceValidatorSchedule,
  genesisValidatorSchedule,
  type ValidatorSchedule,
} from "../consensus/validator-schedule.js";
import type { ValidatorSet } from "../consensus/validator-set.js";
import { sha256, toHex } from "../crypto/hash.js";
import { Bucket, heightKey } from "./buckets.js";
import {
  decodeValidatorsInfo,
  encodeValidatorsInfo,
  ValidatorSetStore,
  ValidatorStoreCorruptError,
} from "./validator-store.js";

const key = (i: number) => sha256(new Uint8Array([i]));

const snapshot = (set: ValidatorSet | undefined) =>
  set && {
    validators: set.validators.map((v) => [toHex(v.pubKey), v.votingPower, v.proposerPriority]),
    proposer: toHex(set.proposer().address),
    hash: toHex(set.hash()),
  };

describe("ValidatorSetStore", () => {
  const temp = useTempDatabase("vivim-valstore-");

  /** Runs a chain of `heights` blocks, committing the store's ops with each, as the engine does. */
  async function runChain(
    store: ValidatorSetStore,
    heights: bigint,
    updatesAt: ReadonlyMap<bigint, Array<{ pubKey: Uint8Array; power: bigint }>>,
  ): Promise<{ setAt: Map<bigint, ValidatorSet>; last: ValidatorSchedule }> {
    let s = genesisValidatorSchedule(
      1n,
      [1, 2, 3].map((i) => ({ pubKey: key(i), power: 10n })),
    );
    await temp.db.write(store.genesisOps(s), { sync: false });
    const setAt = new Map<bigint, ValidatorSet>([
      [1n, s.current],
      [2n, s.next],
    ]);
    for (let h = 1n; h <= heights; h++) {
      s = advanceValidatorSchedule(s, updatesAt.get(h) ?? []);
      setAt.set(h + 2n, s.next);
      await temp.db.write(store.scheduleOps(s), { sync: false });
    }
    return { setAt, last: s };
  }

  it("loads the set in force at every height, priorities and proposer included", async () => {
    const updatesAt = new Map([
      [5n, [{ pubKey: key(4), power: 10n }]],
      [130n, [{ pubKey: key(1), power: 0n }]],
      [131n, [{ pubKey: key(2), power: 25n }]],
    ]);
    const { setAt } = await runChain(new ValidatorSetStore(temp.db), 250n, updatesAt);
    // A fresh store (empty cache), read in an order that defeats the previous-height shortcut.
    const fresh = new ValidatorSetStore(temp.db);
    const heights = [...setAt.keys()].sort((a, b) => Number(((b * 7919n) % 251n) - ((a * 7919n) % 251n)));
    for (const h of heights)
      expect(snapshot(await fresh.loadAt(h)), `height ${h}`).toEqual(snapshot(setAt.get(h)));
    // And in order, through the cache.
    const sequential = new ValidatorSetStore(temp.db);
    for (let h = 1n; h <= 252n; h++)
      expect(snapshot(await sequential.loadAt(h))).toEqual(snapshot(setAt.get(h)));
    expect((await fresh.loadAt(7n))!.size).toBe(4);
    expect((await fresh.loadAt(132n))!.size).toBe(3);
    expect((await fresh.loadAt(133n))!.totalVotingPower).toBe(45n);
    expect(await fresh.loadAt(253n)).toBeUndefined();
    expect(await fresh.loadAt(0n)).toBeUndefined();
  });

  it("stores the whole set only where it changed and at checkpoints", async () => {
    const updatesAt = new Map([[5n, [{ pubKey: key(4), power: 10n }]]]);
    const store = new ValidatorSetStore(temp.db);
    await runChain(store, 250n, updatesAt);
    const full: bigint[] = [];
    for (let h = 1n; h <= 252n; h++) {
      const info = await store.loadInfo(h);
      expect(info).toBeDefined();
      if (info!.validatorSet) full.push(h);
      expect(info!.lastHeightChanged).toBe(h < 7n ? 1n : 7n);
    }
    expect(full).toEqual([1n, 7n, 100n, 200n]);
    const pointer = await temp.db.get(heightKey(Bucket.validatorSet, 50n));
    expect(pointer!.length).toBeLessThan(12);
  });

  it("rebuilds the schedule after a restart", async () => {
    const updatesAt = new Map([[9n, [{ pubKey: key(5), power: 3n }]]]);
    const { last } = await runChain(new ValidatorSetStore(temp.db), 10n, updatesAt);
    const loaded = await new ValidatorSetStore(temp.db).loadSchedule(last.height);
    expect(loaded?.height).toBe(11n);
    expect(snapshot(loaded?.last)).toEqual(snapshot(last.last));
    expect(snapshot(loaded?.current)).toEqual(snapshot(last.current));
    expect(snapshot(loaded?.next)).toEqual(snapshot(last.next));
    expect(loaded?.lastHeightChanged).toBe(last.lastHeightChanged);
    expect(loaded?.lastHeightChanged).toBe(11n);
    // The schedule continues identically from the reloaded copy.
    expect(snapshot(advanceValidatorSchedule(loaded!, []).next)).toEqual(
      snapshot(advanceValidatorSchedule(last, []).next),
    );
    expect(await new ValidatorSetStore(temp.db).loadSchedule(40n)).toBeUndefined();
  });

  it("loads the schedule at the initial height without a last set", async () => {
    const store = new ValidatorSetStore(temp.db);
    const s = genesisValidatorSchedule(1n, [{ pubKey: key(1), power: 1n }]);
    await temp.db.write(store.genesisOps(s), { sync: false });
    const loaded = await store.loadSchedule(1n);
    expect(loaded?.last).toBeUndefined();
    expect(snapshot(loaded?.current)).toEqual(snapshot(s.current));
    expect(snapshot(loaded?.next)).toEqual(snapshot(s.next));
  });

  it("refuses a pointer whose full set is missing", async () => {
    const store = new ValidatorSetStore(temp.db);
    const s = genesisValidatorSchedule(1n, [{ pubKey: key(1), power: 1n }]);
    await temp.db.write(store.saveOps(5n, s.current, 3n), { sync: false });
    await expect(store.loadAt(5n)).rejects.toThrow(ValidatorStoreCorruptError);
  });
});

describe("validator set record decoding", () => {
  const set = genesisValidatorSchedule(
    1n,
    [1, 2].map((i) => ({ pubKey: key(i), power: 5n })),
  ).current;
  const good = encodeValidatorsInfo({ validatorSet: set, lastHeightChanged: 3n });

  /** A record whose validator set is `proto` as given (after `edit`). */
  function withSet(edit: (p: ValidatorSetProto) => void): Uint8Array {
    const r = new BinaryReader(good);
    r.uint32();
    const proto = ValidatorSetProto.decode(r.bytes());
    edit(proto);
    const w = BinaryWriter.create();
    w.uint32(10).fork();
    ValidatorSetProto.encode(proto, w);
    w.ldelim();
    w.uint32(16).int64(3n);
    return w.finish();
  }

  it("round-trips", () => {
    const info = decodeValidatorsInfo(3n, good);
    expect(info.lastHeightChanged).toBe(3n);
    expect(snapshot(info.validatorSet)).toEqual(snapshot(set));
    expect(withSet(() => {})).toEqual(good);
  });

  it("rejects records that do not check out", () => {
    const cases: Array<[string, Uint8Array, RegExp]> = [
      ["garbage", new Uint8Array([0xff, 0xff, 0xff]), /./],
      ["unknown field", Uint8Array.from([...good, 0x18, 0x01]), /unexpected field 3/],
      [
        "changed here but no set",
        encodeValidatorsInfo({ validatorSet: undefined, lastHeightChanged: 3n }),
        /not stored/,
      ],
      ["no last height", encodeValidatorsInfo({ validatorSet: set, lastHeightChanged: 0n }), /between 1/],
      ["last height in the future", good, /between 1 and 2/],
      [
        "address of another key",
        withSet((p) => {
          p.validators[0]!.address = new Uint8Array(20);
        }),
        /address/,
      ],
      [
        "short key",
        withSet((p) => {
          p.validators[0]!.pubKey = { ed25519: new Uint8Array(31) };
        }),
        /32 bytes/,
      ],
      [
        "zero power",
        withSet((p) => {
          p.validators[0]!.votingPower = 0n;
        }),
        /positive/,
      ],
      [
        "wrong total",
        withSet((p) => {
          p.totalVotingPower = 11n;
        }),
        /total_voting_power/,
      ],
      [
        "proposer outside the set",
        withSet((p) => {
          p.proposer = {
            ...p.validators[0]!,
            address: sha256(key(9)).subarray(0, 20),
            pubKey: { ed25519: key(9) },
          };
        }),
        /proposer/,
      ],
      [
        "empty set",
        withSet((p) => {
          p.validators = [];
          p.proposer = undefined;
          p.totalVotingPower = 0n;
        }),
        /empty/,
      ],
      [
        "duplicate validator",
        withSet((p) => {
          p.validators = [p.validators[0]!, p.validators[0]!];
          p.totalVotingPower = 10n;
        }),
        /duplicate/,
      ],
    ];
    for (const [name, bytes, message] of cases) {
      const height = name === "last height in the future" ? 2n : 3n;
      expect(() => decodeValidatorsInfo(height, bytes), name).toThrow(ValidatorStoreCorruptError);
      expect(() => decodeValidatorsInfo(height, bytes), name).toThrow(message);
    }
  });
});
