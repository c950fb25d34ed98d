/**
 * The worker agents' runtime against a real node, the real MCP server, a real redis-server and the
 * real block bridge: a small agent (it proposes a label for every new post, confident when the
 * title says so) runs through the autonomy gate, the approval list, the agent's own chain identity
 * (@operator/moderation, acting through MCP) and the audit log. Checked: an autonomous action lands
 * on chain once however often its block is processed; advisory actions wait for the owner, who
 * approves or rejects over the app API with an ADR-036 signature (anyone else is refused); manual
 * only records; a paused agent writes nothing; the audit log chains every decision.
 */
import { readFileSync } from "node:fs";
import { Secp256k1HdWallet } from "@cosmjs/amino";
import type { Job } from "bullmq";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { approvalSignBytes } from "../../chain/api/workers-backend.js";
import { workersCommand } from "../../chain/cli/commands/workers.js";
import { ADDRESS_PREFIX } from "../../chain/crypto/address.js";
import { Keyring } from "../../chain/keys/keyring.js";
import type { AgentContext, AgentDefinition } from "../../workers/agents/registry.js";
import { setAutonomy } from "../../workers/agents/runtime/autonomy.js";
import { hashInputs } from "../../workers/agents/runtime/runtime.js";
import { auditFile } from "../../workers/audit/log.js";
import { type AuditRecord, recordHash } from "../../workers/audit/record.js";
import type { BlockJobData } from "../../workers/bridge/interests.js";
import { QUEUE_PREFIX } from "../../workers/redis/connection.js";
import { structured } from "../support/mcp.js";
import { type RunningAgent, startWorkersTestNet, until, type WorkersTestNet } from "../support/workers.js";

/** Proposes the label "needs-review" on each new post (low confidence: `assisted` would ask). */
const reviewAgent: AgentDefinition = {
  async processor(job: Job<BlockJobData>, ctx: AgentContext) {
    const outcomes = [];
    for (const e of job.data.events) {
      if (e.type !== "vivim.social.v1.EventPostCreated") continue;
      const id = String(e.attributes.content_id);
      outcomes.push(
        await ctx.runtime.decide({
          height: job.data.height,
          subject: `content:${id}`,
          inputsHash: hashInputs({ id }),
          ai: null,
          reason: "test rule: every post is reviewed",
          action: {
            tool: "label_content",
            args: { contentId: id, value: "needs-review", reason: "test rule" },
            summary: `label content:${id} needs-review`,
            confidence: "low",
          },
        }),
      );
    }
    return outcomes;
  },
};

describe("worker agent runtime: autonomy, approvals, exactly-once actions, audit", () => {
  let wn: WorkersTestNet;
  let agent: RunningAgent;
  let apiUrl: string;
  /** A post in #general, by alice unless `by` says bob (each may post 5 times an hour). */
  let post: (title: string, by?: "alice" | "bob") => Promise<{ id: string; height: number }>;
  const jobs = new Map<number, BlockJobData>();

  const labelsOf = async (id: string) => {
    const r = await fetch(`${apiUrl}/vivim/labels/v1/subjects/content:${id}`);
    const body = (await r.json()) as { labels: Array<{ issuer: string; value: string }> };
    return body.labels.filter((l) => l.value === "needs-review");
  };
  const auditRecords = () =>
    readFileSync(auditFile(wn.auditDir, "moderation"), "utf8")
      .split("\n")
      .filter(Boolean)
      .map((l) => JSON.parse(l) as AuditRecord);

  beforeAll(async () => {
    wn = await startWorkersTestNet();
    apiUrl = wn.apiUrl;
    await setAutonomy(wn.redis, QUEUE_PREFIX, "moderation", "autonomous");
    const recorded: AgentDefinition = {
      processor: async (job, ctx) => {
        jobs.set(job.data.height, job.data);
        return reviewAgent.processor(job, ctx);
      },
    };
    agent = await wn.runAgent("moderation", recorded);
    const authors = {
      alice: await wn.net.connect(wn.net.key("alice", ["social"])),
      bob: await wn.net.connect(wn.net.key("bob", ["social"])),
    };
    post = async (title, by = "alice") => {
      const r = structured<{ postId: string; height: number }>(
        await authors[by].callTool({
          name: "create_post",
          arguments: { community: "general", title, body: "text" },
        }),
      );
      return { id: r.postId, height: r.height };
    };
  }, 180_000);

  afterAll(async () => {
    await wn?.stop();
  });

  it("acts as @operator/moderation when autonomous, once however often the block is processed", async () => {
    const p = await post("first");
    await agent.processedTo(p.height);
    await until("the label on chain", async () => (await labelsOf(p.id)).length === 1);
    expect((await labelsOf(p.id))[0]!.issuer).toBe(wn.workerAddress("moderation"));
    // The same block again (a replay, a retried job): a duplicate, not a second label.
    const again = (await reviewAgent.processor(
      { data: jobs.get(p.height)! } as Job<BlockJobData>,
      agent.ctx,
    )) as Array<{ status: string }>;
    expect(again.map((o) => o.status)).toEqual(["duplicate"]);
    expect(await labelsOf(p.id)).toHaveLength(1);
    const mine = auditRecords().filter((r) => r.subject === `content:${p.id}`);
    expect(mine.map((r) => r.outcome)).toEqual(["executing", "executed", "duplicate"]);
    expect(mine[1]!.txHash).toMatch(/^[0-9A-F]{64}$/);
  });

  it("queues advisory actions for the owner, who decides over the app API with a signature", async () => {
    await setAutonomy(wn.redis, QUEUE_PREFIX, "moderation", "advisory");
    const p = await post("!second");
    const q = await post("third");
    await agent.processedTo(q.height);
    const pending = await agent.runtime.approvals.list({ status: "pending" });
    const forP = pending.find((a) => a.subject === `content:${p.id}`)!;
    const forQ = pending.find((a) => a.subject === `content:${q.id}`)!;
    expect(forP).toMatchObject({
      agent: "moderation",
      tool: "label_content",
      actor: wn.workerAddress("moderation"),
    });
    const operator = wn.net.devnet.nodes[0]!.operator.address;
    expect(forP.owner).toBe(operator);
    const listed = (await (await fetch(`${apiUrl}/vivim/workers/v1/approvals`)).json()) as {
      approvals: Array<{ id: string }>;
    };
    expect(listed.approvals.map((a) => a.id)).toEqual(expect.arrayContaining([forP.id, forQ.id]));
    expect(await labelsOf(p.id)).toHaveLength(0);

    const keyring = new Keyring({ home: wn.net.nodeHome, backend: "test" });
    const ownerWallet = await Secp256k1HdWallet.fromMnemonic(await keyring.exportMnemonic("operator0"), {
      prefix: ADDRESS_PREFIX,
    });
    const alice = wn.net.devnet.accounts.find((a) => a.name === "alice")!;
    const aliceWallet = await Secp256k1HdWallet.fromMnemonic(alice.mnemonic, { prefix: ADDRESS_PREFIX });
    const decide = async (
      wallet: Secp256k1HdWallet,
      signer: string,
      id: string,
      decision: "approve" | "reject",
    ) => {
      const doc = JSON.parse(
        Buffer.from(approvalSignBytes(signer, wn.net.devnet.chainId, id, decision)).toString("utf8"),
      );
      const { signature } = await wallet.signAmino(signer, doc);
      return fetch(`${apiUrl}/vivim/workers/v1/approvals/${id}/decision`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({
          decision,
          signer,
          pub_key: signature.pub_key.value,
          signature: signature.signature,
        }),
      });
    };
    // Not the owner: refused, whatever they sign.
    expect((await decide(aliceWallet, alice.address, forP.id, "approve")).status).toBe(403);
    // The owner's signature over another decision does not count for this one.
    const doc = JSON.parse(
      Buffer.from(approvalSignBytes(operator, wn.net.devnet.chainId, forP.id, "reject")).toString("utf8"),
    );
    const { signature } = await ownerWallet.signAmino(operator, doc);
    const forged = await fetch(`${apiUrl}/vivim/workers/v1/approvals/${forP.id}/decision`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        decision: "approve",
        signer: operator,
        pub_key: signature.pub_key.value,
        signature: signature.signature,
      }),
    });
    expect(forged.status).toBe(403);

    expect((await decide(ownerWallet, operator, forP.id, "approve")).status).toBe(200);
    expect((await decide(ownerWallet, operator, forQ.id, "reject")).status).toBe(200);
    expect((await decide(ownerWallet, operator, forQ.id, "approve")).status).toBe(409);
    await until("the approved label on chain", async () => (await labelsOf(p.id)).length === 1);
    await until(
      "the approval marked executed",
      async () => (await agent.runtime.approvals.get(forP.id))?.status === "executed",
    );
    await until("the rejection audited", () =>
      auditRecords().some((r) => r.approvalId === forQ.id && r.outcome === "rejected"),
    );
    expect(await labelsOf(q.id)).toHaveLength(0);
  });

  it("only records under manual autonomy, and writes nothing while paused", async () => {
    await setAutonomy(wn.redis, QUEUE_PREFIX, "moderation", "manual");
    const m = await post("!manual");
    await agent.processedTo(m.height);
    await setAutonomy(wn.redis, QUEUE_PREFIX, "moderation", "autonomous");
    agent.setPaused(true);
    const p = await post("!paused");
    // A paused agent's Worker would not even take the job; here it runs, and the runtime refuses to write.
    await agent.processedTo(p.height);
    agent.setPaused(false);
    const outcomes = auditRecords();
    expect(outcomes.find((r) => r.subject === `content:${m.id}`)?.outcome).toBe("recorded");
    expect(outcomes.find((r) => r.subject === `content:${p.id}`)?.outcome).toBe("paused");
    expect(await labelsOf(m.id)).toHaveLength(0);
    expect(await labelsOf(p.id)).toHaveLength(0);
  });

  it("lets the operator set autonomy and decide approvals with vivim workers at the terminal", async () => {
    const cli = async (...args: string[]) => {
      let out = "";
      const spy = vi.spyOn(process.stdout, "write").mockImplementation((chunk: string | Uint8Array) => {
        out += chunk.toString();
        return true;
      });
      try {
        await workersCommand().parseAsync(["node", "vivim", ...args, "--redis", wn.redisUrl]);
      } finally {
        spy.mockRestore();
      }
      return out;
    };
    const levels = JSON.parse(await cli("autonomy", "moderation", "advisory", "--output", "json")) as Record<
      string,
      string
    >;
    expect(levels.moderation).toBe("advisory");
    const p = await post("fourth", "bob");
    await agent.processedTo(p.height);
    const pending = JSON.parse(
      await cli("approvals", "list", "--agent", "moderation", "--output", "json"),
    ) as Array<{
      id: string;
      subject: string;
    }>;
    const mine = pending.find((a) => a.subject === `content:${p.id}`);
    expect(mine).toBeDefined();
    expect(await cli("approvals", "approve", mine!.id)).toContain(mine!.id);
    await until(
      "the label approved at the terminal on chain",
      async () => (await labelsOf(p.id)).length === 1,
    );
    await cli("autonomy", "moderation", "autonomous");
  });

  it("chains every audit record to the one before", () => {
    const records = auditRecords();
    expect(records.length).toBeGreaterThan(8);
    for (const [i, r] of records.entries()) {
      const { hash, ...body } = r;
      expect(r.seq).toBe(i + 1);
      expect(hash).toBe(recordHash(body));
      if (i > 0) expect(r.prev).toBe(records[i - 1]!.hash);
    }
  });

  it("serves the agents' state and refuses bad requests", async () => {
    const agents = (await (await fetch(`${apiUrl}/vivim/workers/v1/agents`)).json()) as {
      agents: Array<{ agent: string; autonomy: string }>;
    };
    expect(agents.agents.find((a) => a.agent === "moderation")?.autonomy).toBe("autonomous");
    expect((await fetch(`${apiUrl}/vivim/workers/v1/approvals/nothex`)).status).toBe(400);
    expect((await fetch(`${apiUrl}/vivim/workers/v1/approvals/${"0".repeat(32)}`)).status).toBe(404);
    expect((await fetch(`${apiUrl}/vivim/workers/v1/approvals?status=weird`)).status).toBe(400);
    expect((await fetch(`${apiUrl}/vivim/feeds/v1/sideways`)).status).toBe(400);
    // No health agent runs here: no alerts, and a bad filter is refused.
    const alerts = (await (await fetch(`${apiUrl}/vivim/workers/v1/alerts?open=true`)).json()) as {
      alerts: unknown[];
    };
    expect(alerts.alerts).toEqual([]);
    expect((await fetch(`${apiUrl}/vivim/workers/v1/alerts?open=maybe`)).status).toBe(400);
  });
});
