/**
 * The `vivim` CLI as operators run it (`bin/vivim.js`, the compiled dist/ the global setup builds)
 * against a real node: status, query, tx bank send, verify (online, saved, offline, tampered), the
 * one-line coded errors, and `vivim start` stopping cleanly on SIGTERM.
 */
import { type ChildProcess, execFile, spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { toBech32 } from "@cosmjs/encoding";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { initHome } from "../../chain/config/home.js";
import { Keyring } from "../../chain/keys/keyring.js";
import { devnetAppState } from "../../chain/node/devnet-genesis.js";
import { FUNDS, fastConfig, startTestNode, TEST_MNEMONICS, type TestNode } from "../support/node.js";

const BIN = path.resolve("bin/vivim.js");

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function vivim(args: string[], env: Record<string, string> = {}): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [BIN, ...args],
      { env: { ...process.env, VIVIM_HOME: "/nonexistent", ...env }, timeout: 60_000 },
      (err, stdout, stderr) => {
        const code = err ? (typeof err.code === "number" ? err.code : 1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

/** A failure is exactly one `Error [CODE]: message` line on stderr, and exit code 1. */
function expectCodedFailure(r: Run, code: string): void {
  expect(r.code).toBe(1);
  expect(r.stderr).toMatch(new RegExp(`^Error \\[${code}\\]: [^\\n]+\\n$`));
  expect(r.stderr).not.toMatch(/\bat .+\.(ts|js):\d+/);
}

describe("vivim CLI against a running node", () => {
  let net: TestNode;
  let node: string[];
  let alice: string;
  let bob: string;
  let work: string;

  beforeAll(async () => {
    net = await startTestNode();
    node = ["--node", net.rpcUrl];
    alice = net.accounts[0]!.address;
    bob = net.accounts[1]!.address;
    await new Keyring({ home: net.home, backend: "test" }).add("alice", { mnemonic: TEST_MNEMONICS[0]! });
    work = mkdtempSync(path.join(tmpdir(), "vivim-cli-"));
  });

  afterAll(async () => {
    await net?.stop();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it("prints the node status JSON", async () => {
    const r = await vivim(["status", ...node]);
    expect(r.code).toBe(0);
    const status = JSON.parse(r.stdout) as { node_info: { network: string; version: string } };
    expect(status.node_info).toMatchObject({ network: "vivim-test-1", version: "0.38.17" });
  });

  it("queries accounts and balances, as JSON and text", async () => {
    const json = await vivim(["query", "balance", alice, ...node, "--output", "json"]);
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout)).toEqual({
      address: alice,
      balances: [{ denom: "uvivim", amount: FUNDS.toString() }],
    });
    const text = await vivim(["q", "balance", alice, "--denom", "uvivim", ...node]);
    expect(text.stdout).toContain(`amount: ${FUNDS}`);
    const account = await vivim(["query", "account", alice, ...node, "--output", "json"]);
    expect(JSON.parse(account.stdout)).toMatchObject({ address: alice, account_number: expect.any(String) });

    expectCodedFailure(
      await vivim(["query", "account", toBech32("vivim", new Uint8Array(20).fill(9)), ...node]),
      "NOT_FOUND",
    );
    expectCodedFailure(await vivim(["query", "account", "vivim1nope", ...node]), "INVALID_ADDRESS");
    expectCodedFailure(await vivim(["query", "block", "0", ...node]), "INVALID_HEIGHT");
  });

  it("sends coins, then finds the tx and its block, and verifies it against the genesis", async () => {
    const send = await vivim([
      "tx",
      "bank",
      "send",
      "alice",
      bob,
      "1500uvivim",
      "--fees",
      "5000uvivim",
      "--memo",
      "from the cli",
      "--keyring-backend",
      "test",
      "--home",
      net.home,
      "--chain-id",
      "vivim-test-1",
      "--output",
      "json",
      ...node,
    ]);
    expect(send.stderr).toBe("");
    expect(send.code).toBe(0);
    const sent = JSON.parse(send.stdout) as { txhash: string; height: string; code: number };
    expect(sent.code).toBe(0);
    expect(sent.txhash).toMatch(/^[0-9A-F]{64}$/);

    const tx = JSON.parse(
      (await vivim(["query", "tx", sent.txhash, ...node, "--output", "json"])).stdout,
    ) as {
      height: string;
      memo: string;
      messages: Array<{ type_url: string; value: { to_address: string } }>;
    };
    expect(tx.height).toBe(sent.height);
    expect(tx.memo).toBe("from the cli");
    expect(tx.messages[0]).toMatchObject({
      type_url: "/cosmos.bank.v1beta1.MsgSend",
      value: { to_address: bob },
    });

    const block = JSON.parse(
      (await vivim(["query", "block", sent.height, ...node, "--output", "json"])).stdout,
    ) as {
      txs: string[];
    };
    expect(block.txs).toContain(sent.txhash);

    const genesis = path.join(net.home, "config", "genesis.json");
    const proof = path.join(work, "proof.json");
    const online = await vivim(["verify", "tx", sent.txhash, ...node, "--genesis", genesis, "--save", proof]);
    expect(online.code).toBe(0);
    expect(online.stdout).not.toContain("FAILED");
    expect(online.stdout.match(/passed/g)).toHaveLength(5);

    const offline = await vivim(["verify", "tx", "--file", proof, "--genesis", genesis, "--output", "json"]);
    expect(offline.code).toBe(0);
    expect(JSON.parse(offline.stdout)).toMatchObject({ ok: true });

    const bundle = JSON.parse(readFileSync(proof, "utf8")) as {
      signed_header: { header: { app_hash: string } };
    };
    bundle.signed_header.header.app_hash = "00".repeat(32);
    const bad = path.join(work, "tampered.json");
    writeFileSync(bad, JSON.stringify(bundle));
    const tampered = await vivim(["verify", "tx", "--file", bad, "--genesis", genesis]);
    expectCodedFailure(tampered, "VERIFY_FAILED");
    expect(tampered.stdout).toMatch(/FAILED {2}header/);

    // The same send, proven as an event (the transfer to bob) against the header's event root.
    const eventProof = path.join(work, "event.json");
    const selector = ["--height", sent.height, "--type", "transfer", "--attr", `recipient=${bob}`];
    const event = await vivim([
      "verify",
      "event",
      ...selector,
      ...node,
      "--genesis",
      genesis,
      "--save",
      eventProof,
    ]);
    expect(event.code).toBe(0);
    expect(event.stdout).toMatch(/passed {2}event: transfer \(.*recipient=vivim1/);
    expect(event.stdout.match(/passed/g)).toHaveLength(5);
    const eventOffline = await vivim(["verify", "event", "--file", eventProof, "--genesis", genesis]);
    expect(eventOffline.code).toBe(0);

    // A bundle whose claim differs from the proven leaf, or whose leaf was swapped, fails.
    const eventBundle = JSON.parse(readFileSync(eventProof, "utf8")) as {
      claim: { attributes: Record<string, string> };
      event_proof: { leaf: string };
    };
    eventBundle.claim.attributes.recipient = alice;
    writeFileSync(bad, JSON.stringify(eventBundle));
    const wrongClaim = await vivim(["verify", "event", "--file", bad, "--genesis", genesis]);
    expectCodedFailure(wrongClaim, "VERIFY_FAILED");
    expect(wrongClaim.stdout).toMatch(/FAILED {2}event: attribute recipient/);
    delete (eventBundle as { claim?: unknown }).claim;
    const leaf = Buffer.from(eventBundle.event_proof.leaf, "base64");
    const last = leaf.length - 1;
    leaf[last] = (leaf[last] ?? 0) ^ 1;
    eventBundle.event_proof.leaf = leaf.toString("base64");
    writeFileSync(bad, JSON.stringify(eventBundle));
    const swapped = await vivim(["verify", "event", "--file", bad, "--genesis", genesis]);
    expectCodedFailure(swapped, "VERIFY_FAILED");
    expect(swapped.stdout).toMatch(/FAILED {2}merkle proof/);
    expectCodedFailure(await vivim(["verify", "event", "--height", "1"]), "INVALID_ARGS");
  });

  it("sends with --gas auto", async () => {
    const r = await vivim([
      "tx",
      "bank",
      "send",
      "alice",
      bob,
      "1uvivim",
      "--gas",
      "auto",
      "--keyring-backend",
      "test",
      "--home",
      net.home,
      ...node,
    ]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^code: 0$/m);
  });

  it("refuses bad input and reports unreachable nodes and rejected txs as coded lines", async () => {
    const common = ["--keyring-backend", "test", "--home", net.home, ...node];
    expectCodedFailure(await vivim(["tx", "bank", "send", "alice", bob, "12", ...common]), "INVALID_COINS");
    expectCodedFailure(
      await vivim(["tx", "bank", "send", "alice", "vivim1x", "1uvivim", ...common]),
      "INVALID_ADDRESS",
    );
    expectCodedFailure(
      await vivim(["tx", "bank", "send", "nobody", bob, "1uvivim", ...common]),
      "KEY_NOT_FOUND",
    );
    // Passes CheckTx (fee and signature are fine) and fails in its block, as on any Cosmos chain:
    // the result is printed with its code and the command exits 1.
    const overspend = await vivim([
      "tx",
      "bank",
      "send",
      "alice",
      bob,
      `${FUNDS * 10n}uvivim`,
      ...common,
      "--output",
      "json",
    ]);
    expect(overspend.code).toBe(1);
    expect(JSON.parse(overspend.stdout)).toMatchObject({
      code: 5,
      raw_log: expect.stringMatching(/insufficient funds/),
    });
    expectCodedFailure(
      await vivim([
        "tx",
        "bank",
        "send",
        "alice",
        bob,
        "1uvivim",
        ...common,
        "--fees",
        `${FUNDS * 10n}uvivim`,
      ]),
      "TX_REJECTED",
    );
    expectCodedFailure(await vivim(["status", "--node", "http://127.0.0.1:9"]), "NODE_UNREACHABLE");
    expectCodedFailure(await vivim(["verify", "tx"]), "INVALID_ARGS");
  });
});

describe("vivim start", () => {
  it("runs a node until SIGTERM, then stops cleanly with exit code 0", async () => {
    const home = mkdtempSync(path.join(tmpdir(), "vivim-start-"));
    try {
      initHome({
        home,
        moniker: "cli-start",
        chainId: "vivim-cli-1",
        config: {
          ...fastConfig(),
          log_level: "info",
          log_format: "json",
          verify: { threads: 1, secp256k1: "native" },
        },
        genesisAppState: devnetAppState([]),
      });
      const child: ChildProcess = spawn(process.execPath, [BIN, "start", "--home", home], {
        stdio: ["ignore", "ignore", "pipe"],
      });
      const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
      let logs = "";
      const rpcPort = await new Promise<number>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`node did not start: ${logs}`)), 30_000);
        child.stderr?.on("data", (chunk: Buffer) => {
          logs += chunk.toString();
          const m = /"rpcPort":(\d+)/.exec(logs);
          if (m) {
            clearTimeout(timer);
            resolve(Number(m[1]));
          }
        });
      });
      const status = await vivim(["status", "--node", `http://127.0.0.1:${rpcPort}`]);
      expect(JSON.parse(status.stdout).node_info.network).toBe("vivim-cli-1");
      child.kill("SIGTERM");
      expect(await exited).toBe(0);
    } finally {
      rmSync(home, { recursive: true, force: true });
    }
  });
});
