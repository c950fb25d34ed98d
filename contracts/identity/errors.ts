/** Registered errors of the identity module (codespace "identity"). */
import { registerError } from "../../chain/errors/codes.js";

export const IdentityErrors = {
  NotRegistered: registerError("identity", 2, "account has no profile"),
  AgentRetired: registerError("identity", 3, "agent is retired"),
  AgentWritesFrozen: registerError("identity", 4, "agent write access is stopped by governance"),
  InvalidHandle: registerError("identity", 5, "invalid handle"),
  HandleTaken: registerError("identity", 6, "handle already taken"),
  AlreadyRegistered: registerError("identity", 7, "account already registered"),
  InvalidAgentName: registerError("identity", 8, "invalid agent name"),
  AgentNameTaken: registerError("identity", 9, "agent name already used by this owner"),
  NotOwner: registerError("identity", 10, "signer does not own this agent"),
  InvalidField: registerError("identity", 11, "invalid field"),
  UnknownAgent: registerError("identity", 12, "agent not found"),
  InvalidAgentKey: registerError("identity", 13, "invalid agent key"),
  Unauthorized: registerError("identity", 14, "signer is not the verification authority"),
  AgentCannotOwn: registerError("identity", 15, "an agent cannot own agents"),
  TooManyAgents: registerError("identity", 16, "owner has the maximum number of active agents"),
  AccountInUse: registerError("identity", 17, "the agent key's account has already signed transactions"),
  InvalidParams: registerError("identity", 18, "invalid identity params"),
} as const;
