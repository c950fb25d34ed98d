/**
 * The approval list: actions an agent proposed under `advisory` (or, for low-confidence ones,
 * `assisted`) autonomy, waiting for its owner. The owner approves or rejects over the app API
 * (signed) or `vivim workers approvals`; the decision goes onto the agent's list
 * `vivim:workers:approved:<agent>`, and the agent process takes it from there: it acts on an
 * approval and audits a rejection.
 *
 * Keys (prefix `vivim:workers:approvals`):
 * - the hash itself: id → the request (JSON, never changed after it is queued);
 * - `:state`: id → `{ status, updatedAt, decidedBy?, txHash?, code? }`;
 * - `:pending`: sorted set of pending ids by creation time; `:recent`: every id by last change,
 *   trimmed to the newest RECENT_KEPT (trimmed requests are deleted).
 * The id is the action's id, so one action is proposed once however often it is decided again.
 */
import type { Redis } from "ioredis";
import { WorkersError } from "../../errors.js";
import type { Confidence } from "./decision.js";

export type ApprovalStatus = "pending" | "approved" | "rejected" | "executed" | "failed";

export interface ApprovalRequest {
  readonly id: string;
  readonly agent: string;
  /** The agent's chain identity and its owner, who alone may decide (empty when unknown). */
  readonly actor: string;
  readonly owner: string;
  readonly height: number;
  readonly subject: string;
  readonly tool: string;
  readonly args: Readonly<Record<string, unknown>>;
  readonly summary: string;
  readonly reason: string;
  readonly confidence: Confidence;
  readonly createdAt: number;
}

export interface ApprovalState {
  readonly status: ApprovalStatus;
  readonly updatedAt: number;
  readonly decidedBy?: string;
  readonly txHash?: string;
  readonly code?: string;
}

export type Approval = ApprovalRequest & ApprovalState;

/** Pending approvals beyond this are refused (APPROVALS_FULL): an owner cannot read more. */
export const MAX_PENDING = 10_000;
export const RECENT_KEPT = 5_000;

const base = (prefix: string) => `${prefix}:workers:approvals`;
export const approvedListKey = (prefix: string, agent: string) => `${prefix}:workers:approved:${agent}`;
const processingKey = (prefix: string, agent: string) => `${prefix}:workers:approving:${agent}`;

/** KEYS: requests, state, pending, recent. ARGV: id, request, state, createdAt, maxPending. */
const QUEUE = `
if redis.call('HEXISTS', KEYS[1], ARGV[1]) == 1 then return 0 end
if redis.call('ZCARD', KEYS[3]) >= tonumber(ARGV[5]) then return -1 end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
redis.call('HSET', KEYS[2], ARGV[1], ARGV[3])
redis.call('ZADD', KEYS[3], ARGV[4], ARGV[1])
redis.call('ZADD', KEYS[4], ARGV[4], ARGV[1])
return 1`;

/**
 * KEYS: state, pending, recent, approved list. ARGV: id, expected status, new state, updatedAt,
 * push (1: push the id onto the approved list). Returns 1, 0 (unknown id) or -1 (other status).
 */
const TRANSITION = `
local cur = redis.call('HGET', KEYS[1], ARGV[1])
if not cur then return 0 end
if cjson.decode(cur).status ~= ARGV[2] then return -1 end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[3])
redis.call('ZREM', KEYS[2], ARGV[1])
redis.call('ZADD', KEYS[3], ARGV[4], ARGV[1])
if ARGV[5] == '1' then redis.call('LPUSH', KEYS[4], ARGV[1]) end
return 1`;

export class ApprovalStore {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly now: () => number = Date.now,
  ) {}

  /** Adds a pending approval; false when this action was proposed before. */
  async queue(req: Omit<ApprovalRequest, "createdAt">): Promise<boolean> {
    const createdAt = this.now();
    const state: ApprovalState = { status: "pending", updatedAt: createdAt };
    const k = base(this.prefix);
    const r = (await this.redis.eval(
      QUEUE,
      4,
      k,
      `${k}:state`,
      `${k}:pending`,
      `${k}:recent`,
      req.id,
      JSON.stringify({ ...req, createdAt }),
      JSON.stringify(state),
      String(createdAt),
      String(MAX_PENDING),
    )) as number;
    if (r === -1) {
      throw new WorkersError("APPROVALS_FULL", `${MAX_PENDING} actions already wait for approval`);
    }
    if (r === 1) await this.trim();
    return r === 1;
  }

  async get(id: string): Promise<Approval | undefined> {
    const k = base(this.prefix);
    const [req, state] = await Promise.all([this.redis.hget(k, id), this.redis.hget(`${k}:state`, id)]);
    if (!req || !state) return undefined;
    return { ...(JSON.parse(req) as ApprovalRequest), ...(JSON.parse(state) as ApprovalState) };
  }

  /** Pending approvals oldest first, or everything recent newest first. */
  async list(o: { status?: "pending" | "all"; agent?: string; limit?: number } = {}): Promise<Approval[]> {
    const k = base(this.prefix);
    const limit = Math.min(Math.max(o.limit ?? 100, 1), 1000);
    const ids =
      o.status === "all"
        ? await this.redis.zrevrange(`${k}:recent`, 0, RECENT_KEPT - 1)
        : await this.redis.zrange(`${k}:pending`, 0, MAX_PENDING - 1);
    const out: Approval[] = [];
    for (let i = 0; i < ids.length && out.length < limit; i += 200) {
      const chunk = ids.slice(i, i + 200);
      const [reqs, states] = await Promise.all([
        this.redis.hmget(k, ...chunk),
        this.redis.hmget(`${k}:state`, ...chunk),
      ]);
      chunk.forEach((_, j) => {
        const req = reqs[j];
        const state = states[j];
        if (!req || !state) return;
        const a = { ...(JSON.parse(req) as ApprovalRequest), ...(JSON.parse(state) as ApprovalState) };
        if ((!o.agent || a.agent === o.agent) && out.length < limit) out.push(a);
      });
    }
    return out;
  }

  /** The owner's decision on a pending approval; it goes to the agent either way (to act or to audit). */
  async decide(id: string, decision: "approve" | "reject", by: string): Promise<Approval> {
    const current = await this.get(id);
    if (!current) throw new WorkersError("APPROVAL_NOT_FOUND", `no approval ${id}`);
    const status = decision === "approve" ? "approved" : "rejected";
    await this.transition(id, current.agent, "pending", { status, decidedBy: by }, true);
    return { ...current, status, decidedBy: by, updatedAt: this.now() };
  }

  /** Records what became of an approved action. */
  async complete(
    id: string,
    agent: string,
    result: { status: "executed" | "failed"; txHash?: string; code?: string },
  ) {
    const current = await this.get(id);
    await this.transition(id, agent, "approved", { ...result, decidedBy: current?.decidedBy }, false);
  }

  /**
   * Waits up to `timeoutSec` for a decided action of `agent`, moving it to a processing list
   * (`release` puts it back after a crash). Needs its own connection: it blocks.
   */
  async take(blocking: Redis, agent: string, timeoutSec: number): Promise<string | null> {
    return blocking.blmove(
      approvedListKey(this.prefix, agent),
      processingKey(this.prefix, agent),
      "RIGHT",
      "LEFT",
      timeoutSec,
    );
  }

  async done(agent: string, id: string): Promise<void> {
    await this.redis.lrem(processingKey(this.prefix, agent), 0, id);
  }

  /** Puts back actions a crashed agent had taken but not finished (their claims stop a repeat). */
  async release(agent: string): Promise<void> {
    while (
      (await this.redis.lmove(
        processingKey(this.prefix, agent),
        approvedListKey(this.prefix, agent),
        "RIGHT",
        "RIGHT",
      )) !== null
    ) {
      // moved one back
    }
  }

  private async transition(
    id: string,
    agent: string,
    from: ApprovalStatus,
    next: Omit<ApprovalState, "updatedAt">,
    push: boolean,
  ): Promise<void> {
    const k = base(this.prefix);
    const updatedAt = this.now();
    const r = (await this.redis.eval(
      TRANSITION,
      4,
      `${k}:state`,
      `${k}:pending`,
      `${k}:recent`,
      approvedListKey(this.prefix, agent),
      id,
      from,
      JSON.stringify({ ...next, updatedAt }),
      String(updatedAt),
      push ? "1" : "0",
    )) as number;
    if (r === 0) throw new WorkersError("APPROVAL_NOT_FOUND", `no approval ${id}`);
    if (r === -1) throw new WorkersError("APPROVAL_DECIDED", `approval ${id} is no longer ${from}`);
  }

  /** Drops the oldest decided requests beyond RECENT_KEPT (pending ones are never dropped). */
  private async trim(): Promise<void> {
    const k = base(this.prefix);
    const excess = (await this.redis.zcard(`${k}:recent`)) - RECENT_KEPT;
    if (excess <= 0) return;
    const old = await this.redis.zrange(`${k}:recent`, 0, excess - 1);
    const pending = new Set(await this.redis.zrange(`${k}:pending`, 0, -1));
    const drop = old.filter((id) => !pending.has(id));
    if (drop.length === 0) return;
    await this.redis
      .multi()
      .zrem(`${k}:recent`, ...drop)
      .hdel(k, ...drop)
      .hdel(`${k}:state`, ...drop)
      .exec();
  }
}
