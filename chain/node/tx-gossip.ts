/**
 * Tx gossip on the txs topic. Txs this node's clients send are gathered for a few milliseconds and
 * published as one batch (chain/p2p/tx-batch.ts), the way CometBFT's connections flush on a
 * throttle: under load one batch carries tens of txs, so libp2p's per-message costs are paid once
 * per batch instead of once per tx. Batches from peers go through CheckTx tx by tx; gossipsub
 * forwards a batch only if some tx in it was new and none was malformed.
 */
import { SdkErrors } from "../errors/codes.js";
import type { Mempool, TxSource } from "../mempool/mempool.js";
import type { P2pHost } from "../p2p/host.js";
import { decodeTxBatch, encodeTxBatch, TxBatchDecodeError } from "../p2p/tx-batch.js";
import type { Verdict } from "../p2p/verdict.js";

/** How long the first tx of a batch waits for company: small next to a block's 300 ms commit wait. */
const BATCH_DELAY_MS = 20;
/** A batch is published as soon as it holds this many txs... */
const BATCH_MAX_TXS = 256;
/** ...or this many tx bytes (a single larger tx travels alone). */
const BATCH_TARGET_BYTES = 256 * 1024;
/** Room for each tx's field tag and length prefix. */
const FRAMING_BYTES_PER_TX = 8;

/**
 * Check codes that prove the bytes themselves are bad. A signature or sequence failure is not among
 * them: a tx valid where it was sent can fail here only because this node is a block behind.
 */
const INVALID_TX_CODES: ReadonlySet<number> = new Set([
  SdkErrors.TxDecode.code,
  SdkErrors.InvalidPubKey.code,
]);

export interface TxGossipOptions {
  readonly host: P2pHost;
  readonly topic: string;
  readonly mempool: Mempool;
  readonly maxTxBytes: number;
}

export class TxGossip {
  private pending: Uint8Array[] = [];
  private pendingBytes = 0;
  private timer: NodeJS.Timeout | undefined;
  private readonly onAdmitted = (bytes: Uint8Array, source: TxSource) => {
    // Txs from peers are forwarded by gossipsub itself, inside the batch they came in.
    if (source === "local") this.add(bytes);
  };

  constructor(private readonly opts: TxGossipOptions) {
    // The largest batch a peer may send: a full batch, or one tx of the largest size, with framing.
    const maxMessageBytes =
      Math.max(BATCH_TARGET_BYTES, opts.maxTxBytes) + BATCH_MAX_TXS * FRAMING_BYTES_PER_TX;
    opts.host.subscribe(opts.topic, "txs", maxMessageBytes, (data) => this.receive(data));
  }

  start(): void {
    this.opts.mempool.on("admitted", this.onAdmitted);
  }

  stop(): void {
    this.opts.mempool.off("admitted", this.onAdmitted);
    this.flush();
  }

  private add(tx: Uint8Array): void {
    if (this.pending.length > 0 && this.pendingBytes + tx.length > BATCH_TARGET_BYTES) this.flush();
    this.pending.push(tx);
    this.pendingBytes += tx.length;
    if (this.pending.length >= BATCH_MAX_TXS) this.flush();
    else this.timer ??= setTimeout(() => this.flush(), BATCH_DELAY_MS);
  }

  private flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    const txs = this.pending;
    if (txs.length === 0) return;
    this.pending = [];
    this.pendingBytes = 0;
    // With no peer in the topic there is no one to tell (a lone validator, or all peers down: the
    // txs wait in our mempool for our own proposals); gossipsub would still hash and cache them.
    if (this.opts.host.hasTopicPeers(this.opts.topic))
      void this.opts.host.publish(this.opts.topic, encodeTxBatch(txs));
  }

  private async receive(data: Uint8Array): Promise<Verdict> {
    let txs: Uint8Array[];
    try {
      txs = decodeTxBatch(data, { maxTxs: BATCH_MAX_TXS, maxTxBytes: this.opts.maxTxBytes });
    } catch (err) {
      if (err instanceof TxBatchDecodeError) return { reject: "malformed" };
      throw err;
    }
    const results = await Promise.all(txs.map((tx) => this.opts.mempool.add(tx, "peer")));
    let admitted = false;
    for (const r of results) {
      if (r.code === 0) admitted = true;
      else if (r.codespace === "sdk" && INVALID_TX_CODES.has(r.code)) return { reject: "malformed" };
    }
    // A tx valid where it was sent can be late here (sequence, full mempool): only bad txs cost points.
    return admitted ? "accept" : "ignore";
  }
}
