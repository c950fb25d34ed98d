/**
 * What `vivim/client` exports from the treasury module: cosmjs-types' distribution Msgs and the
 * CommunityPool query it implements, its errors, events and accounts. (escrow's types export the
 * same `TREASURY_ADDRESS`.)
 */
export {
  QueryCommunityPoolRequest,
  QueryCommunityPoolResponse,
} from "cosmjs-types/cosmos/distribution/v1beta1/query";
export {
  MsgCommunityPoolSpend,
  MsgCommunityPoolSpendResponse,
  MsgFundCommunityPool,
  MsgFundCommunityPoolResponse,
} from "cosmjs-types/cosmos/distribution/v1beta1/tx";
export { intToLegacyDec, legacyDecText } from "../lib/decimal.js";
export { TreasuryErrors } from "./errors.js";
export { TreasuryEvents } from "./events.js";
export { TREASURY_AUTHORITY } from "./keeper.js";
