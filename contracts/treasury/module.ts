/**
 * The treasury module: the DAO treasury is the module account `moduleAddress("treasury")` (escrow
 * fees go there). The Cosmos distribution Msgs move coins in and out of it — anyone donates with
 * `MsgFundCommunityPool`, governance pays with `MsgCommunityPoolSpend` — and `CommunityPool`
 * shows its balances, so cosmjs and Keplr see it as the community pool.
 */
import type { ContractModule } from "../types.js";
import { parseTreasuryGenesis } from "./genesis.js";
import { msgFundCommunityPool } from "./msg-fund.js";
import { msgCommunityPoolSpend } from "./msg-spend.js";
import { queryCommunityPool } from "./query.js";

export const treasuryModule: ContractModule = {
  name: "treasury",
  msgs: [msgCommunityPoolSpend as never, msgFundCommunityPool as never],
  queries: {
    "/cosmos.distribution.v1beta1.Query/CommunityPool": queryCommunityPool,
  },
  validateGenesis(state) {
    parseTreasuryGenesis(state);
  },
  initGenesis(_ctx, state) {
    parseTreasuryGenesis(state);
  },
};
