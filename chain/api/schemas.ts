/** Schemas of the state types the REST routes render that strict tx decoding never needs. */
import type { AnyResolver, MessageSchema } from "../codec/schema.js";
import { PUBKEY_SCHEMAS } from "../tx/schemas.js";

export const BASE_ACCOUNT_TYPE_URL = "/cosmos.auth.v1beta1.BaseAccount";

export const BaseAccountSchema: MessageSchema = {
  name: "cosmos.auth.v1beta1.BaseAccount",
  fields: {
    1: { name: "address", kind: "string" },
    2: { name: "pub_key", kind: "any" },
    3: { name: "account_number", kind: "uint64" },
    4: { name: "sequence", kind: "uint64" },
  },
};

/** Account Anys and the public keys inside them. */
export const resolveAccountAny: AnyResolver = (typeUrl) =>
  typeUrl === BASE_ACCOUNT_TYPE_URL
    ? BaseAccountSchema
    : Object.hasOwn(PUBKEY_SCHEMAS, typeUrl)
      ? PUBKEY_SCHEMAS[typeUrl]
      : undefined;
