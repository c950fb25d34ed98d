/**
 * A real node in the test process: a fresh home from `initHome`, funded accounts, ephemeral
 * ports and fast consensus timeouts. Nothing is mocked: RPC, consensus and LevelDB are the real ones.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { DirectSecp256k1HdWallet } from "@cosmjs/proto-signing";
import { defaultConfig, type NodeConfig } from "../../chain/config/config.js";
import { type GenesisDoc, loadGenesis } from "../../chain/config/genesis.js";
import { homePaths, initHome, writeGenesis } from "../../chain/config/home.js";
import { devnetAppState } from "../../chain/node/devnet-genesis.js";
import { VivimNode } from "../../chain/node/node.js";
import { RpcServer } from "../../chain/rpc/server.js";
import { silentLogger } from "../../chain/util/logger.js";

/** Fixed mnemonics so failures reproduce; never used outside tests. */
export const TEST_MNEMONICS = [
  "enlist hip relief stomach skate base shallow young switch frequent cry park",
  "economy stock theory fatal elder harbor betray wasp final emotion task crumble siren bottom lizard educate guess current outdoor pair theory focus wife stone",
  "sock poet alone around radar forum quiz session observe rebel another choice",
];

export interface TestAccount {
  readonly mnemonic: string;
  readonly address: string;
  readonly wallet: DirectSecp256k1HdWallet;
}

export async function testAccount(mnemonic: string): Promise<TestAccount> {
  const wallet = await DirectSecp256k1HdWallet.fromMnemonic(mnemonic, { prefix: "vivim" });
  const [first] = await wallet.getAccounts();
  return { mnemonic, address: first!.address, wallet };
}

export function fastConfig(): NodeConfig {
  const cfg = defaultConfig();
  return {
    ...cfg,
    log_level: "error",
    rpc: { ...cfg.rpc, laddr: "tcp://127.0.0.1:0" },
    api: { ...cfg.api, address: "tcp://127.0.0.1:0" },
    p2p: { ...cfg.p2p, laddr: "tcp://127.0.0.1:0" },
    consensus: { ...cfg.consensus, timeout_commit: 100, create_empty_blocks_interval: 1000 },
    verify: { threads: 2, secp256k1: "native" },
  };
}

export interface TestNode {
  readonly home: string;
  readonly node: VivimNode;
  readonly rpc: RpcServer;
  readonly rpcUrl: string;
  readonly accounts: TestAccount[];
  stop(opts?: { keepHome?: boolean }): Promise<void>;
}

export const FUNDS = 1_000_000_000_000n;

/** Creates a home (or reuses `home`) and starts a node with its RPC server. */
export interface StartTestNodeOptions {
  readonly home?: string;
  readonly config?: NodeConfig;
  /** Changes a new home's genesis before the node starts (e.g. an operator, short gov periods). */
  readonly editGenesis?: (genesis: GenesisDoc, accounts: readonly TestAccount[]) => void;
}

export async function startTestNode(opts: StartTestNodeOptions = {}): Promise<TestNode> {
  const accounts = await Promise.all(TEST_MNEMONICS.map(testAccount));
  const home = opts.home ?? mkdtempSync(path.join(tmpdir(), "vivim-test-"));
  const config = opts.config ?? fastConfig();
  if (!opts.home) {
    initHome({
      home,
      moniker: "test-node",
      chainId: "vivim-test-1",
      config,
      genesisAppState: devnetAppState(accounts.map((a) => ({ address: a.address, amount: FUNDS }))),
    });
    if (opts.editGenesis) {
      const genesis = loadGenesis(homePaths(home).genesisFile, { validateAppState: () => undefined });
      opts.editGenesis(genesis, accounts);
      writeGenesis(home, genesis);
    }
  }
  const node = await VivimNode.open({ home, config, logger: silentLogger() });
  await node.start();
  const rpc = new RpcServer(node);
  await rpc.start();
  return {
    home,
    node,
    rpc,
    rpcUrl: `http://127.0.0.1:${rpc.port}`,
    accounts,
    async stop({ keepHome = false } = {}) {
      await rpc.stop();
      await node.stop();
      if (!keepHome) rmSync(home, { recursive: true, force: true });
    },
  };
}

/**
 * An `editGenesis` for governance tests: test account 0 operates the node's validator (so it is
 * the whole council) and `app_state.gov` is `gov` (periods shortened to seconds).
 */
export function councilGenesis(
  gov: Record<string, unknown>,
): NonNullable<StartTestNodeOptions["editGenesis"]> {
  return (genesis, accounts) => {
    const v = genesis.validators[0]!;
    genesis.app_state.validators = {
      validators: [
        { pub_key: v.pub_key.value, power: v.power, moniker: v.name, operator: accounts[0]!.address },
      ],
    };
    genesis.app_state.gov = gov;
  };
}
