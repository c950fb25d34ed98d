/**
 * Signing against a VIVIM node with the unmodified cosmjs stack: `VivimClient` is a
 * `SigningStargateClient` whose registry has the VIVIM types, plus `broadcastVivim`, which throws
 * a `VivimTxError` with the chain's codespace, code and log when an action is refused. `vivimMsg`
 * builds the `EncodeObject` for any action, typed by its definition, so a script does
 *
 *   const client = await connectVivim(rpc, wallet);
 *   const result = await client.broadcastVivim(me, [vivimMsg(MsgCreatePost, { author: me, ... })]);
 */
import type { EncodeObject, OfflineSigner } from "@cosmjs/proto-signing";
import {
  type DeliverTxResponse,
  GasPrice,
  SigningStargateClient,
  type SigningStargateClientOptions,
  type StdFee,
} from "@cosmjs/stargate";
import { connectComet } from "@cosmjs/tendermint-rpc";
import type { DeepPartial, ProtoMessage } from "../chain/codec/proto-message.js";
import { vivimRegistry } from "./registry.js";

/** The devnet's minimum gas price; `"auto"` fees are computed from it after a simulation. */
export const DEFAULT_GAS_PRICE = "0.025uvivim";

export interface VivimEncodeObject<T> extends EncodeObject {
  readonly typeUrl: string;
  readonly value: T;
}

export function vivimMsg<T>(type: ProtoMessage<T>, value: DeepPartial<T>): VivimEncodeObject<T> {
  return { typeUrl: type.typeUrl, value: type.fromPartial(value) };
}

export class VivimTxError extends Error {
  readonly code: number;
  readonly codespace: string;
  readonly log: string;
  readonly txHash: string;
  readonly height: number;
  /** Unix seconds after which a rate-limited action may be retried. */
  readonly retryAfter: number | undefined;

  constructor(result: DeliverTxResponse, codespace: string) {
    const log = result.rawLog ?? "";
    super(`tx ${result.transactionHash} failed (${codespace}/${result.code}): ${log}`);
    this.name = "VivimTxError";
    this.code = result.code;
    this.codespace = codespace;
    this.log = log;
    this.txHash = result.transactionHash;
    this.height = result.height;
    const retry = /retry_after=(\d+)/.exec(log);
    this.retryAfter = retry ? Number(retry[1]) : undefined;
  }
}

export interface BroadcastOptions {
  /** A fee, or "auto" (simulate, then pay at the client's gas price) or a gas multiplier. */
  readonly fee?: StdFee | "auto" | number;
  readonly memo?: string;
}

export class VivimClient extends SigningStargateClient {
  static async connectVivim(
    endpoint: string,
    signer: OfflineSigner,
    options: SigningStargateClientOptions = {},
  ): Promise<VivimClient> {
    const comet = await connectComet(endpoint);
    return new VivimClient(comet, signer, {
      registry: vivimRegistry(),
      gasPrice: GasPrice.fromString(DEFAULT_GAS_PRICE),
      ...options,
    });
  }

  /**
   * Signs and broadcasts `msgs` from `signer` and waits for the block; throws VivimTxError when the
   * chain refused the tx (a refusal at CheckTx surfaces as cosmjs's own BroadcastTxError).
   */
  async broadcastVivim(
    signer: string,
    msgs: readonly EncodeObject[],
    opts: BroadcastOptions = {},
  ): Promise<DeliverTxResponse> {
    const result = await this.signAndBroadcast(signer, [...msgs], opts.fee ?? "auto", opts.memo ?? "");
    if (result.code === 0) return result;
    // cosmjs drops the codespace; the node's tx endpoint has it.
    const comet = this.getCometClient();
    const found = comet ? await comet.tx({ hash: Buffer.from(result.transactionHash, "hex") }) : undefined;
    throw new VivimTxError(result, found?.result.codespace ?? "");
  }
}

export const connectVivim = VivimClient.connectVivim.bind(VivimClient);

/** Decodes the response of the `index`-th Msg of a committed tx (e.g. the id of a new post). */
export function msgResponse<T>(result: DeliverTxResponse, type: ProtoMessage<T>, index = 0): T {
  const response = result.msgResponses[index];
  if (!response) throw new Error(`tx ${result.transactionHash} has no response #${index}`);
  if (response.typeUrl !== type.typeUrl) {
    throw new Error(`response #${index} is ${response.typeUrl}, not ${type.typeUrl}`);
  }
  return type.decode(response.value);
}
