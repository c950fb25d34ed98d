/**
 * What `vivim/client` exports from the identity module: Msgs, responses, query types, records and
 * their enums, plus the capability list. Names are chosen not to clash with other modules'.
 */
export { AGENT_CAPABILITIES, type AgentCapability } from "./capabilities.js";
export { IdentityErrors } from "./errors.js";
export { IdentityEventTypes } from "./events.js";
export {
  ActorKind,
  QueryAgentByNameRequest,
  QueryAgentByNameResponse,
  QueryAgentRequest,
  QueryAgentResponse,
  QueryAgentsOfOwnerRequest,
  QueryAgentsOfOwnerResponse,
  QueryIdentityParamsRequest,
  QueryIdentityParamsResponse,
  QueryProfileByHandleRequest,
  QueryProfileByHandleResponse,
  QueryProfileRequest,
  QueryProfileResponse,
  QueryResolveRequest,
  QueryResolveResponse,
} from "./query.js";
export { Agent, AgentStatus, AutonomyLevel, IdentityParams, Profile, VerificationStatus } from "./records.js";
export {
  MsgRegisterAgent,
  MsgRegisterAgentResponse,
  MsgRegisterProfile,
  MsgRegisterProfileResponse,
  MsgRetireAgent,
  MsgRetireAgentResponse,
  MsgSetVerification,
  MsgSetVerificationResponse,
  MsgTransferAgent,
  MsgTransferAgentResponse,
  MsgUpdateAgent,
  MsgUpdateAgentResponse,
  MsgUpdateIdentityParams,
  MsgUpdateIdentityParamsResponse,
  MsgUpdateProfile,
  MsgUpdateProfileResponse,
} from "./tx.js";
