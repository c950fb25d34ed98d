/**
 * The app API's view of this node's service workers, read from their Redis (`[api] workers_redis`):
 * supervisor and agent state with each agent's autonomy, the approval list (decided by the agent's
 * owner with an ADR-036 signature), and the feeds the feed agent keeps. One lazy connection; a
 * Redis that is down answers 503, never hangs a request.
 */
import { Queue } from "bullmq";
import type { Redis } from "ioredis";
import { type FeedQuery, readFeedFromRedis } from "../../workers/agents/feed/read.js";
import { AGENT_NAMES } from "../../workers/agents/registry.js";
import { type Approval, ApprovalStore } from "../../workers/agents/runtime/approvals.js";
import { readAllAutonomy } from "../../workers/agents/runtime/autonomy.js";
import { DEFAULT_INTERESTS } from "../../workers/bridge/interests.js";
import { connectRedis, QUEUE_PREFIX } from "../../workers/redis/connection.js";
import { readStatus, sendControl } from "../../workers/supervisor/control.js";
import { AI_SPEND_FIELD, type AiSpendReport, stateKey } from "../../workers/supervisor/protocol.js";
import { type Adr036Signature, adr036SignBytes, verifyAdr036 } from "../crypto/adr036.js";
import { sha256, toHexUpper } from "../crypto/hash.js";
import type { Logger } from "../util/logger.js";
import { ApiError } from "./http.js";
import { CONTROL_MAX_AGE_MS, controlCommand, type WorkersControlRequest } from "./workers-control.js";

/** The supervisor rewrites its state every second; older than this, it is taken as not running. */
export const SUPERVISOR_FRESH_MS = 5_000;

/** What an owner signs to decide an approval: ADR-036 data, bound to the chain and the approval. */
export function approvalDecisionText(chainId: string, id: string, decision: "approve" | "reject"): string {
  return `vivim-approval\n${chainId}\n${id}\n${decision}`;
}

/** The exact bytes a wallet signs for a decision (what the UI hands `signAmino`/`signArbitrary`). */
export function approvalSignBytes(
  signer: string,
  chainId: string,
  id: string,
  decision: "approve" | "reject",
) {
  return adr036SignBytes(signer, new TextEncoder().encode(approvalDecisionText(chainId, id, decision)));
}

/** The BullMQ job counts the workers view shows per queue. */
const QUEUE_STATES = ["waiting", "prioritized", "active", "delayed", "completed", "failed"] as const;

export class WorkersBackend {
  private redis: Redis | undefined;
  private queues: Queue[] | undefined;

  constructor(
    private readonly url: string,
    private readonly log: Logger,
  ) {}

  private conn(): Redis {
    this.redis ??= connectRedis(this.url, "producer", this.log);
    return this.redis;
  }

  private async guard<T>(f: (r: Redis) => Promise<T>): Promise<T> {
    try {
      return await f(this.conn());
    } catch (err) {
      if (err instanceof ApiError) throw err;
      const code = (err as { code?: string }).code;
      if (code === "INVALID_ARGUMENT") throw new ApiError("BAD_REQUEST", (err as Error).message);
      this.log.warn({ code: "REDIS_UNAVAILABLE", err: (err as Error).message }, "workers' Redis unavailable");
      throw new ApiError("UNAVAILABLE", "the service workers' Redis is unavailable");
    }
  }

  async status(now = Date.now()) {
    return this.guard(async (r) => {
      const [s, autonomy] = await Promise.all([
        readStatus(r, QUEUE_PREFIX),
        readAllAutonomy(r, QUEUE_PREFIX, AGENT_NAMES),
      ]);
      const running = s.supervisor !== null && now - s.supervisor.updatedAt < SUPERVISOR_FRESH_MS;
      return {
        supervisor: s.supervisor
          ? {
              running,
              pid: s.supervisor.pid,
              started_at: new Date(s.supervisor.startedAt).toISOString(),
              emergency_stop: s.supervisor.emergencyStop,
              governance: s.supervisor.governance,
            }
          : { running: false },
        agents: AGENT_NAMES.map((name) => {
          const a = s.agents.find((x) => x.agent === name);
          return {
            agent: name,
            autonomy: autonomy[name],
            status: a && running ? a.status : "stopped",
            pid: a?.pid ?? null,
            restarts: a?.restarts ?? 0,
            last_restart: a?.lastRestart
              ? { reason: a.lastRestart.reason, at: new Date(a.lastRestart.at).toISOString() }
              : null,
            last_heartbeat: a?.lastHeartbeat ? new Date(a.lastHeartbeat).toISOString() : null,
            last_processed_height: String(a?.lastProcessedHeight ?? 0),
            paused_by: a?.pausedBy ?? null,
          };
        }),
      };
    });
  }

  async approvals(o: { status: "pending" | "all"; agent?: string; limit: number }): Promise<Approval[]> {
    return this.guard((r) => new ApprovalStore(r, QUEUE_PREFIX).list(o));
  }

  async approval(id: string): Promise<Approval> {
    const a = await this.guard((r) => new ApprovalStore(r, QUEUE_PREFIX).get(id));
    if (!a) throw new ApiError("NOT_FOUND", `no approval ${id}`);
    return a;
  }

  /**
   * Decides a pending approval for its owner. `ownerOf(actor)` reads the agent's current owner from
   * chain state, so an agent transferred since it proposed the action answers to its new owner.
   */
  async decide(
    id: string,
    decision: "approve" | "reject",
    sig: Adr036Signature,
    chainId: string,
    ownerOf: (actor: string) => Promise<string | undefined>,
  ): Promise<Approval> {
    const approval = await this.approval(id);
    const owner = approval.actor ? await ownerOf(approval.actor) : undefined;
    if (!owner || owner !== sig.signer) {
      throw new ApiError("PERMISSION_DENIED", "only the agent's owner may decide its approvals");
    }
    if (!verifyAdr036(sig, new TextEncoder().encode(approvalDecisionText(chainId, id, decision)))) {
      throw new ApiError(
        "PERMISSION_DENIED",
        "the signature does not verify for this signer, approval and decision",
      );
    }
    return this.guard(async (r) => {
      try {
        return await new ApprovalStore(r, QUEUE_PREFIX).decide(id, decision, sig.signer);
      } catch (err) {
        const code = (err as { code?: string }).code;
        if (code === "APPROVAL_DECIDED") throw new ApiError("CONFLICT", `approval ${id} was already decided`);
        if (code === "APPROVAL_NOT_FOUND") throw new ApiError("NOT_FOUND", `no approval ${id}`);
        throw err;
      }
    });
  }

  /**
   * Hands an authorized operator command to the supervisor, once: a signature already used is
   * refused (CONFLICT), so a captured request cannot be replayed while it is still fresh.
   */
  async control(req: WorkersControlRequest): Promise<void> {
    await this.guard(async (r) => {
      const seen = `${QUEUE_PREFIX}:workers:control-seen:${toHexUpper(sha256(Buffer.from(req.sig.signature)))}`;
      const first = await r.set(seen, String(req.issuedAt), "PX", 2 * CONTROL_MAX_AGE_MS, "NX");
      if (first !== "OK")
        throw new ApiError("CONFLICT", "this signed command was already used; sign a new one");
      await sendControl(r, QUEUE_PREFIX, controlCommand(req));
    });
  }

  /** Job counts of every worker queue (the bridge enqueues one job per block per queue). */
  async queueCounts() {
    return this.guard(async (r) => {
      this.queues ??= DEFAULT_INTERESTS.map(
        (i) => new Queue(i.queue, { connection: r, prefix: QUEUE_PREFIX }),
      );
      return Promise.all(
        this.queues.map(async (q) => ({ queue: q.name, counts: await q.getJobCounts(...QUEUE_STATES) })),
      );
    });
  }

  /** The AI keys' spend against their budgets, as the supervisor last published it (no secrets). */
  async aiSpend(): Promise<AiSpendReport | null> {
    return this.guard(async (r) => {
      const text = await r.hget(stateKey(QUEUE_PREFIX), AI_SPEND_FIELD);
      if (!text) return null;
      try {
        return JSON.parse(text) as AiSpendReport;
      } catch {
        return null;
      }
    });
  }

  async feed(q: FeedQuery): Promise<string[]> {
    return this.guard((r) => readFeedFromRedis(r, q));
  }

  /** The raw connection, for readers other modules own (alerts). */
  async withRedis<T>(f: (r: Redis) => Promise<T>): Promise<T> {
    return this.guard(f);
  }

  close(): void {
    for (const q of this.queues ?? []) void q.close().catch(() => undefined);
    this.queues = undefined;
    this.redis?.disconnect();
    this.redis = undefined;
  }
}
