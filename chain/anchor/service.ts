/**
 * The anchoring service: follows the node's committed blocks and, every N blocks or M minutes,
 * anchors a checkpoint of the latest one on the target chain, then records that on this chain.
 *
 * Consensus never waits for it: the commit listener only notes the newest checkpoint due (O(1))
 * and wakes an async loop; all network work happens there. One checkpoint is pending at a time:
 * a newer one replaces it, so while the target is down the service keeps only the newest and
 * retries with exponential backoff, and anchors that one once the target is back.
 */
import type { EventEmitter } from "node:events";
import { DirectSecp256k1HdWallet, type OfflineSigner } from "@cosmjs/proto-signing";
import { GasPrice } from "@cosmjs/stargate";
import type { Registry } from "prom-client";
import { restartDelayMs } from "../../workers/supervisor/backoff.js";
import { type AnchorConfig, parseGasPrices } from "../config/config.js";
import type { CommittedBlock } from "../consensus/engine.js";
import { ADDRESS_PREFIX } from "../crypto/address.js";
import type { Application } from "../execution/app.js";
import type { Keyring } from "../keys/keyring.js";
import type { Mempool } from "../mempool/mempool.js";
import type { Logger } from "../util/logger.js";
import { checkpointOf, type HeaderCheckpoint } from "./checkpoint.js";
import { asAnchorError, targetName } from "./errors.js";
import { AnchorMetrics } from "./metrics.js";
import { AnchorRecorder } from "./recorder.js";
import { AnchorSchedule } from "./schedule.js";
import { AnchorTarget } from "./target.js";

export interface AnchorServiceDeps {
  readonly config: AnchorConfig;
  readonly chainId: string;
  /** This node's `minimum_gas_prices`: the record tx pays its first coin unless anchor.record_gas_price is set. */
  readonly minimumGasPrices: string;
  readonly consensus: EventEmitter<{ committed: [CommittedBlock] }>;
  readonly app: Application;
  readonly mempool: Mempool;
  readonly keyring: Keyring;
  readonly metricsRegistry: Registry;
  readonly logger: Logger;
  /** Wall clock (ms) for every_minutes and backoff; injectable for specs. */
  readonly now?: () => number;
}

/** What the service has done since it started (tests and operators read it; metrics carry the same). */
export interface AnchorServiceStats {
  anchored: number;
  failures: number;
  /** Failures since the last success: the backoff exponent. */
  failuresInRow: number;
  lastAnchoredHeight: bigint;
  pendingHeight: bigint | undefined;
  lastError: string | undefined;
}

export class AnchorService {
  readonly stats: AnchorServiceStats = {
    anchored: 0,
    failures: 0,
    failuresInRow: 0,
    lastAnchoredHeight: 0n,
    pendingHeight: undefined,
    lastError: undefined,
  };
  private readonly metrics: AnchorMetrics;
  private readonly log: Logger;
  private readonly now: () => number;
  private schedule: AnchorSchedule | undefined;
  private target: AnchorTarget | undefined;
  private recorder: AnchorRecorder | undefined;
  private pending: HeaderCheckpoint | undefined;
  private loop: Promise<void> | undefined;
  private running = false;
  private wake: (() => void) | undefined;
  private readonly onCommitted = (c: CommittedBlock) => this.committed(c);

  constructor(private readonly deps: AnchorServiceDeps) {
    this.metrics = new AnchorMetrics(deps.metricsRegistry);
    this.log = deps.logger.child({ component: "anchor" });
    this.now = deps.now ?? Date.now;
  }

  /** Unlocks the key (a wrong passphrase or a missing key fails the node's start) and follows commits. */
  async start(): Promise<void> {
    const c = this.deps.config;
    const signer = await this.deps.keyring.signerFor(c.key);
    const [account] = await signer.getAccounts();
    if (!account) throw new Error(`key ${c.key} derived no account`);
    // The same key under the target's address prefix (a VIVIM target shares ours).
    const targetSigner: OfflineSigner =
      c.target_prefix === ADDRESS_PREFIX
        ? signer
        : await DirectSecp256k1HdWallet.fromMnemonic(await this.deps.keyring.exportMnemonic(c.key), {
            prefix: c.target_prefix,
          });
    const [targetAccount] = await targetSigner.getAccounts();
    if (!targetAccount) throw new Error(`key ${c.key} derived no account`);
    this.target = new AnchorTarget({
      rpc: c.target_rpc,
      chainId: c.target_chain_id,
      mode: c.mode,
      signer: targetSigner,
      address: targetAccount.address,
      gasLimit: c.gas_limit,
      gasPrice: c.gas_price,
      broadcastTimeoutMs: c.broadcast_timeout,
    });
    this.recorder = new AnchorRecorder({
      app: this.deps.app,
      mempool: this.deps.mempool,
      signer,
      address: account.address,
      targetChainId: c.target_chain_id,
      mode: c.mode,
      gasLimit: c.gas_limit,
      gasPrice: this.recordGasPrice(),
      logger: this.log,
      onAdmitted: () => this.metrics.records.inc(),
    });
    this.schedule = new AnchorSchedule(c.every_blocks, c.every_minutes, this.now());
    this.running = true;
    this.deps.consensus.on("committed", this.onCommitted);
    this.log.info(
      {
        target: targetName(c.target_rpc),
        targetChainId: c.target_chain_id,
        mode: c.mode,
        address: account.address,
        targetAddress: targetAccount.address,
      },
      "anchoring service started",
    );
  }

  /** Stops following commits and cuts any backoff wait; a broadcast in progress is abandoned. */
  async stop(): Promise<void> {
    if (!this.running) return;
    this.running = false;
    this.deps.consensus.off("committed", this.onCommitted);
    this.wake?.();
    this.target?.disconnect();
  }

  /** On the commit path: constant work, no I/O, never throws. */
  private committed(c: CommittedBlock): void {
    try {
      if (this.schedule?.take(c.block.header.height, this.now())) {
        this.pending = checkpointOf(this.deps.chainId, c);
        this.stats.pendingHeight = this.pending.height;
        this.loop ??= this.run().finally(() => {
          this.loop = undefined;
        });
      }
      void this.recorder?.flush();
    } catch (err) {
      this.log.error({ err: (err as Error).message }, "anchoring listener failed");
    }
  }

  private async run(): Promise<void> {
    // Off the commit path: the first network call happens after the listener returned.
    await new Promise((r) => setImmediate(r));
    while (this.running && this.pending && this.target) {
      const cp = this.pending;
      try {
        const inclusion = await this.target.submit(cp);
        if (this.pending === cp) {
          this.pending = undefined;
          this.stats.pendingHeight = undefined;
        }
        this.stats.anchored++;
        this.stats.failuresInRow = 0;
        this.stats.lastAnchoredHeight = cp.height;
        this.metrics.anchors.inc();
        this.metrics.lastHeight.set(Number(cp.height));
        this.log.info(
          {
            height: cp.height.toString(),
            targetTx: inclusion.txHash,
            targetHeight: inclusion.height.toString(),
          },
          "anchored",
        );
        if (this.running) {
          this.recorder?.enqueue(cp, inclusion);
          void this.recorder?.flush();
        }
      } catch (err) {
        const e = asAnchorError(err, targetName(this.deps.config.target_rpc));
        this.stats.failures++;
        this.stats.failuresInRow++;
        this.stats.lastError = `${e.code}: ${e.message}`;
        this.metrics.failures.inc({ code: e.code });
        const delay = restartDelayMs(this.stats.failuresInRow, {
          initialMs: this.deps.config.retry_initial,
          maxMs: this.deps.config.retry_max,
          resetAfterMs: Number.POSITIVE_INFINITY,
        });
        this.log.warn(
          { height: cp.height.toString(), code: e.code, err: e.message, retryInMs: delay },
          "anchoring failed; will retry",
        );
        // A stopped service holds no timer (a broadcast abandoned by stop() ends up here).
        if (this.running) await this.sleep(delay);
      }
    }
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      let timer: NodeJS.Timeout | undefined;
      const done = () => {
        clearTimeout(timer);
        this.wake = undefined;
        resolve();
      };
      timer = setTimeout(done, ms);
      this.wake = done;
    });
  }

  private recordGasPrice(): GasPrice {
    const configured = this.deps.config.record_gas_price;
    if (configured) return GasPrice.fromString(configured);
    const first = parseGasPrices(this.deps.minimumGasPrices)?.[0];
    return GasPrice.fromString(first ? `${first.amount}${first.denom}` : "0uvivim");
  }
}
