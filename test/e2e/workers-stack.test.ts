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
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { workerMcpKeyName } from "../../chain/node/devnet.js";
import { silentLogger } from "../../chain/util/logger.js";
import { QueryLabelsOfRequest, QueryLabelsOfResponse } from "../../contracts/labels/query.js";
import { httpChainQuery } from "../../workers/agents/feed/chain.js";
import { AGENT_NAMES, type AgentName } from "../../workers/agents/names.js";
import { auditFile } from "../../workers/audit/log.js";
import type { AuditRecord } from "../../workers/audit/record.js";
import { verifyAuditLog } from "../../workers/audit/verify.js";
import { QUEUE_PREFIX } from "../../workers/redis/connection.js";
import { readStatus } from "../../workers/supervisor/control.js";
import { rpcPauseState } from "../../workers/supervisor/pause-state.js";
import { Supervisor } from "../../workers/supervisor/supervisor.js";
import { structured } from "../support/mcp.js";
import { startWorkersTestNet, until, type WorkersTestNet } from "../support/workers.js";

// Built at run time so the repository holds no key-shaped string.
const CLOUD_KEY = ["AK", "IA", "QWERTYUIOPASDFGH"].join("");

describe("workers stack: supervised agent processes acting through MCP, audited and anchored", () => {
  let wn: WorkersTestNet;
  let supervisor: Supervisor;
  let home: string;

  beforeAll(async () => {
    wn = await startWorkersTestNet();
    home = mkdtempSync(path.join(tmpdir(), "vivim-stack-"));
    const keys: Partial<Record<AgentName, string>> = {};
    for (const agent of AGENT_NAMES) keys[agent] = wn.net.devnet.mcpKeys[workerMcpKeyName(agent)];
    supervisor = new Supervisor(
      {
        redisUrl: wn.redisUrl,
        logger: silentLogger(),
        pauseState: rpcPauseState(wn.net.rpcUrl),
        rpcUrl: wn.net.rpcUrl,
      },
      {
        nodeRpcUrl: wn.net.rpcUrl,
        home,
        mcpUrl: wn.net.http.url,
        mcpKeys: keys,
        anchorEveryMs: 1_000,
        env: { VIVIM_LOG_LEVEL: "error" },
        stdio: "ignore",
      },
    );
    await supervisor.start();
    await until(
      "every agent running",
      async () =>
        (await readStatus(wn.redis, QUEUE_PREFIX)).agents.filter((a) => a.status === "running").length === 4,
      60_000,
    );
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
});
