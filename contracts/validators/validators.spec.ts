import { describe, expect, it } from "vitest";
import { encodeAddress } from "../../chain/crypto/address.js";
import { sha256 } from "../../chain/crypto/hash.js";
import { CodedError } from "../../chain/errors/codes.js";
import { INFINITE_GAS, makeExecContext } from "../../chain/execution/context.js";
import { MemoryStore } from "../../test/support/memory-store.js";
import { authModule } from "../auth/module.js";
import { bankModule } from "../bank/module.js";
import { createModuleRegistry } from "../index.js";
import type { AbciEvent, ExecContext, KVStore, ValidatorUpdate } from "../types.js";
import {
  PendingUpdate,
  QueryParamsResponse,
  QueryPendingUpdatesRequest,
  QueryPendingUpdatesResponse,
  QueryValidatorsRequest,
  QueryValidatorsResponse,
  ValidatorRecord,
} from "./codec.js";
import { withGenesisValidators } from "./genesis.js";
import {
  getValidator,
  operatedValidators,
  operatorPower,
  pendingCount,
  powerChangeCap,
  REGISTRY_PREFIX,
  registryTotals,
  scheduleValidatorUpdate,
  targetPower,
  targetTotals,
  totalRegistryPower,
} from "./keeper.js";
import { validatorsModule } from "./module.js";
import { DEFAULT_VALIDATORS_PARAMS, MAX_TOTAL_VOTING_POWER, ValidatorsErrors } from "./params.js";

const hex = (b: Uint8Array) => Buffer.from(b).toString("hex");
const b64 = (b: Uint8Array) => Buffer.from(b).toString("base64");
/** A deterministic 32-byte "public key". */
const pk = (i: number): Uint8Array => Uint8Array.from(sha256(new Uint8Array([0x76, i])));
/** A deterministic operator account address. */
const op = (i: number): string => encodeAddress(sha256(new Uint8Array([0x6f, i])).subarray(0, 20));

const registry = createModuleRegistry([authModule, bankModule, validatorsModule]);

function ctxAt(store: KVStore, height: bigint, events: AbciEvent[] = []): ExecContext {
  return makeExecContext(
    { chainId: "vivim-test-1", height, time: { seconds: 1_700_000_000n + height, nanos: 0 } },
    store,
    INFINITE_GAS,
    registry,
    events,
  );
}

/**
 * A store after genesis with validators pk(1..n) of the given powers and optional params;
 * `operators[i]`, where given and non-empty, operates pk(i + 1).
 */
function genesisStore(
  powers: readonly bigint[],
  params: Record<string, unknown> = {},
  operators: readonly string[] = [],
): MemoryStore {
  const store = new MemoryStore();
  const state = {
    params,
    validators: powers.map((p, i) => ({
      pub_key: b64(pk(i + 1)),
      power: p.toString(),
      moniker: `v${i + 1}`,
      ...(operators[i] ? { operator: operators[i] } : {}),
    })),
  };
  validatorsModule.validateGenesis(state);
  validatorsModule.initGenesis(ctxAt(store, 0n), state);
  return store;
}

function endBlock(store: KVStore, height: bigint, events: AbciEvent[] = []): readonly ValidatorUpdate[] {
  return validatorsModule.endBlock?.(ctxAt(store, height, events))?.validatorUpdates ?? [];
}

const summary = (updates: readonly ValidatorUpdate[]) => updates.map((u) => [hex(u.pubKey), u.power]);
const expectCode = (fn: () => unknown, code: number) => {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(CodedError);
    expect((err as CodedError).codespace).toBe("validators");
    expect((err as CodedError).code).toBe(code);
    return;
  }
  throw new Error("expected a CodedError");
};

describe("validators genesis", () => {
  it("seeds the registry and the params", () => {
    const store = genesisStore([10n, 20n], {
      max_validators: 7,
      authority: DEFAULT_VALIDATORS_PARAMS.authority,
    });
    expect(registryTotals(store)).toEqual({ count: 2n, power: 30n });
    expect(targetTotals(store)).toEqual({ count: 2n, power: 30n });
    expect(getValidator(store, pk(2))).toEqual({ pubKey: pk(2), power: 20n, moniker: "v2", operator: "" });
    expect(pendingCount(store)).toBe(0n);
  });

  it("defaults to the gov module account as authority", () => {
    expect(DEFAULT_VALIDATORS_PARAMS.authority).toMatch(/^vivim1/);
    // sha256("gov")[:20], as Cosmos address.Module("gov") (cosmos10d07y265gmmuvt4z0w9aw880jnsr700j6zn9kn).
    expect(DEFAULT_VALIDATORS_PARAMS.authority).toBe("vivim10d07y265gmmuvt4z0w9aw880jnsr700jgthvzd");
  });

  it("rejects bad sections, naming the field", () => {
    const bad: Array<[unknown, RegExp]> = [
      [{ extra: 1 }, /app_state\.validators\.extra: unknown field/],
      [{ params: { authority: "cosmos1xyz" } }, /params\.authority/],
      [{ params: { max_power_change_per_block_percent: 0 } }, /between 1 and 100/],
      [{ params: { max_power_change_per_block_percent: 101 } }, /between 1 and 100/],
      [{ params: { max_validators: 0 } }, /max_validators/],
      [{ validators: [{ pub_key: b64(pk(1)).slice(4), power: "1" }] }, /validators\[0\]\.pub_key/],
      [{ validators: [{ pub_key: b64(pk(1)), power: "0" }] }, /validators\[0\]\.power/],
      [
        {
          validators: [
            { pub_key: b64(pk(1)), power: "1" },
            { pub_key: b64(pk(1)), power: "2" },
          ],
        },
        /duplicates/,
      ],
      [{ validators: [{ pub_key: b64(pk(1)), power: "1", moniker: "a\nb" }] }, /moniker/],
      [
        {
          params: { max_validators: 1 },
          validators: [1, 2].map((i) => ({ pub_key: b64(pk(i)), power: "1" })),
        },
        /at most 1/,
      ],
    ];
    for (const [state, message] of bad)
      expect(() => validatorsModule.validateGenesis(state)).toThrow(message);
    expect(() => validatorsModule.validateGenesis(undefined)).not.toThrow();
  });

  it("takes the genesis validators from genesis.json's top-level list", () => {
    const top = [1, 2].map((i) => ({
      pub_key: { value: b64(pk(i)) },
      power: String(i * 10),
      name: `node${i}`,
    }));
    const appState = { bank: {}, validators: { params: { max_validators: 5 } } };
    const filled = withGenesisValidators(appState, top);
    expect(filled.validators).toEqual({
      params: { max_validators: 5 },
      validators: [
        { pub_key: b64(pk(1)), power: "10", moniker: "node1" },
        { pub_key: b64(pk(2)), power: "20", moniker: "node2" },
      ],
    });
    expect(appState.validators).toEqual({ params: { max_validators: 5 } });
    expect(withGenesisValidators({}, top).validators).toEqual({
      validators: (filled.validators as { validators: unknown }).validators,
    });
    // A list already present must be the same set.
    expect(withGenesisValidators(filled, top)).toBe(filled);
    const other = { validators: { validators: [{ pub_key: b64(pk(1)), power: "10" }] } };
    expect(() => withGenesisValidators(other, top)).toThrow(/same set/);
  });
});

describe("scheduleValidatorUpdate", () => {
  it("queues an update with an id and an event, and tracks the target", () => {
    const store = genesisStore([10n, 10n, 10n]);
    const events: AbciEvent[] = [];
    const id = scheduleValidatorUpdate(ctxAt(store, 5n, events), {
      pubKey: pk(9),
      power: 7n,
      moniker: "new",
    });
    expect(id).toBe(1n);
    expect(scheduleValidatorUpdate(ctxAt(store, 5n), { pubKey: pk(1), power: 0n })).toBe(2n);
    expect(pendingCount(store)).toBe(2n);
    expect(targetPower(store, pk(9))).toBe(7n);
    expect(targetTotals(store)).toEqual({ count: 3n, power: 27n });
    // The registry waits for the end block.
    expect(registryTotals(store)).toEqual({ count: 3n, power: 30n });
    expect(events).toHaveLength(1);
    expect(events[0]!.type).toBe("validator_update_queued");
    const attrs = Object.fromEntries(events[0]!.attributes.map((a) => [a.key, [a.value, a.index]]));
    expect(attrs.update_id).toEqual(["1", true]);
    expect(attrs.pubkey).toEqual([b64(pk(9)), true]);
    expect(attrs.power).toEqual(["7", false]);
  });

  it("checks every update against the state the queue leads to", () => {
    const store = genesisStore([10n, 10n], {
      max_validators: 3,
      max_validator_power: "100",
      max_pending_updates: 4,
    });
    const ctx = ctxAt(store, 1n);
    const E = ValidatorsErrors;
    expectCode(
      () => scheduleValidatorUpdate(ctx, { pubKey: pk(1).subarray(1), power: 1n }),
      E.InvalidPubKey.code,
    );
    expectCode(() => scheduleValidatorUpdate(ctx, { pubKey: pk(1), power: -1n }), E.InvalidPower.code);
    expectCode(() => scheduleValidatorUpdate(ctx, { pubKey: pk(1), power: 101n }), E.InvalidPower.code);
    expectCode(() => scheduleValidatorUpdate(ctx, { pubKey: pk(8), power: 0n }), E.UnknownValidator.code);
    expectCode(() => scheduleValidatorUpdate(ctx, { pubKey: pk(1), power: 10n }), E.NoChange.code);
    expectCode(
      () => scheduleValidatorUpdate(ctx, { pubKey: pk(1), power: 5n, moniker: "x".repeat(71) }),
      E.InvalidMoniker.code,
    );
    // Removing one of two is fine; then the other is the last (counting the pending removal).
    scheduleValidatorUpdate(ctx, { pubKey: pk(1), power: 0n });
    expectCode(() => scheduleValidatorUpdate(ctx, { pubKey: pk(2), power: 0n }), E.LastValidator.code);
    // Removing a validator whose removal is already queued.
    expectCode(() => scheduleValidatorUpdate(ctx, { pubKey: pk(1), power: 0n }), E.UnknownValidator.code);
    // Two additions bring the target to the maximum of 3.
    scheduleValidatorUpdate(ctx, { pubKey: pk(3), power: 1n });
    scheduleValidatorUpdate(ctx, { pubKey: pk(4), power: 1n });
    expectCode(() => scheduleValidatorUpdate(ctx, { pubKey: pk(5), power: 1n }), E.TooManyValidators.code);
    // A moniker-only change is a change.
    scheduleValidatorUpdate(ctx, { pubKey: pk(2), power: 10n, moniker: "renamed" });
    expectCode(() => scheduleValidatorUpdate(ctx, { pubKey: pk(2), power: 11n }), E.QueueFull.code);
  });

  it("keeps the total power under CometBFT's maximum", () => {
    const big = MAX_TOTAL_VOTING_POWER / 2n;
    const store = genesisStore([big], { max_validator_power: MAX_TOTAL_VOTING_POWER.toString() });
    const ctx = ctxAt(store, 1n);
    scheduleValidatorUpdate(ctx, { pubKey: pk(2), power: big });
    expectCode(
      () => scheduleValidatorUpdate(ctx, { pubKey: pk(3), power: 2n }),
      ValidatorsErrors.TotalPowerTooLarge.code,
    );
  });
});

describe("end block: applying the queue under the power-change cap", () => {
  it("applies what fits, returns the changes and emits an event per change", () => {
    const store = genesisStore([10n, 10n, 10n, 10n]); // total 40: cap 13 per block
    scheduleValidatorUpdate(ctxAt(store, 1n), { pubKey: pk(5), power: 10n, moniker: "five" });
    const events: AbciEvent[] = [];
    const updates = endBlock(store, 1n, events);
    expect(summary(updates)).toEqual([[hex(pk(5)), 10n]]);
    expect(getValidator(store, pk(5))).toEqual({ pubKey: pk(5), power: 10n, moniker: "five", operator: "" });
    expect(registryTotals(store)).toEqual({ count: 5n, power: 50n });
    expect(pendingCount(store)).toBe(0n);
    expect(events.map((e) => e.type)).toEqual(["validator_update"]);
    const attrs = Object.fromEntries(events[0]!.attributes.map((a) => [a.key, [a.value, a.index]]));
    expect(attrs.pubkey).toEqual([b64(pk(5)), true]);
    expect(attrs.power).toEqual(["10", false]);
    expect(attrs.address?.[0]).toMatch(/^[0-9A-F]{40}$/);
    // Nothing pending: nothing returned, nothing emitted.
    const quiet: AbciEvent[] = [];
    expect(validatorsModule.endBlock?.(ctxAt(store, 2n, quiet))).toBeUndefined();
    expect(quiet).toEqual([]);
  });

  it("keeps later updates queued, FIFO, and finishes the head update partly first", () => {
    const store = genesisStore([10n, 10n, 10n, 10n]); // cap 13
    const ctx = ctxAt(store, 1n);
    scheduleValidatorUpdate(ctx, { pubKey: pk(5), power: 10n });
    scheduleValidatorUpdate(ctx, { pubKey: pk(6), power: 10n });
    scheduleValidatorUpdate(ctx, { pubKey: pk(1), power: 0n });
    expect(summary(endBlock(store, 1n))).toEqual([
      [hex(pk(5)), 10n],
      [hex(pk(6)), 3n],
    ]);
    expect(pendingCount(store)).toBe(2n);
    // Total 53: cap 17. pk6 needs 7 more, then removing pk1 costs 10.
    expect(summary(endBlock(store, 2n))).toEqual([
      [hex(pk(6)), 10n],
      [hex(pk(1)), 0n],
    ]);
    expect(pendingCount(store)).toBe(0n);
    expect(registryTotals(store)).toEqual({ count: 5n, power: 50n });
    expect(getValidator(store, pk(1))).toBeUndefined();
  });

  it("moves a change larger than the cap in steps of the cap, every block", () => {
    const store = genesisStore([10n, 10n, 10n, 10n]);
    scheduleValidatorUpdate(ctxAt(store, 1n), { pubKey: pk(7), power: 100n });
    const powers: bigint[] = [];
    for (let h = 1n; pendingCount(store) > 0n; h++) {
      const cap = powerChangeCap(registryTotals(store).power, 33);
      const before = getValidator(store, pk(7))?.power ?? 0n;
      const [u] = endBlock(store, h);
      expect(u!.power - before).toBe(u!.power === 100n ? u!.power - before : cap);
      expect(u!.power - before).toBeLessThanOrEqual(cap);
      powers.push(u!.power);
    }
    expect(powers).toEqual([13n, 30n, 53n, 83n, 100n]);
  });

  it("merges several updates of one validator in a block into one net change", () => {
    const store = genesisStore([10n, 10n, 10n, 10n, 10n, 10n]); // cap 19
    const ctx = ctxAt(store, 1n);
    scheduleValidatorUpdate(ctx, { pubKey: pk(1), power: 5n });
    scheduleValidatorUpdate(ctx, { pubKey: pk(1), power: 8n });
    scheduleValidatorUpdate(ctx, { pubKey: pk(9), power: 2n });
    scheduleValidatorUpdate(ctx, { pubKey: pk(9), power: 0n });
    scheduleValidatorUpdate(ctx, { pubKey: pk(2), power: 10n, moniker: "renamed" });
    const updates = endBlock(store, 1n);
    // pk1: 10 → 5 → 8 is one change to 8; pk9 came and went; pk2's rename changes no power.
    expect(summary(updates)).toEqual([[hex(pk(1)), 8n]]);
    expect(getValidator(store, pk(2))?.moniker).toBe("renamed");
    expect(pendingCount(store)).toBe(0n);
  });

  it("keeps every invariant over a random workload", () => {
    let seed = 42;
    const rand = (n: number) => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return (seed >>> 16) % n;
    };
    const store = genesisStore([10n, 10n, 10n, 10n], {
      max_validators: 12,
      max_validator_power: "200",
      max_pending_updates: 50,
    });
    // The registry as consensus sees it: genesis plus every end block's updates.
    const consensus = new Map<string, bigint>([1, 2, 3, 4].map((i) => [hex(pk(i)), 10n]));
    const queuedOrder: string[] = [];
    for (let h = 1n; h <= 400n; h++) {
      const ctx = ctxAt(store, h);
      for (let k = rand(3); k > 0 && h < 300n; k--) {
        const key = pk(1 + rand(14));
        try {
          scheduleValidatorUpdate(ctx, { pubKey: key, power: BigInt(rand(4) === 0 ? 0 : 1 + rand(200)) });
          queuedOrder.push(hex(key));
        } catch (err) {
          expect(err).toBeInstanceOf(CodedError);
        }
      }
      const startTotal = registryTotals(store).power;
      const cap = powerChangeCap(startTotal, 33);
      const updates = endBlock(store, h);
      let change = 0n;
      const seen = new Set<string>();
      for (const u of updates) {
        expect(seen.has(hex(u.pubKey))).toBe(false);
        seen.add(hex(u.pubKey));
        const old = consensus.get(hex(u.pubKey)) ?? 0n;
        change += u.power > old ? u.power - old : old - u.power;
        if (u.power === 0n) consensus.delete(hex(u.pubKey));
        else consensus.set(hex(u.pubKey), u.power);
      }
      expect(change).toBeLessThanOrEqual(cap);
      expect(consensus.size).toBeGreaterThan(0);
      expect(consensus.size).toBeLessThanOrEqual(12);
      const total = [...consensus.values()].reduce((a, b) => a + b, 0n);
      expect(registryTotals(store)).toEqual({ count: BigInt(consensus.size), power: total });
    }
    // Everything queued was eventually applied: the registry reached the target.
    expect(pendingCount(store)).toBe(0n);
    expect(registryTotals(store)).toEqual(targetTotals(store));
    for (const [k, power] of consensus) expect(targetPower(store, Buffer.from(k, "hex"))).toBe(power);
    expect(queuedOrder.length).toBeGreaterThan(50);
  });
});

describe("validators queries", () => {
  it("answer the registry, the queue and the params", async () => {
    const store = genesisStore([10n, 20n, 30n]);
    scheduleValidatorUpdate(ctxAt(store, 3n), { pubKey: pk(4), power: 4n });
    scheduleValidatorUpdate(ctxAt(store, 3n), { pubKey: pk(2), power: 0n });
    const q = store.query(3n);

    const page1 = QueryValidatorsResponse.decode(
      await validatorsModule.queries["/vivim.validators.v1.Query/Validators"]!(
        q,
        QueryValidatorsRequest.encode({
          pagination: { key: new Uint8Array(), offset: 0n, limit: 2n, countTotal: false, reverse: false },
        }).finish(),
      ),
    );
    expect(page1.validators).toHaveLength(2);
    expect(page1.totalPower).toBe(60n);
    expect(page1.pagination?.nextKey.length).toBe(32);
    const page2 = QueryValidatorsResponse.decode(
      await validatorsModule.queries["/vivim.validators.v1.Query/Validators"]!(
        q,
        QueryValidatorsRequest.encode({
          pagination: {
            key: page1.pagination!.nextKey,
            offset: 0n,
            limit: 2n,
            countTotal: false,
            reverse: false,
          },
        }).finish(),
      ),
    );
    const all = [...page1.validators, ...page2.validators]
      .map((v) => [hex(v.pubKey), v.power, v.moniker])
      .sort();
    expect(all).toEqual([1, 2, 3].map((i) => [hex(pk(i)), BigInt(i * 10), `v${i}`]).sort());

    const pending = QueryPendingUpdatesResponse.decode(
      await validatorsModule.queries["/vivim.validators.v1.Query/PendingUpdates"]!(
        q,
        QueryPendingUpdatesRequest.encode({ pagination: undefined }).finish(),
      ),
    );
    expect(pending.updates.map((u) => [u.id, hex(u.pubKey), u.power, u.queuedHeight])).toEqual([
      [1n, hex(pk(4)), 4n, 3n],
      [2n, hex(pk(2)), 0n, 3n],
    ]);

    const params = QueryParamsResponse.decode(
      await validatorsModule.queries["/vivim.validators.v1.Query/Params"]!(q, new Uint8Array()),
    );
    expect(params.params).toEqual(DEFAULT_VALIDATORS_PARAMS);
  });

  it("round-trips the stored queue entries", () => {
    const u: PendingUpdate = {
      id: 7n,
      pubKey: pk(1),
      power: 3n,
      moniker: "m",
      queuedHeight: 9n,
      operator: "",
    };
    expect(PendingUpdate.decode(PendingUpdate.encode(u).finish())).toEqual(u);
    const withOperator = { ...u, operator: op(1) };
    expect(PendingUpdate.decode(PendingUpdate.encode(withOperator).finish())).toEqual(withOperator);
  });
});

/** Every registry record, by scanning the registry (what the operator index must agree with). */
async function registryRecords(store: MemoryStore) {
  const rows = await store.query().range(REGISTRY_PREFIX, { limit: 100_000 });
  return rows.map(([, v]) => ValidatorRecord.decode(v));
}

/** The operator index agrees with a scan of the registry, for every operator in `operators`. */
async function expectIndexConsistent(store: MemoryStore, operators: readonly string[]): Promise<void> {
  const records = await registryRecords(store);
  for (const o of operators) {
    const mine = records.filter((r) => r.operator === o);
    expect(operatorPower(store, o)).toBe(mine.reduce((a, r) => a + r.power, 0n));
    expect(operatedValidators(store, o).map(hex)).toEqual(mine.map((r) => hex(r.pubKey)).sort());
  }
  expect(totalRegistryPower(store)).toBe(records.reduce((a, r) => a + r.power, 0n));
}

describe("validator operators", () => {
  it("genesis gives validators operators; an operator's power is the sum of its validators'", async () => {
    const store = genesisStore([10n, 20n, 30n], {}, [op(1), op(1), op(2)]);
    expect(operatorPower(store, op(1))).toBe(30n);
    expect(operatorPower(store, op(2))).toBe(30n);
    expect(operatorPower(store, op(3))).toBe(0n);
    expect(operatorPower(store, "not-an-address")).toBe(0n);
    expect(totalRegistryPower(store)).toBe(60n);
    expect(getValidator(store, pk(3))?.operator).toBe(op(2));
    expect(operatedValidators(store, op(1)).map(hex)).toEqual([hex(pk(1)), hex(pk(2))].sort());
    await expectIndexConsistent(store, [op(1), op(2)]);
  });

  it("rejects a malformed genesis operator, naming the field", () => {
    const entry = (operator: string) => ({
      validators: [{ pub_key: b64(pk(1)), power: "1", operator }],
    });
    expect(() => validatorsModule.validateGenesis(entry("cosmos1xyz"))).toThrow(/validators\[0\]\.operator/);
    expect(() => validatorsModule.validateGenesis(entry(op(1).toUpperCase()))).toThrow(/lowercase/);
    expect(() => validatorsModule.validateGenesis(entry(op(1)))).not.toThrow();
  });

  it("withGenesisValidators keeps a present list with its operators", () => {
    const top = [1, 2].map((i) => ({ pub_key: { value: b64(pk(i)) }, power: "10", name: `node${i}` }));
    const appState = {
      validators: {
        validators: [1, 2].map((i) => ({ pub_key: b64(pk(i)), power: "10", operator: op(i) })),
      },
    };
    expect(withGenesisValidators(appState, top)).toBe(appState);
    const store = new MemoryStore();
    validatorsModule.initGenesis(ctxAt(store, 0n), withGenesisValidators(appState, top).validators);
    expect(operatorPower(store, op(2))).toBe(10n);
  });

  it("an added validator's operator gets its power when the update applies", async () => {
    const store = genesisStore([10n, 10n, 10n, 10n], {}, [op(1)]); // cap 13
    const events: AbciEvent[] = [];
    scheduleValidatorUpdate(ctxAt(store, 1n, events), { pubKey: pk(5), power: 10n, operator: op(5) });
    expect(events[0]!.attributes.find((a) => a.key === "operator")).toEqual({
      key: "operator",
      value: op(5),
      index: true,
    });
    // Queued, not applied: no power yet.
    expect(operatorPower(store, op(5))).toBe(0n);
    const applied: AbciEvent[] = [];
    endBlock(store, 1n, applied);
    expect(operatorPower(store, op(5))).toBe(10n);
    expect(totalRegistryPower(store)).toBe(50n);
    expect(getValidator(store, pk(5))?.operator).toBe(op(5));
    const opEvent = applied.find((e) => e.type === "validator_operator");
    expect(Object.fromEntries(opEvent!.attributes.map((a) => [a.key, a.value]))).toMatchObject({
      pubkey: b64(pk(5)),
      operator: op(5),
      previous_operator: "",
    });
    // Added without an operator: in the set, but nobody's council power.
    scheduleValidatorUpdate(ctxAt(store, 2n), { pubKey: pk(6), power: 5n });
    endBlock(store, 2n);
    expect(getValidator(store, pk(6))).toMatchObject({ power: 5n, operator: "" });
    await expectIndexConsistent(store, [op(1), op(5)]);
  });

  it("counts the power reached so far while an update is applied partly", async () => {
    const store = genesisStore([10n, 10n, 10n, 10n], {}, [op(1), op(1)]);
    scheduleValidatorUpdate(ctxAt(store, 1n), { pubKey: pk(7), power: 100n, operator: op(1) });
    const seen: bigint[] = [];
    for (let h = 1n; pendingCount(store) > 0n; h++) {
      endBlock(store, h);
      seen.push(operatorPower(store, op(1)));
      await expectIndexConsistent(store, [op(1)]);
    }
    // 20 from genesis plus pk7's 13, 30, 53, 83, 100.
    expect(seen).toEqual([33n, 50n, 73n, 103n, 120n]);
    // And down again, partly: removing pk7 from a total of 140 takes four blocks (caps 46, 31, 20).
    scheduleValidatorUpdate(ctxAt(store, 9n), { pubKey: pk(7), power: 0n });
    const down: bigint[] = [];
    for (let h = 9n; pendingCount(store) > 0n; h++) {
      endBlock(store, h);
      down.push(operatorPower(store, op(1)));
    }
    expect(down).toEqual([74n, 43n, 23n, 20n]);
    expect(operatedValidators(store, op(1)).map(hex)).toEqual([hex(pk(1)), hex(pk(2))].sort());
    await expectIndexConsistent(store, [op(1)]);
  });

  it("moves a validator to another operator when the update applies; empty keeps it", async () => {
    const store = genesisStore([10n, 10n, 10n], {}, [op(1), op(2)]);
    const ctx = ctxAt(store, 1n);
    const E = ValidatorsErrors;
    // Same power, same (or no) operator: nothing to do. Another operator is a change.
    expectCode(
      () => scheduleValidatorUpdate(ctx, { pubKey: pk(1), power: 10n, operator: op(1) }),
      E.NoChange.code,
    );
    expectCode(() => scheduleValidatorUpdate(ctx, { pubKey: pk(1), power: 10n }), E.NoChange.code);
    scheduleValidatorUpdate(ctx, { pubKey: pk(1), power: 10n, operator: op(2) });
    expect(operatorPower(store, op(1))).toBe(10n);
    const events: AbciEvent[] = [];
    // No power changes: nothing for consensus, but the operator moves.
    expect(endBlock(store, 1n, events)).toEqual([]);
    expect(events.map((e) => e.type)).toEqual(["validator_operator"]);
    expect(operatorPower(store, op(1))).toBe(0n);
    expect(operatorPower(store, op(2))).toBe(20n);
    // A re-weight without an operator keeps op(2).
    scheduleValidatorUpdate(ctxAt(store, 2n), { pubKey: pk(1), power: 12n, moniker: "renamed" });
    endBlock(store, 2n);
    expect(getValidator(store, pk(1))).toMatchObject({ power: 12n, moniker: "renamed", operator: op(2) });
    expect(operatorPower(store, op(2))).toBe(22n);
    await expectIndexConsistent(store, [op(1), op(2)]);
  });

  it("a removed validator leaves its operator's list; re-adding needs the operator again", async () => {
    const store = genesisStore([10n, 10n, 10n], {}, [op(1), op(1), op(2)]);
    const E = ValidatorsErrors;
    expectCode(
      () => scheduleValidatorUpdate(ctxAt(store, 1n), { pubKey: pk(1), power: 0n, operator: op(1) }),
      E.InvalidOperator.code,
    );
    scheduleValidatorUpdate(ctxAt(store, 1n), { pubKey: pk(1), power: 0n });
    // Total 30, cap 9: 10 → 1 first, still operated.
    endBlock(store, 1n);
    expect(operatorPower(store, op(1))).toBe(11n);
    expect(operatedValidators(store, op(1))).toHaveLength(2);
    const events: AbciEvent[] = [];
    endBlock(store, 2n, events);
    expect(operatorPower(store, op(1))).toBe(10n);
    expect(operatedValidators(store, op(1)).map(hex)).toEqual([hex(pk(2))]);
    const opEvent = events.find((e) => e.type === "validator_operator");
    expect(Object.fromEntries(opEvent!.attributes.map((a) => [a.key, a.value]))).toMatchObject({
      operator: "",
      previous_operator: op(1),
    });
    scheduleValidatorUpdate(ctxAt(store, 3n), { pubKey: pk(2), power: 0n });
    for (let h = 3n; pendingCount(store) > 0n; h++) endBlock(store, h);
    expect(operatorPower(store, op(1))).toBe(0n);
    expect(operatedValidators(store, op(1))).toEqual([]);
    // Back without an operator: nobody's.
    scheduleValidatorUpdate(ctxAt(store, 9n), { pubKey: pk(1), power: 5n });
    endBlock(store, 9n);
    expect(getValidator(store, pk(1))?.operator).toBe("");
    expect(operatorPower(store, op(1))).toBe(0n);
    await expectIndexConsistent(store, [op(1), op(2)]);
  });

  it("refuses malformed operators", () => {
    const store = genesisStore([10n, 10n]);
    const ctx = ctxAt(store, 1n);
    const code = ValidatorsErrors.InvalidOperator.code;
    for (const operator of [
      "vivim1",
      "cosmos1qqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqnrql8a",
      op(1).toUpperCase(),
      `${op(1)} `,
    ])
      expectCode(() => scheduleValidatorUpdate(ctx, { pubKey: pk(3), power: 1n, operator }), code);
    expect(pendingCount(store)).toBe(0n);
  });

  it("keeps the index equal to the registry over a random workload", async () => {
    let seed = 7;
    const rand = (n: number) => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return (seed >>> 16) % n;
    };
    const operators = [1, 2, 3, 4].map(op);
    const store = genesisStore(
      [10n, 10n, 10n, 10n],
      { max_validators: 10, max_validator_power: "60" },
      operators,
    );
    for (let h = 1n; h <= 150n; h++) {
      const ctx = ctxAt(store, h);
      for (let k = rand(3); k > 0 && h < 120n; k--) {
        const power = BigInt(rand(4) === 0 ? 0 : 1 + rand(60));
        const operator = power === 0n || rand(3) === 0 ? "" : operators[rand(4)]!;
        try {
          scheduleValidatorUpdate(ctx, { pubKey: pk(1 + rand(10)), power, operator });
        } catch (err) {
          expect(err).toBeInstanceOf(CodedError);
        }
      }
      endBlock(store, h);
      await expectIndexConsistent(store, operators);
    }
    expect(pendingCount(store)).toBe(0n);
  });
});
