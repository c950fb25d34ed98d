/**
 * The health agent's readings, one round at a time: every node's CometBFT JSON-RPC (`status`,
 * `net_info`, `num_unconfirmed_txs`, and `blockchain` on the highest node), the BullMQ queues'
 * depths, the supervisor's state hash and the AI-key vault's spend report. Every answer is size
 * capped and checked; a part that cannot be read is left undefined (its checks are skipped).
 */
import { Queue } from "bullmq";
import type { Redis } from "ioredis";
import type { Logger } from "pino";
import { readStatus } from "../../supervisor/control.js";
import { KeyVault } from "../../vault/vault.js";
import { AGENT_NAMES } from "../names.js";
import {
  type BlockMeta,
  type NodeProbe,
  nodeSubject,
  type QueueProbe,
  rfc3339Ms,
  type Snapshot,
  type SpendProbe,
  type WorkerProbe,
} from "./checks.js";

/** Answers larger than this are refused (a `blockchain` page of 20 metas is a few KiB). */
const MAX_ANSWER_BYTES = 1024 * 1024;
/** How many recent blocks the interval check looks at. */
export const BLOCK_WINDOW = 20;

export class ProbeError extends Error {
  override readonly name = "ProbeError";
  constructor(
    readonly code: "NODE_UNAVAILABLE" | "NODE_TIMEOUT" | "BAD_ANSWER" | "RPC_ERROR",
    message: string,
  ) {
    super(message);
  }
}

async function readCapped(res: Response, max: number): Promise<string> {
  const reader = res.body?.getReader();
  if (!reader) return "";
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > max) {
      await reader.cancel().catch(() => undefined);
      throw new ProbeError("BAD_ANSWER", "answer too large");
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString("utf8");
}

/** One JSON-RPC call; throws ProbeError with a code. */
export async function rpcCall(
  url: string,
  method: string,
  params: Record<string, unknown>,
  timeoutMs: number,
): Promise<Record<string, unknown>> {
  let text: string;
  try {
    const res = await fetch(url.replace(/\/$/, ""), {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ jsonrpc: "2.0", id: 1, method, params }),
      signal: AbortSignal.timeout(timeoutMs),
      redirect: "error",
    });
    text = await readCapped(res, MAX_ANSWER_BYTES);
  } catch (err) {
    if (err instanceof ProbeError) throw err;
    const timeout = (err as Error).name === "TimeoutError";
    throw new ProbeError(timeout ? "NODE_TIMEOUT" : "NODE_UNAVAILABLE", `${method} did not answer`);
  }
  let body: { result?: unknown; error?: unknown };
  try {
    body = JSON.parse(text) as typeof body;
  } catch {
    throw new ProbeError("BAD_ANSWER", `${method} answered no JSON`);
  }
  if (body.error !== undefined) throw new ProbeError("RPC_ERROR", `${method} failed`);
  if (!body.result || typeof body.result !== "object")
    throw new ProbeError("BAD_ANSWER", `${method}: no result`);
  return body.result as Record<string, unknown>;
}

/** A non-negative safe integer from a CometBFT decimal string (or number); undefined otherwise. */
export function count(v: unknown): number | undefined {
  if (typeof v === "number") return Number.isSafeInteger(v) && v >= 0 ? v : undefined;
  if (typeof v !== "string" || !/^\d{1,16}$/.test(v)) return undefined;
  const n = Number(v);
  return Number.isSafeInteger(n) ? n : undefined;
}

const obj = (v: unknown): Record<string, unknown> =>
  v && typeof v === "object" ? (v as Record<string, unknown>) : {};

export async function probeNode(url: string, timeoutMs: number): Promise<NodeProbe> {
  const subject = nodeSubject(url);
  const [status, net, mempool] = await Promise.allSettled([
    rpcCall(url, "status", {}, timeoutMs),
    rpcCall(url, "net_info", {}, timeoutMs),
    rpcCall(url, "num_unconfirmed_txs", {}, timeoutMs),
  ]);
  if (status.status === "rejected") {
    const code = status.reason instanceof ProbeError ? status.reason.code : "NODE_UNAVAILABLE";
    return { subject, ok: false, code };
  }
  const sync = obj(status.value.sync_info);
  const info = obj(status.value.node_info);
  const height = count(sync.latest_block_height);
  const chainId = typeof info.network === "string" && info.network.length <= 64 ? info.network : undefined;
  if (height === undefined) return { subject, ok: false, code: "BAD_ANSWER" };
  const latestBlockTimeMs = rfc3339Ms(sync.latest_block_time);
  const peers = net.status === "fulfilled" ? count(net.value.n_peers) : undefined;
  const m = mempool.status === "fulfilled" ? mempool.value : undefined;
  const mempoolTxs = m ? count(m.total ?? m.n_txs) : undefined;
  const mempoolBytes = m ? count(m.total_bytes) : undefined;
  return {
    subject,
    ok: true,
    height,
    ...(chainId !== undefined ? { chainId } : {}),
    ...(latestBlockTimeMs !== undefined ? { latestBlockTimeMs } : {}),
    ...(peers !== undefined ? { peers } : {}),
    ...(mempoolTxs !== undefined ? { mempoolTxs } : {}),
    ...(mempoolBytes !== undefined ? { mempoolBytes } : {}),
  };
}

/** The headers of the last `window` blocks up to `maxHeight` (`blockchain`); malformed metas are dropped. */
export async function recentBlocks(
  url: string,
  maxHeight: number,
  timeoutMs: number,
  window = BLOCK_WINDOW,
): Promise<BlockMeta[]> {
  const minHeight = Math.max(1, maxHeight - window + 1);
  const r = await rpcCall(
    url,
    "blockchain",
    { minHeight: String(minHeight), maxHeight: String(maxHeight) },
    timeoutMs,
  );
  const metas = Array.isArray(r.block_metas) ? r.block_metas.slice(0, window * 2) : [];
  const out: BlockMeta[] = [];
  for (const m of metas) {
    const header = obj(obj(m).header);
    const height = count(header.height);
    const timeMs = rfc3339Ms(header.time);
    const txs = count(obj(m).num_txs) ?? 0;
    if (height !== undefined && timeMs !== undefined) out.push({ height, timeMs, txs });
  }
  return out;
}

export interface ProbeOptions {
  readonly redis: Redis;
  readonly prefix: string;
  readonly nodes: readonly string[];
  readonly home?: string;
  readonly logger: Logger;
  readonly rpcTimeoutMs: number;
  readonly now: () => number;
}

/** Reads one snapshot per `read()`; holds the BullMQ Queue handles (on the shared connection). */
export class HealthProbe {
  private readonly queues: Queue[];
  private readonly vault: KeyVault | undefined;

  constructor(private readonly o: ProbeOptions) {
    this.queues = AGENT_NAMES.map((name) => {
      const q = new Queue(name, { connection: o.redis, prefix: o.prefix });
      q.on("error", () => undefined);
      return q;
    });
    this.vault = o.home
      ? new KeyVault({
          home: o.home,
          // list/report need no passphrase; anything that would is a bug here.
          passphrase: () => {
            throw new Error("the health agent never unlocks the vault");
          },
        })
      : undefined;
  }

  async read(): Promise<Snapshot> {
    const [nodes, queues, workers, spend] = await Promise.all([
      Promise.all(this.o.nodes.map((u) => probeNode(u, this.o.rpcTimeoutMs))),
      this.queueDepths(),
      this.workers(),
      this.spend(),
    ]);
    let top: { url: string; height: number } | undefined;
    nodes.forEach((n, i) => {
      if (n.ok && n.height !== undefined && (!top || n.height > top.height))
        top = { url: this.o.nodes[i]!, height: n.height };
    });
    let blocks: BlockMeta[] | undefined;
    if (top && top.height > 1) {
      blocks = await recentBlocks(top.url, top.height, this.o.rpcTimeoutMs).catch(() => undefined);
    }
    return {
      now: this.o.now(),
      nodes,
      ...(blocks ? { blocks } : {}),
      ...(queues ? { queues } : {}),
      ...(workers ? { workers } : {}),
      ...(spend ? { spend } : {}),
    };
  }

  async close(): Promise<void> {
    await Promise.all(this.queues.map((q) => q.close().catch(() => undefined)));
  }

  private async queueDepths(): Promise<QueueProbe[] | undefined> {
    try {
      return await Promise.all(
        this.queues.map(async (q) => {
          const c = await q.getJobCounts("waiting", "delayed");
          return { queue: q.name, waiting: c.waiting ?? 0, delayed: c.delayed ?? 0 };
        }),
      );
    } catch (err) {
      this.o.logger.warn(
        { code: "REDIS_UNAVAILABLE", err: (err as Error).message },
        "health: queue depths unread",
      );
      return undefined;
    }
  }

  private async workers(): Promise<Snapshot["workers"] | undefined> {
    try {
      const s = await readStatus(this.o.redis, this.o.prefix);
      const sup = count(s.supervisor?.updatedAt);
      const agents: WorkerProbe[] = s.agents
        .filter((a) => a && typeof a.agent === "string" && typeof a.status === "string")
        .map((a) => ({
          agent: a.agent,
          status: a.status,
          lastHeartbeat: count(a.lastHeartbeat) ?? null,
        }));
      return { supervisorUpdatedAt: sup ?? null, agents };
    } catch (err) {
      this.o.logger.warn(
        { code: "REDIS_UNAVAILABLE", err: (err as Error).message },
        "health: workers state unread",
      );
      return undefined;
    }
  }

  private async spend(): Promise<SpendProbe[] | undefined> {
    if (!this.vault) return undefined;
    try {
      const report = await this.vault.report();
      return report.map((k) => ({
        keyId: k.id,
        provider: k.provider,
        dayMicroUsd: count(k.dayMicroUsd) ?? 0,
        dailyBudgetMicroUsd: count(k.dailyBudgetMicroUsd) ?? 0,
        revoked: k.revokedAt !== null,
      }));
    } catch (err) {
      const code = (err as { code?: unknown }).code;
      this.o.logger.warn(
        { code: typeof code === "string" ? code : "VAULT_UNREADABLE" },
        "health: AI spend unread",
      );
      return undefined;
    }
  }
}
