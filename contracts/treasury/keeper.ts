/**
 * The DAO treasury is a module account, `moduleAddress("treasury")`, whose bank balances are the
 * community pool: escrow fees and donations flow in, passed governance proposals pay out. The
 * module keeps no state of its own; every movement goes through the bank keeper.
 */
import { moduleAddress } from "../auth/keeper.js";

/** The treasury's account; escrow pays its fees here. */
export const TREASURY_ADDRESS = moduleAddress("treasury");

/** The only account that may spend from the treasury: the gov module account. */
export const TREASURY_AUTHORITY = moduleAddress("gov");

/**
 * Accounts a spend may not pay: the treasury itself (a no-op) and the escrow account, whose
 * balance must equal what its bounties hold.
 */
export const BLOCKED_RECIPIENTS: ReadonlySet<string> = new Set([TREASURY_ADDRESS, moduleAddress("escrow")]);
