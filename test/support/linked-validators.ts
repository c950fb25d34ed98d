/**
 * Validators as real in-process nodes (VivimNode: LevelDB, application, signer, WAL, consensus
 * engine) whose consensus traffic runs over an in-process wire the test controls, so a lost
 * message is a decision of the test and not a race: each proposal and vote is encoded and decoded
 * as on libp2p and handed to the peer's engine, unless the test's filter drops or holds it. Catch-up
 * requests go through each node's real BlockSync, served by the peers' real BlockSync. Their libp2p
 * hosts run with no peers, so nothing reaches an engine around the wire.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { ConsensusNetwork } from "../../chain/consensus/engine.js";
import type { Vote } from "../../chain/consensus/messages.js";
import {
  decodeProposalMessage,
  decodeVote,
  encodeProposalMessage,
  encodeVote,
  type ProposalMessage,
} from "../../chain/consensus/wire.js";
import { createDevnet } from "../../chain/node/devnet.js";
import { VivimNode } from "../../chain/node/node.js";
import type { Offence } from "../../chain/p2p/verdict.js";
import { BlockSync } from "../../chain/sync/block-sync.js";
import { capturingLogger } from "./log-capture.js";
import { networkTestConfig } from "./network.js";

export type WireMessage = { kind: "proposal"; msg: ProposalMessage } | { kind: "vote"; vote: Vote };

/** What the wire does with one message from `from` to `to`. */
export type Delivery = "deliver" | "drop" | "hold";

export interface LinkedValidators {
  readonly nodes: readonly VivimNode[];
  /** Decides each message's fate; every message is delivered until a test sets it. */
  route: (from: number, to: number, m: WireMessage) => Delivery;
  /** Messages the route held, per receiving node, in arrival order. */
  readonly held: Map<number, WireMessage[]>;
  /** The node that proposed round 0 of a height (the first proposal the wire saw for it). */
  readonly proposers: Map<bigint, number>;
  /** Peers penalized by a node's block-sync: a correct peer never is. */
  readonly penalties: Array<{ node: number; peer: string; offence: Offence }>;
  /** Error-level log lines of all nodes, each naming its node (e.g. "halting consensus"). */
  readonly errors: string[];
  /** Stops node `i` (engine, WAL, database) ahead of the others; stop() then skips it. */
  stopNode(i: number): Promise<void>;
  stop(): Promise<void>;
}

export async function startLinkedValidators(opts: {
  count: number;
  /** The engines' stall time before they ask peers for an open height (default: the engine's). */
  stallCatchupMs?: number;
}): Promise<LinkedValidators> {
  const dir = mkdtempSync(path.join(tmpdir(), "vivim-linked-"));
  const base = networkTestConfig();
  // Long enough that no validator prevotes nil because a proposal was slow to execute on a busy
  // machine: the heights under test decide in round 0, as the scenarios assume.
  const config = {
    ...base,
    consensus: { ...base.consensus, timeout_propose: 4000, timeout_prevote: 1000, timeout_precommit: 1000 },
  };
  const devnet = await createDevnet(dir, {
    validators: opts.count,
    ports: () => ({ rpc: 0, p2p: 0, api: 0 }),
    config,
  });
  const { logger, lines: errors } = capturingLogger("error");
  const nodes: VivimNode[] = [];
  const stopped = new Set<number>();
  for (const [i, n] of devnet.nodes.entries()) {
    nodes.push(
      await VivimNode.open({
        home: n.home,
        config: { ...config, p2p: { ...config.p2p, laddr: "tcp://127.0.0.1:0", persistent_peers: "" } },
        logger: logger.child({ node: i }),
        ...(opts.stallCatchupMs !== undefined ? { consensus: { stallCatchupMs: opts.stallCatchupMs } } : {}),
      }),
    );
  }

  const linked: LinkedValidators = {
    nodes,
    route: () => "deliver",
    held: new Map(),
    proposers: new Map(),
    penalties: [],
    errors,
    async stopNode(i) {
      if (stopped.has(i)) return;
      stopped.add(i);
      await nodes[i]!.stop();
    },
    async stop() {
      for (let i = 0; i < nodes.length; i++) await linked.stopNode(i);
      rmSync(dir, { recursive: true, force: true });
    },
  };

  const syncs: BlockSync[] = nodes.map(
    (node, i) =>
      new BlockSync({
        transport: {
          connectedNodeIds: () => nodes.flatMap((_, j) => (j === i ? [] : [String(j)])),
          request: (nodeId, _protocol, request): Promise<Uint8Array> =>
            syncs[Number(nodeId)]!.serve(request.slice()),
          penalize: (peer, offence) => linked.penalties.push({ node: i, peer, offence }),
        },
        engine: node.consensus,
        blockStore: node.blockStore,
        protocol: "in-process",
        maxBlockBytes: Number(node.genesis.consensus_params.block.max_bytes),
        logger,
      }),
  );

  /** Like gossip: later (never inside the sender's step), and as bytes decoded by the receiver. */
  const send = (from: number, m: WireMessage) => {
    for (let to = 0; to < nodes.length; to++) {
      if (to === from) continue;
      const fate = linked.route(from, to, m);
      if (fate === "drop") continue;
      const copy: WireMessage =
        m.kind === "vote"
          ? { kind: "vote", vote: decodeVote(encodeVote(m.vote)) }
          : { kind: "proposal", msg: decodeProposalMessage(encodeProposalMessage(m.msg)) };
      if (fate === "hold") {
        linked.held.set(to, [...(linked.held.get(to) ?? []), copy]);
        continue;
      }
      setImmediate(() => handTo(nodes[to]!, copy));
    }
  };

  nodes.forEach((node, i) => {
    const network: ConsensusNetwork = {
      broadcastProposal(msg) {
        const { height } = msg.proposal;
        if (msg.proposal.round === 0 && !linked.proposers.has(height)) linked.proposers.set(height, i);
        send(i, { kind: "proposal", msg });
      },
      broadcastVote(vote) {
        send(i, { kind: "vote", vote });
      },
      requestCatchup(height) {
        syncs[i]!.requestCatchup(height);
      },
    };
    node.consensus.attachNetwork(network);
  });
  for (const node of nodes) await node.start();
  return linked;
}

/** Delivers the messages held for node `to` now, in the order they were held. */
export function releaseHeld(linked: LinkedValidators, to: number): void {
  for (const m of linked.held.get(to) ?? []) handTo(linked.nodes[to]!, m);
  linked.held.delete(to);
}

/** What a node's gossip handlers do with a decoded message (their verdicts only score peers). */
function handTo(node: VivimNode, m: WireMessage): void {
  if (m.kind === "vote") node.consensus.receiveVote(m.vote);
  else node.consensus.receiveProposal(m.msg);
}
