/**
 * Two VIVIM networks side by side: B (the target) runs as its own OS process through `vivim start`,
 * so it can be stopped and started again; A (the source) runs in this process with `[anchor]`
 * enabled and its anchoring key in its home's keyring. A anchors into B through the unmodified
 * cosmjs SigningStargateClient, in "memo" mode (a 1-unit MsgSend to itself with the checkpoint in
 * its memo) and in "vivim" mode (MsgCheckpoint), records each anchor on A with MsgRecordAnchor,
 * and `findAnchor` / `vivim anchor status --check` confirm them on B. While B is down A keeps
 * committing and the service retries; once B is back the newest checkpoint is anchored. The key
 * comes from the node's keyring: missing, or encrypted without the right passphrase in
 * $VIVIM_KEYRING_PASSPHRASE, the node does not start.
 */
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { decodeTxRaw } from "@cosmjs/proto-signing";
import { StargateClient } from "@cosmjs/stargate";
import { connectComet } from "@cosmjs/tendermint-rpc";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { findAnchor } from "../../chain/anchor/check.js";
import { anchorMemo } from "../../chain/anchor/checkpoint.js";
import type { AnchorConfig, NodeConfig } from "../../chain/config/config.js";
import { initHome } from "../../chain/config/home.js";
import { blockIdOf } from "../../chain/consensus/block-builder.js";
import { Keyring } from "../../chain/keys/keyring.js";
import { devnetAppState } from "../../chain/node/devnet-genesis.js";
import { VivimNode } from "../../chain/node/node.js";
import { silentLogger } from "../../chain/util/logger.js";
import { getAnchorRecord } from "../../contracts/anchor/keeper.js";
import {
  QueryAnchorsRequest,
  QueryAnchorsResponse,
  QueryCheckpointRequest,
  QueryCheckpointResponse,
} from "../../contracts/anchor/query.js";
import type { AnchorRecord } from "../../contracts/anchor/records.js";
import {
  FUNDS,
  fastConfig,
  startTestNode,
  TEST_MNEMONICS,
  type TestNode,
  testAccount,
} from "../support/node.js";
import { createProcessNode, type ProcessNode } from "../support/process.js";
import { until } from "../support/until.js";

const BIN = path.resolve("bin/vivim.js");
const SOURCE_CHAIN = "vivim-test-1";
const TARGET_CHAIN = "vivim-target-1";
const KEY = "anchorer";

function vivim(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [BIN, ...args], { timeout: 60_000 }, (err, stdout, stderr) => {
      resolve({ code: err ? (typeof err.code === "number" ? err.code : 1) : 0, stdout, stderr });
    });
  });
}

/** B: a one-validator VIVIM network with its own chain id, the test accounts funded, as a process. */
async function startTarget(): Promise<ProcessNode> {
  const proc = await createProcessNode((c) => c, { chainId: TARGET_CHAIN });
  await proc.start();
  return proc;
}

/** A's home: anchoring on (every 3 blocks, fast retries) with `anchor` on top; the accounts funded. */
async function sourceHome(anchor: Partial<AnchorConfig>): Promise<{ home: string; config: NodeConfig }> {
  const accounts = await Promise.all(TEST_MNEMONICS.map(testAccount));
  const home = mkdtempSync(path.join(tmpdir(), "vivim-source-"));
  const base = fastConfig();
  const config: NodeConfig = {
    ...base,
    anchor: {
      ...base.anchor,
      enabled: true,
      target_chain_id: TARGET_CHAIN,
      every_blocks: 3,
      every_minutes: 0,
      key: KEY,
      keyring_backend: "test",
      retry_initial: 200,
      retry_max: 1000,
      broadcast_timeout: 10_000,
      ...anchor,
    },
  };
  initHome({
    home,
    moniker: "source-node",
    chainId: SOURCE_CHAIN,
    config,
    genesisAppState: devnetAppState(accounts.map((a) => ({ address: a.address, amount: FUNDS }))),
  });
  return { home, config };
}

/** A: a running node whose keyring holds the anchoring key (test account 0, funded on both chains). */
async function startSource(anchor: Partial<AnchorConfig>): Promise<TestNode> {
  const { home, config } = await sourceHome(anchor);
  await new Keyring({ home, backend: "test" }).import(KEY, TEST_MNEMONICS[0]!);
  return startTestNode({ home, config });
}

/** A's latest anchor records, newest first (the Anchors query, as `vivim anchor status` asks it). */
async function anchorsOn(a: TestNode): Promise<AnchorRecord[]> {
  const r = await a.node.app.query({
    path: "/vivim.anchor.v1.Query/Anchors",
    data: QueryAnchorsRequest.encode(
      QueryAnchorsRequest.fromPartial({ pagination: { limit: 100n } }),
    ).finish(),
    prove: false,
  });
  expect(r.code).toBe(0);
  return QueryAnchorsResponse.decode(r.value).anchors;
}

async function headerHashAt(a: TestNode, height: bigint): Promise<Buffer> {
  const block = await a.node.blockStore.getBlock(height);
  return Buffer.from(blockIdOf(block!).hash);
}

describe("anchoring network A into network B", () => {
  let b: ProcessNode;
  let target: StargateClient;

  beforeAll(async () => {
    b = await startTarget();
    target = await StargateClient.connect(b.rpcUrl);
  }, 60_000);

  afterAll(async () => {
    target?.disconnect();
    await b?.kill("SIGTERM");
    if (b) rmSync(b.home, { recursive: true, force: true });
  });

  it("memo mode: a MsgSend memo on B per checkpoint, recorded on A, confirmed by findAnchor and the CLI", async () => {
    const a = await startSource({ target_rpc: b.rpcUrl, mode: "memo" });
    try {
      await until("two anchors recorded on A", async () => (await anchorsOn(a)).length >= 2, 60_000);
      const records = await anchorsOn(a);
      expect(records[0]!.height).toBeGreaterThan(records[1]!.height);
      const rec = records[0]!;
      expect(rec.height % 3n).toBe(0n);
      expect(rec).toMatchObject({
        targetChainId: TARGET_CHAIN,
        mode: "memo",
        signer: a.accounts[0]!.address,
      });
      expect(Buffer.from(rec.headerHash)).toEqual(await headerHashAt(a, rec.height));
      const block = await a.node.blockStore.getBlock(rec.height);
      expect(Buffer.from(rec.appHash)).toEqual(Buffer.from(block!.header.appHash));

      // On B: a successful tx at the recorded height whose memo is exactly the checkpoint.
      const tx = await target.getTx(rec.targetTxHash);
      expect(tx).toMatchObject({ code: 0, height: Number(rec.targetHeight) });
      expect(decodeTxRaw(tx!.tx).body.memo).toBe(
        anchorMemo({
          chainId: SOURCE_CHAIN,
          height: rec.height,
          headerHash: rec.headerHash,
          appHash: rec.appHash,
        }),
      );

      const query = {
        targetRpc: b.rpcUrl,
        mode: "memo" as const,
        sourceChainId: SOURCE_CHAIN,
        height: rec.height,
        headerHash: rec.headerHash,
        txHash: rec.targetTxHash,
      };
      expect(await findAnchor(query)).toEqual({
        targetChainId: TARGET_CHAIN,
        txHash: rec.targetTxHash,
        targetHeight: rec.targetHeight,
      });
      const wrongHash = Uint8Array.from(rec.headerHash);
      wrongHash[0]! ^= 1;
      expect(await findAnchor({ ...query, headerHash: wrongHash })).toBeUndefined();
      expect(await findAnchor({ ...query, height: rec.height + 1n })).toBeUndefined();
      expect(await findAnchor({ ...query, sourceChainId: "another-chain" })).toBeUndefined();
      expect(await findAnchor({ ...query, txHash: "00".repeat(32) })).toBeUndefined();
      await expect(findAnchor({ ...query, txHash: undefined })).rejects.toMatchObject({
        code: "INVALID_ANCHOR_QUERY",
      });

      // `vivim anchor status --check` against A, confirming on B.
      const status = await vivim([
        "anchor",
        "status",
        "--node",
        a.rpcUrl,
        "--check",
        "--target-rpc",
        b.rpcUrl,
        "--output",
        "json",
      ]);
      expect(status.stderr).toBe("");
      expect(status.code).toBe(0);
      const printed = JSON.parse(status.stdout) as { chain_id: string; anchors: Record<string, unknown>[] };
      expect(printed.chain_id).toBe(SOURCE_CHAIN);
      expect(printed.anchors.length).toBeGreaterThanOrEqual(2);
      expect(printed.anchors.every((x) => x.confirmed === true)).toBe(true);
      expect(printed.anchors.some((x) => x.target_tx_hash === rec.targetTxHash)).toBe(true);
      // Without a target to check against, --check is a coded usage error.
      const missing = await vivim(["anchor", "status", "--node", a.rpcUrl, "--check"]);
      expect([missing.code, missing.stderr.trim()]).toEqual([
        1,
        expect.stringMatching(/^Error \[MISSING_TARGET_RPC\]/),
      ]);

      const metrics = await a.node.metrics.registry.metrics();
      expect(metrics).toMatch(/vivim_anchors_total [1-9]/);
      expect(metrics).toMatch(/vivim_anchor_last_height [1-9]/);
    } finally {
      await a.stop();
    }
  }, 120_000);

  it("vivim mode: MsgCheckpoint on B; B stopped and restarted while A keeps committing and retrying", async () => {
    const a = await startSource({ target_rpc: b.rpcUrl, mode: "vivim" });
    try {
      await until("an anchor recorded on A", async () => (await anchorsOn(a)).length >= 1, 60_000);
      const [rec] = await anchorsOn(a);
      expect(rec).toMatchObject({ targetChainId: TARGET_CHAIN, mode: "vivim" });
      expect(Buffer.from(rec!.headerHash)).toEqual(await headerHashAt(a, rec!.height));

      // B's own Checkpoint query holds A's header hash under (A's chain id, height).
      const comet = await connectComet(b.rpcUrl);
      const answer = await comet.abciQuery({
        path: "/vivim.anchor.v1.Query/Checkpoint",
        data: QueryCheckpointRequest.encode({ chainId: SOURCE_CHAIN, height: rec!.height }).finish(),
      });
      comet.disconnect();
      const cp = QueryCheckpointResponse.decode(answer.value).checkpoint!;
      expect(Buffer.from(cp.headerHash)).toEqual(Buffer.from(rec!.headerHash));
      expect(cp.submitter).toBe(a.accounts[0]!.address);

      const query = {
        targetRpc: b.rpcUrl,
        mode: "vivim" as const,
        sourceChainId: SOURCE_CHAIN,
        height: rec!.height,
        headerHash: Buffer.from(rec!.headerHash).toString("hex"),
      };
      expect(await findAnchor(query)).toEqual({
        targetChainId: TARGET_CHAIN,
        targetHeight: rec!.targetHeight,
      });
      expect(await findAnchor({ ...query, txHash: rec!.targetTxHash })).toEqual({
        targetChainId: TARGET_CHAIN,
        txHash: rec!.targetTxHash,
        targetHeight: rec!.targetHeight,
      });
      expect(await findAnchor({ ...query, headerHash: "ab".repeat(32) })).toBeUndefined();
      expect(await findAnchor({ ...query, height: rec!.height + 1000n })).toBeUndefined();

      // B goes down: A keeps committing, and the service keeps failing and retrying.
      await b.kill("SIGTERM");
      const service = a.node.anchor!;
      const downAt = a.node.blockStore.latestHeight;
      const failuresBefore = service.stats.failures;
      // The first checkpoint due after B stopped; newer ones replace it while B is away.
      const firstMissed = (downAt / 3n + 1n) * 3n;
      await until(
        "A to commit 9 blocks and the service to retry while B is down",
        () => a.node.blockStore.latestHeight >= downAt + 9n && service.stats.failures >= failuresBefore + 3,
        60_000,
      );
      expect(service.stats.pendingHeight).toBeGreaterThan(firstMissed);
      expect(service.stats.lastError).toMatch(/^TARGET_UNREACHABLE/);
      const reachedWhileDown = a.node.blockStore.latestHeight;

      // B is back: anchoring resumes with the newest checkpoint, recorded on A and found on B.
      await b.start();
      await until(
        "an anchor on A of a height reached while B was down",
        async () => (await anchorsOn(a))[0]!.height >= reachedWhileDown - 3n,
        60_000,
      );
      const [resumed] = await anchorsOn(a);
      expect(resumed!.height).toBeGreaterThan(firstMissed);
      expect(getAnchorRecord(a.node.app.state, firstMissed, a.accounts[0]!.address)).toBeUndefined();
      expect(
        await findAnchor({
          ...query,
          height: resumed!.height,
          headerHash: resumed!.headerHash,
          txHash: resumed!.targetTxHash,
        }),
      ).toMatchObject({ targetChainId: TARGET_CHAIN, txHash: resumed!.targetTxHash });
      expect(service.stats.failuresInRow).toBe(0);
    } finally {
      await a.stop();
    }
  }, 180_000);
});

describe("the anchoring key in the node's keyring", () => {
  /** Opens a node on `home` and tries to start it; the node is stopped again either way. */
  async function tryStart(home: string, config: NodeConfig, passphrase?: string) {
    const saved = process.env.VIVIM_KEYRING_PASSPHRASE;
    if (passphrase === undefined) delete process.env.VIVIM_KEYRING_PASSPHRASE;
    else process.env.VIVIM_KEYRING_PASSPHRASE = passphrase;
    const node = await VivimNode.open({ home, config, logger: silentLogger() });
    try {
      await node.start();
      // Started: consensus commits while the anchoring target (nothing listens) stays down.
      await until("four blocks and a failed anchoring attempt", () => {
        return node.blockStore.latestHeight >= 4n && (node.anchor?.stats.failures ?? 0) >= 1;
      });
      return { started: true as const, lastError: node.anchor?.stats.lastError };
    } catch (err) {
      return {
        started: false as const,
        err: err as Error & { code?: string },
        height: node.blockStore.latestHeight,
      };
    } finally {
      await node.stop();
      if (saved === undefined) delete process.env.VIVIM_KEYRING_PASSPHRASE;
      else process.env.VIVIM_KEYRING_PASSPHRASE = saved;
    }
  }

  it("a missing key stops the start before any block, with the keyring's code", async () => {
    const { home, config } = await sourceHome({ target_rpc: "http://127.0.0.1:9" });
    try {
      const r = await tryStart(home, config);
      expect(r).toMatchObject({ started: false, height: 0n, err: { code: "KEY_NOT_FOUND" } });
      expect(r.started === false && r.err.message).toBe(`key "${KEY}" not found in the test keyring`);
    } finally {
      rmSync(home, { recursive: true, force: true });
    }
  });

  it("an encrypted key unlocks with $VIVIM_KEYRING_PASSPHRASE only; a wrong or missing one stops the start", async () => {
    const { home, config } = await sourceHome({ target_rpc: "http://127.0.0.1:9", keyring_backend: "file" });
    const passphrase = "correct horse battery";
    await new Keyring({ home, backend: "file", passphrase }).import(KEY, TEST_MNEMONICS[0]!);
    try {
      const none = await tryStart(home, config);
      expect(none).toMatchObject({ started: false, height: 0n, err: { code: "PASSPHRASE_REQUIRED" } });
      const wrong = await tryStart(home, config, "wrong horse battery");
      expect(wrong).toMatchObject({ started: false, err: { code: "WRONG_PASSPHRASE" } });
      expect(wrong.started === false && wrong.err.message).not.toMatch(/horse|enlist/);
      const right = await tryStart(home, config, passphrase);
      expect(right).toMatchObject({ started: true, lastError: expect.stringMatching(/^TARGET_UNREACHABLE/) });
    } finally {
      rmSync(home, { recursive: true, force: true });
    }
  });
});
