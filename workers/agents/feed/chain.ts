/**
 * The chain reads of the feed agent: typed abci queries (the social module's own messages) over the
 * node's CometBFT JSON-RPC, with the height each answer was read at.
 */
import type { DeepPartial, ProtoMessage } from "../../../chain/codec/proto-message.js";
import { WorkersError } from "../../errors.js";

export interface ChainQuery {
  query<Req, Res>(
    path: string,
    request: ProtoMessage<Req>,
    value: DeepPartial<Req>,
    response: ProtoMessage<Res>,
  ): Promise<{ value: Res; height: number }>;
}

/** Answers larger than this are refused (a feed page of 100 posts is far below it). */
const MAX_ANSWER_BYTES = 16 * 1024 * 1024;

export function httpChainQuery(rpcUrl: string, timeoutMs = 10_000): ChainQuery {
  const url = rpcUrl.replace(/\/$/, "");
  return {
    async query(path, request, value, response) {
      const data = Buffer.from(request.encode(request.fromPartial(value)).finish()).toString("hex");
      let body: {
        result?: { response?: { code?: number; log?: string; value?: string | null; height?: string } };
        error?: { message?: string };
      };
      try {
        const res = await fetch(url, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "abci_query", params: { path, data } }),
          signal: AbortSignal.timeout(timeoutMs),
        });
        const text = await res.text();
        if (text.length > MAX_ANSWER_BYTES) throw new Error("answer too large");
        body = JSON.parse(text) as typeof body;
      } catch (err) {
        throw new WorkersError("NODE_UNAVAILABLE", `the node at ${url} did not answer ${path}`, {
          cause: err,
        });
      }
      const r = body.result?.response;
      if (!r)
        throw new WorkersError(
          "NODE_UNAVAILABLE",
          `abci_query ${path} failed: ${body.error?.message ?? "no result"}`,
        );
      if (r.code) throw new WorkersError("BLOCK_UNAVAILABLE", `abci_query ${path} refused (code ${r.code})`);
      const height = Number(r.height);
      const bytes = r.value ? Buffer.from(r.value, "base64") : new Uint8Array();
      return { value: response.decode(bytes), height: Number.isSafeInteger(height) ? height : 0 };
    },
  };
}
