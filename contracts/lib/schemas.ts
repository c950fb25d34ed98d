/** Strict-decoding schemas of the small Cosmos types that several modules' messages embed. */
import type { MessageSchema } from "../../chain/codec/schema.js";

export const COIN_SCHEMA: MessageSchema = {
  name: "cosmos.base.v1beta1.Coin",
  fields: { 1: { name: "denom", kind: "string" }, 2: { name: "amount", kind: "string" } },
};
