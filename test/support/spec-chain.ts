/**
 * The chain the modules' specs run on: the real `Application` over a real LevelDB in a temporary
 * directory, genesis from an app_state, txs signed by cosmjs wallets, one block per `exec` (or
 * several txs per `block`). Nothing is mocked; block time is chosen by the test.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import {
  DirectSecp256k1HdWallet,
  type EncodeObject,
  type GeneratedType,
  makeCosmoshubPath,
  Registry,
} from "@cosmjs/proto-signing";
import { defaultRegistryTypes, SigningStargateClient } from "@cosmjs/stargate";
import { TxMsgData } from "cosmjs-types/cosmos/base/abci/v1beta1/abci";
import { TxRaw } from "cosmjs-types/cosmos/tx/v1beta1/tx";
import type { DeepPartial, ProtoMessage } from "../../chain/codec/proto-message.js";
import { Database } from "../../chain/db/database.js";
import { Application } from "../../chain/execution/app.js";
import type { BlockTx } from "../../chain/execution/block-executor.js";
import { CommittedState } from "../../chain/state/committed.js";
import { EMPTY_ROOT } from "../../chain/state/tree/index.js";
import { DEFAULT_TX_LIMITS } from "../../chain/tx/decode.js";
import { MsgRegistry } from "../../chain/tx/msg-registry.js";
import type { TxResult } from "../../chain/types/block.js";
import { getAccount } from "../../contracts/auth/keeper.js";
import { createModuleRegistry } from "../../contracts/index.js";
import type { AbciEvent, BlockInfo, ContractModule } from "../../contracts/types.js";

export const SPEC_CHAIN_ID = "vivim-spec-1";
const MNEMONIC = "sock poet alone around radar forum quiz session observe rebel another choice";
export const GENESIS_TIME = 1_700_000_000n;

export interface SpecAccount {
  readonly address: string;
  /** Compressed secp256k1 public key (to register the account as an agent). */
  readonly pubKey: Uint8Array;
  readonly wallet: DirectSecp256k1HdWallet;
}

export async function specAccounts(count: number): Promise<SpecAccount[]> {
  const wallet = await DirectSecp256k1HdWallet.fromMnemonic(MNEMONIC, {
    prefix: "vivim",
    hdPaths: Array.from({ length: count }, (_, i) => makeCosmoshubPath(i)),
  });
  const accounts = await wallet.getAccounts();
  // One wallet per account so `sign` picks the right key.
  return Promise.all(
    accounts.map(async (a, i) => ({
      address: a.address,
      pubKey: a.pubkey,
      wallet: await DirectSecp256k1HdWallet.fromMnemonic(MNEMONIC, {
        prefix: "vivim",
        hdPaths: [makeCosmoshubPath(i)],
      }),
    })),
  );
}

export interface SpecResult extends TxResult {
  readonly response: Uint8Array | undefined;
  event(type: string): Record<string, string> | undefined;
}

export class SpecChain {
  private height = 0n;
  /** Block time (unix seconds) of the next block; each block advances it by 5 s unless told. */
  time = GENESIS_TIME + 5n;

  private constructor(
    private readonly dir: string,
    private readonly db: Database,
    readonly app: Application,
    private readonly registry: Registry,
  ) {}

  static async start(
    modules: readonly ContractModule[],
    appState: Record<string, unknown>,
  ): Promise<SpecChain> {
    const dir = mkdtempSync(path.join(tmpdir(), "vivim-spec-"));
    const db = new Database(dir);
    await db.open();
    const registry = createModuleRegistry(modules);
    const state = new CommittedState(db, EMPTY_ROOT);
    const block: BlockInfo = {
      chainId: SPEC_CHAIN_ID,
      height: 0n,
      time: { seconds: GENESIS_TIME, nanos: 0 },
    };
    const app = new Application({
      chainId: SPEC_CHAIN_ID,
      modules: registry,
      msgRegistry: MsgRegistry.fromModules(registry),
      state,
      txLimits: DEFAULT_TX_LIMITS,
      minGasPrices: [],
      verifier: { verify: async () => true },
      latestBlock: block,
    });
    const writes = app.initGenesis(appState, block).bufferedWrites();
    const update = state.computeRoot(writes);
    await db.write(state.commitOps(writes, update.nodes), { sync: false });
    state.markCommitted(writes, update);
    const cosmjs = new Registry([
      ...defaultRegistryTypes,
      ...registry.modules.flatMap((m) =>
        m.msgs.map((d): [string, GeneratedType] => [d.typeUrl, d.type as unknown as GeneratedType]),
      ),
    ]);
    return new SpecChain(dir, db, app, cosmjs);
  }

  async stop(): Promise<void> {
    await this.db.close();
    rmSync(this.dir, { recursive: true, force: true });
  }

  get store() {
    return this.app.state;
  }

  async sign(signer: SpecAccount, msgs: EncodeObject[], later = 0): Promise<Uint8Array> {
    const account = getAccount(this.app.state, signer.address);
    if (!account) throw new Error(`${signer.address} has no account`);
    const client = await SigningStargateClient.offline(signer.wallet, { registry: this.registry });
    const raw = await client.sign(signer.address, msgs, { amount: [], gas: "50000000" }, "", {
      accountNumber: account.accountNumber,
      sequence: Number(account.sequence) + later,
      chainId: SPEC_CHAIN_ID,
    });
    return TxRaw.encode(raw).finish();
  }

  async exec(signer: SpecAccount, msgs: EncodeObject | EncodeObject[], at?: bigint): Promise<SpecResult> {
    const bytes = await this.sign(signer, Array.isArray(msgs) ? msgs : [msgs]);
    const [result] = await this.block([bytes], at);
    return result!;
  }

  async block(txs: Uint8Array[], at?: bigint): Promise<SpecResult[]> {
    const time = at ?? this.time;
    this.height += 1n;
    const info: BlockInfo = {
      chainId: SPEC_CHAIN_ID,
      height: this.height,
      time: { seconds: time, nanos: 0 },
    };
    const blockTxs: BlockTx[] = txs.map((bytes) => {
      try {
        return { bytes, decoded: this.app.decode(bytes) };
      } catch (error) {
        return { bytes, error };
      }
    });
    const exec = this.app.executeBlock(info, blockTxs);
    await this.db.write(this.app.commitOps(exec), { sync: false });
    this.app.markCommitted(exec, info);
    this.time = time + 5n;
    return exec.results.map(withHelpers);
  }

  async query<Req, Res>(
    path: string,
    req: ProtoMessage<Req>,
    value: DeepPartial<Req>,
    res: ProtoMessage<Res>,
  ): Promise<Res> {
    const r = await this.queryRaw(path, req.encode(req.fromPartial(value)).finish());
    if (r.code !== 0) throw new Error(`query ${path} failed: ${r.codespace}/${r.code} ${r.log}`);
    return res.decode(r.value);
  }

  async queryRaw(path: string, data: Uint8Array) {
    return this.app.query({ path, data, prove: false });
  }

  get lastHeight(): bigint {
    return this.height;
  }
}

function withHelpers(r: TxResult): SpecResult {
  let response: Uint8Array | undefined;
  if (r.code === 0 && r.data.length > 0) response = TxMsgData.decode(r.data).msgResponses[0]?.value;
  return {
    ...r,
    response,
    event(type: string) {
      const e: AbciEvent | undefined = r.events.find((x) => x.type === type);
      return e ? Object.fromEntries(e.attributes.map((a) => [a.key, a.value])) : undefined;
    },
  };
}

/** A Msg as cosmjs encodes it. */
export { vivimMsg as msg } from "../../client/connect.js";
