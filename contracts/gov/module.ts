/**
 * The governance module (DAO): proposals whose messages the gov module account executes when they
 * pass, with x/gov's lifecycle and tally (deposit period, voting period, quorum / threshold / veto,
 * deposit refund or burn), VIVIM's electorates (the validator council for chain-level proposals,
 * reputation-weighted members for treasury and community ones) and an optional timelock. Accepts
 * the standard `cosmos.gov.v1` and `v1beta1` Msgs and answers their queries, so cosmjs and wallets
 * can list proposals and vote.
 */
import type { ContractModule } from "../types.js";
import { msgDeposit, msgDepositV1Beta1 } from "./deposit.js";
import { initGovGenesis, parseGovGenesis } from "./genesis.js";
import { processDueProposals } from "./lifecycle.js";
import { GOV_QUERIES } from "./query.js";
import { V1Beta1Schemas } from "./schemas.js";
import { msgSubmitProposal, msgSubmitProposalV1Beta1 } from "./submit.js";
import { msgUpdateGovParams, msgUpdateGovVivimParams } from "./update-params.js";
import { msgVote, msgVoteV1Beta1, msgVoteWeighted, msgVoteWeightedV1Beta1 } from "./vote.js";

export const govModule: ContractModule = {
  name: "gov",
  msgs: [
    msgSubmitProposal as never,
    msgVote as never,
    msgVoteWeighted as never,
    msgDeposit as never,
    msgUpdateGovParams as never,
    msgUpdateGovVivimParams as never,
    msgSubmitProposalV1Beta1 as never,
    msgVoteV1Beta1 as never,
    msgVoteWeightedV1Beta1 as never,
    msgDepositV1Beta1 as never,
  ],
  anyTypes: [{ typeUrl: "/cosmos.gov.v1beta1.TextProposal", schema: V1Beta1Schemas.TextProposal }],
  queries: GOV_QUERIES,
  validateGenesis(state) {
    parseGovGenesis(state);
  },
  initGenesis(ctx, state) {
    initGovGenesis(ctx, state);
  },
  endBlock(ctx) {
    processDueProposals(ctx);
  },
};
