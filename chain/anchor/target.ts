/**
 * The anchoring target: signs and broadcasts a checkpoint with the unmodified cosmjs
 * `SigningStargateClient` and waits for its block. "memo" mode sends 1 base unit of the fee denom
 * to the signer itself with the checkpoint in the memo (any Cosmos chain); "vivim" mode sends a
 * `vivim.anchor.v1.MsgCheckpoint` (a VIVIM target). The client is made on first use and dropped
 * after any failure, so a target that went down and came back is reconnected.
 */
import type { OfflineSigner } from "@cosmjs/proto-signing";
import { calculateFee, GasPrice, SigningStargateClient } from "@cosmjs/stargate";
import { vivimMsg } from "../../client/connect.js";
import { vivimRegistry } from "../../client/registry.js";
import { MsgCheckpoint } from "../../contracts/anchor/tx.js";
import type { AnchorMode } from "../../contracts/anchor/validate.js";
import { anchorMemo, type HeaderCheckpoint } from "./checkpoint.js";
import { AnchorError, asAnchorError, targetName } from "./errors.js";

export interface AnchorTargetOptions {
  readonly rpc: string;
  readonly chainId: string;
  readonly mode: AnchorMode;
  readonly signer: OfflineSigner;
  /** The signer's address on the target (the same key; VIVIM and the target share the prefix or not). */
  readonly address: string;
  readonly gasLimit: number;
  /** One coin, e.g. "0.025uatom"; its denom is also what memo mode sends. */
  readonly gasPrice: string;
  readonly broadcastTimeoutMs: number;
}

/** Where a checkpoint landed on the target. */
export interface TargetInclusion {
  /** 64 upper-case hex digits. */
  readonly txHash: string;
  readonly height: bigint;
}

/** How often cosmjs polls for the tx while waiting for its block. */
const POLL_MS = 250;

export class AnchorTarget {
  private client: SigningStargateClient | undefined;
  private readonly gasPrice: GasPrice;

  constructor(private readonly opts: AnchorTargetOptions) {
    this.gasPrice = GasPrice.fromString(opts.gasPrice);
  }

  /** Broadcasts `cp` and resolves once it is in a block; throws an AnchorError otherwise. */
  async submit(cp: HeaderCheckpoint): Promise<TargetInclusion> {
    try {
      const client = await this.connect();
      const fee = calculateFee(this.opts.gasLimit, this.gasPrice);
      const result = await client.signAndBroadcast(this.opts.address, this.messages(cp), fee, this.memo(cp));
      if (result.code !== 0)
        throw new AnchorError(
          "TARGET_REFUSED",
          `${this.opts.chainId} refused the anchoring tx ${result.transactionHash} (code ${result.code}): ${(result.rawLog ?? "").slice(0, 300)}`,
        );
      return { txHash: result.transactionHash.toUpperCase(), height: BigInt(result.height) };
    } catch (err) {
      this.disconnect();
      throw asAnchorError(err, targetName(this.opts.rpc));
    }
  }

  disconnect(): void {
    this.client?.disconnect();
    this.client = undefined;
  }

  private async connect(): Promise<SigningStargateClient> {
    if (this.client) return this.client;
    const client = await SigningStargateClient.connectWithSigner(this.opts.rpc, this.opts.signer, {
      registry: vivimRegistry(),
      broadcastTimeoutMs: this.opts.broadcastTimeoutMs,
      broadcastPollIntervalMs: POLL_MS,
    });
    // A tx signed for another chain id would be refused anyway; say clearly that the config is wrong.
    const chainId = await client.getChainId();
    if (chainId !== this.opts.chainId) {
      client.disconnect();
      throw new AnchorError(
        "TARGET_CHAIN_MISMATCH",
        `${targetName(this.opts.rpc)} serves chain ${JSON.stringify(chainId.slice(0, 64))}, not anchor.target_chain_id ${this.opts.chainId}`,
      );
    }
    this.client = client;
    return client;
  }

  private messages(cp: HeaderCheckpoint) {
    if (this.opts.mode === "vivim")
      return [
        vivimMsg(MsgCheckpoint, {
          submitter: this.opts.address,
          sourceChainId: cp.chainId,
          height: cp.height,
          headerHash: cp.headerHash,
          appHash: cp.appHash,
        }),
      ];
    return [
      {
        typeUrl: "/cosmos.bank.v1beta1.MsgSend",
        value: {
          fromAddress: this.opts.address,
          toAddress: this.opts.address,
          amount: [{ denom: this.gasPrice.denom, amount: "1" }],
        },
      },
    ];
  }

  private memo(cp: HeaderCheckpoint): string {
    return this.opts.mode === "memo" ? anchorMemo(cp) : "";
  }
}
