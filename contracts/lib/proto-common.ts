/**
 * Cosmos types the VIVIM modules embed in their own messages, defined once (a full protobuf name
 * may be defined only once per process): Coin and the query pagination pair, wire-compatible with
 * cosmjs-types' objects of the same names.
 */
import { defineMessage } from "../../chain/codec/proto-message.js";

export interface Coin {
  denom: string;
  amount: string;
}

export const Coin = defineMessage<Coin>("cosmos.base.v1beta1.Coin", [
  { no: 1, name: "denom", kind: "string" },
  { no: 2, name: "amount", kind: "string" },
]);

export interface PageRequest {
  key: Uint8Array;
  offset: bigint;
  limit: bigint;
  countTotal: boolean;
  reverse: boolean;
}

export const PageRequest = defineMessage<PageRequest>("cosmos.base.query.v1beta1.PageRequest", [
  { no: 1, name: "key", kind: "bytes" },
  { no: 2, name: "offset", kind: "uint64" },
  { no: 3, name: "limit", kind: "uint64" },
  { no: 4, name: "countTotal", kind: "bool" },
  { no: 5, name: "reverse", kind: "bool" },
]);

export interface PageResponse {
  nextKey: Uint8Array;
  total: bigint;
}

export const PageResponse = defineMessage<PageResponse>("cosmos.base.query.v1beta1.PageResponse", [
  { no: 1, name: "nextKey", kind: "bytes" },
  { no: 2, name: "total", kind: "uint64" },
]);
