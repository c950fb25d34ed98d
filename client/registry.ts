/**
 * A cosmjs `Registry` that knows every Msg a VIVIM chain accepts: cosmjs's default types (bank,
 * staking, gov, …) plus each VIVIM module's `/vivim.<module>.v1.Msg*` and any Cosmos Msg the chain
 * implements that cosmjs does not register by default (e.g. `MsgCommunityPoolSpend`), taken from the
 * same definitions the node executes, so client and node can never disagree on an encoding.
 */
import { type GeneratedType, Registry } from "@cosmjs/proto-signing";
import { defaultRegistryTypes } from "@cosmjs/stargate";
import { VIVIM_MODULES } from "../contracts/index.js";

/**
 * `[typeUrl, type]` of every module Msg that cosmjs's `defaultRegistryTypes` lacks: all of VIVIM's
 * own, and Cosmos ones such as `/cosmos.distribution.v1beta1.MsgCommunityPoolSpend` (bank's MsgSend
 * or `MsgFundCommunityPool` are cosmjs's own and are not listed twice).
 */
export function vivimTypes(): Array<[string, GeneratedType]> {
  const known = new Set(defaultRegistryTypes.map(([url]) => url));
  return VIVIM_MODULES.flatMap((m) =>
    m.msgs
      .filter((d) => !known.has(d.typeUrl))
      .map((d): [string, GeneratedType] => [d.typeUrl, d.type as unknown as GeneratedType]),
  );
}

export function vivimRegistry(): Registry {
  return new Registry([...defaultRegistryTypes, ...vivimTypes()]);
}
