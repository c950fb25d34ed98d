/**
 * Prometheus metrics of the node, served at /metrics on the app API. Names carry unit suffixes
 * and times are in seconds (Lodestar's policy).
 */
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from "prom-client";

export class NodeMetrics {
  readonly registry = new Registry();

  constructor() {
    // The runtime's own gauges (event-loop lag percentiles, GC pauses by kind, heap spaces, CPU,
    // open handles), as every Node service exports them: a node that is slow to vote or commit
    // under load shows here whether its event loop or its collector is the cause.
    collectDefaultMetrics({ register: this.registry });
  }

  readonly height = new Gauge({
    name: "vivim_block_height",
    help: "Height of the latest committed block",
    registers: [this.registry],
  });
  readonly blockInterval = new Histogram({
    name: "vivim_block_interval_seconds",
    help: "Time between consecutive committed blocks (block time)",
    buckets: [0.1, 0.25, 0.5, 1, 2, 5, 10, 30],
    registers: [this.registry],
  });
  readonly txs = new Counter({
    name: "vivim_txs_total",
    help: "Txs committed in blocks",
    labelNames: ["result"],
    registers: [this.registry],
  });
  readonly blockTxs = new Histogram({
    name: "vivim_block_txs",
    help: "Txs per committed block",
    buckets: [0, 1, 10, 100, 500, 1000, 2000, 5000],
    registers: [this.registry],
  });
  readonly mempoolSize = new Gauge({
    name: "vivim_mempool_txs",
    help: "Txs waiting in the mempool",
    registers: [this.registry],
  });
  readonly mempoolBytes = new Gauge({
    name: "vivim_mempool_bytes",
    help: "Bytes of txs waiting in the mempool",
    registers: [this.registry],
  });
  readonly checkTx = new Histogram({
    name: "vivim_check_tx_duration_seconds",
    help: "CheckTx time per tx, signature verification included",
    labelNames: ["result"],
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.05, 0.1, 0.5],
    registers: [this.registry],
  });
  readonly deliverBlock = new Histogram({
    name: "vivim_deliver_block_duration_seconds",
    help: "Time to execute a block's txs and compute its roots",
    buckets: [0.001, 0.005, 0.01, 0.05, 0.1, 0.25, 0.5, 1, 2],
    registers: [this.registry],
  });
  readonly commitBlock = new Histogram({
    name: "vivim_commit_block_duration_seconds",
    help: "Time to write a block and its state durably",
    buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1],
    registers: [this.registry],
  });
  readonly consensusRounds = new Counter({
    name: "vivim_consensus_rounds_total",
    help: "Consensus rounds started (more than one per height means timeouts)",
    registers: [this.registry],
  });
  readonly peers = new Gauge({
    name: "vivim_p2p_peers",
    help: "Connected permissioned peers",
    registers: [this.registry],
  });
  readonly gossipMessages = new Counter({
    name: "vivim_p2p_gossip_messages_total",
    help: "Gossip messages received, by topic kind and verdict (accept, ignore, reject)",
    labelNames: ["topic", "verdict"],
    registers: [this.registry],
  });
  readonly rejectedMessages = new Counter({
    name: "vivim_p2p_rejected_messages_total",
    help: "Peer messages rejected, by reason (invalid_signature, oversized, malformed, wrong_height, ...)",
    labelNames: ["reason"],
    registers: [this.registry],
  });
  readonly refusedConnections = new Counter({
    name: "vivim_p2p_refused_connections_total",
    help: "Connections refused by the gater (unknown node id or banned peer)",
    labelNames: ["reason"],
    registers: [this.registry],
  });
  readonly peerBans = new Counter({
    name: "vivim_p2p_peer_bans_total",
    help: "Peers disconnected and banned for misbehaving",
    registers: [this.registry],
  });
  readonly syncedBlocks = new Counter({
    name: "vivim_blocksync_blocks_total",
    help: "Blocks applied from peers by block-sync",
    registers: [this.registry],
  });
  readonly streamSessions = new Gauge({
    name: "vivim_stream_sessions",
    help: "Open /v1/stream WebSocket sessions on the app API (authenticated or not)",
    registers: [this.registry],
  });
  readonly streamEventsDelivered = new Counter({
    name: "vivim_stream_events_delivered_total",
    help: "Events sent to /v1/stream subscriptions (replayed and live)",
    registers: [this.registry],
  });
  readonly streamSlowConsumerDrops = new Counter({
    name: "vivim_stream_slow_consumer_drops_total",
    help: "/v1/stream sessions closed with SLOW_CONSUMER for holding too much unsent data",
    registers: [this.registry],
  });
}
