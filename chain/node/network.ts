/**
 * The node's network side: the libp2p host with its three gossip topics (txs into the mempool,
 * proposals and votes into consensus) and the sync protocol, and the `ConsensusNetwork` the engine
 * talks to. Txs travel in batches (./tx-gossip.ts).
 */
import type { PeerAddress } from "../config/config.js";
import type { NodeKey } from "../config/home.js";
import type { ConsensusEngine, ConsensusNetwork } from "../consensus/engine.js";
import type { Vote } from "../consensus/messages.js";
import {
  decodeProposalMessage,
  decodeVote,
  encodeProposalMessage,
  encodeVote,
  type ProposalMessage,
  WireDecodeError,
} from "../consensus/wire.js";
import type { BlockStore } from "../db/block-store.js";
import type { Mempool } from "../mempool/mempool.js";
import type { NodeMetrics } from "../metrics/metrics.js";
import { P2pHost } from "../p2p/host.js";
import type { PeerScoreOptions } from "../p2p/peer-scores.js";
import { blockSyncProtocol, type ChainTopics, chainTopics } from "../p2p/topics.js";
import type { Verdict } from "../p2p/verdict.js";
import { BlockSync } from "../sync/block-sync.js";
import type { Logger } from "../util/logger.js";
import { TxGossip } from "./tx-gossip.js";

export interface NodeNetworkOptions {
  readonly chainId: string;
  readonly nodeKey: NodeKey;
  readonly listen: { host: string; port: number };
  readonly persistentPeers: readonly PeerAddress[];
  readonly allowedNodeIds: ReadonlySet<string>;
  readonly maxTxBytes: number;
  readonly maxBlockBytes: number;
  readonly engine: ConsensusEngine;
  readonly mempool: Mempool;
  readonly blockStore: BlockStore;
  readonly metrics: NodeMetrics;
  readonly logger: Logger;
  readonly scores?: PeerScoreOptions;
}

/** A vote is ~200 bytes on the wire; anything much larger is not a vote. */
const MAX_VOTE_BYTES = 1024;
/** Proposal fields around the block bytes. */
const PROPOSAL_OVERHEAD_BYTES = 1024;

export class NodeNetwork implements ConsensusNetwork {
  readonly host: P2pHost;
  private readonly topics: ChainTopics;
  private readonly sync: BlockSync;
  private readonly txGossip: TxGossip;

  constructor(opts: NodeNetworkOptions) {
    this.topics = chainTopics(opts.chainId);
    this.host = new P2pHost({
      nodeKey: opts.nodeKey,
      listen: opts.listen,
      persistentPeers: opts.persistentPeers,
      allowedNodeIds: opts.allowedNodeIds,
      maxMessageBytes: opts.maxBlockBytes + PROPOSAL_OVERHEAD_BYTES,
      metrics: opts.metrics,
      logger: opts.logger,
      scores: opts.scores,
    });
    const protocol = blockSyncProtocol(opts.chainId);
    this.sync = new BlockSync({
      transport: this.host,
      engine: opts.engine,
      blockStore: opts.blockStore,
      protocol,
      maxBlockBytes: opts.maxBlockBytes,
      logger: opts.logger,
    });
    this.txGossip = new TxGossip({
      host: this.host,
      topic: this.topics.txs,
      mempool: opts.mempool,
      maxTxBytes: opts.maxTxBytes,
    });
    this.host.subscribe(
      this.topics.proposals,
      "proposals",
      opts.maxBlockBytes + PROPOSAL_OVERHEAD_BYTES,
      (data) => decoded(() => opts.engine.receiveProposal(decodeProposalMessage(data))),
    );
    this.host.subscribe(this.topics.votes, "votes", MAX_VOTE_BYTES, (data) =>
      decoded(() => opts.engine.receiveVote(decodeVote(data))),
    );
    this.host.handle(protocol, 64, (request) => this.sync.serve(request));
    this.host.onPeerConnected((nodeId) => this.sync.onPeerConnected(nodeId));
  }

  async start(): Promise<void> {
    await this.host.start();
    this.txGossip.start();
  }

  async stop(): Promise<void> {
    this.txGossip.stop();
    await this.host.stop();
  }

  broadcastProposal(msg: ProposalMessage): void {
    void this.host.publish(this.topics.proposals, encodeProposalMessage(msg));
  }

  broadcastVote(vote: Vote): void {
    void this.host.publish(this.topics.votes, encodeVote(vote));
  }

  requestCatchup(height: bigint): void {
    this.sync.requestCatchup(height);
  }
}

function decoded(handle: () => Verdict): Verdict {
  try {
    return handle();
  } catch (err) {
    if (err instanceof WireDecodeError) return { reject: "malformed" };
    throw err;
  }
}
