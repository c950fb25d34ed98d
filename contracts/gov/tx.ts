/** VIVIM's own governance Msgs (`vivim.gov.v1`, proto/vivim/gov/v1/tx.proto). */
import { defineMessage } from "../../chain/codec/proto-message.js";
import { GovVivimParams } from "./records.js";

export interface MsgUpdateGovVivimParams {
  authority: string;
  params: GovVivimParams | undefined;
}

/** Replaces the electorate params; only the gov account (a passed proposal) may send it. */
export const MsgUpdateGovVivimParams = defineMessage<MsgUpdateGovVivimParams>(
  "vivim.gov.v1.MsgUpdateParams",
  [
    { no: 1, name: "authority", kind: "string" },
    { no: 2, name: "params", kind: "message", type: () => GovVivimParams },
  ],
);

export type MsgUpdateGovVivimParamsResponse = Record<string, never>;
export const MsgUpdateGovVivimParamsResponse = defineMessage<MsgUpdateGovVivimParamsResponse>(
  "vivim.gov.v1.MsgUpdateParamsResponse",
  [],
);
