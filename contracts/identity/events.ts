/**
 * Events of the identity module. Attributes are addresses, handles and names (identifiers people
 * search by), never profile text; all are indexed (`tx_search "vivim.identity.v1.EventAgentRegistered.owner='vivim1...'"`).
 */
import { indexedEvent } from "../lib/events.js";
import type { AbciEvent } from "../types.js";
import { VERIFICATION_STATUS_NAMES } from "./records.js";

const PKG = "vivim.identity.v1";

export const IdentityEventTypes = {
  ProfileRegistered: `${PKG}.EventProfileRegistered`,
  ProfileUpdated: `${PKG}.EventProfileUpdated`,
  AgentRegistered: `${PKG}.EventAgentRegistered`,
  AgentUpdated: `${PKG}.EventAgentUpdated`,
  AgentTransferred: `${PKG}.EventAgentTransferred`,
  AgentRetired: `${PKG}.EventAgentRetired`,
  VerificationSet: `${PKG}.EventVerificationSet`,
  ParamsUpdated: `${PKG}.EventParamsUpdated`,
} as const;

export const profileRegistered = (address: string, handle: string): AbciEvent =>
  indexedEvent(IdentityEventTypes.ProfileRegistered, { address, handle });

export const profileUpdated = (address: string, handle: string): AbciEvent =>
  indexedEvent(IdentityEventTypes.ProfileUpdated, { address, handle });

export const agentRegistered = (
  address: string,
  owner: string,
  ownerHandle: string,
  name: string,
  pubKeyType: string,
): AbciEvent =>
  indexedEvent(
    IdentityEventTypes.AgentRegistered,
    { address, owner, handle: `${ownerHandle}/${name}`, pub_key_type: pubKeyType },
    ["pub_key_type"],
  );

export const agentUpdated = (address: string, owner: string): AbciEvent =>
  indexedEvent(IdentityEventTypes.AgentUpdated, { address, owner });

export const agentTransferred = (
  address: string,
  previousOwner: string,
  owner: string,
  ownerHandle: string,
  name: string,
): AbciEvent =>
  indexedEvent(IdentityEventTypes.AgentTransferred, {
    address,
    previous_owner: previousOwner,
    owner,
    handle: `${ownerHandle}/${name}`,
  });

export const agentRetired = (address: string, owner: string): AbciEvent =>
  indexedEvent(IdentityEventTypes.AgentRetired, { address, owner });

export const verificationSet = (subject: string, kind: "human" | "agent", status: number): AbciEvent =>
  indexedEvent(IdentityEventTypes.VerificationSet, {
    address: subject,
    kind,
    status: VERIFICATION_STATUS_NAMES[status] ?? String(status),
  });

export const paramsUpdated = (authority: string): AbciEvent =>
  indexedEvent(IdentityEventTypes.ParamsUpdated, { authority });
