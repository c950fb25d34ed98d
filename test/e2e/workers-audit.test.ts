/**
 * The workers' audit log anchored on a real node through the real MCP server: alice's key (scope
 * "social") anchors her "moderation" log with the AuditAnchorer (McpActor, anchor_audit, the
 * LatestAuditAnchor query over abci_query), by count and on demand, learning where the chain's anchors
 * end after a restart; `verifyAuditLog` and `vivim workers audit verify` then pass the intact log,
 * and name an edited byte at its seq and a cut-off log's MISSING_RECORDS. A dead MCP server costs a
 * logged, coded round and nothing else.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { Command, CommanderError } from "commander";
import pino, { type Logger } from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { workersAuditCommand } from "../../chain/cli/commands/workers-audit.js";
import { silentLogger } from "../../chain/util/logger.js";
import { QueryLatestAuditAnchorRequest, QueryLatestAuditAnchorResponse } from "../../client/index.js";
import { httpChainQuery } from "../../workers/agents/feed/chain.js";
import { McpActor } from "../../workers/agents/runtime/mcp-actor.js";
import { AuditAnchorer } from "../../workers/audit/anchorer.js";
import { AuditLog } from "../../workers/audit/log.js";
import { auditMerkleRoot } from "../../workers/audit/merkle.js";
import type { AuditEntry, AuditRecord } from "../../workers/audit/record.js";
import { verifyAuditLog } from "../../workers/audit/verify.js";
import { type McpTestNet, startMcpTestNet, structured, toolErrorOf } from "../support/mcp.js";
import { freePort } from "../support/process.js";

const entry = (n: number): AuditEntry => ({
  agent: "moderation",
  height: n,
  subject: `content:${n}`,
  inputsHash: "ab".repeat(32),
  ai: { provider: "offline", model: "rules", inputTokens: 10, outputTokens: 2, costMicroUsd: 0 },
  action: null,
  outcome: "no-action",
  reason: `rules: clean-${n}`,
});

async function until(what: string, check: () => boolean | Promise<boolean>, ms = 30_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out waiting for ${what}`);
}

/** Runs `vivim workers audit ...args` in process: stdout, stderr and the exit code. */
async function cli(args: string[]): Promise<{ out: string; err: string; code: number }> {
  const root = new Command("vivim").addCommand(new Command("workers").addCommand(workersAuditCommand()));
  let out = "";
  let err = "";
  const visit = (c: Command) => {
    c.exitOverride().configureOutput({ writeOut: (s) => (out += s), writeErr: (s) => (err += s) });
    for (const sub of c.commands) visit(sub);
  };
  visit(root);
  const write = process.stdout.write.bind(process.stdout);
  process.stdout.write = ((chunk: string) => {
    out += chunk;
    return true;
  }) as typeof process.stdout.write;
  try {
    await root.parseAsync(["workers", "audit", ...args], { from: "user" });
    return { out, err, code: 0 };
  } catch (e) {
    if (e instanceof CommanderError) return { out, err, code: e.exitCode };
    throw e;
  } finally {
    process.stdout.write = write;
  }
}

describe("workers audit log: anchored on chain through MCP, verified against it", () => {
  let net: McpTestNet;
  let dir: string;
  let log: AuditLog;
  let bearer: string;
  let alice: string;
  const actors: McpActor[] = [];
  const anchorers: AuditAnchorer[] = [];
  const records: AuditRecord[] = [];

  const append = async (n: number) => {
    for (let i = 0; i < n; i++) records.push(await log.append(entry(records.length + 1)));
  };
  const actor = (url = net.http.url) => {
    const a = new McpActor(url, bearer, "audit-test");
    actors.push(a);
    return a;
  };
  const anchorer = (
    o: ConstructorParameters<typeof AuditAnchorer>[1],
    x: { url?: string; logger?: Logger; signer?: string; log?: AuditLog; name?: string } = {},
  ) => {
    const a = new AuditAnchorer(
      {
        log: x.log ?? log,
        name: x.name ?? "moderation",
        tools: actor(x.url),
        chain: httpChainQuery(net.rpcUrl),
        logger: x.logger ?? silentLogger(),
        ...(x.signer ? { signer: x.signer } : {}),
      },
      o,
    );
    anchorers.push(a);
    return a;
  };
  const latest = async () =>
    (
      await httpChainQuery(net.rpcUrl).query(
        "/vivim.workers.v1.Query/LatestAuditAnchor",
        QueryLatestAuditAnchorRequest,
        { signer: alice, log: "moderation" },
        QueryLatestAuditAnchorResponse,
      )
    ).value.anchor;

  beforeAll(async () => {
    net = await startMcpTestNet();
    bearer = net.key("alice", ["social"]);
    alice = net.address("alice");
    dir = mkdtempSync(path.join(tmpdir(), "vivim-audit-e2e-"));
    log = AuditLog.open(path.join(dir, "audit"), "moderation");
  });

  afterAll(async () => {
    for (const a of anchorers) await a.stop();
    for (const a of actors) await a.close();
    await net?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("anchors every N records, and what waits on demand, in contiguous ranges", async () => {
    await append(3);
    const a = anchorer({ everyRecords: 5, everyMs: 3_600_000, checkMs: 50 });
    a.start();
    // It learns from the chain (through whoami and LatestAuditAnchor) that nothing is anchored.
    await until("the anchorer learned the chain's anchors", () => a.status().anchoredThrough === 0);
    await new Promise((r) => setTimeout(r, 300));
    expect(a.status().anchoredThrough).toBe(0); // 3 waiting < 5
    expect(await latest()).toBeUndefined();

    await append(4);
    await until("records 1..7 anchored", () => a.status().anchoredThrough === 7);
    const first = await latest();
    expect(first).toMatchObject({ signer: alice, log: "moderation", fromSeq: 1n, toSeq: 7n });
    expect(Buffer.from(first!.root).toString("hex")).toBe(auditMerkleRoot(records.map((r) => r.hash)));
    expect(Buffer.from(first!.headHash).toString("hex")).toBe(records[6]!.hash);

    await append(2);
    const round = await a.anchorNow();
    expect(round.anchored).toMatchObject({
      fromSeq: 8,
      toSeq: 9,
      txHash: expect.stringMatching(/^[0-9A-F]{64}$/),
    });
    expect((await a.anchorNow()).anchored).toBeUndefined(); // nothing waits
    await a.stop();

    // Another anchorer (a restarted agent) learns where the chain's anchors end and goes on from there.
    await append(1);
    const b = anchorer({ everyRecords: 1000, everyMs: 3_600_000, checkMs: 50 });
    b.start();
    await until("the restarted anchorer learned the chain", () => b.status().anchoredThrough !== undefined);
    expect(b.status().anchoredThrough).toBe(9);
    expect((await b.anchorNow()).anchored).toMatchObject({ fromSeq: 10, toSeq: 10 });
    await b.stop();
    expect((await latest())?.toSeq).toBe(10n);
  });

  it("refuses a range that does not continue the log's anchors, through MCP", async () => {
    const client = await net.connect(bearer);
    const args = {
      log: "moderation",
      fromSeq: 3,
      toSeq: 4,
      root: "aa".repeat(32),
      headHash: "bb".repeat(32),
    };
    const refused = toolErrorOf(await client.callTool({ name: "anchor_audit", arguments: args }));
    expect(refused).toMatchObject({ code: "NOT_PERMITTED", nextSeq: 11 });
    const other = structured<{ status: string; fromSeq: number }>(
      await client.callTool({ name: "anchor_audit", arguments: { ...args, log: "scratch", fromSeq: 1 } }),
    );
    expect(other).toMatchObject({ status: "committed", fromSeq: 1 });
    const readOnly = await net.connect(net.key("alice", []));
    expect(toolErrorOf(await readOnly.callTool({ name: "anchor_audit", arguments: args })).code).toBe(
      "FORBIDDEN_SCOPE",
    );
  });

  it("verifies the intact log against the chain, by function and by CLI", async () => {
    await append(2); // 11 and 12: not anchored yet, still checked
    const v = await verifyAuditLog({ file: log.file, signer: alice, log: "moderation", node: net.rpcUrl });
    expect(v).toMatchObject({ ok: true, records: 12, lastSeq: 12, anchoredThrough: 10, problems: [] });
    expect(v.anchors.map((a) => [a.fromSeq, a.toSeq, a.ok])).toEqual([
      [1, 7, true],
      [8, 9, true],
      [10, 10, true],
    ]);

    const json = await cli([
      "verify",
      "--agent",
      "moderation",
      "--signer",
      alice,
      "--home",
      dir,
      "--node",
      net.rpcUrl,
      "--output",
      "json",
    ]);
    expect(json.code).toBe(0);
    expect(JSON.parse(json.out)).toMatchObject({
      ok: true,
      file: log.file,
      anchoredThrough: 10,
      records: 12,
    });
    const text = await cli([
      "verify",
      "--agent",
      "moderation",
      "--signer",
      alice,
      "--file",
      log.file,
      "--node",
      net.rpcUrl,
    ]);
    expect(text.code).toBe(0);
    expect(text.out).toMatch(/audit log moderation \(.*moderation\.jsonl\): OK/);
    expect(text.out).toMatch(/anchored through seq 10 in 3 anchors; 2 not anchored yet/);

    // Another signer's anchors are not this log's: nothing anchored, nothing to mismatch.
    const bob = await verifyAuditLog({
      file: log.file,
      signer: net.address("bob"),
      log: "moderation",
      node: net.rpcUrl,
    });
    expect(bob).toMatchObject({ ok: true, anchoredThrough: 0, anchors: [] });
  });

  it("names an edited byte at its seq, and a cut-off log's missing records", async () => {
    const tampered = path.join(dir, "tampered.jsonl");
    const bytes = readFileSync(log.file);
    const lineStarts = [0, ...[...bytes.entries()].filter(([, b]) => b === 0x0a).map(([i]) => i + 1)];
    // One byte of record 4's reason: "clean-4" → "clean-5".
    const at = bytes.indexOf("clean-4", lineStarts[3]) + "clean-".length;
    expect(at).toBeGreaterThan(lineStarts[3]!);
    const edited = Buffer.from(bytes);
    edited[at] = "5".charCodeAt(0);
    writeFileSync(tampered, edited);
    const v = await verifyAuditLog({ file: tampered, signer: alice, log: "moderation", node: net.rpcUrl });
    expect(v.ok).toBe(false);
    expect(v.problems.map((p) => [p.seq, p.code])).toEqual([
      [4, "BAD_HASH"],
      [1, "ROOT_MISMATCH"],
    ]);
    expect(v.anchors.map((a) => a.ok)).toEqual([false, true, true]);
    const text = await cli([
      "verify",
      "--agent",
      "moderation",
      "--signer",
      alice,
      "--file",
      tampered,
      "--node",
      net.rpcUrl,
    ]);
    expect(text.code).toBe(1);
    expect(text.out).toMatch(/2 PROBLEMS/);
    expect(text.out).toMatch(/seq 4 +BAD_HASH/);
    expect(text.err).toMatch(/AUDIT_PROBLEMS/);

    const truncated = path.join(dir, "truncated.jsonl");
    writeFileSync(truncated, bytes.subarray(0, lineStarts[8]));
    const cut = await verifyAuditLog({ file: truncated, signer: alice, log: "moderation", node: net.rpcUrl });
    expect(cut.problems.map((p) => [p.seq, p.code])).toEqual([
      [9, "MISSING_RECORDS"],
      [10, "MISSING_RECORDS"],
    ]);
    expect(cut).toMatchObject({ ok: false, records: 8, lastSeq: 8, anchoredThrough: 10 });
    const json = await cli([
      "verify",
      "--agent",
      "moderation",
      "--signer",
      alice,
      "--file",
      truncated,
      "--node",
      net.rpcUrl,
      "--output",
      "json",
    ]);
    expect(json.code).toBe(1);
    expect(JSON.parse(json.out).problems[0]).toMatchObject({ seq: 9, code: "MISSING_RECORDS" });

    const bad = await cli(["verify", "--agent", "Moderation", "--signer", alice, "--node", net.rpcUrl]);
    expect([bad.code, bad.err]).toEqual([1, expect.stringMatching(/INVALID_AGENT/)]);
    expect(
      (await verifyAuditLog({ file: log.file, signer: alice, log: "moderation", node: net.rpcUrl })).ok,
    ).toBe(true);
  });

  it("anchors nothing of a log whose records no longer match their hashes", async () => {
    const feed = AuditLog.open(path.join(dir, "audit"), "feed");
    await feed.append({ ...entry(1), agent: "feed" });
    await feed.append({ ...entry(2), agent: "feed" });
    writeFileSync(feed.file, readFileSync(feed.file, "utf8").replace("clean-2", "clean-9"));
    const a = anchorer({ checkMs: 60_000 }, { log: feed, name: "feed", signer: alice });
    const round = await a.anchorNow();
    expect(round.error).toMatchObject({ code: "AUDIT_CORRUPT", message: expect.stringMatching(/record 2/) });
    expect(round.anchored).toBeUndefined();
    const onChain = await httpChainQuery(net.rpcUrl).query(
      "/vivim.workers.v1.Query/LatestAuditAnchor",
      QueryLatestAuditAnchorRequest,
      { signer: alice, log: "feed" },
      QueryLatestAuditAnchorResponse,
    );
    expect(onChain.value.anchor).toBeUndefined();
  });

  it("logs a failed round with its code and retries the next one, never throwing", async () => {
    const lines: Array<Record<string, unknown>> = [];
    const logger = pino({ level: "debug" }, { write: (s: string) => lines.push(JSON.parse(s)) });
    await append(1); // 13
    const dead = `http://127.0.0.1:${await freePort()}/mcp`;
    const a = anchorer({ everyRecords: 1, everyMs: 3_600_000, checkMs: 50 }, { url: dead, logger });
    a.start();
    await until("a failed round logged", () => lines.some((l) => l.code === "MCP_UNAVAILABLE"));
    const failed = lines.find((l) => l.code === "MCP_UNAVAILABLE")!;
    expect(failed).toMatchObject({ level: 40, log: "moderation", component: "audit-anchorer" });
    expect(JSON.stringify(lines)).not.toContain("clean-");
    expect(a.status().lastError?.code).toBe("MCP_UNAVAILABLE");
    await a.stop();
    expect((await latest())?.toSeq).toBe(10n);

    // With a reachable server and the signer given, the next anchorer anchors 11..13, two at a time.
    const b = anchorer(
      { everyRecords: 1, everyMs: 3_600_000, checkMs: 50, maxRecords: 2 },
      { signer: alice },
    );
    b.start();
    await until("11..13 anchored", () => b.status().anchoredThrough === 13);
    await b.stop();
    const v = await verifyAuditLog({ file: log.file, signer: alice, log: "moderation", node: net.rpcUrl });
    expect(v.ok).toBe(true);
    expect(v.anchors.slice(3).map((x) => [x.fromSeq, x.toSeq])).toEqual([
      [11, 12],
      [13, 13],
    ]);
  });
});
