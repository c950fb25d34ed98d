/** The app_state of a new chain: funded accounts in the base denom, every other module at defaults. */
import { BASE_DENOM } from "../../contracts/lib/coins.js";

export interface FundedAccount {
  readonly address: string;
  readonly amount: bigint;
}

export function devnetAppState(funded: readonly FundedAccount[]): Record<string, unknown> {
  return {
    auth: { accounts: [] },
    bank: {
      balances: funded.map((f) => ({
        address: f.address,
        coins: [{ denom: BASE_DENOM, amount: f.amount.toString() }],
      })),
    },
  };
}
