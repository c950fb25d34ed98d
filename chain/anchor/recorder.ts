/**
 * Records each anchor on this chain: a `MsgRecordAnchor` signed with the anchoring key and handed
 * to the node's own mempool (CheckTx, gossip and a block, like any client's tx). At most one such
 * tx is in flight; the chain's state decides what is done (a record stored for the height), so a
 * tx that was evicted is simply sent again, and queued records wait for the next commit. The queue
 * keeps the newest records only: an old one may be dropped, the target still holds its anchor.
 */
import type { OfflineSigner } from "@cosmjs/proto-signing";
import { calculateFee, type GasPrice, SigningStargateClient } from "@cosmjs/stargate";
import { TxRaw } from "cosmjs-types/cosmos/tx/v1beta1/tx";
import { vivimMsg } from "../../client/connect.js";
import { vivimRegistry } from "../../client/registry.js";
import { getAnchorRecord } from "../../contracts/anchor/keeper.js";
import { MsgRecordAnchor } from "../../contracts/anchor/tx.js";
import type { AnchorMode } from "../../contracts/anchor/validate.js";
import { getAccount } from "../../contracts/auth/keeper.js";
import type { Application } from "../execution/app.js";
import type { Mempool } from "../mempool/mempool.js";
import type { Logger } from "../util/logger.js";
import type { HeaderCheckpoint } from "./checkpoint.js";
import type { TargetInclusion } from "./target.js";

export interface AnchorRecorderDeps {
  readonly app: Application;
  readonly mempool: Mempool;
  readonly signer: OfflineSigner;
  /** The anchoring account on this chain. */
  readonly address: string;
  readonly targetChainId: string;
  readonly mode: AnchorMode;
  readonly gasLimit: number;
  readonly gasPrice: GasPrice;
  readonly logger: Logger;
  /** Called for each record tx the mempool admitted. */
  readonly onAdmitted?: () => void;
}

interface QueuedRecord {
  readonly checkpoint: HeaderCheckpoint;
  readonly inclusion: TargetInclusion;
}

/** Enough for every anchor of a long outage of this chain's own block production. */
export const MAX_QUEUED_RECORDS = 32;

export class AnchorRecorder {
  private readonly queue: QueuedRecord[] = [];
  private inFlight: string | undefined;
  private flushing: Promise<void> | undefined;
  private offline: Promise<SigningStargateClient> | undefined;
  /** The last problem logged: the same one again, every block, is not repeated at warn level. */
  private lastProblem: string | undefined;

  constructor(private readonly deps: AnchorRecorderDeps) {}

  get queued(): number {
    return this.queue.length;
  }

  enqueue(checkpoint: HeaderCheckpoint, inclusion: TargetInclusion): void {
    this.queue.push({ checkpoint, inclusion });
    if (this.queue.length > MAX_QUEUED_RECORDS) {
      const dropped = this.queue.shift();
      this.deps.logger.warn(
        { height: dropped?.checkpoint.height.toString() },
        "anchor record queue full; dropped the oldest",
      );
    }
  }

  /** Sends the oldest queued record unless one is still in the mempool; never throws. */
  flush(): Promise<void> {
    this.flushing ??= this.flushOnce()
      .catch((err: unknown) =>
        this.problem("recording an anchor on this chain failed; will retry", {
          err: (err as Error).message,
        }),
      )
      .finally(() => {
        this.flushing = undefined;
      });
    return this.flushing;
  }

  private async flushOnce(): Promise<void> {
    // Called from the commit listener: state reads and signing happen after the commit path returned.
    await new Promise((r) => setImmediate(r));
    if (this.inFlight && this.deps.mempool.has(this.inFlight)) return;
    this.inFlight = undefined;
    // Drop what the chain already holds (the tx in flight, or one sent before a restart). Read at
    // the head, as CheckTx does: a decided block still being written may hold our last record.
    const head = this.deps.app.state.head;
    while (this.queue[0] && getAnchorRecord(head, this.queue[0].checkpoint.height, this.deps.address))
      this.queue.shift();
    const next = this.queue[0];
    if (!next) return;
    const account = getAccount(head, this.deps.address);
    if (!account) {
      this.problem("the anchoring account does not exist on this chain; fund it", {
        address: this.deps.address,
      });
      return;
    }
    const bytes = await this.sign(next, account.accountNumber, account.sequence);
    const result = await this.deps.mempool.add(bytes);
    if (result.code === 0) {
      this.inFlight = result.hash;
      this.lastProblem = undefined;
      this.deps.onAdmitted?.();
      return;
    }
    // A record the chain refuses for good (e.g. another claim for the height) is not sent again.
    if (result.codespace === "anchor") this.queue.shift();
    this.problem("this chain refused the anchor record", {
      height: next.checkpoint.height.toString(),
      codespace: result.codespace,
      code: result.code,
      log: result.log,
    });
  }

  /** Logs a problem at warn level, but the same one again (every block while it lasts) at debug. */
  private problem(message: string, fields: Record<string, unknown>): void {
    const level = message === this.lastProblem ? "debug" : "warn";
    this.lastProblem = message;
    this.deps.logger[level](fields, message);
  }

  private async sign(r: QueuedRecord, accountNumber: bigint, sequence: bigint): Promise<Uint8Array> {
    this.offline ??= SigningStargateClient.offline(this.deps.signer, { registry: vivimRegistry() });
    const client = await this.offline;
    const msg = vivimMsg(MsgRecordAnchor, {
      signer: this.deps.address,
      height: r.checkpoint.height,
      headerHash: r.checkpoint.headerHash,
      appHash: r.checkpoint.appHash,
      targetChainId: this.deps.targetChainId,
      targetTxHash: r.inclusion.txHash,
      targetHeight: r.inclusion.height,
      mode: this.deps.mode,
    });
    const tx = await client.sign(
      this.deps.address,
      [msg],
      calculateFee(this.deps.gasLimit, this.deps.gasPrice),
      "",
      { accountNumber, sequence: Number(sequence), chainId: this.deps.app.chainId },
    );
    return TxRaw.encode(tx).finish();
  }
}
