/**
 * The module's genesis section, `app_state.treasury`: absent or `{}`. The treasury holds no state
 * of its own; fund its account (`moduleAddress("treasury")`) in `app_state.bank.balances`.
 */
import { asObject, rejectUnknownKeys } from "../lib/genesis.js";

export function parseTreasuryGenesis(state: unknown): void {
  rejectUnknownKeys(asObject(state ?? {}, "app_state.treasury"), [], "app_state.treasury");
}
