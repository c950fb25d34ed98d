/** Registered errors of the treasury module (codespace "treasury"). */
import { registerError } from "../../chain/errors/codes.js";

export const TreasuryErrors = {
  InvalidAuthority: registerError("treasury", 2, "only the gov module account may spend from the treasury"),
  InvalidRecipient: registerError("treasury", 3, "recipient may not receive treasury funds"),
  PoolTooLarge: registerError("treasury", 4, "the treasury holds too many denoms to list at once"),
} as const;
