/**
 * Where every decision of a worker agent goes: through the autonomy gate, into the audit log, and
 * — when it is to be taken — to the MCP server as the agent's own identity, exactly once.
 *
 * Exactly once: an action's id is a hash of the agent, the tool and its arguments, and the agent
 * claims it in the Redis hash `vivim:workers:actions:<agent>` before calling the tool. A replayed
 * block, a retried job or the same decision reached again finds the claim and records `duplicate`
 * instead of acting twice. Only when the MCP server cannot be reached at all is the claim given
 * back (nothing was sent), and the job fails so BullMQ retries it.
 *
 * Audit: every decision appends one record; an action taken appends `executing` before the call and
 * `executed` or `failed` after, so an on-chain action always has its record even if the process
 * dies in between.
 */
import type { Redis } from "ioredis";
import type { Logger } from "pino";
import { canonicalJson } from "../../audit/canonical.js";
import type { AuditLog } from "../../audit/log.js";
import { type AuditAction, type AuditEntry, sha256Hex } from "../../audit/record.js";
import { WorkersError } from "../../errors.js";
import { type Approval, ApprovalStore } from "./approvals.js";
import { readAutonomy, route } from "./autonomy.js";
import type { ActOutcome, AgentAction, AgentDecision } from "./decision.js";
import type { ToolCaller } from "./mcp-actor.js";

export interface AgentRuntimeOptions {
  readonly agent: string;
  readonly redis: Redis;
  readonly prefix: string;
  readonly audit: AuditLog;
  /** The agent's MCP identity; without one, actions fail with NO_IDENTITY (and are audited). */
  readonly actor?: ToolCaller;
  /** True while the operator or governance holds the agent paused: no writes then. */
  readonly paused: () => boolean;
  readonly logger: Logger;
}

const MAX_SUMMARY = 200;
const MAX_REASON = 300;

/** sha256 over the canonical JSON of whatever a decision read. */
export function hashInputs(inputs: unknown): string {
  return sha256Hex(canonicalJson(inputs));
}

export function actionId(agent: string, action: Pick<AgentAction, "tool" | "args">): string {
  return sha256Hex(`${agent}\n${action.tool}\n${canonicalJson(action.args)}`).slice(0, 32);
}

export const actionsKey = (prefix: string, agent: string) => `${prefix}:workers:actions:${agent}`;

export class AgentRuntime {
  readonly approvals: ApprovalStore;
  private readonly o: AgentRuntimeOptions;
  private identity: Promise<{ address: string; owner: string }> | undefined;

  constructor(o: AgentRuntimeOptions) {
    this.o = o;
    this.approvals = new ApprovalStore(o.redis, o.prefix);
  }

  get agent(): string {
    return this.o.agent;
  }

  get hasIdentity(): boolean {
    return this.o.actor !== undefined;
  }

  /** Resolves once every audit record so far is written. */
  async flush(): Promise<void> {
    await this.o.audit.flush();
  }

  /** Routes, audits and (maybe) takes one decision. */
  async decide(d: AgentDecision): Promise<ActOutcome> {
    const base = this.entryBase(d);
    if (!d.action) return this.audited({ ...base, action: null, outcome: "no-action" }, {});
    const action = d.action;
    const id = actionId(this.o.agent, action);
    const audited = this.auditAction(action, id);
    const level = await readAutonomy(this.o.redis, this.o.prefix, this.o.agent);
    const where = route(level, action.confidence);
    if (where === "record")
      return this.audited({ ...base, action: audited, outcome: "recorded" }, { actionId: id });
    if (this.o.paused())
      return this.audited({ ...base, action: audited, outcome: "paused" }, { actionId: id });
    if (where === "queue") {
      const who = await this.whoami();
      const added = await this.approvals.queue({
        id,
        agent: this.o.agent,
        actor: who.address,
        owner: who.owner,
        height: d.height,
        subject: d.subject,
        tool: action.tool,
        args: action.args,
        summary: audited.summary,
        reason: base.reason,
        confidence: action.confidence,
      });
      return this.audited(
        { ...base, action: audited, outcome: added ? "queued" : "duplicate", approvalId: id },
        { actionId: id, approvalId: id },
      );
    }
    return this.execute(base, action, audited);
  }

  /** Takes an action its owner approved (the agent process's approval loop calls this). */
  async executeApproved(approval: Approval): Promise<ActOutcome> {
    const action: AgentAction = {
      tool: approval.tool,
      args: approval.args,
      summary: approval.summary,
      confidence: approval.confidence,
    };
    const audited = this.auditAction(action, approval.id);
    const base = {
      agent: this.o.agent,
      height: approval.height,
      subject: approval.subject,
      inputsHash: hashInputs({ approval: approval.id, decidedBy: approval.decidedBy }),
      ai: null,
      reason: `approved by ${approval.decidedBy ?? "the owner"}`,
      approvalId: approval.id,
    };
    const out = await this.execute(base, action, audited);
    const status = out.status === "executed" || out.status === "duplicate" ? "executed" : "failed";
    await this.approvals.complete(approval.id, this.o.agent, {
      status,
      ...(out.txHash ? { txHash: out.txHash } : {}),
      ...(out.code ? { code: out.code } : {}),
    });
    return out;
  }

  /** Audits the rejection of a queued action (the API records the decision itself). */
  async recordRejection(approval: Approval): Promise<void> {
    await this.o.audit.append({
      agent: this.o.agent,
      height: approval.height,
      subject: approval.subject,
      inputsHash: hashInputs({ approval: approval.id }),
      ai: null,
      action: this.auditAction(
        {
          tool: approval.tool,
          args: approval.args,
          summary: approval.summary,
          confidence: approval.confidence,
        },
        approval.id,
      ),
      outcome: "rejected",
      reason: `rejected by ${approval.decidedBy ?? "the owner"}`,
      approvalId: approval.id,
    });
  }

  private async execute(
    base: Omit<AuditEntry, "action" | "outcome">,
    action: AgentAction,
    audited: AuditAction,
  ): Promise<ActOutcome> {
    const id = audited.id;
    if (!this.o.actor) {
      return this.audited(
        { ...base, action: audited, outcome: "failed", code: "NO_IDENTITY" },
        { actionId: id, code: "NO_IDENTITY" },
      );
    }
    const key = actionsKey(this.o.prefix, this.o.agent);
    const claimed = await this.o.redis.hsetnx(key, id, JSON.stringify({ status: "executing" }));
    if (claimed === 0)
      return this.audited({ ...base, action: audited, outcome: "duplicate" }, { actionId: id });
    await this.o.audit.append({ ...base, action: audited, outcome: "executing" });
    let result: Awaited<ReturnType<ToolCaller["call"]>>;
    try {
      result = await this.o.actor.call(action.tool, action.args);
    } catch (err) {
      const code = err instanceof WorkersError ? err.code : "MCP_UNAVAILABLE";
      // Unreachable: nothing was done, so the action may be tried again when the job is retried.
      await this.o.redis.hdel(key, id);
      await this.o.audit.append({ ...base, action: audited, outcome: "failed", code });
      throw err;
    }
    const txHash = typeof result.result?.txHash === "string" ? result.result.txHash : undefined;
    const status = result.ok ? "executed" : "failed";
    await this.o.redis.hset(
      key,
      id,
      JSON.stringify({
        status,
        ...(txHash ? { txHash } : {}),
        ...(result.code ? { code: result.code } : {}),
      }),
    );
    if (!result.ok) {
      this.o.logger.warn(
        { agent: this.o.agent, tool: action.tool, code: result.code },
        "agent action refused",
      );
    }
    return this.audited(
      {
        ...base,
        action: audited,
        outcome: status,
        ...(txHash ? { txHash } : {}),
        ...(result.code ? { code: result.code } : {}),
      },
      { actionId: id, ...(txHash ? { txHash } : {}), ...(result.code ? { code: result.code } : {}) },
    );
  }

  /** The agent's chain identity, from the MCP server's whoami (asked once). */
  whoami(): Promise<{ address: string; owner: string }> {
    const actor = this.o.actor;
    if (!actor) return Promise.resolve({ address: "", owner: "" });
    this.identity ??= actor.call("whoami", {}).then((r) => {
      const address = typeof r.result?.address === "string" ? r.result.address : "";
      const owner = typeof r.result?.owner === "string" ? r.result.owner : "";
      if (!r.ok || !address)
        throw new WorkersError("NO_IDENTITY", `whoami failed: ${r.code ?? "no address"}`);
      return { address, owner };
    });
    this.identity.catch(() => {
      this.identity = undefined;
    });
    return this.identity;
  }

  private entryBase(d: AgentDecision): Omit<AuditEntry, "action" | "outcome"> {
    return {
      agent: this.o.agent,
      height: d.height,
      subject: d.subject.slice(0, MAX_SUMMARY),
      inputsHash: d.inputsHash,
      ai: d.ai,
      reason: d.reason.slice(0, MAX_REASON),
    };
  }

  private auditAction(action: AgentAction, id: string): AuditAction {
    return {
      id,
      tool: action.tool,
      argsHash: hashInputs(action.args),
      summary: action.summary.slice(0, MAX_SUMMARY),
    };
  }

  private async audited(
    entry: AuditEntry,
    extra: Omit<ActOutcome, "status" | "auditSeq">,
  ): Promise<ActOutcome> {
    const record = await this.o.audit.append(entry);
    return { status: entry.outcome as ActOutcome["status"], auditSeq: record.seq, ...extra };
  }
}
