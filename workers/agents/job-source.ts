/**
 * What every block-consuming agent shares: its clients for the chain (abci queries) and the node
 * (blocks), one pair per RPC URL for the whole process, and the re-read of a block whose job the
 * bridge had to truncate.
 */
import { blockEvents } from "../bridge/block-events.js";
import { type BlockJobData, blockJob, type WorkerInterest } from "../bridge/interests.js";
import { httpNodeRpc, type NodeRpc } from "../bridge/node-rpc.js";
import { type ChainQuery, httpChainQuery } from "./feed/chain.js";

export type BlockReader = Pick<NodeRpc, "block" | "blockResults">;

/** Given clients (tests, benches) or the node's URL to make them from. */
export interface JobSourceContext {
  readonly chain?: ChainQuery | undefined;
  readonly node?: BlockReader | undefined;
  readonly nodeRpcUrl?: string | undefined;
}

const clients = new Map<string, { chain: ChainQuery; node: NodeRpc }>();

export function clientsOf(ctx: JobSourceContext): {
  chain?: ChainQuery | undefined;
  node?: BlockReader | undefined;
} {
  if (ctx.chain || ctx.node || !ctx.nodeRpcUrl) return { chain: ctx.chain, node: ctx.node };
  let c = clients.get(ctx.nodeRpcUrl);
  if (!c) {
    c = { chain: httpChainQuery(ctx.nodeRpcUrl), node: httpNodeRpc(ctx.nodeRpcUrl) };
    clients.set(ctx.nodeRpcUrl, c);
  }
  return c;
}

/** A truncated job's block read again from the node, whole, with the events `interest` wants. */
export async function wholeJob(
  job: BlockJobData,
  node: BlockReader,
  interest: WorkerInterest,
): Promise<BlockJobData> {
  const [block, results] = await Promise.all([node.block(job.height), node.blockResults(job.height)]);
  const full = blockJob(job.chainId, blockEvents(job.height, block, results), interest, {
    maxEventBytes: Number.POSITIVE_INFINITY,
    maxValueChars: 1024,
  });
  return full ?? job;
}
