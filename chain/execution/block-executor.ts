/**
 * Executes a block's txs in order on a branch of the committed state, then the modules' end-block
 * hooks, and computes everything the header commits to: tx root, results root, event root and the
 * app hash. Pure with respect to the database: nothing is written until the block commits.
 */
import type { AbciEvent, BlockInfo, ModuleRegistry, ValidatorUpdate } from "../../contracts/types.js";
import { BlockMerkleTree } from "../block/merkle.js";
import { sha256 } from "../crypto/hash.js";
import { toAbciOutcome } from "../errors/codes.js";
import type { DuplicateVoteEvidence } from "../evidence/types.js";
import type { CommittedState } from "../state/committed.js";
import { type StateWrite, StoreOverlay } from "../state/overlay.js";
import type { TreeUpdateResult } from "../state/tree/index.js";
import type { DecodedTx } from "../tx/decode.js";
import type { TxResult } from "../types/block.js";
import { encodeEventLeaf, encodeResultLeaf, eventLeafHash } from "../types/codec.js";
import type { AnteOptions } from "./ante.js";
import { INFINITE_GAS, makeExecContext } from "./context.js";
import { runTx } from "./run-tx.js";

export interface BlockExecution {
  readonly height: bigint;
  readonly txHashes: readonly Uint8Array[];
  readonly results: readonly TxResult[];
  readonly endBlockEvents: readonly AbciEvent[];
  /** Validator-set changes from the end-block hooks: in next_validators_hash at H+1, in force at H+2. */
  readonly validatorUpdates: readonly ValidatorUpdate[];
  readonly writes: readonly StateWrite[];
  /** The app-hash update: its root is `appHash`, its nodes go into the block's batch. */
  readonly tree: TreeUpdateResult;
  readonly appHash: Uint8Array;
  readonly txRoot: Uint8Array;
  readonly resultsRoot: Uint8Array;
  readonly eventRoot: Uint8Array;
}

/** A tx of the block: decoded, or the coded error its bytes produced. */
export type BlockTx = { bytes: Uint8Array; decoded: DecodedTx } | { bytes: Uint8Array; error: unknown };

export interface BlockExecEnv {
  readonly modules: ModuleRegistry;
  readonly ante: AnteOptions;
}

/** `leaf` of each of a block's events in event-root order: (tx index, event index), end-block last with index -1. */
function mapBlockEvents<T>(
  height: bigint,
  results: readonly TxResult[],
  endBlockEvents: readonly AbciEvent[],
  leaf: (height: bigint, txIndex: number, eventIndex: number, e: AbciEvent) => T,
): T[] {
  const leaves: T[] = [];
  for (const [txIndex, r] of results.entries()) {
    for (const [i, e] of r.events.entries()) leaves.push(leaf(height, txIndex, i, e));
  }
  for (const [i, e] of endBlockEvents.entries()) leaves.push(leaf(height, -1, i, e));
  return leaves;
}

/** The event-root leaves of a block (what proofs are taken over). */
export function blockEventLeaves(
  height: bigint,
  results: readonly TxResult[],
  endBlockEvents: readonly AbciEvent[],
): Uint8Array[] {
  return mapBlockEvents(height, results, endBlockEvents, encodeEventLeaf);
}

export function executeBlock(
  env: BlockExecEnv,
  state: CommittedState,
  block: BlockInfo,
  txs: readonly BlockTx[],
  evidence: readonly DuplicateVoteEvidence[] = [],
): BlockExecution {
  const blockStore = new StoreOverlay(state);
  // Begin block (CometBFT's BeginBlock): the block's evidence reaches the modules before any tx.
  // Its events are the first of the block's end-block events, so the event root covers them.
  const beginBlockEvents: AbciEvent[] = [];
  for (const m of env.modules.modules) {
    m.beginBlock?.(makeExecContext(block, blockStore, INFINITE_GAS, env.modules, beginBlockEvents), {
      evidence,
    });
  }
  const results: TxResult[] = [];
  const txEnv = { block, modules: env.modules, ante: env.ante, simulateGasLimit: 0n };
  for (const tx of txs) {
    if ("error" in tx) {
      results.push({
        ...toAbciOutcome(tx.error),
        data: new Uint8Array(),
        gasWanted: 0n,
        gasUsed: 0n,
        events: [],
      });
      continue;
    }
    results.push(runTx(txEnv, blockStore, tx.decoded));
  }

  const endBlockEvents: AbciEvent[] = [...beginBlockEvents];
  const validatorUpdates: ValidatorUpdate[] = [];
  for (const m of env.modules.modules) {
    const r = m.endBlock?.(makeExecContext(block, blockStore, INFINITE_GAS, env.modules, endBlockEvents));
    if (r?.validatorUpdates) validatorUpdates.push(...r.validatorUpdates);
  }

  const writes = blockStore.sortedWrites();
  const tree = state.computeRoot(writes);
  // CheckTx already hashed every tx it decoded; only undecodable ones are hashed here.
  const txHashes = txs.map((t) => ("decoded" in t ? t.decoded.hash : sha256(t.bytes)));
  return {
    height: block.height,
    txHashes,
    results,
    endBlockEvents,
    validatorUpdates,
    writes,
    tree,
    appHash: tree.root,
    txRoot: new BlockMerkleTree(txHashes).root,
    resultsRoot: new BlockMerkleTree(results.map(encodeResultLeaf)).root,
    eventRoot: BlockMerkleTree.ofLeafHashes(
      mapBlockEvents(block.height, results, endBlockEvents, eventLeafHash),
    ).root,
  };
}
