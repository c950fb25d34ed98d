/**
 * Txs and tx results in the Cosmos REST shapes: `cosmos.tx.v1beta1.Tx` decoded to JSON (messages
 * and public keys by the node's own schemas) and `TxResponse` from a stored result.
 */
import { TxRaw } from "cosmjs-types/cosmos/tx/v1beta1/tx";
import type { AbciEvent } from "../../contracts/types.js";
import type { AnyResolver } from "../codec/schema.js";
import { toBase64, toHexUpper } from "../crypto/hash.js";
import type { Json } from "../rpc/json.js";
import { AuthInfoSchema, TxBodySchema } from "../tx/schemas.js";
import type { TxResult } from "../types/block.js";
import { type Timestamp, timestampToRfc3339 } from "../types/timestamp.js";
import { protoToJson } from "./proto-json.js";

type JsonObject = { [key: string]: Json };

export const TX_TYPE_URL = "/cosmos.tx.v1beta1.Tx";

export interface TxResolvers {
  readonly body: AnyResolver;
  readonly authInfo: AnyResolver;
}

/** The tx as `{body, auth_info, signatures}`, or null when its bytes do not decode. */
export function txToJson(bytes: Uint8Array, resolvers: TxResolvers): JsonObject | null {
  try {
    const raw = TxRaw.decode(bytes);
    return {
      body: protoToJson(raw.bodyBytes, TxBodySchema, resolvers.body),
      auth_info: protoToJson(raw.authInfoBytes, AuthInfoSchema, resolvers.authInfo),
      signatures: raw.signatures.map(toBase64),
    };
  } catch {
    // Malformed bytes (a tx that failed decoding in its block) are shown as raw bytes only.
    return null;
  }
}

export function eventsToJson(events: readonly AbciEvent[]): Json[] {
  return events.map((e) => ({
    type: e.type,
    attributes: e.attributes.map((a) => ({ key: a.key, value: a.value, index: a.index })),
  }));
}

export interface TxResponseInput {
  readonly hash: string;
  readonly height: bigint;
  readonly txBytes: Uint8Array;
  readonly result: TxResult;
  readonly time: Timestamp;
}

/** `cosmos.base.abci.v1beta1.TxResponse` of a committed tx. */
export function txResponseJson(input: TxResponseInput, tx: JsonObject | null): JsonObject {
  const { result } = input;
  return {
    height: input.height.toString(),
    txhash: input.hash,
    codespace: result.codespace,
    code: result.code,
    data: toHexUpper(result.data),
    raw_log: result.log,
    logs: [],
    info: "",
    gas_wanted: result.gasWanted.toString(),
    gas_used: result.gasUsed.toString(),
    tx: tx ? { "@type": TX_TYPE_URL, ...tx } : null,
    timestamp: timestampToRfc3339(input.time),
    events: eventsToJson(result.events),
  };
}

/** The TxResponse of a broadcast that has not been included in a block yet. */
export function pendingTxResponseJson(r: {
  hash: string;
  code: number;
  codespace: string;
  log: string;
  gasWanted: bigint;
  gasUsed: bigint;
}): JsonObject {
  return {
    height: "0",
    txhash: r.hash,
    codespace: r.codespace,
    code: r.code,
    data: "",
    raw_log: r.log,
    logs: [],
    info: "",
    gas_wanted: r.gasWanted.toString(),
    gas_used: r.gasUsed.toString(),
    tx: null,
    timestamp: "",
    events: [],
  };
}
