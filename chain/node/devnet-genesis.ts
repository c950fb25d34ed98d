/** The app_state of a new chain: funded accounts in the base denom, every other module at defaults. */
import { BASE_DENOM } from "../../contracts/lib/coins.js";
import { type DevnetPeople, devnetSocialState } from "./devnet-social.js";

export interface FundedAccount {
  readonly address: string;
  readonly amount: bigint;
}

export interface DevnetAppStateOptions {
  /**
   * Who may send MsgUpdateValidator (app_state.validators.params.authority). Left out, the section
   * is not written and the gov module account decides, as on any chain.
   */
  readonly validatorAuthority?: string;
  /** Seeds profiles, an agent, communities and a little history (devnet-social.ts). */
  readonly social?: DevnetPeople;
}

export function devnetAppState(
  funded: readonly FundedAccount[],
  opts: DevnetAppStateOptions = {},
): Record<string, unknown> {
  return {
    auth: { accounts: [] },
    bank: {
      balances: funded.map((f) => ({
        address: f.address,
        coins: [{ denom: BASE_DENOM, amount: f.amount.toString() }],
      })),
    },
    ...(opts.validatorAuthority ? { validators: { params: { authority: opts.validatorAuthority } } } : {}),
    ...(opts.social ? devnetSocialState(opts.social) : {}),
  };
}
