/**
 * The service workers over the app API, read from their Redis (`[api] workers_redis`; without it
 * these routes answer 503):
 *
 *   GET  /vivim/workers/v1/agents                   supervisor and agents: status, autonomy, heartbeat
 *   GET  /vivim/workers/v1/approvals?status=pending|all&agent=&limit=
 *   GET  /vivim/workers/v1/approvals/{id}
 *   POST /vivim/workers/v1/approvals/{id}/decision  { decision: approve|reject, signer, pub_key, signature }
 *   POST /vivim/workers/v1/control                  { action: pause|resume|stop, agent, issued_at, signer, pub_key, signature }
 *   GET  /vivim/workers/v1/queues                   BullMQ job counts per worker queue
 *   GET  /vivim/workers/v1/ai_spend                 each AI key's spend against its budgets (µUSD)
 *   GET  /vivim/workers/v1/alerts?open=true&limit=   the health agent's alerts (open ones, or the latest)
 *   GET  /vivim/feeds/v1/{hot|new|top|rising}?scope=global|community|author|following&community=&author=&follower=&limit=&offset=
 *
 * A decision is signed by the agent's owner, ADR-036 style (Keplr's signArbitrary), over
 * `vivim-approval\n<chain id>\n<approval id>\n<decision>`; a control command by an account of
 * `[api] workers_operators` (see ../workers-control.ts).
 */
import { QueryAgentRequest, QueryAgentResponse } from "../../../contracts/identity/query.js";
import type { FeedSort } from "../../../mcp-server/tools/feed-rank.js";
import type { FeedScopeName } from "../../../workers/agents/feed/read.js";
import { readAlerts } from "../../../workers/agents/health/alerts.js";
import { isAgentName } from "../../../workers/agents/names.js";
import type { Approval } from "../../../workers/agents/runtime/approvals.js";
import { QUEUE_PREFIX } from "../../../workers/redis/connection.js";
import { parseAccountList } from "../../config/config.js";
import type { Json } from "../../rpc/json.js";
import { grpcQuery } from "../abci.js";
import { ApiError, badRequest, type RouteResult } from "../http.js";
import { adr036Fields } from "../params.js";
import type { ApiContext, Route } from "../router.js";
import type { WorkersBackend } from "../workers-backend.js";
import { authorizeControl, parseControlRequest } from "../workers-control.js";

const ID = /^[0-9a-f]{32}$/;

function backend(ctx: ApiContext): WorkersBackend {
  if (!ctx.workers) {
    throw new ApiError("UNAVAILABLE", "this node serves no service workers ([api] workers_redis is empty)");
  }
  return ctx.workers;
}

function approvalId(text: string): string {
  if (!ID.test(text)) throw badRequest("an approval id is 32 lowercase hex characters");
  return text;
}

function intParam(q: URLSearchParams, name: string, dflt: number, min: number, max: number): number {
  const raw = q.get(name);
  if (raw === null) return dflt;
  const n = Number(raw);
  if (!/^\d{1,6}$/.test(raw) || n < min || n > max)
    throw badRequest(`${name} must be an integer ${min}..${max}`);
  return n;
}

function approvalJson(a: Approval): Json {
  return {
    id: a.id,
    agent: a.agent,
    actor: a.actor,
    owner: a.owner,
    status: a.status,
    height: String(a.height),
    subject: a.subject,
    tool: a.tool,
    args: a.args as Json,
    summary: a.summary,
    reason: a.reason,
    confidence: a.confidence,
    created_at: new Date(a.createdAt).toISOString(),
    updated_at: new Date(a.updatedAt).toISOString(),
    ...(a.decidedBy ? { decided_by: a.decidedBy } : {}),
    ...(a.txHash ? { tx_hash: a.txHash } : {}),
    ...(a.code ? { code: a.code } : {}),
  };
}

async function decisionHandler(
  ctx: ApiContext,
  req: { params: readonly string[]; body(): Promise<Record<string, unknown>> },
): Promise<RouteResult> {
  const id = approvalId(req.params[0] ?? "");
  const b = await req.body();
  const decision = b.decision;
  if (decision !== "approve" && decision !== "reject")
    throw badRequest('decision must be "approve" or "reject"');
  const sig = adr036Fields(b);
  const ownerOf = async (actor: string) => {
    try {
      const r = await grpcQuery(
        ctx.node,
        "/vivim.identity.v1.Query/Agent",
        QueryAgentRequest,
        { address: actor },
        QueryAgentResponse,
      );
      return r.agent?.owner;
    } catch {
      return undefined;
    }
  };
  const decided = await backend(ctx).decide(id, decision, sig, ctx.node.genesis.chain_id, ownerOf);
  ctx.log.info({ approval: id, agent: decided.agent, decision }, "approval decided");
  return { json: { approval: approvalJson(decided) } };
}

const SORTS: readonly FeedSort[] = ["hot", "new", "top", "rising"];
const SCOPES: readonly FeedScopeName[] = ["global", "community", "author", "following"];

export const workersLiveRoutes: readonly Route[] = [
  {
    method: "GET",
    name: "workers.agents",
    pattern: /^\/vivim\/workers\/v1\/agents$/,
    // `operators`: who may pause, resume and stop them from the app (the UI shows them the controls).
    handler: async (ctx) => ({
      json: {
        ...(await backend(ctx).status()),
        operators: parseAccountList(ctx.node.config.api.workers_operators) ?? [],
      } as unknown as Json,
    }),
  },
  {
    method: "GET",
    name: "workers.approvals",
    pattern: /^\/vivim\/workers\/v1\/approvals$/,
    async handler(ctx, req) {
      const status = req.query.get("status") ?? "pending";
      if (status !== "pending" && status !== "all") throw badRequest('status must be "pending" or "all"');
      const agent = req.query.get("agent") ?? undefined;
      if (agent !== undefined && !isAgentName(agent))
        throw badRequest("agent must be feed, moderation, reputation or health");
      const limit = intParam(req.query, "limit", 100, 1, 1000);
      const list = await backend(ctx).approvals({ status, limit, ...(agent ? { agent } : {}) });
      return { json: { approvals: list.map(approvalJson) } };
    },
  },
  {
    method: "GET",
    name: "workers.approval",
    pattern: /^\/vivim\/workers\/v1\/approvals\/([^/]+)$/,
    handler: async (ctx, req) => ({
      json: { approval: approvalJson(await backend(ctx).approval(approvalId(req.params[0] ?? ""))) },
    }),
  },
  {
    method: "POST",
    name: "workers.approval_decision",
    pattern: /^\/vivim\/workers\/v1\/approvals\/([^/]+)\/decision$/,
    handler: decisionHandler,
  },
  {
    method: "POST",
    name: "workers.control",
    pattern: /^\/vivim\/workers\/v1\/control$/,
    async handler(ctx, req) {
      const command = parseControlRequest(await req.body());
      const workers = backend(ctx);
      authorizeControl(command, ctx.node.genesis.chain_id, ctx.node.config.api.workers_operators, Date.now());
      await workers.control(command);
      ctx.log.info(
        { action: command.action, agent: command.agent, operator: command.sig.signer },
        "workers command accepted",
      );
      return { json: { accepted: true, action: command.action, agent: command.agent } };
    },
  },
  {
    method: "GET",
    name: "workers.queues",
    pattern: /^\/vivim\/workers\/v1\/queues$/,
    handler: async (ctx) => ({ json: { queues: await backend(ctx).queueCounts() } }),
  },
  {
    method: "GET",
    name: "workers.ai_spend",
    pattern: /^\/vivim\/workers\/v1\/ai_spend$/,
    async handler(ctx) {
      const report = await backend(ctx).aiSpend();
      return {
        json: report
          ? { updated_at: new Date(report.updatedAt).toISOString(), keys: report.keys as unknown as Json }
          : { updated_at: null, keys: [] },
      };
    },
  },
  {
    method: "GET",
    name: "workers.alerts",
    pattern: /^\/vivim\/workers\/v1\/alerts$/,
    async handler(ctx, req) {
      const open = req.query.get("open");
      if (open !== null && open !== "true" && open !== "false")
        throw badRequest("open must be true or false");
      const limit = intParam(req.query, "limit", 100, 1, 1000);
      const alerts = await backend(ctx).withRedis((r) =>
        readAlerts(r, QUEUE_PREFIX, { open: open === "true", limit }),
      );
      return {
        json: {
          alerts: alerts.map((a) => ({
            key: a.key,
            kind: a.kind,
            severity: a.severity,
            subject: a.subject,
            message: a.message,
            height: String(a.height),
            first_seen: new Date(a.firstSeen).toISOString(),
            last_seen: new Date(a.lastSeen).toISOString(),
            ...(a.resolvedAt ? { resolved_at: new Date(a.resolvedAt).toISOString() } : {}),
          })),
        },
      };
    },
  },
  {
    method: "GET",
    name: "feeds.feed",
    pattern: /^\/vivim\/feeds\/v1\/([^/]+)$/,
    async handler(ctx, req) {
      const sort = req.params[0] as FeedSort;
      if (!SORTS.includes(sort)) throw badRequest("the feed is hot, new, top or rising");
      const scope = (req.query.get("scope") ?? "global") as FeedScopeName;
      if (!SCOPES.includes(scope)) throw badRequest("scope must be global, community, author or following");
      const limit = intParam(req.query, "limit", 20, 1, 100);
      const offset = intParam(req.query, "offset", 0, 0, 10_000);
      const ids = await backend(ctx).feed({
        sort,
        scope,
        community: req.query.get("community") ?? undefined,
        author: req.query.get("author") ?? undefined,
        follower: req.query.get("follower") ?? undefined,
        limit,
        offset,
      });
      return { json: { sort, scope, post_ids: ids } };
    },
  },
];
