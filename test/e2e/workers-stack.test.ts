/**
 * The whole workers stack as `npm start` runs it: the supervisor forks every real agent as its own
 * process, each acting through the real MCP server with its own devnet key (@operator/<agent>), fed
 * by the real bridge from a real node, with a real redis-server. A post that leaks a cloud key is
 * labelled on chain by @operator/moderation's process, its decision lands in the audit log, the
 * log's Merkle root is anchored on chain by that same identity, and `verifyAuditLog` checks the
 * file against the chain. The feed agent's process ranks the post in Redis, from where MCP
 * `get_feed` and the app API serve it.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { Secp256k1HdWallet } from "@cosmjs/amino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { workersControlText } from "../../chain/api/workers-control.js";
import { ADDRESS_PREFIX } from "../../chain/crypto/address.js";
import { adr036SignBytes } from "../../chain/crypto/adr036.js";
import { Keyring } from "../../chain/keys/keyring.js";
import { QueryLabelsOfRequest, QueryLabelsOfResponse } from "../../contracts/labels/query.js";
import { httpChainQuery } from "../../workers/agents/feed/chain.js";
import { AGENT_NAMES } from "../../workers/agents/names.js";
import { auditFile } from "../../workers/audit/log.js";
import type { AuditRecord } from "../../workers/audit/record.js";
import { verifyAuditLog } from "../../workers/audit/verify.js";
import type { Supervisor } from "../../workers/supervisor/supervisor.js";
import { KeyVault } from "../../workers/vault/vault.js";
import { structured } from "../support/mcp.js";
import { startSupervisor, startWorkersTestNet, until, type WorkersTestNet } from "../support/workers.js";

// Built at run time so the repository holds no key-shaped string.
const CLOUD_KEY = ["AK", "IA", "QWERTYUIOPASDFGH"].join("");
const AI_SECRET = ["sk", "test", "0123456789abcdef0123456789"].join("-");

describe("workers stack: supervised agent processes acting through MCP, audited and anchored", () => {
  let wn: WorkersTestNet;
  let supervisor: Supervisor;
  let home: string;
  let spendKeyId: string;

  beforeAll(async () => {
    wn = await startWorkersTestNet();
    home = mkdtempSync(path.join(tmpdir(), "vivim-stack-"));
    // An AI key with one call's spend in the workers' vault: the supervisor publishes its spend.
    const vault = new KeyVault({ home, passphrase: "vault passphrase" });
    const key = await vault.add({
      label: "ops",
      provider: "openai",
      secret: AI_SECRET,
      dailyBudgetMicroUsd: 500_000,
    });
    spendKeyId = key.id;
    await vault.reserve(key.id, 2_000);
    await vault.recordSpend(key.id, 1_250);
    supervisor = await startSupervisor(wn, home, { anchorEveryMs: 1_000 });
  }, 180_000);

  afterAll(async () => {
    await supervisor?.stop();
    await wn?.stop();
    if (home) rmSync(home, { recursive: true, force: true });
  });

  it("labels a leaked key as @operator/moderation, audits it, anchors the log and verifies it", async () => {
    const bob = await wn.net.connect(wn.net.key("bob", ["social"]));
    const posted = structured<{ postId: string }>(
      await bob.callTool({
        name: "create_post",
        arguments: { community: "general", title: "my config", body: `aws_access_key_id=${CLOUD_KEY}` },
      }),
    );
    const chain = httpChainQuery(wn.net.rpcUrl);
    const moderator = wn.workerAddress("moderation");
    await until(
      "the secret-leak label from the moderation process",
      async () => {
        const r = await chain.query(
          "/vivim.labels.v1.Query/LabelsOf",
          QueryLabelsOfRequest,
          { subject: `content:${posted.postId}`, includeExpired: true, pagination: { limit: 100n } },
          QueryLabelsOfResponse,
        );
        return r.value.labels.some((l) => l.value === "secret-leak" && l.issuer === moderator);
      },
      60_000,
    );
    const file = auditFile(path.join(home, "audit"), "moderation");
    const records = () =>
      (existsSync(file) ? readFileSync(file, "utf8") : "")
        .split("\n")
        .filter(Boolean)
        .map((l) => JSON.parse(l) as AuditRecord);
    // The label is visible on chain the moment its block commits; the moderation process appends
    // its audit record only once the MCP call that waited for that commit returns to it.
    const executedRecord = () =>
      records().find((r) => r.subject === `content:${posted.postId}` && r.outcome === "executed");
    await until("the executed decision in the moderation audit log", async () => !!executedRecord(), 30_000);
    const executed = executedRecord();
    expect(executed?.txHash).toMatch(/^[0-9A-F]{64}$/);
    expect(readFileSync(file, "utf8")).not.toContain(CLOUD_KEY);

    await until(
      "the moderation log anchored through its last record",
      async () => {
        const v = await verifyAuditLog({ file, signer: moderator, log: "moderation", node: wn.net.rpcUrl });
        return v.anchoredThrough >= (executed?.seq ?? Number.POSITIVE_INFINITY);
      },
      60_000,
    );
    const v = await verifyAuditLog({ file, signer: moderator, log: "moderation", node: wn.net.rpcUrl });
    expect(v.problems).toEqual([]);
    expect(v.ok).toBe(true);

    // The feed agent's rankings, through the app API and through MCP get_feed.
    await until(
      "the post in the feed agent's new feed",
      async () => {
        const r = (await (await fetch(`${wn.apiUrl}/vivim/feeds/v1/new?limit=5`)).json()) as {
          post_ids: string[];
        };
        return r.post_ids[0] === posted.postId;
      },
      30_000,
    );
    const feed = structured<{ rankedBy: string; items: Array<{ id: string }> }>(
      await bob.callTool({ name: "get_feed", arguments: { sort: "new", limit: 5 } }),
    );
    expect(feed.rankedBy).toBe("feed-worker");
    expect(feed.items[0]?.id).toBe(posted.postId);
    const agents = (await (await fetch(`${wn.apiUrl}/vivim/workers/v1/agents`)).json()) as {
      supervisor: { running: boolean };
      agents: Array<{ agent: string; status: string }>;
    };
    expect(agents.supervisor.running).toBe(true);
    expect(agents.agents.map((a) => a.status)).toEqual(["running", "running", "running", "running"]);
  });

  it("takes pause, resume and the emergency stop from the operator over the app API, once each", async () => {
    const chainId = wn.net.devnet.chainId;
    const keyring = new Keyring({ home: wn.net.nodeHome, backend: "test" });
    const operatorWallet = await Secp256k1HdWallet.fromMnemonic(await keyring.exportMnemonic("operator0"), {
      prefix: ADDRESS_PREFIX,
    });
    const operator = wn.net.devnet.nodes[0]!.operator.address;
    const alice = wn.net.devnet.accounts.find((a) => a.name === "alice")!;
    const aliceWallet = await Secp256k1HdWallet.fromMnemonic(alice.mnemonic, { prefix: ADDRESS_PREFIX });
    type Action = "pause" | "resume" | "stop";
    const sign = async (
      wallet: Secp256k1HdWallet,
      signer: string,
      action: Action,
      agent: string,
      at: number,
    ) => {
      const text = new TextEncoder().encode(workersControlText(chainId, action, agent as "all", at));
      const doc = JSON.parse(Buffer.from(adr036SignBytes(signer, text)).toString("utf8"));
      const { signature } = await wallet.signAmino(signer, doc);
      return {
        action,
        agent,
        issued_at: String(at),
        signer,
        pub_key: signature.pub_key.value,
        signature: signature.signature,
      };
    };
    const post = (body: object) =>
      fetch(`${wn.apiUrl}/vivim/workers/v1/control`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(body),
      });
    const statusOf = async (agent: string) => {
      const r = (await (await fetch(`${wn.apiUrl}/vivim/workers/v1/agents`)).json()) as {
        supervisor: { emergency_stop?: boolean };
        agents: Array<{ agent: string; status: string; paused_by: string | null }>;
      };
      return { ...r.agents.find((a) => a.agent === agent)!, emergencyStop: r.supervisor.emergency_stop };
    };

    // Not an operator, a stale command, and a signature over another action: refused.
    expect((await post(await sign(aliceWallet, alice.address, "pause", "feed", Date.now()))).status).toBe(
      403,
    );
    expect(
      (await post(await sign(operatorWallet, operator, "pause", "feed", Date.now() - 600_000))).status,
    ).toBe(403);
    const forged = {
      ...(await sign(operatorWallet, operator, "resume", "feed", Date.now())),
      action: "pause",
    };
    expect((await post(forged)).status).toBe(403);
    expect((await post({ action: "pause", agent: "nobody" })).status).toBe(400);

    const pause = await sign(operatorWallet, operator, "pause", "feed", Date.now());
    expect((await post(pause)).status).toBe(200);
    await until("feed paused by the operator", async () => (await statusOf("feed")).status === "paused");
    expect((await statusOf("feed")).paused_by).toBe("operator");
    expect((await statusOf("moderation")).status).toBe("running");
    // The same signed command again is a replay.
    expect((await post(pause)).status).toBe(409);

    expect((await post(await sign(operatorWallet, operator, "resume", "feed", Date.now()))).status).toBe(200);
    await until("feed running again", async () => (await statusOf("feed")).status === "running");

    expect((await post(await sign(operatorWallet, operator, "stop", "all", Date.now()))).status).toBe(200);
    await until("the emergency stop engaged", async () => (await statusOf("health")).emergencyStop === true);
    await until("every agent stopped", async () =>
      (await Promise.all(AGENT_NAMES.map(statusOf))).every((a) => a.status !== "running"),
    );
    expect((await post(await sign(operatorWallet, operator, "resume", "all", Date.now()))).status).toBe(200);
    await until(
      "every agent running after the stop is lifted",
      async () => (await Promise.all(AGENT_NAMES.map(statusOf))).every((a) => a.status === "running"),
      60_000,
    );
    expect((await statusOf("feed")).emergencyStop).toBe(false);
  });

  it("reports the worker queues and the AI keys' spend against their budgets, without secrets", async () => {
    const queues = (await (await fetch(`${wn.apiUrl}/vivim/workers/v1/queues`)).json()) as {
      queues: Array<{ queue: string; counts: Record<string, number> }>;
    };
    expect(queues.queues.map((q) => q.queue).sort()).toEqual([...AGENT_NAMES].sort());
    // The bridge put one job per block on the health queue, and the health process completed them.
    expect(queues.queues.find((q) => q.queue === "health")!.counts.completed).toBeGreaterThan(0);

    await until(
      "the supervisor's AI spend report",
      async () => {
        const r = (await (await fetch(`${wn.apiUrl}/vivim/workers/v1/ai_spend`)).json()) as {
          keys: Array<{ id: string; dayMicroUsd: number }>;
        };
        return r.keys.some((k) => k.id === spendKeyId && k.dayMicroUsd === 1_250);
      },
      20_000,
    );
    const raw = await (await fetch(`${wn.apiUrl}/vivim/workers/v1/ai_spend`)).text();
    const spend = JSON.parse(raw) as { keys: Array<Record<string, unknown>> };
    expect(spend.keys.find((k) => k.id === spendKeyId)).toMatchObject({
      provider: "openai",
      calls: 1,
      dailyBudgetMicroUsd: 500_000,
      revoked: false,
    });
    expect(raw).not.toContain(AI_SECRET);
  });
});
