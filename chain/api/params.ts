/** Parsing of REST parameters and JSON body fields: addresses, heights, Cosmos `pagination.*`, signatures. */
import type { PageRequest, PageResponse } from "cosmjs-types/cosmos/base/query/v1beta1/pagination";
import { decodeAddress } from "../crypto/address.js";
import type { Adr036Signature } from "../crypto/adr036.js";
import { toBase64 } from "../crypto/hash.js";
import type { Json } from "../rpc/json.js";
import { badRequest } from "./http.js";

/** A bech32 account address with our prefix, else 400 with the reason. */
export function addressParam(address: string): string {
  try {
    decodeAddress(address);
    return address;
  } catch (err) {
    throw badRequest(err instanceof Error ? err.message : "invalid address");
  }
}

const UINT = /^\d{1,19}$/;

function uintQuery(query: URLSearchParams, name: string): bigint | undefined {
  const v = query.get(name);
  if (v === null || v === "") return undefined;
  if (!UINT.test(v) || BigInt(v) > 2n ** 63n - 1n) throw badRequest(`${name} must be a non-negative integer`);
  return BigInt(v);
}

function boolQuery(query: URLSearchParams, name: string): boolean {
  const v = query.get(name);
  if (v === null || v === "" || v === "false") return false;
  if (v === "true") return true;
  throw badRequest(`${name} must be true or false`);
}

const B64 = /^[A-Za-z0-9+/_-]*={0,2}$/;

/** `pagination.key` as gRPC-gateway takes it: base64, standard or URL-safe alphabet. */
function keyQuery(query: URLSearchParams): Uint8Array {
  const v = query.get("pagination.key");
  if (v === null || v === "") return new Uint8Array();
  if (v.length > 4096 || !B64.test(v)) throw badRequest("pagination.key must be base64");
  return new Uint8Array(Buffer.from(v.replace(/-/g, "+").replace(/_/g, "/"), "base64"));
}

export function pageRequestParam(query: URLSearchParams): PageRequest {
  return {
    key: keyQuery(query),
    offset: uintQuery(query, "pagination.offset") ?? 0n,
    limit: uintQuery(query, "pagination.limit") ?? 0n,
    countTotal: boolQuery(query, "pagination.count_total"),
    reverse: boolQuery(query, "pagination.reverse"),
  };
}

export function pageResponseJson(p: PageResponse | undefined): Json {
  return {
    next_key: p && p.nextKey.length > 0 ? toBase64(p.nextKey) : null,
    total: (p?.total ?? 0n).toString(),
  };
}

/** A block height path parameter: a positive integer. */
export function heightParam(text: string): bigint {
  if (!/^\d{1,19}$/.test(text) || BigInt(text) < 1n) throw badRequest("height must be a positive integer");
  return BigInt(text);
}

/** A required string field of a JSON body, 1..max characters, else 400. */
export function stringField(v: unknown, name: string, max: number): string {
  if (typeof v !== "string" || v.length === 0 || v.length > max)
    throw badRequest(`${name} must be a string of 1..${max} characters`);
  return v;
}

/** The `signer`, `pub_key` and `signature` of an ADR-036-signed JSON body, checked for shape only. */
export function adr036Fields(b: Record<string, unknown>, signerField = "signer"): Adr036Signature {
  return {
    signer: addressParam(stringField(b[signerField], signerField, 100)),
    pubKey: stringField(b.pub_key, "pub_key", 64),
    signature: stringField(b.signature, "signature", 128),
  };
}
