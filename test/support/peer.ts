/**
 * A libp2p peer driven by a test (a hostile or byzantine node): the real P2pHost with a given node
 * key, dialing the given nodes, subscribed to a chain's gossip topics so it can publish on them,
 * ignoring whatever it receives.
 */
import type { NodeKey } from "../../chain/config/home.js";
import { NodeMetrics } from "../../chain/metrics/metrics.js";
import { P2pHost } from "../../chain/p2p/host.js";
import { chainTopics } from "../../chain/p2p/topics.js";
import { silentLogger } from "../../chain/util/logger.js";

export interface PeerTarget {
  readonly id: string;
  readonly host: string;
  readonly port: number;
}

export function testPeer(chainId: string, nodeKey: NodeKey, peers: readonly PeerTarget[]): P2pHost {
  const host = new P2pHost({
    nodeKey,
    listen: { host: "127.0.0.1", port: 0 },
    persistentPeers: peers,
    allowedNodeIds: new Set(peers.map((p) => p.id)),
    maxMessageBytes: 1 << 22,
    metrics: new NodeMetrics(),
    logger: silentLogger(),
    redialMs: 200,
  });
  for (const t of Object.values(chainTopics(chainId))) host.subscribe(t, "test", 1 << 22, () => "ignore");
  return host;
}
