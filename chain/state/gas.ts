/**
 * Gas metering with the Cosmos SDK's default KV costs, so `gas_used` figures and Simulate-based fee
 * estimates look as wallets expect. Gas is deterministic: it depends only on the tx and the state.
 */
import type { GasMeter, KVStore } from "../../contracts/types.js";
import { CodedError, SdkErrors } from "../errors/codes.js";

export const KV_GAS = Object.freeze({
  hasCost: 1000,
  deleteCost: 1000,
  readCostFlat: 1000,
  readCostPerByte: 3,
  writeCostFlat: 2000,
  writeCostPerByte: 30,
});

export class BasicGasMeter implements GasMeter {
  /**
   * Kept as a number: every state access charges the meter twice, and BigInt arithmetic allocates.
   * A tx would need more than 2^53 gas of accesses before the count lost precision, and a limit
   * that large compares correctly as a number against any count below it.
   */
  private used = 0;
  private readonly budget: number;

  constructor(readonly limit: bigint) {
    this.budget = Number(limit);
  }

  consumed(): bigint {
    return BigInt(this.used);
  }

  consume(amount: number, descriptor: string): void {
    this.used += amount;
    if (this.used > this.budget) {
      throw new CodedError(
        SdkErrors.OutOfGas,
        `out of gas in location: ${descriptor}; gasWanted: ${this.limit}, gasUsed: ${this.used}`,
      );
    }
  }
}

/** Charges every state access to the meter before it happens. */
export class GasMeteredStore implements KVStore {
  constructor(
    private readonly inner: KVStore,
    private readonly gas: GasMeter,
  ) {}

  get(key: Uint8Array): Uint8Array | undefined {
    this.gas.consume(KV_GAS.readCostFlat, "ReadFlat");
    const value = this.inner.get(key);
    this.gas.consume(KV_GAS.readCostPerByte * (key.length + (value?.length ?? 0)), "ReadPerByte");
    return value;
  }

  has(key: Uint8Array): boolean {
    this.gas.consume(KV_GAS.hasCost, "Has");
    return this.inner.has(key);
  }

  set(key: Uint8Array, value: Uint8Array): void {
    this.gas.consume(
      KV_GAS.writeCostFlat + KV_GAS.writeCostPerByte * (key.length + value.length),
      "WritePerByte",
    );
    this.inner.set(key, value);
  }

  delete(key: Uint8Array): void {
    this.gas.consume(KV_GAS.deleteCost, "Delete");
    this.inner.delete(key);
  }
}
