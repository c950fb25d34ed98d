/**
 * The local devnet `npm start` runs: one validator home (more with the consensus issue), funded
 * demo accounts kept in the node's `test` keyring, and `<home>/devnet.json` describing it all.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { BASE_DENOM } from "../../contracts/lib/coins.js";
import { defaultConfig, type NodeConfig } from "../config/config.js";
import { initHome } from "../config/home.js";
import { ADDRESS_PREFIX } from "../crypto/address.js";
import { Keyring } from "../keys/keyring.js";
import { devnetAppState } from "./devnet-genesis.js";

export const DEVNET_CHAIN_ID = "vivim-devnet-1";
export const DEVNET_ACCOUNTS = ["alice", "bob", "carol"] as const;
const ACCOUNT_FUNDS = 1_000_000_000_000n; // 1,000,000 VIVIM
const OPERATOR_FUNDS = 100_000_000_000n;

export interface DevnetNode {
  moniker: string;
  home: string;
  rpc: string;
  api: string;
  p2p: string;
  operator: { name: string; address: string };
}

export interface DevnetDescriptor {
  chainId: string;
  prefix: string;
  denom: string;
  rpc: string;
  api: string;
  mcp: string | null;
  ui: string | null;
  redis: string | null;
  nodes: DevnetNode[];
  accounts: Array<{ name: string; address: string; mnemonic: string }>;
  mcpKeys: Record<string, string>;
}

export function devnetFile(home: string): string {
  return path.join(home, "devnet.json");
}

export function readDevnet(home: string): DevnetDescriptor | undefined {
  const file = devnetFile(home);
  return existsSync(file) ? (JSON.parse(readFileSync(file, "utf8")) as DevnetDescriptor) : undefined;
}

function devnetConfig(moniker: string): NodeConfig {
  const cfg = defaultConfig();
  return { ...cfg, moniker, log_format: "plain" };
}

/** Creates a fresh devnet under `home` (which must not hold one yet) and writes devnet.json. */
export async function createDevnet(home: string): Promise<DevnetDescriptor> {
  mkdirSync(home, { recursive: true });
  const nodeHome = path.join(home, "node0");
  const moniker = "validator-0";
  // Keys first: genesis funds their addresses.
  const keyring = new Keyring({ home: nodeHome, backend: "test" });
  const accounts: DevnetDescriptor["accounts"] = [];
  for (const name of [...DEVNET_ACCOUNTS, "operator0"]) {
    const { key, mnemonic } = await keyring.add(name);
    accounts.push({ name, address: key.address, mnemonic: mnemonic ?? "" });
  }
  const funded = accounts.map((a) => ({
    address: a.address,
    amount: a.name.startsWith("operator") ? OPERATOR_FUNDS : ACCOUNT_FUNDS,
  }));
  const config = devnetConfig(moniker);
  initHome({
    home: nodeHome,
    moniker,
    chainId: DEVNET_CHAIN_ID,
    config,
    genesisAppState: devnetAppState(funded),
  });

  const operator = accounts.find((a) => a.name === "operator0")!;
  const descriptor: DevnetDescriptor = {
    chainId: DEVNET_CHAIN_ID,
    prefix: ADDRESS_PREFIX,
    denom: BASE_DENOM,
    rpc: "http://127.0.0.1:26657",
    api: "http://127.0.0.1:1317",
    mcp: null,
    ui: null,
    redis: null,
    nodes: [
      {
        moniker,
        home: nodeHome,
        rpc: "http://127.0.0.1:26657",
        api: "http://127.0.0.1:1317",
        p2p: config.p2p.laddr,
        operator: { name: operator.name, address: operator.address },
      },
    ],
    accounts: accounts.filter((a) => !a.name.startsWith("operator")),
    mcpKeys: {},
  };
  writeFileSync(devnetFile(home), `${JSON.stringify(descriptor, null, 2)}\n`, { mode: 0o600 });
  return descriptor;
}
