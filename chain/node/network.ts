/**
 * The node's network side: the libp2p host with its three gossip topics (txs into the mempool,
 * proposals and votes into consensus) and the sync protocol, and the `ConsensusNetwork` the engine
 * talks to. Locally admitted txs are gossiped on; txs from peers are forwarded by gossipsub itself.
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
import { SdkErrors } from "../errors/codes.js";
import type { Mempool } from "../mempool/mempool.js";
import type { NodeMetrics } from "../metrics/metrics.js";
import { P2pHost } from "../p2p/host.js";
import type { PeerScoreOptions } from "../p2p/peer-scores.js";
import { blockSyncProtocol, type ChainTopics, chainTopics } from "../p2p/topics.js";
import type { Verdict } from "../p2p/verdict.js";
import { BlockSync } from "../sync/block-sync.js";
import type { Logger } from "../util/logger.js";

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

/**
 * Check codes that prove the bytes themselves are bad. A signature or sequence failure is not among
 * them: a tx valid where it was sent can fail here only because this node is a block behind.
 */
const INVALID_TX_CODES: ReadonlySet<number> = new Set([
  SdkErrors.TxDecode.code,
  SdkErrors.InvalidPubKey.code,
]);

export class NodeNetwork implements ConsensusNetwork {
  readonly host: P2pHost;
  private readonly topics: ChainTopics;
  private readonly sync: BlockSync;
  private readonly onAdmitted = (bytes: Uint8Array, source: "local" | "peer") => {
    // With no peer in the topic there is no one to tell (a lone validator, or all peers down:
    // the tx waits in our mempool for our own proposals); gossipsub would still hash and cache it.
    if (source === "local" && this.host.hasTopicPeers(this.topics.txs))
      void this.host.publish(this.topics.txs, bytes);
  };

  constructor(private readonly opts: NodeNetworkOptions) {
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
    this.host.subscribe(this.topics.txs, "txs", opts.maxTxBytes, (data) => this.receiveTx(data));
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
    this.opts.mempool.on("admitted", this.onAdmitted);
  }

  async stop(): Promise<void> {
    this.opts.mempool.off("admitted", this.onAdmitted);
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

  private async receiveTx(bytes: Uint8Array): Promise<Verdict> {
    const r = await this.opts.mempool.add(bytes, "peer");
    if (r.code === 0) return "accept";
    // A tx valid where it was sent can be late here (sequence, full mempool): only bad txs cost points.
    return r.codespace === "sdk" && INVALID_TX_CODES.has(r.code) ? { reject: "malformed" } : "ignore";
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
