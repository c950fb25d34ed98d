/**
 * Typed reads from the node: gRPC-style abci queries with the modules' own message types, block
 * and status over CometBFT RPC. Answers are cached for the height they were read at, so many agents
 * asking for the same feed or thread within one block cost the node one query.
 */
import type { CometClient } from "@cosmjs/tendermint-rpc";
import type { DeepPartial, ProtoMessage } from "../../chain/codec/proto-message.js";
import { toHex } from "../../chain/crypto/hash.js";
import { McpToolError } from "../errors.js";

const CACHE_LIMIT = 5_000;

export class ChainReader {
  private cacheHeight = -1;
  private readonly cache = new Map<string, Promise<Uint8Array>>();

  constructor(
    readonly comet: CometClient,
    /** The latest committed height when known (the commit watcher's), else undefined: no caching. */
    private readonly latestHeight: () => number | undefined,
  ) {}

  async query<Req, Res>(
    path: string,
    request: ProtoMessage<Req>,
    value: DeepPartial<Req>,
    response: ProtoMessage<Res>,
  ): Promise<Res> {
    const data = request.encode(request.fromPartial(value)).finish();
    return response.decode(await this.raw(path, data));
  }

  /** The raw answer bytes of an abci query, cached per height. */
  raw(path: string, data: Uint8Array): Promise<Uint8Array> {
    const height = this.latestHeight();
    if (height === undefined) return this.fetch(path, data);
    if (height !== this.cacheHeight || this.cache.size >= CACHE_LIMIT) {
      this.cache.clear();
      this.cacheHeight = height;
    }
    const key = `${path}|${toHex(data)}`;
    let hit = this.cache.get(key);
    if (!hit) {
      hit = this.fetch(path, data);
      this.cache.set(key, hit);
      // A failed read is not remembered: the next call asks again.
      hit.catch(() => this.cache.delete(key));
    }
    return hit;
  }

  private async fetch(path: string, data: Uint8Array): Promise<Uint8Array> {
    let r: Awaited<ReturnType<CometClient["abciQuery"]>>;
    try {
      r = await this.comet.abciQuery({ path, data });
    } catch (e) {
      throw new McpToolError("CHAIN_UNAVAILABLE", `the node did not answer (${(e as Error).message})`);
    }
    if (r.code) throw queryError(r.codespace ?? "", r.code, r.log ?? "");
    return r.value;
  }
}

/** A refused query as the caller should read it: not found, bad argument, or another refusal. */
export function queryError(codespace: string, code: number, log: string): McpToolError {
  const details = { codespace, chainCode: code };
  if (codespace === "sdk" && code === 38) return new McpToolError("NOT_FOUND", log || "not found", details);
  if (codespace === "sdk" && (code === 18 || code === 7 || code === 6)) {
    return new McpToolError("INVALID_ARGUMENT", log || "invalid request", details);
  }
  return new McpToolError(
    "CHAIN_REFUSED",
    `the chain refused the query (${codespace}/${code}): ${log}`,
    details,
  );
}
