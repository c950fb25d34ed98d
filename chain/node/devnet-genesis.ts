/** The app_state of a new chain: funded accounts in the base denom, every other module at defaults. */
import { BASE_DENOM } from "../../contracts/lib/coins.js";
import { type DevnetPeople, devnetSocialState } from "./devnet-social.js";

export interface FundedAccount {
  readonly address: string;
  readonly amount: bigint;
}

/** A genesis validator with the account that operates it (its council vote in governance). */
export interface DevnetValidator {
  /** Base64 ed25519 consensus key, as in genesis.json's top-level `validators[].pub_key.value`. */
  readonly pubKey: string;
  readonly power: string;
  readonly moniker: string;
  /** Bech32 operator account. */
  readonly operator: string;
}

export interface DevnetAppStateOptions {
  /**
   * Who may send MsgUpdateValidator (app_state.validators.params.authority). Left out, the section
   * is not written and the gov module account decides, as on any chain.
   */
  readonly validatorAuthority?: string;
  /**
   * The genesis validators with their operators (app_state.validators.validators): the same set as
   * genesis.json's top-level `validators`, which cannot name operators. Left out, the node fills the
   * list from the top-level one and the validators have no operators.
   */
  readonly validators?: readonly DevnetValidator[];
  /** Seeds profiles, an agent, communities and a little history (devnet-social.ts). */
  readonly social?: DevnetPeople;
  /** `app_state.gov` (contracts/gov/genesis.ts); left out, x/gov's defaults (two-day periods). */
  readonly gov?: Record<string, unknown>;
}

/**
 * Governance on the local devnet: periods short enough to watch a proposal from submission to
 * execution (and vote on it from the app) in a few minutes, deposits small next to the demo funds.
 */
export const DEVNET_GOV: Record<string, unknown> = Object.freeze({
  params: {
    min_deposit: [{ denom: BASE_DENOM, amount: "10000000" }],
    expedited_min_deposit: [{ denom: BASE_DENOM, amount: "50000000" }],
    max_deposit_period: "600s",
    voting_period: "180s",
    expedited_voting_period: "60s",
  },
});

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
    ...validatorsSection(opts),
    ...(opts.social ? devnetSocialState(opts.social) : {}),
    ...(opts.gov ? { gov: opts.gov } : {}),
  };
}

function validatorsSection(opts: DevnetAppStateOptions): Record<string, unknown> {
  const section: Record<string, unknown> = {};
  if (opts.validatorAuthority) section.params = { authority: opts.validatorAuthority };
  if (opts.validators)
    section.validators = opts.validators.map((v) => ({
      pub_key: v.pubKey,
      power: v.power,
      moniker: v.moniker,
      operator: v.operator,
    }));
  return Object.keys(section).length > 0 ? { validators: section } : {};
}
