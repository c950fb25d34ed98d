/**
 * `vivim light sync` as a light client runs it (bin/vivim.js against a real node over RPC): from
 * the genesis validators alone it verifies the first block and then the latest header, by skipping
 * or every header in turn, and refuses a genesis that is not this chain's with a coded error.
 */
import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { homePaths } from "../../chain/config/home.js";
import { validatorAddress } from "../../chain/consensus/validator-set.js";
import { toHexUpper } from "../../chain/crypto/hash.js";
import { startTestNode, type TestNode } from "../support/node.js";

const BIN = path.resolve("bin/vivim.js");

function vivim(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [BIN, ...args], { timeout: 60_000 }, (err, stdout, stderr) => {
      resolve({ code: err ? (typeof err.code === "number" ? err.code : 1) : 0, stdout, stderr });
    });
  });
}

describe("vivim light sync", () => {
  let net: TestNode;
  let genesis: string;
  let work: string;

  beforeAll(async () => {
    net = await startTestNode();
    genesis = homePaths(net.home).genesisFile;
    work = mkdtempSync(path.join(tmpdir(), "vivim-light-"));
    while (net.node.blockStore.latestHeight < 6n) await new Promise((r) => setTimeout(r, 50));
  }, 60_000);

  afterAll(async () => {
    await net?.stop();
    rmSync(work, { recursive: true, force: true });
  });

  it("verifies the chain's latest header from its genesis validators, skipping or in turn", async () => {
    const skip = await vivim([
      "light",
      "sync",
      "--from",
      net.rpcUrl,
      "--genesis",
      genesis,
      "--to",
      "6",
      "--output",
      "json",
    ]);
    expect(skip.stderr).toBe("");
    const r = JSON.parse(skip.stdout) as Record<string, unknown>;
    const stored = await net.node.blockStore.getBlock(6n);
    expect(r).toMatchObject({
      chain_id: net.node.genesis.chain_id,
      height: "6",
      verified_heights: ["1", "6"],
    });
    expect(r.app_hash).toBe(Buffer.from(stored!.header.appHash).toString("hex").toUpperCase());
    const seq = JSON.parse(
      (
        await vivim([
          "light",
          "sync",
          "--from",
          net.rpcUrl,
          "--genesis",
          genesis,
          "--to",
          "6",
          "--sequential",
          "--output",
          "json",
        ])
      ).stdout,
    ) as Record<string, unknown>;
    expect(seq).toMatchObject({
      height: "6",
      hash: r.hash,
      verified_heights: ["1", "2", "3", "4", "5", "6"],
    });
  });

  it("refuses a genesis whose validators did not decide this chain", async () => {
    const other = JSON.parse(readFileSync(genesis, "utf8")) as {
      validators: Array<{ pub_key: { value: string } }>;
    };
    const key = new Uint8Array(32).fill(7);
    other.validators[0]!.pub_key.value = Buffer.from(key).toString("base64");
    (other.validators[0] as { address?: string }).address = toHexUpper(validatorAddress(key));
    const file = path.join(work, "other-genesis.json");
    writeFileSync(file, JSON.stringify(other));
    const r = await vivim(["light", "sync", "--from", net.rpcUrl, "--genesis", file]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^Error \[VALIDATORS_MISMATCH\]: .*genesis validators.*\n$/);
  });
});
