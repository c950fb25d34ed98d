/**
 * What `vivim/client` exports from the escrow module: Msgs, responses, query types, records and
 * their enums. Names are chosen not to clash with other modules'.
 */
export { EscrowErrors } from "./errors.js";
export { EscrowEvents } from "./events.js";
export { ESCROW_ADDRESS, TREASURY_ADDRESS } from "./params.js";
export {
  QueryBountiesRequest,
  QueryBountiesResponse,
  QueryBountyRequest,
  QueryBountyResponse,
  QueryEscrowParamsRequest,
  QueryEscrowParamsResponse,
} from "./query.js";
export { BOUNTY_STATUS_NAMES, Bounty, BountyStatus, EscrowParams } from "./records.js";
export {
  MsgAcceptWork,
  MsgAcceptWorkResponse,
  MsgCancelBounty,
  MsgCancelBountyResponse,
  MsgClaimBounty,
  MsgClaimBountyResponse,
  MsgCreateBounty,
  MsgCreateBountyResponse,
  MsgDisputeWork,
  MsgDisputeWorkResponse,
  MsgResolveDispute,
  MsgResolveDisputeResponse,
  MsgSubmitWork,
  MsgSubmitWorkResponse,
  MsgTip,
  MsgTipResponse,
  MsgUnclaimBounty,
  MsgUnclaimBountyResponse,
  MsgUpdateEscrowParams,
  MsgUpdateEscrowParamsResponse,
  MsgWithdrawFromAgent,
  MsgWithdrawFromAgentResponse,
} from "./tx.js";
