/**
 * The application: everything between tx bytes and committed state. It checks txs for the mempool
 * (signatures verified once, on the worker pool, and remembered by tx hash), executes blocks,
 * answers queries and simulations, and hands the commit its batch.
 */

import { getAccount } from "../../contracts/auth/keeper.js";
import type { BlockInfo, ModuleRegistry, QueryContext } from "../../contracts/types.js";
import type { MerkleRootWorker } from "../block/merkle-worker.js";
import { sha256, toHexUpper } from "../crypto/hash.js";
import { verifySignature } from "../crypto/verify.js";
import type { VerifyJob } from "../crypto/verify-pool.js";
import type { BatchOp } from "../db/database.js";
import { toAbciOutcome } from "../errors/codes.js";
import type { DuplicateVoteEvidence } from "../evidence/types.js";
import type { CommittedState } from "../state/committed.js";
import { StoreOverlay } from "../state/overlay.js";
import { type DecodedSigner, type DecodedTx, decodeTx, type TxLimits } from "../tx/decode.js";
import type { MsgRegistry } from "../tx/msg-registry.js";
import { signDocBytes } from "../tx/signdoc.js";
import type { TxResult } from "../types/block.js";
import { LruCache } from "../util/lru.js";
import type { AnteOptions, TxMode } from "./ante.js";
import {
  type BlockExecEnv,
  type BlockExecution,
  type BlockTx,
  executeBlock,
  executeBlockWithRootWorker,
} from "./block-executor.js";
import { INFINITE_GAS, makeExecContext } from "./context.js";
import { type QueryResult, routeQuery } from "./query.js";
import { runTx } from "./run-tx.js";

export interface SignatureVerifier {
  verify(job: VerifyJob): Promise<boolean>;
}

export interface ApplicationOptions {
  readonly chainId: string;
  readonly modules: ModuleRegistry;
  readonly msgRegistry: MsgRegistry;
  readonly state: CommittedState;
  readonly txLimits: TxLimits;
  readonly minGasPrices: AnteOptions["minGasPrices"];
  readonly verifier: SignatureVerifier;
  /** Hashes blocks' Merkle roots off the main thread; without it they are hashed inline. */
  readonly merkleWorker?: MerkleRootWorker;
  /** Block info of the latest committed block (height 0 before the first block). */
  readonly latestBlock: BlockInfo;
}

export interface CheckTxOutcome {
  readonly code: number;
  readonly codespace: string;
  readonly log: string;
  readonly gasWanted: bigint;
  readonly gasUsed: bigint;
}

const SIMULATE_GAS_LIMIT = 100_000_000n;

export class Application {
  readonly chainId: string;
  readonly modules: ModuleRegistry;
  readonly state: CommittedState;
  private readonly opts: ApplicationOptions;
  /** Hashes of txs whose signatures verified, so no tx is verified twice (check, recheck, deliver). */
  private readonly verified = new LruCache<string, true>(100_000);
  private checkState: StoreOverlay;
  /** The latest durable block: what queries answer at. */
  private latest: BlockInfo;
  /** The latest decided block, staged or durable: what CheckTx and the next block build on. */
  private head: BlockInfo;

  constructor(opts: ApplicationOptions) {
    this.opts = opts;
    this.chainId = opts.chainId;
    this.modules = opts.modules;
    this.state = opts.state;
    this.latest = opts.latestBlock;
    this.head = opts.latestBlock;
    this.checkState = new StoreOverlay(opts.state.head);
  }

  get latestBlock(): BlockInfo {
    return this.latest;
  }

  /** Runs every module's genesis on a branch and returns its writes (committed by the caller). */
  initGenesis(appState: Record<string, unknown>, block: BlockInfo): StoreOverlay {
    for (const m of this.modules.modules) m.validateGenesis(appState[m.name]);
    const store = new StoreOverlay(this.state);
    for (const m of this.modules.modules) {
      m.initGenesis(makeExecContext(block, store, INFINITE_GAS, this.modules, []), appState[m.name]);
    }
    return store;
  }

  decode(bytes: Uint8Array, simulate = false): DecodedTx {
    return decodeTx(bytes, this.opts.msgRegistry, this.opts.txLimits, { simulate });
  }

  private anteOptions(mode: TxMode, verify: AnteOptions["verifySignature"]): AnteOptions {
    return { mode, chainId: this.chainId, minGasPrices: this.opts.minGasPrices, verifySignature: verify };
  }

  /** Verifies every signature of `tx` on the pool, using account numbers from `store`. */
  private async verifyOnPool(
    tx: DecodedTx,
    store: { get(k: Uint8Array): Uint8Array | undefined },
  ): Promise<boolean> {
    if (this.verified.has(tx.hashHex)) return true;
    const jobs: Promise<boolean>[] = [];
    for (const signer of tx.signers) {
      const account = getAccount(store, signer.address);
      if (!account) return false;
      jobs.push(
        this.opts.verifier.verify({
          type: signer.pubkeyType,
          pubkey: signer.pubkey,
          message: signDocBytes(tx.bodyBytes, tx.authInfoBytes, this.chainId, account.accountNumber),
          signature: signer.signature,
        }),
      );
    }
    const ok = (await Promise.all(jobs)).every(Boolean);
    if (ok) this.verified.set(tx.hashHex, true);
    return ok;
  }

  /**
   * First half of CheckTx, cheap and synchronous: decode, and say how to verify the signatures on
   * the worker pool (the mempool starts that only for txs it would admit). The mempool calls
   * `applyCheck` with the outcome in arrival order, so txs of one account keep their sequence
   * order even when the pool finishes them out of order.
   */
  beginCheck(
    bytes: Uint8Array,
  ): { outcome: CheckTxOutcome } | { tx: DecodedTx; verify: () => Promise<boolean> | undefined } {
    let tx: DecodedTx;
    try {
      tx = this.decode(bytes);
    } catch (err) {
      return { outcome: { ...toAbciOutcome(err), gasWanted: 0n, gasUsed: 0n } };
    }
    // A signer whose account an earlier pending tx is about to create cannot be verified yet:
    // `applyCheck` verifies it on the main thread once the account exists in the check state.
    const known = tx.signers.every((s) => getAccount(this.checkState, s.address) !== undefined);
    return { tx, verify: () => (known ? this.verifyOnPool(tx, this.checkState) : undefined) };
  }

  /** Second half of CheckTx: run the tx against the check state (signatures already settled). */
  applyCheck(tx: DecodedTx, signaturesOk: boolean | undefined): CheckTxOutcome {
    const verify: AnteOptions["verifySignature"] =
      signaturesOk === undefined ? (t, signer, n) => this.verifyOne(t, signer, n) : () => signaturesOk;
    return this.runCheck(tx, verify);
  }

  /** Re-runs a mempool tx against the fresh check state after a commit (signatures already known). */
  recheckTx(tx: DecodedTx): CheckTxOutcome {
    return this.runCheck(tx, (t, signer, n) => this.verifyOne(t, signer, n));
  }

  private runCheck(tx: DecodedTx, verify: AnteOptions["verifySignature"]): CheckTxOutcome {
    const env = {
      block: this.nextBlockInfo(),
      modules: this.modules,
      ante: this.anteOptions("check", verify),
      simulateGasLimit: SIMULATE_GAS_LIMIT,
    };
    const r = runTx(env, this.checkState, tx);
    return { code: r.code, codespace: r.codespace, log: r.log, gasWanted: r.gasWanted, gasUsed: r.gasUsed };
  }

  /** Main-thread verification, skipped for txs whose signatures already verified. */
  private verifyOne(tx: DecodedTx, signer: DecodedSigner, accountNumber: bigint): boolean {
    if (this.verified.has(tx.hashHex)) return true;
    const ok = verifySignature(
      signer.pubkeyType,
      signer.pubkey,
      signDocBytes(tx.bodyBytes, tx.authInfoBytes, this.chainId, accountNumber),
      signer.signature,
    );
    // Only single-signer txs can be marked: a multi-signer tx is verified once per signer.
    if (ok && tx.signers.length === 1) this.verified.set(tx.hashHex, true);
    return ok;
  }

  /** Simulate (cosmjs fee "auto"): runs the tx on a throwaway branch, signatures not checked. */
  simulate(bytes: Uint8Array): TxResult {
    const tx = this.decode(bytes, true);
    const env = {
      block: this.nextBlockInfo(),
      modules: this.modules,
      ante: this.anteOptions("simulate", () => true),
      simulateGasLimit: SIMULATE_GAS_LIMIT,
    };
    return runTx(env, this.checkState.branch(), tx);
  }

  /**
   * A peer's block: each tx is taken decoded from `known` (our mempool) or decoded here, a tx that
   * does not decode becomes its error result, and signatures are pre-verified on the pool.
   */
  async prepareBlockTxs(
    txs: readonly Uint8Array[],
    known: (hashHex: string) => DecodedTx | undefined,
  ): Promise<BlockTx[]> {
    const prepared: BlockTx[] = txs.map((bytes) => {
      const cached = known(toHexUpper(sha256(bytes)));
      if (cached) return { bytes, decoded: cached };
      try {
        return { bytes, decoded: this.decode(bytes) };
      } catch (error) {
        return { bytes, error };
      }
    });
    await Promise.all(
      prepared.map((t) => ("decoded" in t ? this.verifyOnPool(t.decoded, this.state.head) : true)),
    );
    return prepared;
  }

  /** Our own proposal's txs come from the mempool already decoded and (almost always) verified. */
  async prepareDecodedTxs(txs: readonly DecodedTx[]): Promise<BlockTx[]> {
    await Promise.all(txs.map((tx) => this.verifyOnPool(tx, this.state.head)));
    return txs.map((decoded) => ({ bytes: decoded.bytes, decoded }));
  }

  executeBlock(
    block: BlockInfo,
    txs: readonly BlockTx[],
    evidence: readonly DuplicateVoteEvidence[] = [],
  ): BlockExecution {
    return executeBlock(this.blockEnv(), this.state.head, block, txs, evidence);
  }

  /** `executeBlock` with the block's Merkle roots hashed on the merkle worker, when there is one. */
  executeBlockAsync(
    block: BlockInfo,
    txs: readonly BlockTx[],
    evidence: readonly DuplicateVoteEvidence[] = [],
  ): Promise<BlockExecution> {
    const worker = this.opts.merkleWorker;
    if (!worker) return Promise.resolve(this.executeBlock(block, txs, evidence));
    return executeBlockWithRootWorker(this.blockEnv(), this.state.head, block, txs, evidence, worker);
  }

  private blockEnv(): BlockExecEnv {
    // Verified-hash cache first; the main-thread path only runs for txs the pool could not
    // pre-verify (e.g. a signer whose account was created earlier in the same block).
    const verify: AnteOptions["verifySignature"] = (tx, signer, n) => this.verifyOne(tx, signer, n);
    return { modules: this.modules, ante: this.anteOptions("deliver", verify) };
  }

  commitOps(exec: BlockExecution): BatchOp[] {
    return this.state.commitOps(exec.writes, exec.tree.nodes);
  }

  /**
   * A decided block whose batch is being written: the next block and CheckTx (on a fresh check
   * state) build on it at once; queries wait for `commitStaged`.
   */
  stage(exec: BlockExecution, block: BlockInfo): void {
    this.state.stage(exec.writes, exec.tree);
    this.head = block;
    this.checkState = new StoreOverlay(this.state.head);
  }

  /** The staged block's batch is durable: queries answer at it from now on. */
  commitStaged(): void {
    this.state.commitStaged();
    this.latest = this.head;
  }

  /** Stages and commits at once, for a block whose batch is already durable. */
  markCommitted(exec: BlockExecution, block: BlockInfo): void {
    this.stage(exec, block);
    this.commitStaged();
  }

  async query(req: { path: string; data: Uint8Array; prove: boolean }): Promise<QueryResult> {
    const ctx: QueryContext = {
      block: this.latest,
      get: (k) => this.state.get(k),
      range: (prefix, opts) => this.state.range(prefix, opts),
    };
    return routeQuery(this.modules, this.state, ctx, req);
  }

  private nextBlockInfo(): BlockInfo {
    return { chainId: this.chainId, height: this.head.height + 1n, time: this.head.time };
  }
}
