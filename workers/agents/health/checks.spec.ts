import { describe, expect, it } from "vitest";
import {
  type BlockMeta,
  blockIntervalRatio,
  evaluate,
  median,
  type NodeProbe,
  nodeSubject,
  observeHeight,
  resolvedKeys,
  rfc3339Ms,
  type Snapshot,
  stuckAgents,
  DEFAULT_THRESHOLDS as T,
} from "./checks.js";

const NOW = 1_800_000_000_000;
const A = "node:http://a:26657";
const B = "node:http://b:26657";

function node(subject: string, height: number, extra: Partial<NodeProbe> = {}): NodeProbe {
  return {
    subject,
    ok: true,
    chainId: "vivim-test",
    height,
    peers: 1,
    mempoolTxs: 0,
    mempoolBytes: 0,
    ...extra,
  };
}

/** A healthy snapshot of one node; every part read. */
function snap(over: Partial<Snapshot> = {}): Snapshot {
  return {
    now: NOW,
    nodes: [node(A, 100)],
    blocks: blocks(100, 10, 1000, 1),
    queues: [{ queue: "feed", waiting: 0, delayed: 0 }],
    workers: {
      supervisorUpdatedAt: NOW - 500,
      agents: [{ agent: "feed", status: "running", lastHeartbeat: NOW - 1000 }],
    },
    spend: [],
    ...over,
  };
}

function blocks(top: number, n: number, everyMs: number, txs: number): BlockMeta[] {
  return Array.from({ length: n }, (_, i) => ({ height: top - i, timeMs: NOW - i * everyMs, txs }));
}

const kinds = (s: Snapshot, prev = { height: 100, at: NOW - 1000 }) =>
  evaluate(s, prev).findings.map((f) => f.key);

describe("evaluate", () => {
  it("finds nothing on a healthy network", () => {
    const e = evaluate(snap(), { height: 99, at: NOW - 2000 });
    expect(e.findings).toEqual([]);
    expect(e.height).toBe(100);
    expect(e.progress).toEqual({ height: 100, at: NOW });
    expect(e.uncheckedKinds).toEqual([]);
  });

  it("chain-stalled after more than 10 s without a new height", () => {
    expect(kinds(snap(), { height: 100, at: NOW - 10_000 })).toEqual([]);
    const e = evaluate(snap(), { height: 100, at: NOW - 10_001 });
    expect(e.stalled).toBe(true);
    expect(e.findings).toEqual([
      {
        key: "chain-stalled:chain:vivim-test",
        kind: "chain-stalled",
        severity: "critical",
        subject: "chain:vivim-test",
        message: "no new block for more than 10 s after height 100",
      },
    ]);
  });

  it("a first observation of a chain halted long ago is stalled at once, by its block time", () => {
    const halted = snap({ nodes: [node(A, 100, { latestBlockTimeMs: NOW - 60_000 })] });
    expect(evaluate(halted, undefined).stalled).toBe(true);
    // A node clock ahead of ours never puts progress in the future.
    const ahead = snap({ nodes: [node(A, 100, { latestBlockTimeMs: NOW + 60_000 })] });
    expect(evaluate(ahead, undefined).progress).toEqual({ height: 100, at: NOW });
  });

  it("node-down, node-lagging (more than 5 behind) and isolated (0 peers among several nodes)", () => {
    const s = snap({
      nodes: [
        node(A, 100),
        node(B, 94, { peers: 0 }),
        node("node:http://c:26657", 95),
        { subject: "node:http://d:26657", ok: false, code: "NODE_TIMEOUT" },
      ],
    });
    const e = evaluate(s, { height: 100, at: NOW });
    expect(e.findings.map((f) => [f.key, f.message])).toEqual([
      ["node-lagging:node:http://b:26657", "6 blocks behind the highest node"],
      ["isolated:node:http://b:26657", "0 peers on a network of several nodes"],
      ["node-down:node:http://d:26657", "unreachable (NODE_TIMEOUT)"],
    ]);
    // A down node's other checks could not run: their alerts stay as they are.
    expect(e.uncheckedKeys).toEqual([
      "node-lagging:node:http://d:26657",
      "isolated:node:http://d:26657",
      "mempool-full:node:http://d:26657",
    ]);
  });

  it("a single node with 0 peers is not isolated", () => {
    expect(kinds(snap({ nodes: [node(A, 100, { peers: 0 })] }))).toEqual([]);
  });

  it("mempool-full above 80% of the cap, by txs or bytes", () => {
    expect(kinds(snap({ nodes: [node(A, 100, { mempoolTxs: 4000 })] }))).toEqual([]);
    expect(kinds(snap({ nodes: [node(A, 100, { mempoolTxs: 4001 })] }))).toEqual([`mempool-full:${A}`]);
    expect(kinds(snap({ nodes: [node(A, 100, { mempoolBytes: 60 * 1024 * 1024 })] }))).toEqual([
      `mempool-full:${A}`,
    ]);
  });

  it("slow-blocks when the median interval is over 3x its target (empty blocks against the idle target)", () => {
    expect(kinds(snap({ blocks: blocks(100, 10, 3000, 1) }))).toEqual([]);
    expect(kinds(snap({ blocks: blocks(100, 10, 3100, 1) }))).toEqual(["slow-blocks:chain:vivim-test"]);
    // Empty blocks every 5 s are an idle chain, not a slow one.
    expect(kinds(snap({ blocks: blocks(100, 10, 5000, 0) }))).toEqual([]);
    expect(kinds(snap({ blocks: blocks(100, 10, 16_000, 0) }))).toEqual(["slow-blocks:chain:vivim-test"]);
  });

  it("queue-backlog above 1000 waiting + delayed", () => {
    expect(kinds(snap({ queues: [{ queue: "feed", waiting: 600, delayed: 400 }] }))).toEqual([]);
    expect(kinds(snap({ queues: [{ queue: "feed", waiting: 600, delayed: 401 }] }))).toEqual([
      "queue-backlog:queue:feed",
    ]);
  });

  it("worker-stuck: running with a heartbeat older than 15 s, or crashed; judged only under a live supervisor", () => {
    const workers = (
      agents: { agent: string; status: string; lastHeartbeat: number | null }[],
      sup = NOW - 1000,
    ) => ({
      supervisorUpdatedAt: sup,
      agents,
    });
    const stale = [
      { agent: "feed", status: "running", lastHeartbeat: NOW - 15_001 },
      { agent: "moderation", status: "crashed", lastHeartbeat: NOW },
      { agent: "reputation", status: "paused", lastHeartbeat: NOW - 60_000 },
      { agent: "health", status: "running", lastHeartbeat: NOW - 15_000 },
    ];
    expect(kinds(snap({ workers: workers(stale) }))).toEqual([
      "worker-stuck:worker:feed",
      "worker-stuck:worker:moderation",
    ]);
    const e = evaluate(snap({ workers: workers(stale, NOW - 6000) }), { height: 100, at: NOW });
    expect(e.findings).toEqual([]);
    expect(e.uncheckedKinds).toContain("worker-stuck");
  });

  it("ai-budget at 80% of a key's daily budget; revoked keys are not judged", () => {
    const key = (day: number, revoked = false) => ({
      keyId: "aik_0123456789abcdef",
      provider: "openai",
      dayMicroUsd: day,
      dailyBudgetMicroUsd: 1000,
      revoked,
    });
    expect(kinds(snap({ spend: [key(799)] }))).toEqual([]);
    expect(kinds(snap({ spend: [key(800, true)] }))).toEqual([]);
    const e = evaluate(snap({ spend: [key(800)] }), { height: 100, at: NOW });
    expect(e.findings.map((f) => [f.key, f.message])).toEqual([
      [
        "ai-budget:ai-key:aik_0123456789abcdef",
        "openai key spent 80% of its daily budget (800 of 1000 µUSD)",
      ],
    ]);
  });

  it("parts that could not be read leave their checks unchecked", () => {
    const e = evaluate({ now: NOW, nodes: [{ subject: A, ok: false, code: "NODE_UNAVAILABLE" }] }, undefined);
    expect(e.findings.map((f) => f.key)).toEqual([`node-down:${A}`]);
    expect([...e.uncheckedKinds].sort()).toEqual(
      ["ai-budget", "chain-stalled", "queue-backlog", "slow-blocks", "worker-stuck"].sort(),
    );
    expect(e.progress).toBeUndefined();
  });
});

describe("resolvedKeys", () => {
  it("resolves open alerts whose check ran and passed, and keeps the unchecked ones", () => {
    const e = evaluate(snap({ nodes: [node(A, 100), { subject: B, ok: false }], queues: undefined }), {
      height: 100,
      at: NOW,
    });
    const open = [
      { key: `node-down:${B}`, kind: "node-down" },
      { key: `node-down:${A}`, kind: "node-down" },
      { key: `mempool-full:${B}`, kind: "mempool-full" },
      { key: `mempool-full:${A}`, kind: "mempool-full" },
      { key: "queue-backlog:queue:feed", kind: "queue-backlog" },
      { key: "chain-stalled:chain:vivim-test", kind: "chain-stalled" },
    ];
    expect(resolvedKeys(open, e)).toEqual([
      `node-down:${A}`,
      `mempool-full:${A}`,
      "chain-stalled:chain:vivim-test",
    ]);
  });
});

describe("helpers", () => {
  it("observeHeight moves the clock only on a new height", () => {
    expect(observeHeight(undefined, 5, NOW)).toEqual({ height: 5, at: NOW });
    const p = { height: 5, at: NOW - 3000 };
    expect(observeHeight(p, 5, NOW)).toBe(p);
    expect(observeHeight(p, 6, NOW)).toEqual({ height: 6, at: NOW });
    expect(observeHeight(p, 1, NOW)).toEqual({ height: 1, at: NOW });
  });

  it("median and block intervals over consecutive heights only", () => {
    expect(median([])).toBeUndefined();
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    const gap: BlockMeta[] = [
      { height: 1, timeMs: 0, txs: 1 },
      { height: 3, timeMs: 100_000, txs: 1 },
      { height: 4, timeMs: 101_000, txs: 1 },
    ];
    expect(blockIntervalRatio(gap, T)).toBeUndefined(); // one interval is too few
    expect(blockIntervalRatio(blocks(10, 4, 2000, 1), T)).toBe(2);
  });

  it("rfc3339Ms keeps milliseconds of nanosecond times and refuses anything else", () => {
    expect(rfc3339Ms("2026-01-02T03:04:05.987654321Z")).toBe(Date.UTC(2026, 0, 2, 3, 4, 5, 987));
    expect(rfc3339Ms("2026-01-02T03:04:05Z")).toBe(Date.UTC(2026, 0, 2, 3, 4, 5));
    expect(rfc3339Ms("yesterday")).toBeUndefined();
    expect(rfc3339Ms(5)).toBeUndefined();
  });

  it("nodeSubject drops credentials and query strings", () => {
    expect(nodeSubject("http://user:secret@10.0.0.1:26657/?token=abc")).toBe("node:http://10.0.0.1:26657");
    expect(nodeSubject("https://rpc.example.org/vivim")).toBe("node:https://rpc.example.org/vivim");
    expect(nodeSubject("not a url")).toBe("node:invalid-url");
  });

  it("stuckAgents never names the health agent itself", () => {
    const e = evaluate(
      snap({
        workers: {
          supervisorUpdatedAt: NOW,
          agents: [
            { agent: "feed", status: "crashed", lastHeartbeat: null },
            { agent: "health", status: "crashed", lastHeartbeat: null },
          ],
        },
      }),
      { height: 100, at: NOW },
    );
    expect(stuckAgents(e.findings, "health")).toEqual(["feed"]);
  });
});
