/** `cosmos.base.tendermint.v1beta1` over REST: blocks, node info, syncing. */
import { blockIdOf } from "../../consensus/block-builder.js";
import type { Json } from "../../rpc/json.js";
import { APP_VERSION, cometNodeInfo } from "../../rpc/methods/info.js";
import { getBlockResponseJson } from "../block-json.js";
import { badRequest, notFound, type RouteResult } from "../http.js";
import { heightParam } from "../params.js";
import type { ApiContext, Route, RouteRequest } from "../router.js";

async function blockAt(ctx: ApiContext, height: bigint): Promise<RouteResult> {
  const latest = ctx.node.blockStore.latestHeight;
  if (latest === 0n) throw notFound("no block has been committed yet");
  if (height > latest) {
    throw badRequest(`requested block height ${height} is greater than the latest height ${latest}`);
  }
  const block = await ctx.node.blockStore.getBlock(height);
  if (!block) throw notFound(`block at height ${height} not found`);
  return { json: getBlockResponseJson(block, blockIdOf(block)) };
}

const latestBlock = (ctx: ApiContext): Promise<RouteResult> => blockAt(ctx, ctx.node.blockStore.latestHeight);

const blockByHeight = (ctx: ApiContext, req: RouteRequest): Promise<RouteResult> =>
  blockAt(ctx, heightParam(req.params[0] ?? ""));

/** The gRPC-gateway form of CometBFT's node_info: the same fields, the id named default_node_id. */
function defaultNodeInfo(node: ApiContext["node"]): { [key: string]: Json } {
  const { id, ...rest } = cometNodeInfo(node);
  return { ...rest, default_node_id: id };
}

function nodeInfo(ctx: ApiContext): RouteResult {
  const { node } = ctx;
  return {
    json: {
      default_node_info: defaultNodeInfo(node),
      application_version: {
        name: "vivim",
        app_name: "vivim",
        version: APP_VERSION,
        git_commit: "",
        build_tags: "",
        go_version: `node ${process.version}`,
        build_deps: [],
        cosmos_sdk_version: "",
      },
    },
  };
}

/** A node that serves the API is in consensus with its network (block-sync runs before serving). */
const syncing = (): RouteResult => ({ json: { syncing: false } });

const BASE = "\\/cosmos\\/base\\/tendermint\\/v1beta1";

export const tendermintRoutes: readonly Route[] = [
  {
    method: "GET",
    pattern: new RegExp(`^${BASE}\\/blocks\\/latest$`),
    name: "tendermint.block_latest",
    handler: latestBlock,
  },
  {
    method: "GET",
    pattern: new RegExp(`^${BASE}\\/blocks\\/([^/]+)$`),
    name: "tendermint.block",
    handler: blockByHeight,
  },
  {
    method: "GET",
    pattern: new RegExp(`^${BASE}\\/node_info$`),
    name: "tendermint.node_info",
    handler: nodeInfo,
  },
  { method: "GET", pattern: new RegExp(`^${BASE}\\/syncing$`), name: "tendermint.syncing", handler: syncing },
];
