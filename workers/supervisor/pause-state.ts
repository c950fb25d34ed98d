/**
 * The chain's worker pause flag, read through the node's JSON-RPC `abci_query` on
 * `/vivim.workers.v1.Query/PauseState` (request and response protobuf, as cosmjs sends them).
 */
import { QueryPauseStateRequest, QueryPauseStateResponse } from "../../contracts/workers/query.js";
import { WorkersError } from "../errors.js";

export const PAUSE_STATE_PATH = "/vivim.workers.v1.Query/PauseState";
const MAX_RESPONSE_BYTES = 1024 * 1024;

export interface GovernancePause {
  /** The global switch: every agent pauses. */
  readonly allPaused: boolean;
  /** Workers paused one by one, by name. */
  readonly workers: readonly string[];
  /** The height the answer is for (0 when unknown). */
  readonly height: number;
}

export type PauseStateReader = () => Promise<GovernancePause>;

/** Whether `agent` is paused by governance under `p`. */
export function governancePaused(p: GovernancePause, agent: string): boolean {
  return p.allPaused || p.workers.includes(agent);
}

export function rpcPauseState(rpcUrl: string, timeoutMs = 5_000): PauseStateReader {
  const url = rpcUrl.replace(/\/$/, "");
  const data = Buffer.from(
    QueryPauseStateRequest.encode(QueryPauseStateRequest.fromPartial({})).finish(),
  ).toString("hex");
  return async () => {
    let text: string;
    try {
      const res = await fetch(url, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({
          jsonrpc: "2.0",
          id: 1,
          method: "abci_query",
          params: { path: PAUSE_STATE_PATH, data },
        }),
        signal: AbortSignal.timeout(timeoutMs),
      });
      text = await res.text();
    } catch (err) {
      throw new WorkersError("NODE_UNAVAILABLE", `the node at ${url} did not answer abci_query`, {
        cause: err,
      });
    }
    if (text.length > MAX_RESPONSE_BYTES)
      throw new WorkersError("BAD_PAUSE_STATE", "pause state answer too large");
    let body: {
      result?: { response?: { code?: number; log?: string; value?: string | null; height?: string } };
      error?: { message?: string };
    };
    try {
      body = JSON.parse(text) as typeof body;
    } catch {
      throw new WorkersError("BAD_PAUSE_STATE", "the node's abci_query answer is not JSON");
    }
    const r = body.result?.response;
    if (!r || body.error)
      throw new WorkersError("BAD_PAUSE_STATE", `abci_query failed: ${body.error?.message ?? "no response"}`);
    if (r.code !== 0)
      throw new WorkersError("BAD_PAUSE_STATE", `PauseState query failed with code ${r.code}`);
    const decoded = QueryPauseStateResponse.decode(Buffer.from(r.value ?? "", "base64"));
    const height = Number(r.height ?? 0);
    return {
      allPaused: decoded.allPaused,
      workers: decoded.workers.map((w) => w.worker),
      height: Number.isSafeInteger(height) ? height : 0,
    };
  };
}
