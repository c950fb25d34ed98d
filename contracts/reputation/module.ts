/**
 * The reputation module: ratings tied to real interactions, attestations (vouches), DM-thread
 * acknowledgements, karma (kept by social through interactions.ts), and an epoch end block that
 * recomputes every score with EigenTrust from genesis's pre-trusted seeds (epoch.ts).
 */
import type { ContractModule } from "../types.js";
import { isEpochHeight, runEpoch } from "./epoch.js";
import { initReputationGenesis, parseReputationGenesis } from "./genesis.js";
import { msgAttest, msgRevokeAttestation } from "./msg-attest.js";
import { msgAcknowledgeDmThread } from "./msg-dm-thread.js";
import { msgUpdateParams } from "./msg-params.js";
import { msgRate } from "./msg-rate.js";
import { getReputationParams } from "./params.js";
import { REPUTATION_QUERIES } from "./query.js";

export const reputationModule: ContractModule = {
  name: "reputation",
  msgs: [
    msgRate as never,
    msgAttest as never,
    msgRevokeAttestation as never,
    msgAcknowledgeDmThread as never,
    msgUpdateParams as never,
  ],
  queries: REPUTATION_QUERIES,
  validateGenesis(state) {
    parseReputationGenesis(state);
  },
  initGenesis(ctx, state) {
    initReputationGenesis(ctx, state);
  },
  endBlock(ctx) {
    if (isEpochHeight(ctx.block.height, getReputationParams(ctx.store).epochBlocks)) runEpoch(ctx);
  },
};
