import type {
  AbciEvent,
  BlockInfo,
  ExecContext,
  GasMeter,
  KVStore,
  ModuleRegistry,
} from "../../contracts/types.js";

/** An execution context whose events are collected into `events`. */
export function makeExecContext(
  block: BlockInfo,
  store: KVStore,
  gas: GasMeter,
  modules: ModuleRegistry,
  events: AbciEvent[],
): ExecContext {
  return { block, store, gas, modules, emit: (event) => void events.push(event) };
}

/** Gas is not charged for genesis and end-block work: they are the chain's own, not a tx's. */
export const INFINITE_GAS: GasMeter = {
  limit: 2n ** 63n - 1n,
  consumed: () => 0n,
  consume: () => undefined,
};
