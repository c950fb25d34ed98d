/**
 * Signing against a VIVIM node with the unmodified `SigningStargateClient`: `connectVivim` gives a
 * client whose registry has the VIVIM types, and `vivimMsg` builds the `EncodeObject` for any
 * action, typed by its definition, so a script does
 *
 *   const client = await connectVivim(rpc, wallet);
 *   await client.signAndBroadcast(me, [vivimMsg(MsgCreatePost, { author: me, ... })], "auto");
 */
import type { EncodeObject, OfflineSigner } from "@cosmjs/proto-signing";
import { GasPrice, SigningStargateClient, type SigningStargateClientOptions } from "@cosmjs/stargate";
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

export function connectVivim(
  rpcUrl: string,
  signer: OfflineSigner,
  options: SigningStargateClientOptions = {},
): Promise<SigningStargateClient> {
  return SigningStargateClient.connectWithSigner(rpcUrl, signer, {
    registry: vivimRegistry(),
    gasPrice: GasPrice.fromString(DEFAULT_GAS_PRICE),
    ...options,
  });
}
