/**
 * The node's libp2p host: tcp + noise + yamux, gossipsub for txs, proposals and votes, and
 * request/response protocols (block-sync, consensus catch-up). Only permissioned node ids get in;
 * every inbound message is size-capped and judged by its handler, and a peer whose offences add up
 * is disconnected and banned. Messages are already signed by their authors, so gossip runs without
 * libp2p's own signatures (StrictNoSign) and with content-hash message ids.
 */
import "./polyfill.js";
import { noise } from "@chainsafe/libp2p-noise";
import { yamux } from "@chainsafe/libp2p-yamux";
import { type GossipSub, gossipsub, StrictNoSign, TopicValidatorResult } from "@libp2p/gossipsub";
import { identify } from "@libp2p/identify";
import type { Connection, Libp2p, PeerId, Stream } from "@libp2p/interface";
import { tcp } from "@libp2p/tcp";
import { multiaddr } from "@multiformats/multiaddr";
import { createLibp2p } from "libp2p";
import type { ListenAddress, PeerAddress } from "../config/config.js";
import type { NodeKey } from "../config/home.js";
import { sha256 } from "../crypto/hash.js";
import type { NodeMetrics } from "../metrics/metrics.js";
import type { Logger } from "../util/logger.js";
import { permissionedGater } from "./gater.js";
import { libp2pPrivateKey, nodeIdOfPeer } from "./identity.js";
import { type PeerScoreOptions, PeerScores } from "./peer-scores.js";
import { readToEnd, writeAndClose } from "./req-resp.js";
import type { Offence, Verdict } from "./verdict.js";

export type GossipHandler = (data: Uint8Array, fromNodeId: string) => Verdict | Promise<Verdict>;
export type RequestHandler = (request: Uint8Array, fromNodeId: string) => Promise<Uint8Array>;

export interface P2pHostOptions {
  readonly nodeKey: NodeKey;
  readonly listen: ListenAddress;
  readonly persistentPeers: readonly PeerAddress[];
  /** Node ids permitted to connect: genesis validators, persistent peers and listed full nodes. */
  readonly allowedNodeIds: ReadonlySet<string>;
  /** The largest gossip message of any topic (a proposal with a full block). */
  readonly maxMessageBytes: number;
  readonly metrics: NodeMetrics;
  readonly logger: Logger;
  readonly scores?: PeerScoreOptions;
  /** How often to redial persistent peers that are not connected. */
  readonly redialMs?: number;
}

interface Subscription {
  readonly label: string;
  readonly maxBytes: number;
  readonly handler: GossipHandler;
}

type Services = { pubsub: GossipSub; identify: unknown };

const REQUEST_DEADLINE_MS = 10_000;

function dialAddress(p: PeerAddress) {
  const proto = /^\d+\.\d+\.\d+\.\d+$/.test(p.host) ? "ip4" : p.host.includes(":") ? "ip6" : "dns4";
  return multiaddr(`/${proto}/${p.host}/tcp/${p.port}`);
}

export class P2pHost {
  private libp2p: Libp2p<Services> | undefined;
  private readonly subscriptions = new Map<string, Subscription>();
  private readonly handlers = new Map<string, { handler: RequestHandler; maxBytes: number }>();
  private readonly scores: PeerScores;
  private readonly log: Logger;
  private redialTimer: NodeJS.Timeout | undefined;
  private readonly connectListeners: Array<(nodeId: string) => void> = [];

  constructor(private readonly opts: P2pHostOptions) {
    this.scores = new PeerScores(opts.scores);
    this.log = opts.logger.child({ component: "p2p" });
  }

  /** Registers a topic before `start()`; `label` names it in metrics ("txs", "votes", ...). */
  subscribe(topic: string, label: string, maxBytes: number, handler: GossipHandler): void {
    this.subscriptions.set(topic, { label, maxBytes, handler });
  }

  /** Registers a request/response protocol before `start()`. */
  handle(protocol: string, maxRequestBytes: number, handler: RequestHandler): void {
    this.handlers.set(protocol, { handler, maxBytes: maxRequestBytes });
  }

  onPeerConnected(listener: (nodeId: string) => void): void {
    this.connectListeners.push(listener);
  }

  async start(): Promise<void> {
    const { listen, metrics } = this.opts;
    const node = await createLibp2p<Services>({
      privateKey: libp2pPrivateKey(this.opts.nodeKey),
      addresses: { listen: [`/ip4/${listen.host}/tcp/${listen.port}`] },
      transports: [tcp()],
      connectionEncrypters: [noise()],
      streamMuxers: [yamux()],
      connectionGater: permissionedGater({
        refusal: (nodeId) =>
          !this.opts.allowedNodeIds.has(nodeId)
            ? "not_permitted"
            : this.scores.isBanned(nodeId)
              ? "banned"
              : undefined,
        onRefused: (nodeId, reason) => {
          metrics.refusedConnections.inc({ reason });
          this.log.debug({ peer: nodeId, reason }, "refused peer connection");
        },
      }),
      services: {
        identify: identify(),
        pubsub: gossipsub({
          globalSignaturePolicy: StrictNoSign,
          msgIdFn: (msg) => sha256(Buffer.concat([Buffer.from(msg.topic), msg.data])),
          maxInboundDataLength: this.opts.maxMessageBytes + 64 * 1024,
          allowPublishToZeroTopicPeers: true,
          ignoreDuplicatePublishError: true,
          allowedTopics: [...this.subscriptions.keys()],
        }),
      },
    });
    this.libp2p = node;
    const pubsub = node.services.pubsub;
    for (const [topic, sub] of this.subscriptions) {
      pubsub.topicValidators.set(topic, (peer, msg) => this.validateGossip(sub, peer, msg.data));
      pubsub.subscribe(topic);
    }
    for (const [protocol, h] of this.handlers) {
      await node.handle(protocol, (stream, connection) => this.serve(stream, connection, h), {
        maxInboundStreams: 16,
      });
    }
    node.addEventListener("peer:connect", (evt) => {
      const nodeId = nodeIdOfPeer(evt.detail);
      metrics.peers.set(this.connectedNodeIds().length);
      if (!nodeId) return;
      this.log.info({ peer: nodeId }, "peer connected");
      for (const l of this.connectListeners) l(nodeId);
    });
    node.addEventListener("peer:disconnect", (evt) => {
      metrics.peers.set(this.connectedNodeIds().length);
      this.log.info({ peer: nodeIdOfPeer(evt.detail) }, "peer disconnected");
    });
    this.log.info(
      { listen: `${listen.host}:${listen.port}`, peers: this.opts.persistentPeers.length },
      "p2p started",
    );
    this.redial();
  }

  async stop(): Promise<void> {
    if (this.redialTimer) clearTimeout(this.redialTimer);
    this.redialTimer = undefined;
    const node = this.libp2p;
    this.libp2p = undefined;
    await node?.stop();
  }

  /** Node ids of the peers we hold a connection to. */
  connectedNodeIds(): string[] {
    const ids = new Set<string>();
    for (const c of this.libp2p?.getConnections() ?? []) {
      const id = nodeIdOfPeer(c.remotePeer);
      if (id) ids.add(id);
    }
    return [...ids];
  }

  /** Whether any connected peer subscribes to `topic`. */
  hasTopicPeers(topic: string): boolean {
    return (this.libp2p?.services.pubsub.getSubscribers(topic).length ?? 0) > 0;
  }

  async publish(topic: string, data: Uint8Array): Promise<void> {
    const pubsub = this.libp2p?.services.pubsub;
    if (!pubsub) return;
    try {
      await pubsub.publish(topic, data);
    } catch (err) {
      this.log.debug({ err, topic }, "gossip publish failed");
    }
  }

  /** Sends one request to a connected peer and returns its response (at most `maxResponseBytes`). */
  async request(
    nodeId: string,
    protocol: string,
    request: Uint8Array,
    maxResponseBytes: number,
    deadlineMs = REQUEST_DEADLINE_MS,
  ): Promise<Uint8Array> {
    const peer = this.peerIdOf(nodeId);
    if (!this.libp2p || !peer) throw new Error(`peer ${nodeId} is not connected`);
    const stream = await this.libp2p.dialProtocol(peer, protocol, {
      signal: AbortSignal.timeout(deadlineMs),
    });
    await writeAndClose(stream, request);
    return readToEnd(stream, maxResponseBytes, deadlineMs);
  }

  /** Charges an offence to a peer; past the threshold it is disconnected and banned. */
  penalize(nodeId: string, offence: Offence): void {
    this.opts.metrics.rejectedMessages.inc({ reason: offence });
    if (!this.scores.penalize(nodeId, offence)) return;
    this.opts.metrics.peerBans.inc();
    this.log.warn({ peer: nodeId, offence }, "banning misbehaving peer");
    const peer = this.peerIdOf(nodeId);
    if (peer) void this.libp2p?.hangUp(peer).catch(() => undefined);
  }

  private peerIdOf(nodeId: string): PeerId | undefined {
    for (const c of this.libp2p?.getConnections() ?? []) {
      if (nodeIdOfPeer(c.remotePeer) === nodeId) return c.remotePeer;
    }
    return undefined;
  }

  private async validateGossip(
    sub: Subscription,
    peer: PeerId,
    data: Uint8Array,
  ): Promise<TopicValidatorResult> {
    const nodeId = nodeIdOfPeer(peer) ?? peer.toString();
    const verdict: Verdict =
      data.length > sub.maxBytes
        ? { reject: "oversized" }
        : await Promise.resolve()
            .then(() => sub.handler(data, nodeId))
            .catch((err: unknown) => {
              this.log.error({ err, topic: sub.label }, "gossip handler failed");
              return "ignore" as const;
            });
    const label = typeof verdict === "string" ? verdict : "reject";
    this.opts.metrics.gossipMessages.inc({ topic: sub.label, verdict: label });
    if (verdict === "accept") return TopicValidatorResult.Accept;
    if (verdict === "ignore") return TopicValidatorResult.Ignore;
    // Late or early messages are normal in a live network: count them, never punish for them.
    if (verdict.reject === "wrong_height") this.opts.metrics.rejectedMessages.inc({ reason: "wrong_height" });
    else this.penalize(nodeId, verdict.reject);
    return TopicValidatorResult.Reject;
  }

  private async serve(
    stream: Stream,
    connection: Connection,
    h: { handler: RequestHandler; maxBytes: number },
  ): Promise<void> {
    const nodeId = nodeIdOfPeer(connection.remotePeer) ?? connection.remotePeer.toString();
    try {
      const request = await readToEnd(stream, h.maxBytes, REQUEST_DEADLINE_MS);
      const response = await h.handler(request, nodeId);
      await writeAndClose(stream, response);
    } catch (err) {
      this.log.debug({ err, peer: nodeId }, "request failed");
      stream.abort(err instanceof Error ? err : new Error(String(err)));
    }
  }

  /** Keeps persistent peers connected: redials the missing ones with a fixed period. */
  private redial(): void {
    const node = this.libp2p;
    if (!node) return;
    const connected = new Set(this.connectedNodeIds());
    for (const p of this.opts.persistentPeers) {
      if (connected.has(p.id) || this.scores.isBanned(p.id)) continue;
      node.dial(dialAddress(p), { signal: AbortSignal.timeout(5_000) }).then(
        (conn) => {
          const got = nodeIdOfPeer(conn.remotePeer);
          if (got !== p.id) {
            this.log.warn({ expected: p.id, got }, "persistent peer answered with another node id");
          }
        },
        (err: unknown) => this.log.debug({ err, peer: p.id }, "dial failed; will retry"),
      );
    }
    this.redialTimer = setTimeout(() => this.redial(), this.opts.redialMs ?? 2_000);
  }
}
