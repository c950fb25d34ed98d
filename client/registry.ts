/**
 * A cosmjs `Registry` that knows every Msg a VIVIM chain accepts: cosmjs's default types (bank,
 * staking, gov, …) plus each VIVIM module's `/vivim.<module>.v1.Msg*`, taken from the same
 * definitions the node executes, so client and node can never disagree on an encoding.
 */
import { type GeneratedType, Registry } from "@cosmjs/proto-signing";
import { defaultRegistryTypes } from "@cosmjs/stargate";
import { VIVIM_MODULES } from "../contracts/index.js";

/** `[typeUrl, type]` of every VIVIM module Msg (bank's MsgSend is cosmjs's own). */
export function vivimTypes(): Array<[string, GeneratedType]> {
  return VIVIM_MODULES.flatMap((m) =>
    m.msgs
      .filter((d) => d.typeUrl.startsWith("/vivim."))
      .map((d): [string, GeneratedType] => [d.typeUrl, d.type as unknown as GeneratedType]),
  );
}

export function vivimRegistry(): Registry {
  return new Registry([...defaultRegistryTypes, ...vivimTypes()]);
}
