/** Msgs of the labels module and their responses (proto/vivim/labels/v1/tx.proto). */
import { defineMessage } from "../../chain/codec/proto-message.js";
import { LabelsParams } from "./records.js";

export interface MsgCreateLabel {
  issuer: string;
  /** `content:<id>`, `community:<id>` or `account:<bech32>`. */
  subject: string;
  /** `[a-z0-9-]{1,32}`. */
  value: string;
  /** Take the label `value` off `subject` instead of putting it on. */
  negate: boolean;
  /** Unix seconds, after block time; 0 = never. Must be 0 on a negation. */
  expiresAt: bigint;
  /** At most 280 characters. */
  reason: string;
}

export const MsgCreateLabel = defineMessage<MsgCreateLabel>("vivim.labels.v1.MsgCreateLabel", [
  { no: 1, name: "issuer", kind: "string" },
  { no: 2, name: "subject", kind: "string" },
  { no: 3, name: "value", kind: "string" },
  { no: 4, name: "negate", kind: "bool" },
  { no: 5, name: "expiresAt", kind: "int64" },
  { no: 6, name: "reason", kind: "string" },
]);

export interface MsgCreateLabelResponse {
  /** The new Label record (the negation record for a negation). */
  labelId: bigint;
  /** Labels this one took out of force (a negation's targets, or the issuer's earlier label). */
  removedIds: bigint[];
}

export const MsgCreateLabelResponse = defineMessage<MsgCreateLabelResponse>(
  "vivim.labels.v1.MsgCreateLabelResponse",
  [
    { no: 1, name: "labelId", kind: "uint64" },
    { no: 2, name: "removedIds", kind: "uint64", repeated: true },
  ],
);

export interface MsgUpdateLabelsParams {
  authority: string;
  params: LabelsParams | undefined;
}

export const MsgUpdateLabelsParams = defineMessage<MsgUpdateLabelsParams>("vivim.labels.v1.MsgUpdateParams", [
  { no: 1, name: "authority", kind: "string" },
  { no: 2, name: "params", kind: "message", type: () => LabelsParams },
]);

export type MsgUpdateLabelsParamsResponse = Record<string, never>;
export const MsgUpdateLabelsParamsResponse = defineMessage<MsgUpdateLabelsParamsResponse>(
  "vivim.labels.v1.MsgUpdateParamsResponse",
  [],
);
