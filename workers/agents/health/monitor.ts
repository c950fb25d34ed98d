/**
 * The health agent at work: a check round every 5 s (a halted chain sends no block jobs, so the
 * rounds run in the background), and per block job a note of chain progress. A round reads a
 * snapshot (probe.ts), evaluates it (checks.ts), raises and resolves alerts (alerts.ts: Redis,
 * the pub/sub channel, the webhook), posts each new alert once in #ops through the runtime, and
 * restarts stuck workers through the supervisor's control list.
 *
 * Writes (posts, restarts) never happen while the agent is paused; alerts in Redis and the webhook
 * still do. A post waits while the chain is stalled (it could not commit) and is made once blocks
 * come again. Rounds and block jobs run one at a time.
 */
import type { BlockJobData } from "../../bridge/interests.js";
import { sendControl } from "../../supervisor/control.js";
import { isAgentName } from "../names.js";
import type { AgentContext } from "../registry.js";
import { readAutonomy } from "../runtime/autonomy.js";
import { hashInputs } from "../runtime/runtime.js";
import { type Alert, AlertStore, alertPost, postWebhook } from "./alerts.js";
import {
  DEFAULT_THRESHOLDS,
  type Evaluation,
  evaluate,
  observeHeight,
  type Progress,
  resolvedKeys,
  stuckAgents,
  type Thresholds,
} from "./checks.js";
import { HealthProbe } from "./probe.js";

export interface HealthOptions {
  /** Between check rounds; default 5000 ms. */
  readonly intervalMs?: number;
  readonly thresholds?: Partial<Thresholds>;
  /** Per JSON-RPC call to a node; default 3000 ms. */
  readonly rpcTimeoutMs?: number;
  /** The webhook's timeout; default 5000 ms. */
  readonly webhookTimeoutMs?: number;
  /** At most one restart (or withheld restart) per agent within this; default 60 s. */
  readonly restartCooldownMs?: number;
  readonly now?: () => number;
}

export interface RoundResult {
  readonly height: number;
  readonly findings: number;
  readonly raised: number;
  readonly resolved: number;
  readonly posted: number;
  readonly restarts: number;
}

export interface BlockResult {
  readonly height: number;
  readonly posted: number;
}

export const restartCooldownKey = (prefix: string, agent: string) =>
  `${prefix}:workers:health:restart:${agent}`;

export class HealthMonitor {
  private readonly t: Thresholds;
  private readonly store: AlertStore;
  private readonly probe: HealthProbe;
  private readonly now: () => number;
  private progress: Progress | undefined;
  private stalled = false;
  /** Rounds that read at least one node (so `stalled` is a verdict, not a default). */
  private rounds = 0;
  private queue: Promise<unknown> = Promise.resolve();
  private timer: NodeJS.Timeout | undefined;
  private running = false;
  private current: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly ctx: AgentContext,
    private readonly o: HealthOptions = {},
  ) {
    this.t = { ...DEFAULT_THRESHOLDS, ...o.thresholds };
    this.now = o.now ?? Date.now;
    this.store = new AlertStore(ctx.redis, ctx.prefix);
    this.probe = new HealthProbe({
      redis: ctx.redis,
      prefix: ctx.prefix,
      nodes: ctx.nodes.length > 0 ? ctx.nodes : ctx.nodeRpcUrl ? [ctx.nodeRpcUrl] : [],
      ...(ctx.home ? { home: ctx.home } : {}),
      logger: ctx.logger,
      rpcTimeoutMs: o.rpcTimeoutMs ?? 3_000,
      now: this.now,
    });
  }

  /** Starts the background rounds (the first one at once). */
  start(): void {
    if (this.running) return;
    this.running = true;
    const loop = () => {
      if (!this.running) return;
      this.current = this.round()
        .catch((err: unknown) => {
          const code = (err as { code?: unknown }).code;
          this.ctx.logger.warn(
            {
              agent: this.ctx.agent,
              code: typeof code === "string" ? code : "HEALTH_ROUND_FAILED",
              err: (err as Error).message,
            },
            "health round failed",
          );
        })
        .finally(() => {
          if (this.running) this.timer = setTimeout(loop, this.o.intervalMs ?? 5_000);
        });
    };
    loop();
  }

  /** Stops the rounds; resolves once the current one has finished. */
  async stop(): Promise<void> {
    this.running = false;
    if (this.timer) clearTimeout(this.timer);
    await this.current.catch(() => undefined);
    await this.queue.catch(() => undefined);
    await this.probe.close();
  }

  /** One check round (exported for tests and for `vivim workers`-style one-shot checks). */
  round(): Promise<RoundResult> {
    return this.serial(() => this.doRound());
  }

  /** A block job: the chain moved. Notes progress and makes waiting #ops posts. */
  onBlock(job: BlockJobData): Promise<BlockResult> {
    return this.serial(async () => {
      const now = this.now();
      const known = this.progress;
      // A height above one already seen proves the chain moves; the first job after a start, or an
      // old one (a catch-up or a replay), proves nothing: then the last round's verdict decides.
      const fresh = known !== undefined && job.height > known.height;
      if (!known || fresh) this.progress = observeHeight(known, job.height, now);
      if (fresh) this.stalled = false;
      const live = fresh || (this.rounds > 0 && !this.stalled);
      const posted = live ? await this.flushPosts() : 0;
      return { height: job.height, posted };
    });
  }

  private serial<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.queue.then(fn, fn);
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async doRound(): Promise<RoundResult> {
    const snapshot = await this.probe.read();
    const e = evaluate(snapshot, this.progress, this.t);
    this.progress = e.progress;
    this.stalled = e.stalled;
    if (!e.uncheckedKinds.includes("chain-stalled")) this.rounds++;
    const now = snapshot.now;
    let raised = 0;
    let resolved = 0;
    for (const f of e.findings) {
      const alert = await this.store.raise(f, e.height, now);
      if (!alert) continue;
      raised++;
      this.ctx.logger.info(
        {
          agent: this.ctx.agent,
          alert: alert.key,
          kind: alert.kind,
          severity: alert.severity,
          height: alert.height,
        },
        "health alert raised",
      );
      // Its #ops post is queued before the webhook is called: the webhook may take its whole
      // timeout, and an agent that died meanwhile would otherwise leave the alert with no post.
      if (!(await this.store.addPendingPost(alert))) {
        this.ctx.logger.warn(
          { agent: this.ctx.agent, code: "POSTS_BACKLOG", alert: alert.key },
          "alert not posted",
        );
      }
      await this.webhook("raised", alert);
    }
    for (const key of resolvedKeys(await this.store.open(), e)) {
      const alert = await this.store.resolve(key, now);
      if (!alert) continue;
      resolved++;
      this.ctx.logger.info(
        { agent: this.ctx.agent, alert: alert.key, kind: alert.kind },
        "health alert resolved",
      );
      await this.webhook("resolved", alert);
      await this.ctx.runtime.decide({
        height: e.height,
        subject: alert.key,
        inputsHash: hashInputs({ alert: alert.key, height: alert.height, resolvedAtHeight: e.height }),
        ai: null,
        reason: `alert resolved: ${alert.kind}`,
        action: null,
      });
    }
    const restarts = await this.remediate(e);
    // Posts only while a node answers and the chain moves: a post needs a block.
    const live = !e.stalled && !e.uncheckedKinds.includes("chain-stalled");
    const posted = live ? await this.flushPosts() : 0;
    return { height: e.height, findings: e.findings.length, raised, resolved, posted, restarts };
  }

  private async webhook(event: "raised" | "resolved", alert: Alert): Promise<void> {
    if (!this.ctx.webhookUrl) return;
    await postWebhook(
      this.ctx.webhookUrl,
      { event, alert },
      this.ctx.logger,
      this.o.webhookTimeoutMs ?? 5_000,
    );
  }

  /** One #ops post per new alert, as a decision of the runtime (autonomy gate, audit, exactly once). */
  private async flushPosts(): Promise<number> {
    if (this.ctx.paused()) return 0;
    let posted = 0;
    for (const alert of await this.store.pendingPosts()) {
      if (this.ctx.paused()) break;
      const args = alertPost(alert);
      // Throws when the MCP server cannot be reached: the post stays pending for the next try.
      const out = await this.ctx.runtime.decide({
        height: alert.height,
        subject: alert.key,
        inputsHash: hashInputs({
          alert: alert.key,
          kind: alert.kind,
          severity: alert.severity,
          height: alert.height,
          message: alert.message,
        }),
        ai: null,
        reason: `alert raised: ${alert.kind} (${alert.severity})`,
        action: {
          tool: "create_post",
          args,
          summary: `post alert ${alert.key} in #ops`,
          confidence: "high",
        },
      });
      if (out.status === "paused") break;
      await this.store.postDone(alert);
      if (out.status === "executed") posted++;
      else if (out.status === "failed") {
        this.ctx.logger.warn(
          { agent: this.ctx.agent, code: out.code, alert: alert.key },
          "alert post refused",
        );
      }
    }
    return posted;
  }

  /**
   * Restarts each stuck agent through the supervisor's control list, at most once per cooldown per
   * agent, when this agent's autonomy allows acting alone (assisted or autonomous); otherwise the
   * withheld restart is recorded. Either way the audit log gets a decision.
   */
  private async remediate(e: Evaluation): Promise<number> {
    const agents = stuckAgents(e.findings, this.ctx.agent).filter(isAgentName);
    if (agents.length === 0 || this.ctx.paused()) return 0;
    const level = await readAutonomy(this.ctx.redis, this.ctx.prefix, this.ctx.agent);
    const allowed = level === "assisted" || level === "autonomous";
    let restarts = 0;
    for (const agent of agents) {
      const cooled = await this.ctx.redis.set(
        restartCooldownKey(this.ctx.prefix, agent),
        String(this.now()),
        "PX",
        this.o.restartCooldownMs ?? 60_000,
        "NX",
      );
      if (cooled !== "OK") continue;
      if (allowed) {
        await sendControl(this.ctx.redis, this.ctx.prefix, { cmd: "restart", agent });
        restarts++;
        this.ctx.logger.info(
          { agent: this.ctx.agent, target: agent, code: "RESTART_SENT" },
          "stuck worker restarted",
        );
      }
      await this.ctx.runtime.decide({
        height: e.height,
        subject: `worker:${agent}`,
        inputsHash: hashInputs({ stuck: agent, height: e.height, autonomy: level }),
        ai: null,
        reason: allowed
          ? `remediation: restart ${agent}`
          : `remediation withheld (autonomy ${level}): restart ${agent}`,
        action: null,
      });
    }
    return restarts;
  }
}
