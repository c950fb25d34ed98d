/**
 * The identity module: human profiles with unique permanent handles, and agents named
 * `@owner/agent` with their own keys, always attributed to a human owner. Other modules ask it who
 * an address is and whether it may act (`requireActor` in keeper.ts).
 */
import type { ContractModule } from "../types.js";
import { initIdentityGenesis, parseIdentityGenesis } from "./genesis.js";
import { msgRegisterAgent, msgRetireAgent, msgTransferAgent, msgUpdateAgent } from "./msg-agent.js";
import { msgSetVerification, msgUpdateIdentityParams } from "./msg-authority.js";
import { msgRegisterProfile, msgUpdateProfile } from "./msg-profile.js";
import { identityQueries } from "./query.js";

export const identityModule: ContractModule = {
  name: "identity",
  msgs: [
    msgRegisterProfile,
    msgUpdateProfile,
    msgRegisterAgent,
    msgUpdateAgent,
    msgTransferAgent,
    msgRetireAgent,
    msgSetVerification,
    msgUpdateIdentityParams,
  ] as never[],
  queries: identityQueries,
  validateGenesis(state) {
    parseIdentityGenesis(state);
  },
  initGenesis(ctx, state) {
    initIdentityGenesis(ctx, state);
  },
};
