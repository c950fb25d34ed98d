/**
 * Block-sync and consensus catch-up over one request/response protocol. A node that connects to a
 * peer further ahead downloads the missing committed blocks (each checked against its commit and
 * re-executed by the engine) until it reaches the peer's height, then joins consensus. A node stuck
 * inside a height asks its peers for that height: it gets the committed block if they are past it,
 * or their proposals and votes of it if they are still deciding.
 */
import { InvalidBlockError } from "../consensus/block-checks.js";
import type { ConsensusEngine } from "../consensus/engine.js";
import {
  decodeProposalMessage,
  decodeVote,
  encodeProposalMessage,
  encodeVote,
  WireDecodeError,
} from "../consensus/wire.js";
import type { BlockStore } from "../db/block-store.js";
import type { Offence, Verdict } from "../p2p/verdict.js";
import type { Block, Commit } from "../types/block.js";
import { decodeBlock, decodeCommit, encodeCommit } from "../types/codec.js";
import type { Logger } from "../util/logger.js";
import {
  decodeSyncRequest,
  decodeSyncResponse,
  encodeSyncRequest,
  encodeSyncResponse,
  MAX_SYNC_BLOCKS_PER_REQUEST,
  type SyncedBlock,
  SyncMessageError,
  type SyncResponse,
} from "./messages.js";

/** What block-sync needs of the p2p host. */
export interface SyncTransport {
  connectedNodeIds(): string[];
  request(
    nodeId: string,
    protocol: string,
    request: Uint8Array,
    maxResponseBytes: number,
  ): Promise<Uint8Array>;
  penalize(nodeId: string, offence: Offence): void;
}

export interface BlockSyncComponents {
  readonly transport: SyncTransport;
  readonly engine: ConsensusEngine;
  readonly blockStore: BlockStore;
  readonly protocol: string;
  readonly maxBlockBytes: number;
  readonly logger: Logger;
}

/** A response stops adding blocks past this size (it always carries at least one). */
const RESPONSE_SOFT_LIMIT_BYTES = 16 * 1024 * 1024;
/** Peers asked at once when we are stuck in a height. */
const CATCHUP_FANOUT = 3;

export class BlockSync {
  private readonly log: Logger;
  private syncing: Promise<void> | undefined;

  constructor(private readonly c: BlockSyncComponents) {
    this.log = c.logger.child({ component: "blocksync" });
  }

  get maxResponseBytes(): number {
    return RESPONSE_SOFT_LIMIT_BYTES + 2 * this.c.maxBlockBytes;
  }

  /** Answers a peer's request from our block store and the engine's height in progress. */
  async serve(requestBytes: Uint8Array): Promise<Uint8Array> {
    const req = decodeSyncRequest(requestBytes);
    const latestHeight = this.c.blockStore.latestHeight;
    const blocks: SyncedBlock[] = [];
    let bytes = 0;
    for (let h = req.fromHeight; h < req.fromHeight + BigInt(req.count) && h <= latestHeight; h++) {
      const [block, commit] = await Promise.all([
        this.c.blockStore.getBlockBytes(h),
        this.c.blockStore.getSeenCommit(h),
      ]);
      if (!block || !commit) break;
      blocks.push({ block, commit: encodeCommit(commit) });
      bytes += block.length;
      if (bytes > RESPONSE_SOFT_LIMIT_BYTES) break;
    }
    const inProgress =
      req.wantMessages && blocks.length === 0 ? this.c.engine.messagesFor(req.fromHeight) : undefined;
    return encodeSyncResponse({
      latestHeight,
      blocks,
      proposals: inProgress?.proposals.map(encodeProposalMessage) ?? [],
      votes: inProgress?.votes.map(encodeVote) ?? [],
    });
  }

  /** A new peer: if it is ahead of us, download what we miss from it. */
  onPeerConnected(nodeId: string): void {
    void this.syncFrom(nodeId);
  }

  /** We are stuck at `height`: ask a few peers for its block or its messages. */
  requestCatchup(height: bigint): void {
    const peers = this.c.transport.connectedNodeIds().slice(0, CATCHUP_FANOUT);
    for (const nodeId of peers) {
      void this.ask(nodeId, { fromHeight: height, count: 1, wantMessages: true }).then(async (resp) => {
        if (!resp) return;
        if (resp.blocks.length > 0 || resp.latestHeight > height) await this.syncFrom(nodeId);
        else this.deliverMessages(nodeId, resp);
      });
    }
  }

  /** Downloads blocks from one peer until we reach its height; one download at a time. */
  syncFrom(nodeId: string): Promise<void> {
    if (this.syncing) return this.syncing;
    this.syncing = this.download(nodeId).finally(() => {
      this.syncing = undefined;
    });
    return this.syncing;
  }

  private async download(nodeId: string): Promise<void> {
    const count = Math.max(
      1,
      Math.min(MAX_SYNC_BLOCKS_PER_REQUEST, Math.floor(RESPONSE_SOFT_LIMIT_BYTES / this.c.maxBlockBytes)),
    );
    for (;;) {
      const from = this.c.engine.height + 1n;
      const resp = await this.ask(nodeId, { fromHeight: from, count, wantMessages: false });
      if (!resp || resp.blocks.length === 0) return;
      this.log.info(
        {
          peer: nodeId,
          from: from.toString(),
          blocks: resp.blocks.length,
          peerHeight: resp.latestHeight.toString(),
        },
        "syncing blocks from peer",
      );
      for (const b of resp.blocks) {
        if (!(await this.apply(nodeId, b))) return;
      }
      if (this.c.engine.height >= resp.latestHeight) return;
    }
  }

  private async apply(nodeId: string, b: SyncedBlock): Promise<boolean> {
    let decoded: { block: Block; commit: Commit };
    try {
      decoded = { block: decodeBlock(b.block), commit: decodeCommit(b.commit) };
    } catch (err) {
      // Peer bytes: whatever the decoders throw on them is the peer's fault, never ours.
      return this.refuse(nodeId, err);
    }
    try {
      return await this.c.engine.applyCommittedBlock(decoded.block, b.block.length, decoded.commit);
    } catch (err) {
      if (err instanceof InvalidBlockError) return this.refuse(nodeId, err);
      throw err;
    }
  }

  private refuse(nodeId: string, err: unknown): false {
    this.log.warn({ err, peer: nodeId }, "peer served an invalid block");
    this.c.transport.penalize(nodeId, "bad_sync_response");
    return false;
  }

  private deliverMessages(nodeId: string, resp: SyncResponse): void {
    const judge = (verdict: Verdict) => {
      if (typeof verdict === "object" && verdict.reject !== "wrong_height")
        this.c.transport.penalize(nodeId, verdict.reject);
    };
    try {
      for (const p of resp.proposals) judge(this.c.engine.receiveProposal(decodeProposalMessage(p)));
      for (const v of resp.votes) judge(this.c.engine.receiveVote(decodeVote(v)));
    } catch (err) {
      if (!(err instanceof WireDecodeError)) throw err;
      this.c.transport.penalize(nodeId, "malformed");
    }
  }

  private async ask(
    nodeId: string,
    req: { fromHeight: bigint; count: number; wantMessages: boolean },
  ): Promise<SyncResponse | undefined> {
    try {
      const bytes = await this.c.transport.request(
        nodeId,
        this.c.protocol,
        encodeSyncRequest(req),
        this.maxResponseBytes,
      );
      return decodeSyncResponse(bytes);
    } catch (err) {
      if (err instanceof SyncMessageError) this.c.transport.penalize(nodeId, "malformed");
      this.log.debug({ err, peer: nodeId }, "sync request failed");
      return undefined;
    }
  }
}
