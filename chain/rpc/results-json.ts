/** JSON of tx results and indexed txs, as CometBFT 0.38 returns them. */
import { toBase64, toHexUpper } from "../crypto/hash.js";
import type { TxResult } from "../types/block.js";
import { eventJson, type Json } from "./json.js";

export function txResultJson(r: TxResult): { [key: string]: Json } {
  return {
    code: r.code,
    data: toBase64(r.data),
    log: r.log,
    info: "",
    gas_wanted: r.gasWanted.toString(),
    gas_used: r.gasUsed.toString(),
    events: r.events.map(eventJson),
    codespace: r.codespace,
  };
}

export function indexedTxJson(
  hash: Uint8Array,
  height: bigint,
  index: number,
  tx: Uint8Array,
  result: TxResult,
  proof?: Json,
): { [key: string]: Json } {
  return {
    hash: toHexUpper(hash),
    height: height.toString(),
    index,
    tx_result: txResultJson(result),
    tx: toBase64(tx),
    ...(proof ? { proof } : {}),
  };
}
