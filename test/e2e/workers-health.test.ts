/**
 * The health agent on a real node, the real MCP server, a private redis-server and the real block
 * bridge (test/support/workers.ts), with a local HTTP server as the operator's webhook:
 *
 * - a node that does not answer raises `node-down`: in Redis (open hash, event list, pub/sub), on
 *   the webhook and as one post by @operator/health in #ops;
 * - halting consensus raises `chain-stalled`; its post waits (a halted chain takes no tx) and is
 *   made once blocks come again; then the alert resolves;
 * - a replayed job with the post still pending posts nothing twice;
 * - a worker with a stale heartbeat in the supervisor's state hash gets one `restart` command on the
 *   control list per cooldown, and the remediation is audited;
 * - paused: alerts are stored, but no post and no restart until resumed;
 * - advisory: the post waits in the approval list and the restart is withheld; a real BullMQ
 *   backlog raises `queue-backlog`;
 * - an AI key of the vault that spent 80% of its daily budget raises `ai-budget` (never its secret).
 */
import { readFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { type Job, Queue } from "bullmq";
import type { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { VivimNode } from "../../chain/node/node.js";
import { type Alert, type AlertEvent, pendingPostsKey, postId } from "../../workers/agents/health/alerts.js";
import { createHealthAgent, readAlerts } from "../../workers/agents/health/index.js";
import type { AgentContext, AgentDefinition } from "../../workers/agents/registry.js";
import { setAutonomy } from "../../workers/agents/runtime/autonomy.js";
import { auditFile } from "../../workers/audit/log.js";
import type { AuditRecord } from "../../workers/audit/record.js";
import type { BlockJobData } from "../../workers/bridge/interests.js";
import { connectRedis, QUEUE_PREFIX } from "../../workers/redis/connection.js";
import { controlKey, stateKey } from "../../workers/supervisor/protocol.js";
import { KeyVault } from "../../workers/vault/vault.js";
import { structured } from "../support/mcp.js";
import { freePort } from "../support/process.js";
import { type RunningAgent, startWorkersTestNet, until, type WorkersTestNet } from "../support/workers.js";

interface FeedItem {
  author: { address: string };
  body: { text: string };
}

/** Stops consensus between two heights (never mid-height, so that `start` goes on cleanly). */
async function haltChain(node: VivimNode): Promise<number> {
  const engine = node.consensus as unknown as { machine?: { height: bigint }; height: bigint };
  for (let attempt = 0; attempt < 20; attempt++) {
    const h = node.blockStore.latestHeight;
    await until("a new block", () => node.blockStore.latestHeight > h, 15_000);
    await node.consensus.stop();
    if (engine.machine === undefined || engine.machine.height === engine.height) return Number(engine.height);
    node.consensus.start();
  }
  throw new Error("could not halt consensus between heights");
}

describe("health agent: nodes, chain, workers and queues → alerts, #ops posts, restarts", () => {
  let w: WorkersTestNet;
  let agent: RunningAgent;
  let alice: Client;
  let producer: Redis;
  let subscriber: Redis;
  let webhook: Server;
  let health: string;
  let deadNode: string;
  let chainId: string;
  let supervisorTimer: NodeJS.Timeout | undefined;
  const hooks: AlertEvent[] = [];
  const published: AlertEvent[] = [];
  /** What the fake supervisor writes into the state hash every 500 ms: agent → heartbeat age (ms). */
  const fakeAgents = new Map<string, number>();

  const def = createHealthAgent({ intervalMs: 1_000, thresholds: { stallMs: 6_000 } });
  const withHook = new WeakMap<AgentContext, AgentContext>();
  let webhookUrl = "";
  /** The health agent, with the operator's webhook in its context. */
  const healthDef: AgentDefinition = {
    processor: (job, ctx) => def.processor(job, hooked(ctx)),
    background: (ctx) => def.background!(hooked(ctx)),
  };
  function hooked(ctx: AgentContext): AgentContext {
    let c = withHook.get(ctx);
    if (!c) {
      c = { ...ctx, webhookUrl };
      withHook.set(ctx, c);
    }
    return c;
  }

  const open = () => readAlerts(producer, QUEUE_PREFIX, { open: true, limit: 1000 });
  const openAlert = async (key: string) => (await open()).find((a) => a.key === key);

  async function opsPosts(): Promise<string[]> {
    const r = structured<{ items: FeedItem[] }>(
      await alice.callTool({
        name: "get_feed",
        arguments: { sort: "new", community: "ops", limit: 50, labelPolicy: "show" },
      }),
    );
    return r.items.filter((i) => i.author.address === health).map((i) => i.body.text);
  }
  const postsAbout = async (a: Pick<Alert, "key" | "height">) =>
    (await opsPosts()).filter(
      (b) => b.includes(`\`${a.key}\``) && b.includes(`first seen at height ${a.height}\n`),
    );

  async function auditRecords(): Promise<AuditRecord[]> {
    await agent.runtime.flush();
    return readFileSync(auditFile(w.auditDir, "health"), "utf8")
      .split("\n")
      .filter((l) => l.length > 0)
      .map((l) => JSON.parse(l) as AuditRecord);
  }

  async function controls(): Promise<Array<{ cmd: string; agent?: string }>> {
    return (await producer.lrange(controlKey(QUEUE_PREFIX), 0, -1)).map((t) => JSON.parse(t));
  }
  const restartsOf = async (a: string) =>
    (await controls()).filter((c) => c.cmd === "restart" && c.agent === a).length;

  function writeSupervisorState(): Promise<unknown> {
    const now = Date.now();
    const fields: Record<string, string> = {
      _supervisor: JSON.stringify({
        pid: process.pid,
        startedAt: now - 60_000,
        updatedAt: now,
        emergencyStop: false,
        governance: { allPaused: false, workers: [], height: 0 },
      }),
    };
    for (const [name, age] of fakeAgents) {
      fields[name] = JSON.stringify({
        agent: name,
        status: "running",
        pid: 1,
        restarts: 0,
        lastHeartbeat: now - age,
        lastProcessedHeight: 0,
        pausedBy: null,
        operatorPaused: false,
        updatedAt: now,
      });
    }
    return producer.hset(stateKey(QUEUE_PREFIX), fields);
  }

  beforeAll(async () => {
    webhook = createServer((req, res) => {
      let body = "";
      req.on("data", (c: Buffer) => {
        body += c.toString("utf8");
      });
      req.on("end", () => {
        hooks.push(JSON.parse(body) as AlertEvent);
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((r) => webhook.listen(0, "127.0.0.1", r));
    webhookUrl = `http://127.0.0.1:${(webhook.address() as { port: number }).port}/hooks/vivim`;

    w = await startWorkersTestNet();
    producer = connectRedis(w.redisUrl, "producer");
    subscriber = connectRedis(w.redisUrl, "worker");
    await subscriber.subscribe(`${QUEUE_PREFIX}:workers:alerts`);
    subscriber.on("message", (_channel, text: string) => published.push(JSON.parse(text) as AlertEvent));
    health = w.workerAddress("health");
    chainId = w.net.node.chainId;
    deadNode = `http://127.0.0.1:${await freePort()}`;
    alice = await w.net.connect(w.net.key("alice", ["social"]));
    agent = await w.runAgent("health", healthDef, {
      autonomy: "autonomous",
      nodes: [w.net.rpcUrl, deadNode],
    });
  }, 180_000);

  afterAll(async () => {
    if (supervisorTimer) clearInterval(supervisorTimer);
    subscriber?.disconnect();
    producer?.disconnect();
    await w?.stop();
    await new Promise((r) => webhook?.close(r));
  });

  let nodeDown: Alert;

  it("a node that does not answer: alert in Redis, on the channel and the webhook, one post in #ops", async () => {
    const key = `node-down:node:${deadNode}`;
    await until("the node-down alert", async () => (await openAlert(key)) !== undefined, 30_000);
    nodeDown = (await openAlert(key))!;
    expect(nodeDown).toMatchObject({
      kind: "node-down",
      severity: "critical",
      subject: `node:${deadNode}`,
      message: "unreachable (NODE_UNAVAILABLE)",
    });
    expect(nodeDown.height).toBeGreaterThan(0);
    await until("the node-down post", async () => (await postsAbout(nodeDown)).length > 0, 30_000);
    const [post] = await postsAbout(nodeDown);
    expect(post).toContain("- kind: node-down");
    expect(post).toContain("- severity: critical");
    // The same alert seen round after round is raised once: one event, one post, one webhook call.
    await new Promise((r) => setTimeout(r, 3_000));
    expect(await postsAbout(nodeDown)).toHaveLength(1);
    const raised = (events: AlertEvent[]) =>
      events.filter((e) => e.event === "raised" && e.alert.key === key);
    expect(raised(hooks)).toHaveLength(1);
    expect(raised(published)).toHaveLength(1);
    expect(raised(hooks)[0]!.alert).toMatchObject({
      key,
      height: nodeDown.height,
      firstSeen: nodeDown.firstSeen,
    });
    expect((await openAlert(key))!.lastSeen).toBeGreaterThan(nodeDown.firstSeen);
    const list = await readAlerts(producer, QUEUE_PREFIX, { limit: 1000 });
    expect(list.filter((a) => a.key === key)).toHaveLength(1);

    const records = (await auditRecords()).filter((r) => r.subject === key);
    expect(records.map((r) => r.outcome)).toEqual(["executing", "executed"]);
    expect(records[1]).toMatchObject({
      agent: "health",
      ai: null,
      reason: "alert raised: node-down (critical)",
      action: { tool: "create_post", summary: `post alert ${key} in #ops` },
    });
    expect(records[1]!.txHash).toMatch(/^[0-9A-F]{64}$/);
  }, 90_000);

  let stalled: Alert;

  it("a halted chain: chain-stalled raised, its post waits for blocks, then the alert resolves", async () => {
    const key = `chain-stalled:chain:${chainId}`;
    const height = await haltChain(w.net.node);
    try {
      await until("the chain-stalled alert", async () => (await openAlert(key)) !== undefined, 30_000);
      stalled = (await openAlert(key))!;
      expect(stalled).toMatchObject({ kind: "chain-stalled", severity: "critical", height });
      expect(stalled.message).toBe(`no new block for more than 6 s after height ${height}`);
      await until("the raised webhook", () => hooks.some((e) => e.event === "raised" && e.alert.key === key));
      // No block, no post: it waits.
      expect(await producer.hexists(pendingPostsKey(QUEUE_PREFIX), postId(stalled))).toBe(1);
      expect(await postsAbout(stalled)).toEqual([]);
    } finally {
      w.net.node.consensus.start();
    }
    await until("the chain-stalled post", async () => (await postsAbout(stalled)).length > 0, 30_000);
    await until(
      "the chain-stalled alert to resolve",
      async () => (await openAlert(key)) === undefined,
      30_000,
    );
    expect(await producer.hexists(pendingPostsKey(QUEUE_PREFIX), postId(stalled))).toBe(0);
    const resolved = (await readAlerts(producer, QUEUE_PREFIX, { limit: 1000 })).find(
      (a) => a.key === key && a.firstSeen === stalled.firstSeen && a.resolvedAt !== undefined,
    );
    expect(resolved?.resolvedAt).toBeGreaterThanOrEqual(stalled.firstSeen);
    await until("the resolved webhook", () =>
      hooks.some((e) => e.event === "resolved" && e.alert.key === key),
    );
    await until("the resolved event", () =>
      published.some((e) => e.event === "resolved" && e.alert.key === key),
    );
    // The dead node is still down: its alert stays open.
    expect(await openAlert(nodeDown.key)).toBeDefined();

    const records = (await auditRecords()).filter((r) => r.subject === key);
    expect(records.map((r) => [r.outcome, r.reason])).toEqual([
      ["executing", "alert raised: chain-stalled (critical)"],
      ["executed", "alert raised: chain-stalled (critical)"],
      ["no-action", "alert resolved: chain-stalled"],
    ]);
  }, 120_000);

  it("a replayed job with the post still pending posts nothing twice", async () => {
    // As if the agent had died after posting and before noting it: the post is pending again.
    await producer.hset(pendingPostsKey(QUEUE_PREFIX), postId(stalled), JSON.stringify(stalled));
    const h = agent.processed.at(-1)!;
    const queue = new Queue<BlockJobData>("health", { connection: producer, prefix: QUEUE_PREFIX });
    try {
      const job = (await queue.getJob(`health-${h}`)) as Job<BlockJobData>;
      expect(job.data.height).toBe(h);
      expect(await healthDef.processor(job, agent.ctx)).toEqual({ height: h, posted: 0 });
      expect(await producer.hexists(pendingPostsKey(QUEUE_PREFIX), postId(stalled))).toBe(0);

      // The same data re-added under a new id goes through the Worker: nothing is posted either.
      await producer.hset(pendingPostsKey(QUEUE_PREFIX), postId(stalled), JSON.stringify(stalled));
      const runs = () => agent.processed.filter((x) => x === h).length;
      const seen = runs();
      await queue.add("block", job.data, { jobId: `health-replay-${h}` });
      await until("the replayed job", () => runs() > seen, 30_000);
    } finally {
      await queue.close();
    }
    expect(await producer.hexists(pendingPostsKey(QUEUE_PREFIX), postId(stalled))).toBe(0);
    expect(await postsAbout(stalled)).toHaveLength(1);
    const outcomes = (await auditRecords()).filter((r) => r.subject === stalled.key).map((r) => r.outcome);
    expect(outcomes.slice(-2)).toEqual(["duplicate", "duplicate"]);
  }, 60_000);

  it("a worker with a stale heartbeat: one restart command per cooldown, audited, posted", async () => {
    fakeAgents.set("feed", 60_000);
    await writeSupervisorState();
    supervisorTimer = setInterval(() => void writeSupervisorState(), 500);
    const key = "worker-stuck:worker:feed";
    await until("the restart command", async () => (await restartsOf("feed")) > 0, 30_000);
    const stuck = (await openAlert(key))!;
    expect(stuck).toMatchObject({
      kind: "worker-stuck",
      message: "running with no heartbeat for more than 15 s",
    });
    // Rounds go on every second; the cooldown (60 s) holds further restarts back.
    await new Promise((r) => setTimeout(r, 3_500));
    expect(await restartsOf("feed")).toBe(1);
    await until("the worker-stuck post", async () => (await postsAbout(stuck)).length > 0, 30_000);
    const remediations = (await auditRecords()).filter((r) => r.subject === "worker:feed");
    expect(remediations.map((r) => [r.outcome, r.reason, r.action])).toEqual([
      ["no-action", "remediation: restart feed", null],
    ]);

    fakeAgents.set("feed", 0); // heartbeats again
    await until(
      "the worker-stuck alert to resolve",
      async () => (await openAlert(key)) === undefined,
      30_000,
    );
    expect(await restartsOf("feed")).toBe(1);
  }, 90_000);

  it("paused: alerts are stored, but nothing is posted or restarted until resumed", async () => {
    agent.setPaused(true);
    fakeAgents.set("reputation", 60_000);
    const key = "worker-stuck:worker:reputation";
    await until("the paused alert", async () => (await openAlert(key)) !== undefined, 30_000);
    const stuck = (await openAlert(key))!;
    await new Promise((r) => setTimeout(r, 3_000));
    expect(await restartsOf("reputation")).toBe(0);
    expect(await postsAbout(stuck)).toEqual([]);
    expect(await producer.hexists(pendingPostsKey(QUEUE_PREFIX), postId(stuck))).toBe(1);
    expect(
      (await auditRecords()).filter((r) => r.subject === key || r.subject === "worker:reputation"),
    ).toEqual([]);

    agent.setPaused(false);
    await until("the restart after resuming", async () => (await restartsOf("reputation")) === 1, 30_000);
    await until("the post after resuming", async () => (await postsAbout(stuck)).length === 1, 30_000);
    fakeAgents.set("reputation", 0);
  }, 90_000);

  it("advisory: the post waits in the approval list, the restart is withheld; a real queue backlog", async () => {
    await setAutonomy(producer, QUEUE_PREFIX, "health", "advisory");
    fakeAgents.set("moderation", 60_000);
    const stuckKey = "worker-stuck:worker:moderation";
    await until("the withheld remediation", async () =>
      (await auditRecords()).some(
        (r) => r.reason === "remediation withheld (autonomy advisory): restart moderation",
      ),
    );
    expect(await restartsOf("moderation")).toBe(0);

    // 1001 delayed jobs on a queue nobody consumes here.
    const queue = new Queue("reputation", { connection: producer, prefix: QUEUE_PREFIX });
    try {
      await queue.addBulk(
        Array.from({ length: 1001 }, (_, i) => ({
          name: "filler",
          data: { i },
          opts: { jobId: `filler-${i}`, delay: 3_600_000 },
        })),
      );
      const backlogKey = "queue-backlog:queue:reputation";
      await until("the backlog alert", async () => (await openAlert(backlogKey)) !== undefined, 30_000);
      expect((await openAlert(backlogKey))!.message).toMatch(/^\d+ jobs waiting or delayed$/);

      await until("both approvals", async () => {
        const pending = await agent.runtime.approvals.list({ agent: "health" });
        return [stuckKey, backlogKey].every((k) => pending.some((a) => a.subject === k));
      });
      const pending = await agent.runtime.approvals.list({ agent: "health" });
      const stuck = (await openAlert(stuckKey))!;
      expect(pending.find((a) => a.subject === stuckKey)).toMatchObject({
        tool: "create_post",
        args: { community: "ops", title: `[critical] worker-stuck: worker:moderation` },
        confidence: "high",
        status: "pending",
      });
      expect(await postsAbout(stuck)).toEqual([]);
      const outcomes = (await auditRecords()).filter((r) => r.subject === backlogKey).map((r) => r.outcome);
      expect(outcomes).toEqual(["queued"]);

      await queue.clean(0, 2_000, "delayed");
      await until(
        "the backlog alert to resolve",
        async () => (await openAlert(backlogKey)) === undefined,
        30_000,
      );
    } finally {
      await queue.close();
    }
    expect(await restartsOf("moderation")).toBe(0);
  }, 90_000);

  it("an AI key at 80% of its daily budget raises ai-budget, and its secret is nowhere", async () => {
    const secret = ["sk", "-", "health", "Q7".repeat(12)].join("");
    const vault = new KeyVault({ home: agent.ctx.home!, passphrase: "health-test-passphrase" });
    const key = await vault.add({ label: "ops key", provider: "openai", secret, dailyBudgetMicroUsd: 1_000 });
    await vault.recordSpend(key.id, 799);
    await new Promise((r) => setTimeout(r, 2_500));
    const alertKey = `ai-budget:ai-key:${key.id}`;
    expect(await openAlert(alertKey)).toBeUndefined();
    await vault.recordSpend(key.id, 1);
    await until("the ai-budget alert", async () => (await openAlert(alertKey)) !== undefined, 30_000);
    expect((await openAlert(alertKey))!.message).toBe(
      "openai key spent 80% of its daily budget (800 of 1000 µUSD)",
    );
    await until("its approval", async () =>
      (await agent.runtime.approvals.list({ agent: "health" })).some((a) => a.subject === alertKey),
    );
    const everything = JSON.stringify([
      await readAlerts(producer, QUEUE_PREFIX, { limit: 1000 }),
      await agent.runtime.approvals.list({ agent: "health", status: "all" }),
      hooks,
      published,
    ]);
    expect(everything).toContain(alertKey);
    expect(everything).not.toContain(secret);
    expect(readFileSync(auditFile(w.auditDir, "health"), "utf8")).not.toContain(secret);
  }, 60_000);
});
