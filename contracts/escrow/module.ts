/**
 * The escrow module: bounties and paid agent work. A bounty's reward is escrowed in the module
 * account `moduleAddress("escrow")` until the creator accepts the submitted work (the worker gets
 * the amount minus `fee_bps`, the fee goes to the DAO treasury `moduleAddress("treasury")`), the
 * arbiter resolves a dispute by splitting it, or the creator cancels. Also direct tips, and an
 * owner's withdrawal of an agent's earnings.
 */
import type { ContractModule } from "../types.js";
import { initEscrowGenesis, parseEscrowGenesis } from "./genesis.js";
import {
  msgAcceptWork,
  msgCancelBounty,
  msgClaimBounty,
  msgCreateBounty,
  msgDisputeWork,
  msgResolveDispute,
  msgSubmitWork,
  msgUnclaimBounty,
} from "./msg-bounty.js";
import { msgUpdateEscrowParams } from "./msg-params.js";
import { msgTip, msgWithdrawFromAgent } from "./msg-transfer.js";
import { queryBounties, queryBounty, queryEscrowParams } from "./query.js";

export const escrowModule: ContractModule = {
  name: "escrow",
  msgs: [
    msgCreateBounty as never,
    msgClaimBounty as never,
    msgUnclaimBounty as never,
    msgSubmitWork as never,
    msgAcceptWork as never,
    msgDisputeWork as never,
    msgResolveDispute as never,
    msgCancelBounty as never,
    msgTip as never,
    msgWithdrawFromAgent as never,
    msgUpdateEscrowParams as never,
  ],
  queries: {
    "/vivim.escrow.v1.Query/Bounty": queryBounty,
    /** Newest first; filter by status and by creator or worker. */
    "/vivim.escrow.v1.Query/Bounties": queryBounties,
    "/vivim.escrow.v1.Query/Params": queryEscrowParams,
  },
  validateGenesis(state) {
    parseEscrowGenesis(state);
  },
  initGenesis(ctx, state) {
    initEscrowGenesis(ctx, state);
  },
};
