/**
 * Proof bundles over the app API, so an app can show "this post, and the proof it is on chain":
 *
 *   GET /vivim/proofs/v1/events?height=H&type=vivim.social.v1.EventPostCreated&attr=content_id=7
 *   GET /vivim/proofs/v1/txs/{hash}
 *
 * The bundles are exactly what `vivim verify event|tx --save` writes (built by the same code, from
 * the node's own JSON-RPC methods called in-process) and what `vivim verify … --file` and
 * `verifyEventBundle` / `verifyTxBundle` check offline.
 */

import { fetchEventBundle, fetchTxBundle } from "../../light/fetch-bundle.js";
import { RpcClientError } from "../../light/rpc.js";
import { RpcError } from "../../rpc/errors.js";
import { inProcessRpc } from "../../rpc/in-process.js";
import type { Json } from "../../rpc/json.js";
import { badRequest, notFound, type RouteResult } from "../http.js";
import type { ApiContext, Route, RouteRequest } from "../router.js";

const MAX_ATTRS = 8;
const MAX_ATTR_CHARS = 256;
const EVENT_TYPE = /^[\w.]{1,128}$/;

/** The node's refusals become 400/404 with their reason; nothing else is expected here. */
async function asRouteResult(build: () => Promise<unknown>): Promise<RouteResult> {
  try {
    return { json: (await build()) as Json };
  } catch (err) {
    if (err instanceof RpcClientError) throw notFound(err.message);
    if (err instanceof RpcError) throw badRequest(err.data ?? err.message);
    throw err;
  }
}

function eventBundle(ctx: ApiContext, req: RouteRequest): Promise<RouteResult> {
  const height = req.query.get("height") ?? "";
  if (!/^[1-9][0-9]{0,18}$/.test(height)) throw badRequest("height must be a positive block height");
  const type = req.query.get("type") ?? "";
  if (!EVENT_TYPE.test(type))
    throw badRequest("type must be an event type such as vivim.social.v1.EventPostCreated");
  const attrs = req.query.getAll("attr");
  if (attrs.length === 0 || attrs.length > MAX_ATTRS)
    throw badRequest(`give 1 to ${MAX_ATTRS} attr=key=value`);
  const attributes: Record<string, string> = {};
  for (const a of attrs) {
    const eq = a.indexOf("=");
    if (eq <= 0 || a.length > MAX_ATTR_CHARS) throw badRequest(`attr ${a.slice(0, 40)}: expected key=value`);
    attributes[a.slice(0, eq)] = a.slice(eq + 1);
  }
  return asRouteResult(() =>
    fetchEventBundle(inProcessRpc(ctx.node), { height: BigInt(height), type, attributes }),
  );
}

function txBundle(ctx: ApiContext, req: RouteRequest): Promise<RouteResult> {
  const hash = req.params[0] ?? "";
  if (!/^[0-9a-fA-F]{64}$/.test(hash)) throw badRequest("tx hash must be 64 hex characters");
  return asRouteResult(() => fetchTxBundle(inProcessRpc(ctx.node), hash));
}

export const proofRoutes: readonly Route[] = [
  { method: "GET", pattern: /^\/vivim\/proofs\/v1\/events$/, name: "proofs.event", handler: eventBundle },
  { method: "GET", pattern: /^\/vivim\/proofs\/v1\/txs\/([^/]+)$/, name: "proofs.tx", handler: txBundle },
];
