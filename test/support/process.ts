/** A node running as its own OS process through the real CLI (`bin/vivim.js start`). */
import { type ChildProcess, spawn } from "node:child_process";
import { createWriteStream, existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { NodeConfig } from "../../chain/config/config.js";
import { initHome } from "../../chain/config/home.js";
import { devnetAppState } from "../../chain/node/devnet-genesis.js";
import { NODE_V8_FLAGS } from "../../scripts/lib/node-flags.mjs";
import { portAllocator } from "../../scripts/lib/ports.mjs";
import { FUNDS, fastConfig, TEST_MNEMONICS, type TestAccount, testAccount } from "./node.js";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");

/**
 * Ports for test nodes (scripts/lib/ports.mjs): each vitest worker draws from its own block of
 * 20,000-31,699, below the kernel's ephemeral range.
 */
const PORT_BLOCK = 900;
export const freePort = portAllocator(
  20_000 + ((Number(process.env.VITEST_POOL_ID ?? 1) - 1) % 13) * PORT_BLOCK,
  PORT_BLOCK,
);

export interface ProcessNode {
  readonly home: string;
  readonly rpcUrl: string;
  readonly apiUrl: string;
  readonly accounts: TestAccount[];
  readonly logFile: string;
  start(): Promise<void>;
  kill(signal: NodeJS.Signals): Promise<number | null>;
}

export async function rpcCall<T = Record<string, unknown>>(
  url: string,
  method: string,
  params: Record<string, unknown> = {},
): Promise<T> {
  const res = await fetch(url, {
    method: "POST",
    body: JSON.stringify({ jsonrpc: "2.0", id: 1, method, params }),
  });
  const body = (await res.json()) as { result?: T; error?: unknown };
  if (body.error) throw new Error(`rpc ${method}: ${JSON.stringify(body.error)}`);
  return body.result as T;
}

export async function createProcessNode(
  overrides: (cfg: NodeConfig) => NodeConfig = (c) => c,
  opts: { chainId?: string } = {},
): Promise<ProcessNode> {
  const accounts = await Promise.all(TEST_MNEMONICS.map(testAccount));
  const home = mkdtempSync(path.join(tmpdir(), "vivim-proc-"));
  const [rpcPort, apiPort, p2pPort] = [await freePort(), await freePort(), await freePort()];
  const base = fastConfig();
  const config = overrides({
    ...base,
    log_level: "info",
    rpc: { ...base.rpc, laddr: `tcp://127.0.0.1:${rpcPort}` },
    api: { ...base.api, address: `tcp://127.0.0.1:${apiPort}` },
    p2p: { ...base.p2p, laddr: `tcp://127.0.0.1:${p2pPort}` },
  });
  initHome({
    home,
    moniker: "proc-node",
    chainId: opts.chainId ?? "vivim-test-1",
    config,
    genesisAppState: devnetAppState(accounts.map((a) => ({ address: a.address, amount: FUNDS }))),
  });
  const rpcUrl = `http://127.0.0.1:${rpcPort}`;
  const proc = nodeProcess(home, rpcUrl);
  return {
    home,
    rpcUrl,
    apiUrl: `http://127.0.0.1:${apiPort}`,
    accounts,
    logFile: proc.logFile,
    start: () => proc.start({ untilHeight: 1 }),
    kill: (signal) => proc.kill(signal),
  };
}

export interface NodeProcess {
  readonly home: string;
  readonly rpcUrl: string;
  readonly logFile: string;
  readonly running: boolean;
  /** Spawns `vivim start`; resolves once its RPC answers (and has reached `untilHeight`, if given). */
  start(opts?: { untilHeight?: number }): Promise<void>;
  kill(signal: NodeJS.Signals): Promise<number | null>;
}

/** The last lines of a node's log, so a failure in CI (where the temp home is gone) says why. */
function logTail(logFile: string, lines = 30): string {
  if (!existsSync(logFile)) return "(no log)";
  return readFileSync(logFile, "utf8").trimEnd().split("\n").slice(-lines).join("\n");
}

/** `bin/vivim.js start --home <home>` as a child process, its output appended to `<home>/node.log`. */
export function nodeProcess(home: string, rpcUrl: string): NodeProcess {
  const logFile = path.join(home, "node.log");
  let child: ChildProcess | undefined;
  return {
    home,
    rpcUrl,
    logFile,
    get running() {
      return child !== undefined && child.exitCode === null && child.signalCode === null;
    },
    async start(opts = {}) {
      const log = createWriteStream(logFile, { flags: "a" });
      const c = spawn(
        process.execPath,
        [...NODE_V8_FLAGS, path.join(ROOT, "bin", "vivim.js"), "start", "--home", home],
        {
          stdio: ["ignore", "pipe", "pipe"],
        },
      );
      child = c;
      // Both streams feed one file: neither may end it alone; it ends once the child's stdio closes.
      c.stdout?.pipe(log, { end: false });
      c.stderr?.pipe(log, { end: false });
      const logClosed = new Promise<void>((resolve) => {
        c.once("close", () => log.end(resolve));
      });
      const deadline = Date.now() + 30_000;
      while (Date.now() < deadline) {
        if (c.exitCode !== null) {
          await logClosed;
          throw new Error(`node exited with ${c.exitCode}; see ${logFile}:\n${logTail(logFile)}`);
        }
        try {
          const status = await rpcCall<{ sync_info: { latest_block_height: string } }>(rpcUrl, "status");
          if (Number(status.sync_info.latest_block_height) >= (opts.untilHeight ?? 0)) return;
        } catch {
          // not listening yet
        }
        await new Promise((r) => setTimeout(r, 100));
      }
      throw new Error(`node did not come up; see ${logFile}:\n${logTail(logFile)}`);
    },
    kill(signal) {
      const c = child;
      if (!c || c.exitCode !== null || c.signalCode !== null) return Promise.resolve(c?.exitCode ?? null);
      return new Promise((resolve) => {
        c.once("exit", (code) => resolve(code));
        c.kill(signal);
      });
    },
  };
}

/** Whether a process with this pid exists (signal 0 only checks). */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
