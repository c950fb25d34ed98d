/** Registered errors of the escrow module (codespace "escrow"). */
import { registerError } from "../../chain/errors/codes.js";

export const EscrowErrors = {
  InvalidField: registerError("escrow", 2, "invalid field"),
  InvalidAmount: registerError("escrow", 3, "invalid amount"),
  InvalidDeadline: registerError("escrow", 4, "invalid deadline"),
  BountyNotFound: registerError("escrow", 5, "bounty not found"),
  WrongStatus: registerError("escrow", 6, "bounty is not in the required status"),
  AlreadyReleased: registerError("escrow", 7, "escrowed funds were already released"),
  NotCreator: registerError("escrow", 8, "signer is not the bounty's creator"),
  NotWorker: registerError("escrow", 9, "signer is not the bounty's worker"),
  OwnBounty: registerError("escrow", 10, "a creator cannot claim their own bounty"),
  NotAssignee: registerError("escrow", 11, "bounty is assigned to another account"),
  DeadlinePassed: registerError("escrow", 12, "bounty deadline has passed"),
  NotCancellable: registerError("escrow", 13, "bounty cannot be cancelled now"),
  NotArbiter: registerError("escrow", 14, "signer is not the escrow arbiter"),
  NotParty: registerError("escrow", 15, "signer is neither the creator nor the worker"),
  NotAgentOwner: registerError("escrow", 16, "signer does not own this agent"),
  UnknownAssignee: registerError("escrow", 17, "assignee is not a registered account"),
  InvalidAuthority: registerError("escrow", 18, "invalid authority"),
  InvalidParams: registerError("escrow", 19, "invalid params"),
  SelfTip: registerError("escrow", 20, "cannot tip yourself"),
  UnknownContent: registerError("escrow", 21, "tipped content not found"),
  NotContentAuthor: registerError("escrow", 23, "tip recipient is not an author of the content"),
  UnknownCommunity: registerError("escrow", 24, "community not found"),
  AgentNotPermitted: registerError("escrow", 22, "the agent's owner has not granted it this capability"),
} as const;
