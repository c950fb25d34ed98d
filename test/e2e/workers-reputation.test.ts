/**
 * The reputation agent against a real node with the devnet (alice, bob, carol; bob's genesis
 * five-star rating of alice), the real MCP server, a private redis-server and the real block bridge
 * feeding a BullMQ Worker that runs `reputationAgent` as @operator/reputation:
 * - alice rating bob five stars back closes a rating ring: both get a "rating-ring" label on chain;
 * - replaying that block (the processor called again, the job re-added under a new id, and again
 *   after emptying the Redis graph, which the agent reads back from the chain) takes no second
 *   action: the runtime records duplicates, the chain keeps the same labels;
 * - three fresh agents of bob rating only carol are a sybil cluster: each gets "sybil-suspect";
 * - in `advisory` autonomy, bob transferring one of them to carol (whom it rated) makes that rating
 *   self-dealing: the labels wait in the approval list with their one-line explanation, nothing is
 *   written on chain;
 * - the audit log holds a record for every decision (labels taken, duplicates, queued, no action).
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { DirectSecp256k1HdWallet, DirectSecp256k1Wallet, type EncodeObject } from "@cosmjs/proto-signing";
import { calculateFee, GasPrice, type SigningStargateClient } from "@cosmjs/stargate";
import { Queue } from "bullmq";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { silentLogger } from "../../chain/util/logger.js";
import {
  connectVivim,
  MsgAcknowledgeDmThread,
  MsgRate,
  MsgRegisterAgent,
  MsgTransferAgent,
  vivimMsg,
} from "../../client/index.js";
import { QueryLabelsByIssuerRequest, QueryLabelsByIssuerResponse } from "../../contracts/labels/query.js";
import { httpChainQuery } from "../../workers/agents/feed/chain.js";
import { clearGraph, processReputationJob, reputationAgent } from "../../workers/agents/reputation/index.js";
import { setAutonomy } from "../../workers/agents/runtime/autonomy.js";
import type { AuditRecord } from "../../workers/audit/record.js";
import { blockEvents } from "../../workers/bridge/block-events.js";
import { type BlockJobData, blockJob, DEFAULT_INTERESTS } from "../../workers/bridge/interests.js";
import { httpNodeRpc } from "../../workers/bridge/node-rpc.js";
import { connectRedis, QUEUE_PREFIX } from "../../workers/redis/connection.js";
import { type RunningAgent, startWorkersTestNet, until, type WorkersTestNet } from "../support/workers.js";

const FEE = calculateFee(600_000, GasPrice.fromString("0.025uvivim"));
const POLL = { broadcastPollIntervalMs: 100, broadcastTimeoutMs: 20_000 };
const INTEREST = DEFAULT_INTERESTS.find((i) => i.queue === "reputation")!;

interface OnChainLabel {
  subject: string;
  value: string;
  reason: string;
  neg: boolean;
}

describe("reputation agent: ratings on chain → bridge → BullMQ → labels", () => {
  let w: WorkersTestNet;
  let agent: RunningAgent;
  let me: string;
  const clients = new Map<string, SigningStargateClient>();
  const addr: Record<string, string> = {};
  const sybils: string[] = [];
  let ringHeight = 0;

  async function send(from: string, msg: EncodeObject) {
    const tx = await clients.get(from)!.signAndBroadcast(from, [msg], FEE);
    expect(tx.code, tx.rawLog).toBe(0);
    return tx;
  }

  async function labels(): Promise<OnChainLabel[]> {
    const r = await httpChainQuery(w.net.rpcUrl).query(
      "/vivim.labels.v1.Query/LabelsByIssuer",
      QueryLabelsByIssuerRequest,
      { issuer: me, pagination: { limit: 100n } },
      QueryLabelsByIssuerResponse,
    );
    return r.value.labels.map((l) => ({ subject: l.subject, value: l.value, reason: l.reason, neg: l.neg }));
  }
  const labelled = async (value: string) =>
    (await labels())
      .filter((l) => l.value === value && !l.neg)
      .map((l) => l.subject)
      .sort();

  /** The job the bridge made for block `height`, made again from the node. */
  async function jobOf(height: number): Promise<BlockJobData> {
    const node = httpNodeRpc(w.net.rpcUrl);
    const [status, block, results] = await Promise.all([
      node.status(),
      node.block(height),
      node.blockResults(height),
    ]);
    const job = blockJob(status.chainId, blockEvents(height, block, results), INTEREST);
    if (!job) throw new Error(`block ${height} has no reputation event`);
    return job;
  }

  function audit(): AuditRecord[] {
    return readFileSync(path.join(w.auditDir, "reputation.jsonl"), "utf8")
      .split("\n")
      .filter((l) => l.trim())
      .map((l) => JSON.parse(l) as AuditRecord);
  }

  beforeAll(async () => {
    w = await startWorkersTestNet();
    me = w.workerAddress("reputation");
    for (const name of ["alice", "bob", "carol"]) {
      const account = w.net.devnet.accounts.find((a) => a.name === name)!;
      addr[name] = account.address;
      const wallet = await DirectSecp256k1HdWallet.fromMnemonic(account.mnemonic, { prefix: "vivim" });
      clients.set(account.address, await connectVivim(w.net.rpcUrl, wallet, POLL));
    }
    agent = await w.runAgent("reputation", reputationAgent, { autonomy: "autonomous" });
  }, 180_000);

  afterAll(async () => {
    for (const c of clients.values()) c.disconnect();
    await w?.stop();
  });

  it("alice rating bob back five stars closes a ring: both get a rating-ring label", async () => {
    // The devnet's genesis has bob's five-star "helped" rating of alice (and their reply).
    expect(await labels()).toEqual([]);
    const tx = await send(
      addr.alice!,
      vivimMsg(MsgRate, {
        rater: addr.alice!,
        subject: addr.bob!,
        helped: true,
        stars: 5,
        comment: "thanks!",
      }),
    );
    ringHeight = tx.height;
    await agent.processedTo(ringHeight, 60_000);
    await until("the ring labels", async () => (await labelled("rating-ring")).length === 2, 30_000);
    expect(await labelled("rating-ring")).toEqual([`account:${addr.alice}`, `account:${addr.bob}`].sort());
    const reasons = (await labels()).map((l) => l.reason);
    for (const reason of reasons) {
      expect(reason).toMatch(/^rating-ring: 2-cycle of high ratings/);
      expect(reason).toContain("@alice");
      expect(reason).toContain("@bob");
      // The rating's comment (member text) never goes into a label.
      expect(reason).not.toContain("thanks");
      expect(reason.length).toBeLessThanOrEqual(280);
    }
  }, 120_000);

  it("replaying the block takes no second action", async () => {
    const before = await labels();
    const job = await jobOf(ringHeight);
    const ctx = { redis: w.redis, log: silentLogger(), runtime: agent.runtime, nodeRpcUrl: w.net.rpcUrl };
    const replay = await processReputationJob(job, ctx);
    expect(replay.findings.rings).toBe(1);
    expect(replay.outcomes).toEqual({ duplicate: 2 });

    // The same block's job again through BullMQ, under a new id (as a bridge replay would).
    const connection = connectRedis(w.redisUrl, "producer");
    const queue = new Queue<BlockJobData>("reputation", { connection, prefix: QUEUE_PREFIX });
    const seen = agent.processed.filter((h) => h === ringHeight).length;
    await queue.add("block", job, { jobId: `reputation-replay-${ringHeight}` });
    await until(
      "the replayed job",
      () => agent.processed.filter((h) => h === ringHeight).length > seen,
      30_000,
    );
    await queue.close();
    connection.disconnect();
    expect(await labels()).toEqual(before);

    // The graph is a cache: emptied, the agent reads what it needs back from the chain and finds
    // the same ring (the same actions: duplicates again).
    expect(await clearGraph(w.redis)).toBeGreaterThan(0);
    const rebuilt = await processReputationJob(job, ctx);
    expect(rebuilt.findings.rings).toBe(1);
    expect(rebuilt.outcomes).toEqual({ duplicate: 2 });
    expect(await labels()).toEqual(before);
    const dup = audit().filter((r) => r.height === ringHeight && r.outcome === "duplicate");
    expect(dup).toHaveLength(6);

    // A malformed job is refused with BAD_JOB (BullMQ fails it), nothing decided.
    await expect(processReputationJob({ v: 2, height: 1 }, ctx)).rejects.toMatchObject({ code: "BAD_JOB" });
    expect(new Set(dup.map((r) => r.subject))).toEqual(
      new Set([`account:${addr.alice}`, `account:${addr.bob}`]),
    );
  }, 120_000);

  it("three agents of bob rating only carol are a sybil cluster: each gets sybil-suspect", async () => {
    const bob = addr.bob!;
    const carol = addr.carol!;
    for (let i = 0; i < 3; i++) {
      const wallet = await DirectSecp256k1Wallet.fromKey(new Uint8Array(32).fill(0x51 + i), "vivim");
      const [acct] = await wallet.getAccounts();
      const a = acct!.address;
      sybils.push(a);
      clients.set(a, await connectVivim(w.net.rpcUrl, wallet, POLL));
      await send(
        bob,
        vivimMsg(MsgRegisterAgent, {
          owner: bob,
          name: `helper${i + 1}`,
          pubKeyType: "secp256k1",
          pubKey: acct!.pubkey,
          capabilities: ["rate", "dm"],
        }),
      );
      await send(bob, {
        typeUrl: "/cosmos.bank.v1beta1.MsgSend",
        value: { fromAddress: bob, toAddress: a, amount: [{ denom: "uvivim", amount: "1000000" }] },
      });
      // A DM thread both acknowledged is the interaction a rating needs.
      const threadId = new Uint8Array(32).fill(0x61 + i);
      await send(a, vivimMsg(MsgAcknowledgeDmThread, { account: a, peer: carol, threadId }));
      await send(carol, vivimMsg(MsgAcknowledgeDmThread, { account: carol, peer: a, threadId }));
    }
    let last = 0;
    for (const a of sybils) {
      const tx = await send(
        a,
        vivimMsg(MsgRate, { rater: a, subject: carol, helped: true, stars: 5, comment: "" }),
      );
      last = tx.height;
    }
    await agent.processedTo(last, 60_000);
    await until("the sybil labels", async () => (await labelled("sybil-suspect")).length === 3, 30_000);
    expect(await labelled("sybil-suspect")).toEqual(sybils.map((a) => `account:${a}`).sort());
    const reason = (await labels()).find((l) => l.value === "sybil-suspect")!.reason;
    expect(reason).toMatch(/^sybil-cluster: 3 suspect raters .* rate only @carol and each other: /);
    for (let i = 1; i <= 3; i++) expect(reason).toContain(`@bob/helper${i}`);
    // The target is looked at (a no-action decision), not labelled; nothing else was.
    expect(await labelled("rating-ring")).toHaveLength(2);
    expect((await labels()).filter((l) => l.subject === `account:${carol}`)).toEqual([]);
    expect(
      audit().some((r) => r.height === last && r.subject === `account:${carol}` && r.outcome === "no-action"),
    ).toBe(true);
  }, 180_000);

  it("advisory: a transfer that makes a rating self-dealing waits in the approval list", async () => {
    await setAutonomy(w.redis, QUEUE_PREFIX, "reputation", "advisory");
    const before = await labels();
    const moved = sybils[0]!;
    const tx = await send(
      addr.bob!,
      vivimMsg(MsgTransferAgent, { owner: addr.bob!, agent: moved, newOwner: addr.carol! }),
    );
    await agent.processedTo(tx.height, 60_000);
    const pending = await agent.runtime.approvals.list();
    const selfDealing = pending.filter((a) => a.args.value === "self-dealing");
    expect(selfDealing.map((a) => a.args.account).sort()).toEqual([moved, addr.carol!].sort());
    for (const a of selfDealing) {
      expect(a.tool).toBe("label_content");
      expect(a.confidence).toBe("high");
      expect(a.height).toBe(tx.height);
      expect(a.summary).toMatch(
        /^label @carol(\/helper1)? "self-dealing" \(agent-rates-owner @carol\/helper1 > @carol\)$/,
      );
      expect(a.args.reason).toBe(
        "self-dealing (agent-rates-owner): @carol/helper1 rates (5 stars) its owner @carol; both answer to @carol",
      );
    }
    // Nothing was written on chain while the owner decides.
    expect(await labels()).toEqual(before);
    const queued = audit().filter((r) => r.height === tx.height && r.outcome === "queued");
    expect(queued.length).toBe(pending.filter((a) => a.height === tx.height).length);
    expect(queued.length).toBeGreaterThanOrEqual(2);
  }, 120_000);

  it("the audit log has a record for every decision", async () => {
    await agent.runtime.flush();
    const records = audit();
    // Every label on chain was taken by an executed decision, with its tx hash.
    const executed = records.filter((r) => r.outcome === "executed");
    expect(executed).toHaveLength((await labels()).length);
    for (const r of executed) {
      expect(r.action?.tool).toBe("label_content");
      expect(r.txHash).toMatch(/^[0-9A-F]{64}$/i);
      expect(r.ai).toBeNull();
      expect(r.inputsHash).toMatch(/^[0-9a-f]{64}$/);
    }
    // Each executed action was announced first (executing), and records are hash-chained in order.
    expect(records.filter((r) => r.outcome === "executing")).toHaveLength(executed.length);
    records.forEach((r, i) => {
      expect(r.seq).toBe(records[0]!.seq + i);
      if (i > 0) expect(r.prev).toBe(records[i - 1]!.hash);
    });
    // Accounts looked at with nothing found have their no-action record too.
    expect(records.filter((r) => r.outcome === "no-action").length).toBeGreaterThan(0);
    for (const r of records) expect(r.subject).toMatch(/^account:vivim1/);
  }, 60_000);
});
