import { describe, expect, it } from "vitest";
import { MemoryStore } from "../../test/support/memory-store.js";
import { CodedError, SdkErrors } from "../errors/codes.js";
import { BasicGasMeter, GasMeteredStore, KV_GAS } from "./gas.js";

describe("BasicGasMeter", () => {
  it("counts exactly up to its limit and refuses the charge that passes it", () => {
    const gas = new BasicGasMeter(5_000n);
    gas.consume(3_000, "a");
    gas.consume(2_000, "b");
    expect(gas.consumed()).toBe(5_000n);
    let thrown: unknown;
    try {
      gas.consume(1, "ReadFlat");
    } catch (err) {
      thrown = err;
    }
    expect(thrown).toBeInstanceOf(CodedError);
    expect((thrown as CodedError).code).toBe(SdkErrors.OutOfGas.code);
    expect((thrown as Error).message).toContain(
      "out of gas in location: ReadFlat; gasWanted: 5000, gasUsed: 5001",
    );
  });

  it("keeps counting exactly under limits beyond 2^53", () => {
    const gas = new BasicGasMeter(2n ** 64n - 1n);
    for (let i = 0; i < 1000; i++) gas.consume(123_457, "x");
    expect(gas.consumed()).toBe(123_457_000n);
  });
});

describe("GasMeteredStore", () => {
  it("charges the Cosmos SDK's flat and per-byte costs for each access", () => {
    const gas = new BasicGasMeter(1_000_000n);
    const store = new GasMeteredStore(new MemoryStore(), gas);
    const key = Uint8Array.of(1, 2, 3);
    store.set(key, new Uint8Array(10));
    const afterSet = BigInt(KV_GAS.writeCostFlat + KV_GAS.writeCostPerByte * 13);
    expect(gas.consumed()).toBe(afterSet);
    expect(store.get(key)).toHaveLength(10);
    const afterGet = afterSet + BigInt(KV_GAS.readCostFlat + KV_GAS.readCostPerByte * 13);
    expect(gas.consumed()).toBe(afterGet);
    expect(store.has(key)).toBe(true);
    store.delete(key);
    expect(gas.consumed()).toBe(afterGet + BigInt(KV_GAS.hasCost + KV_GAS.deleteCost));
    expect(store.get(key)).toBeUndefined();
  });
});
