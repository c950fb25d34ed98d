/**
 * The mempool: txs that passed CheckTx, in arrival order, bounded in count and bytes, with a
 * per-account cap so one sender cannot crowd everyone out. Signature verification runs on the
 * worker pool in parallel, but txs are applied to the check state strictly in arrival order.
 */
import { EventEmitter } from "node:events";
import { CodedError, SdkErrors, toAbciOutcome } from "../errors/codes.js";
import type { Application, CheckTxOutcome } from "../execution/app.js";
import type { DecodedTx } from "../tx/decode.js";

export interface MempoolConfig {
  readonly size: number;
  readonly maxTxsBytes: number;
  readonly maxTxBytes: number;
  readonly maxTxsPerAccount: number;
}

export interface MempoolEntry {
  readonly tx: DecodedTx;
  readonly gasWanted: bigint;
}

export interface AddTxResult extends CheckTxOutcome {
  readonly hash: string;
}

/** Where a tx came from: a client of this node (gossiped on) or a peer (gossip forwards it itself). */
export type TxSource = "local" | "peer";

export class Mempool extends EventEmitter<{ txAvailable: []; admitted: [Uint8Array, TxSource] }> {
  private readonly entries = new Map<string, MempoolEntry>();
  private readonly inFlight = new Set<string>();
  private readonly perAccount = new Map<string, number>();
  private bytes = 0;
  /** Serialises the second half of CheckTx so the check state sees txs in arrival order. */
  private applyChain: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly app: Application,
    private readonly config: MempoolConfig,
  ) {
    super();
  }

  get size(): number {
    return this.entries.size;
  }

  get sizeBytes(): number {
    return this.bytes;
  }

  has(hashHex: string): boolean {
    return this.entries.has(hashHex);
  }

  /** The decoded tx by uppercase hex hash, when it is waiting here. */
  get(hashHex: string): DecodedTx | undefined {
    return this.entries.get(hashHex)?.tx;
  }

  /** Resolves once every CheckTx begun so far has finished, admitted or refused; never rejects. */
  checksSettled(): Promise<void> {
    return this.applyChain.then(() => undefined);
  }

  /** CheckTx and admission. Resolves with the outcome; never rejects. */
  add(bytes: Uint8Array, source: TxSource = "local"): Promise<AddTxResult> {
    if (bytes.length > this.config.maxTxBytes) {
      const err = new CodedError(
        SdkErrors.TxTooLarge,
        `tx is ${bytes.length} bytes, max ${this.config.maxTxBytes}`,
      );
      return Promise.resolve({ ...toAbciOutcome(err), gasWanted: 0n, gasUsed: 0n, hash: "" });
    }
    const begun = this.app.beginCheck(bytes);
    if ("outcome" in begun) return Promise.resolve({ ...begun.outcome, hash: "" });
    const { tx } = begun;
    const refused = this.admissionError(tx);
    if (refused)
      return Promise.resolve({
        ...toAbciOutcome(refused),
        gasWanted: tx.fee.gasLimit,
        gasUsed: 0n,
        hash: tx.hashHex,
      });
    this.inFlight.add(tx.hashHex);
    const signatures = begun.verify();
    const result = this.applyChain.then(async () => {
      const sigOk = signatures ? await signatures : undefined;
      return this.admit(tx, sigOk, source);
    });
    this.applyChain = result.catch(() => undefined);
    return result.finally(() => this.inFlight.delete(tx.hashHex));
  }

  private admissionError(tx: DecodedTx): CodedError | undefined {
    if (this.entries.has(tx.hashHex) || this.inFlight.has(tx.hashHex))
      return new CodedError(SdkErrors.TxInMempoolCache);
    if (
      this.entries.size + this.inFlight.size >= this.config.size ||
      this.bytes + tx.bytes.length > this.config.maxTxsBytes
    ) {
      return new CodedError(
        SdkErrors.MempoolIsFull,
        `mempool holds ${this.entries.size} txs (${this.bytes} bytes); try again later`,
      );
    }
    const sender = tx.signers[0]?.address ?? "";
    if ((this.perAccount.get(sender) ?? 0) >= this.config.maxTxsPerAccount) {
      return new CodedError(
        SdkErrors.MempoolIsFull,
        `account ${sender} already has ${this.config.maxTxsPerAccount} pending txs; wait for a block`,
      );
    }
    return undefined;
  }

  private admit(tx: DecodedTx, sigOk: boolean | undefined, source: TxSource): AddTxResult {
    const outcome = this.app.applyCheck(tx, sigOk);
    if (outcome.code === 0) {
      this.insert(tx, outcome.gasWanted);
      this.emit("admitted", tx.bytes, source);
      this.emit("txAvailable");
    }
    return { ...outcome, hash: tx.hashHex };
  }

  private insert(tx: DecodedTx, gasWanted: bigint): void {
    this.entries.set(tx.hashHex, { tx, gasWanted });
    this.bytes += tx.bytes.length;
    const sender = tx.signers[0]?.address ?? "";
    this.perAccount.set(sender, (this.perAccount.get(sender) ?? 0) + 1);
  }

  private remove(hashHex: string): void {
    const entry = this.entries.get(hashHex);
    if (!entry) return;
    this.entries.delete(hashHex);
    this.bytes -= entry.tx.bytes.length;
    const sender = entry.tx.signers[0]?.address ?? "";
    const n = (this.perAccount.get(sender) ?? 1) - 1;
    if (n <= 0) this.perAccount.delete(sender);
    else this.perAccount.set(sender, n);
  }

  /** Txs for the next block, oldest first, within the block's byte and gas budgets (already decoded). */
  reap(maxBytes: number, maxGas: bigint): DecodedTx[] {
    const out: DecodedTx[] = [];
    let bytes = 0;
    let gas = 0n;
    for (const entry of this.entries.values()) {
      if (bytes + entry.tx.bytes.length > maxBytes) break;
      if (maxGas >= 0n && gas + entry.gasWanted > maxGas) break;
      out.push(entry.tx);
      bytes += entry.tx.bytes.length;
      gas += entry.gasWanted;
    }
    return out;
  }

  /**
   * After a commit: drop the block's txs, then re-check the rest against the new state in order
   * and drop those that no longer pass (e.g. a sequence already used, a balance spent).
   */
  update(committedHashes: readonly string[]): void {
    for (const h of committedHashes) this.remove(h);
    const remaining = [...this.entries.values()];
    for (const entry of remaining) {
      const outcome = this.app.recheckTx(entry.tx);
      if (outcome.code !== 0) this.remove(entry.tx.hashHex);
    }
    if (this.entries.size > 0) this.emit("txAvailable");
  }
}
