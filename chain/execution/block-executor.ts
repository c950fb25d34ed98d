/**
 * Executes a block's txs in order on a branch of the committed state, then the modules' end-block
 * hooks, and computes everything the header commits to: tx root, results root, event root and the
 * app hash. Pure with respect to the database: nothing is written until the block commits.
 */
import type { AbciEvent, BlockInfo, ModuleRegistry, ValidatorUpdate } from "../../contracts/types.js";
import { BlockMerkleTree } from "../block/merkle.js";
import { LeafPack, type MerkleRootWorker } from "../block/merkle-worker.js";
import { sha256 } from "../crypto/hash.js";
import { toAbciOutcome } from "../errors/codes.js";
import type { DuplicateVoteEvidence } from "../evidence/types.js";
import type { ExecutionBase } from "../state/committed.js";
import { type StateWrite, StoreOverlay } from "../state/overlay.js";
import type { TreeUpdateResult } from "../state/tree/index.js";
import type { DecodedTx } from "../tx/decode.js";
import type { TxResult } from "../types/block.js";
import { encodeEventLeaf, encodeResultLeaf, eventLeafHash, writeEventLeaf } from "../types/codec.js";
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

/** Visits a block's events in event-root order: (tx index, event index), end-block last with index -1. */
function forEachBlockEvent(
  height: bigint,
  results: readonly TxResult[],
  endBlockEvents: readonly AbciEvent[],
  visit: (height: bigint, txIndex: number, eventIndex: number, e: AbciEvent) => void,
): void {
  for (const [txIndex, r] of results.entries()) {
    for (const [i, e] of r.events.entries()) visit(height, txIndex, i, e);
  }
  for (const [i, e] of endBlockEvents.entries()) visit(height, -1, i, e);
}

/** The event-root leaves of a block (what proofs are taken over). */
export function blockEventLeaves(
  height: bigint,
  results: readonly TxResult[],
  endBlockEvents: readonly AbciEvent[],
): Uint8Array[] {
  const leaves: Uint8Array[] = [];
  forEachBlockEvent(height, results, endBlockEvents, (...at) => leaves.push(encodeEventLeaf(...at)));
  return leaves;
}

/** A block's txs and hooks run, before its roots: what both ways of finishing it start from. */
type BlockRun = Pick<
  BlockExecution,
  "height" | "txHashes" | "results" | "endBlockEvents" | "validatorUpdates" | "writes"
>;

type BlockRoots = Pick<BlockExecution, "txRoot" | "resultsRoot" | "eventRoot">;

/** Executes the block and computes its roots on this thread (tests, tools, and the fallback). */
export function executeBlock(
  env: BlockExecEnv,
  state: ExecutionBase,
  block: BlockInfo,
  txs: readonly BlockTx[],
  evidence: readonly DuplicateVoteEvidence[] = [],
): BlockExecution {
  const run = runBlock(env, state, block, txs, evidence);
  const tree = state.computeRoot(run.writes);
  return { ...run, tree, appHash: tree.root, ...rootsOf(run) };
}

/**
 * Executes the block like `executeBlock`, with its tx, results and event roots hashed on the merkle
 * worker while this thread updates the state tree. If the worker cannot answer, the roots are
 * computed here: the same roots either way.
 */
export async function executeBlockWithRootWorker(
  env: BlockExecEnv,
  state: ExecutionBase,
  block: BlockInfo,
  txs: readonly BlockTx[],
  evidence: readonly DuplicateVoteEvidence[],
  worker: MerkleRootWorker,
): Promise<BlockExecution> {
  const run = runBlock(env, state, block, txs, evidence);
  const fromWorker = worker.available
    ? worker.roots(packLeaves(run)).then(
        ([txRoot, resultsRoot, eventRoot]) => ({
          txRoot: txRoot!,
          resultsRoot: resultsRoot!,
          eventRoot: eventRoot!,
        }),
        () => undefined,
      )
    : undefined;
  const tree = state.computeRoot(run.writes);
  const roots = (await fromWorker) ?? rootsOf(run);
  return { ...run, tree, appHash: tree.root, ...roots };
}

function runBlock(
  env: BlockExecEnv,
  state: ExecutionBase,
  block: BlockInfo,
  txs: readonly BlockTx[],
  evidence: readonly DuplicateVoteEvidence[],
): BlockRun {
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
  return {
    height: block.height,
    // CheckTx already hashed every tx it decoded; only undecodable ones are hashed here.
    txHashes: txs.map((t) => ("decoded" in t ? t.decoded.hash : sha256(t.bytes))),
    results,
    endBlockEvents,
    validatorUpdates,
    writes: blockStore.bufferedWrites(),
  };
}

function rootsOf(run: BlockRun): BlockRoots {
  const eventLeafHashes: Buffer[] = [];
  forEachBlockEvent(run.height, run.results, run.endBlockEvents, (...at) =>
    eventLeafHashes.push(eventLeafHash(...at)),
  );
  return {
    txRoot: new BlockMerkleTree(run.txHashes).root,
    resultsRoot: new BlockMerkleTree(run.results.map(encodeResultLeaf)).root,
    eventRoot: BlockMerkleTree.ofLeafHashes(eventLeafHashes).root,
  };
}

/** The three trees' leaves for the worker, in `BlockRoots` order. */
function packLeaves(run: BlockRun): LeafPack {
  const pack = new LeafPack();
  pack.beginTree();
  for (const h of run.txHashes) pack.add(h);
  pack.beginTree();
  for (const r of run.results) pack.add(encodeResultLeaf(r));
  pack.beginTree();
  const slot = (size: number) => pack.write(size);
  forEachBlockEvent(run.height, run.results, run.endBlockEvents, (...at) => {
    writeEventLeaf(...at, slot).finish();
  });
  return pack;
}
