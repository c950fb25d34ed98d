/** Resolves waiters when a tx with a given hash is committed (broadcast_tx_commit). */
import type { CommittedBlock, ConsensusEngine } from "../consensus/engine.js";
import { toHexUpper } from "../crypto/hash.js";

export interface CommittedTx {
  readonly height: bigint;
  readonly index: number;
  readonly block: CommittedBlock;
}

export class TxWaiter {
  private readonly waiters = new Map<string, Array<(tx: CommittedTx | undefined) => void>>();
  private readonly onCommitted = (block: CommittedBlock): void => {
    if (this.waiters.size === 0) return;
    block.txHashes.forEach((h, index) => {
      const key = toHexUpper(h);
      const list = this.waiters.get(key);
      if (!list) return;
      this.waiters.delete(key);
      for (const resolve of list) resolve({ height: block.block.header.height, index, block });
    });
  };

  constructor(private readonly consensus: ConsensusEngine) {
    consensus.on("committed", this.onCommitted);
  }

  /** Resolves with the commit, or undefined after `timeoutMs`. */
  wait(hashHex: string, timeoutMs: number): Promise<CommittedTx | undefined> {
    return new Promise((resolve) => {
      const list = this.waiters.get(hashHex) ?? [];
      const timer = setTimeout(() => {
        const l = this.waiters.get(hashHex);
        if (l) {
          const rest = l.filter((r) => r !== done);
          if (rest.length > 0) this.waiters.set(hashHex, rest);
          else this.waiters.delete(hashHex);
        }
        resolve(undefined);
      }, timeoutMs);
      const done = (tx: CommittedTx | undefined) => {
        clearTimeout(timer);
        resolve(tx);
      };
      list.push(done);
      this.waiters.set(hashHex, list);
    });
  }

  close(): void {
    this.consensus.off("committed", this.onCommitted);
    for (const list of this.waiters.values()) for (const resolve of list) resolve(undefined);
    this.waiters.clear();
  }
}
