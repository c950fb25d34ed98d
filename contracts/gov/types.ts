/**
 * What `vivim/client` exports from the governance module. The standard proposal, vote and deposit
 * types are cosmjs-types' `cosmos/gov/v1` objects (cosmjs's default registry has the Msgs).
 */
export { GovErrors } from "./errors.js";
export { GovEvents } from "./events.js";
export { DEFAULT_GOV_PARAMS, DEFAULT_VIVIM_GOV_PARAMS, GOV_ADDRESS } from "./params.js";
export {
  QueryGovVivimParamsRequest,
  QueryGovVivimParamsResponse,
  QueryProposalInfoRequest,
  QueryProposalInfoResponse,
  QueryVotingPowerRequest,
  QueryVotingPowerResponse,
} from "./query-types.js";
export { ELECTORATE_NAMES, Electorate, GovVivimParams, ProposalInfo, STAGE_NAMES, Stage } from "./records.js";
export { MAX_METADATA_BYTES, MAX_SUMMARY_BYTES, MAX_TITLE_BYTES } from "./submit.js";
export { MsgUpdateGovVivimParams, MsgUpdateGovVivimParamsResponse } from "./tx.js";
