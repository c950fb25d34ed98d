/**
 * Signing against a VIVIM node with the unmodified cosmjs stack: `VivimClient` is a
 * `SigningStargateClient` whose registry has the VIVIM types, plus `broadcastVivim`, which throws
 * a `VivimTxError` with the chain's codespace, code and log when an action is refused. `vivimMsg`
 * builds the `EncodeObject` for any action, typed by its definition, so a script does
 *
 *   const client = await connectVivim(rpc, wallet);
 *   const result = await client.broadcastVivim(me, [vivimMsg(MsgCreatePost, { author: me, ... })]);
 */
import { encodeSecp256k1Pubkey } from "@cosmjs/amino";
import { fromHex } from "@cosmjs/encoding";
import { type EncodeObject, encodePubkey, type OfflineSigner } from "@cosmjs/proto-signing";
import {
  calculateFee,
  type DeliverTxResponse,
  GasPrice,
  SigningStargateClient,
  type SigningStargateClientOptions,
  type StdFee,
} from "@cosmjs/stargate";
import { type CometClient, connectComet } from "@cosmjs/tendermint-rpc";
import { SignMode } from "cosmjs-types/cosmos/tx/signing/v1beta1/signing";
import { SimulateRequest, SimulateResponse } from "cosmjs-types/cosmos/tx/v1beta1/service";
import { AuthInfo, Fee, Tx, TxBody } from "cosmjs-types/cosmos/tx/v1beta1/tx";
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

/** Where and why the chain refused an action. */
export interface TxRefusal {
  readonly code: number;
  readonly codespace: string;
  readonly log: string;
  /** Empty when the refusal came from simulation, before anything was broadcast. */
  readonly txHash: string;
  readonly height: number;
}

export class VivimTxError extends Error {
  readonly code: number;
  readonly codespace: string;
  readonly log: string;
  readonly txHash: string;
  readonly height: number;
  /** Unix seconds after which a rate-limited action may be retried. */
  readonly retryAfter: number | undefined;

  constructor(r: TxRefusal) {
    super(`${r.txHash ? `tx ${r.txHash}` : "simulation"} refused (${r.codespace}/${r.code}): ${r.log}`);
    this.name = "VivimTxError";
    this.code = r.code;
    this.codespace = r.codespace;
    this.log = r.log;
    this.txHash = r.txHash;
    this.height = r.height;
    const retry = /retry_after=(\d+)/.exec(r.log);
    this.retryAfter = retry ? Number(retry[1]) : undefined;
  }
}

export interface BroadcastOptions {
  /** A fee, or "auto" (simulate, then pay 1.4× the gas at the client's gas price) or a gas multiplier. */
  readonly fee?: StdFee | "auto" | number;
  readonly memo?: string;
}

export class VivimClient extends SigningStargateClient {
  private readonly vivimGasPrice: GasPrice;
  private readonly vivimSigner: OfflineSigner;

  protected constructor(
    comet: CometClient,
    signer: OfflineSigner,
    options: SigningStargateClientOptions & { gasPrice: GasPrice },
  ) {
    super(comet, signer, options);
    this.vivimGasPrice = options.gasPrice;
    this.vivimSigner = signer;
  }

  static async connectVivim(
    endpoint: string,
    signer: OfflineSigner,
    options: SigningStargateClientOptions = {},
  ): Promise<VivimClient> {
    const comet = await connectComet(endpoint);
    return new VivimClient(comet, signer, {
      registry: vivimRegistry(),
      ...options,
      gasPrice:
        options.gasPrice instanceof GasPrice ? options.gasPrice : GasPrice.fromString(DEFAULT_GAS_PRICE),
    });
  }

  /**
   * Signs and broadcasts `msgs` from `signer` and waits for the block; throws VivimTxError when the
   * chain refused the action, in simulation (with "auto" fees) or in the block. A refusal at
   * CheckTx surfaces as cosmjs's own BroadcastTxError.
   */
  async broadcastVivim(
    signer: string,
    msgs: readonly EncodeObject[],
    opts: BroadcastOptions = {},
  ): Promise<DeliverTxResponse> {
    const memo = opts.memo ?? "";
    const wanted = opts.fee ?? "auto";
    const fee =
      typeof wanted === "object"
        ? wanted
        : calculateFee(
            Math.round((await this.simulateVivim(signer, msgs, memo)) * (wanted === "auto" ? 1.4 : wanted)),
            this.vivimGasPrice,
          );
    const result = await this.signAndBroadcast(signer, [...msgs], fee, memo);
    if (result.code === 0) return result;
    // cosmjs drops the codespace; the node's tx endpoint has it.
    const found = await this.comet().tx({ hash: fromHex(result.transactionHash) });
    throw new VivimTxError({
      code: result.code,
      codespace: found.result.codespace ?? "",
      log: result.rawLog ?? "",
      txHash: result.transactionHash,
      height: result.height,
    });
  }

  /**
   * Gas used by `msgs`, from the node's Simulate query, sent as cosmjs sends it but read raw so a
   * refusal keeps its codespace (cosmjs's simulate keeps only code and log).
   */
  async simulateVivim(signer: string, msgs: readonly EncodeObject[], memo = ""): Promise<number> {
    const account = (await this.vivimSigner.getAccounts()).find((a) => a.address === signer);
    if (!account) throw new Error(`the signer has no key for ${signer}`);
    const { sequence } = await this.getSequence(signer);
    const body = TxBody.fromPartial({ messages: msgs.map((m) => this.registry.encodeAsAny(m)), memo });
    const tx = Tx.fromPartial({
      body,
      authInfo: AuthInfo.fromPartial({
        fee: Fee.fromPartial({}),
        signerInfos: [
          {
            publicKey: encodePubkey(encodeSecp256k1Pubkey(account.pubkey)),
            sequence: BigInt(sequence),
            modeInfo: { single: { mode: SignMode.SIGN_MODE_UNSPECIFIED } },
          },
        ],
      }),
      signatures: [new Uint8Array()],
    });
    const request = SimulateRequest.encode({ tx: undefined, txBytes: Tx.encode(tx).finish() }).finish();
    const response = await this.comet().abciQuery({
      path: "/cosmos.tx.v1beta1.Service/Simulate",
      data: request,
    });
    if (response.code) {
      throw new VivimTxError({
        code: response.code,
        codespace: response.codespace,
        log: response.log ?? "",
        txHash: "",
        height: 0,
      });
    }
    return Number(SimulateResponse.decode(response.value).gasInfo?.gasUsed ?? 0n);
  }

  private comet(): CometClient {
    const comet = this.getCometClient();
    if (!comet) throw new Error("the client is disconnected");
    return comet;
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
