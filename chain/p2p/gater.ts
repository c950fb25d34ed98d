/**
 * The connection gater of a permissioned network: only node ids listed in genesis (validators) or in
 * the config (full nodes, persistent peers) may connect, and a banned peer stays out until its ban
 * ends. Checked once the noise handshake has proven the remote key, in both directions.
 */
import type { ConnectionGater, PeerId } from "@libp2p/interface";
import { nodeIdOfPeer } from "./identity.js";

export interface PeerPolicy {
  /** Why a node id may not connect now ("not permitted", "banned"), or undefined when it may. */
  refusal(nodeId: string): string | undefined;
  onRefused(nodeId: string | undefined, reason: string): void;
}

export function permissionedGater(policy: PeerPolicy): ConnectionGater {
  const deny = (peer: PeerId): boolean => {
    const nodeId = nodeIdOfPeer(peer);
    const reason = nodeId === undefined ? "not an ed25519 node key" : policy.refusal(nodeId);
    if (reason === undefined) return false;
    policy.onRefused(nodeId, reason);
    return true;
  };
  return {
    denyDialPeer: deny,
    denyInboundEncryptedConnection: deny,
    denyOutboundEncryptedConnection: deny,
  };
}
