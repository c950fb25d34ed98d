/**
 * The validators module inside the real application: genesis seeded from genesis.json's top-level
 * validators, a MsgUpdateValidator signed by cosmjs with the module's types in a cosmjs Registry,
 * the block executor handing the end-block updates on, and the consensus schedule putting them in
 * force two heights later. Real LevelDB state, nothing mocked.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { type AccountData, DirectSecp256k1HdWallet, Registry } from "@cosmjs/proto-signing";
import { SigningStargateClient } from "@cosmjs/stargate";
import { TxRaw } from "cosmjs-types/cosmos/tx/v1beta1/tx";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  advanceValidatorSchedule,
  genesisValidatorSchedule,
} from "../../chain/consensus/validator-schedule.js";
import { sha256, toBase64 } from "../../chain/crypto/hash.js";
import { Database } from "../../chain/db/database.js";
import { Application } from "../../chain/execution/app.js";
import type { BlockExecution } from "../../chain/execution/block-executor.js";
import { CommittedState } from "../../chain/state/committed.js";
import { EMPTY_ROOT } from "../../chain/state/tree/index.js";
import { DEFAULT_TX_LIMITS } from "../../chain/tx/decode.js";
import { MsgRegistry } from "../../chain/tx/msg-registry.js";
import { authModule } from "../auth/module.js";
import { bankModule } from "../bank/module.js";
import { createModuleRegistry } from "../index.js";
import type { BlockInfo } from "../types.js";
import { MsgUpdateValidator, QueryPendingUpdatesResponse, QueryValidatorsResponse } from "./codec.js";
import { withGenesisValidators } from "./genesis.js";
import { operatorPower, totalRegistryPower } from "./keeper.js";
import { validatorsModule } from "./module.js";

const CHAIN_ID = "vivim-test-1";
const MNEMONIC = "enlist hip relief stomach skate base shallow young switch frequent cry park";
const OTHER = "sock poet alone around radar forum quiz session observe rebel another choice";
const key = (i: number) => Uint8Array.from(sha256(new Uint8Array([0x51, i])));
const hex = (b: Uint8Array) => Buffer.from(b).toString("hex");

const GENESIS_VALIDATORS = [1, 2, 3].map((i) => ({
  pub_key: { type: "tendermint/PubKeyEd25519", value: toBase64(key(i)) },
  power: "10",
  name: `node${i}`,
}));

describe("validators module in the application", () => {
  let dir: string;
  let db: Database;
  let app: Application;
  let authority: AccountData;
  let other: AccountData;
  let authorityWallet: DirectSecp256k1HdWallet;
  let otherWallet: DirectSecp256k1HdWallet;

  const time = (h: bigint) => ({ seconds: 1_700_000_000n + h, nanos: 0 });
  const block = (h: bigint): BlockInfo => ({ chainId: CHAIN_ID, height: h, time: time(h) });

  beforeEach(async () => {
    dir = mkdtempSync(path.join(tmpdir(), "vivim-validators-"));
    db = new Database(dir);
    await db.open();
    authorityWallet = await DirectSecp256k1HdWallet.fromMnemonic(MNEMONIC, { prefix: "vivim" });
    otherWallet = await DirectSecp256k1HdWallet.fromMnemonic(OTHER, { prefix: "vivim" });
    [authority] = (await authorityWallet.getAccounts()) as [AccountData];
    [other] = (await otherWallet.getAccounts()) as [AccountData];

    const modules = createModuleRegistry([authModule, bankModule, validatorsModule]);
    const state = new CommittedState(db, EMPTY_ROOT);
    app = new Application({
      chainId: CHAIN_ID,
      modules,
      msgRegistry: new MsgRegistry(modules.modules.flatMap((m) => m.msgs)),
      state,
      txLimits: DEFAULT_TX_LIMITS,
      minGasPrices: [],
      verifier: { verify: async () => true },
      latestBlock: block(0n),
    });
    const appState = withGenesisValidators(
      {
        bank: {
          balances: [authority, other].map((a) => ({
            address: a.address,
            coins: [{ denom: "uvivim", amount: "1000000" }],
          })),
        },
        validators: { params: { authority: authority.address } },
      },
      GENESIS_VALIDATORS,
    );
    const writes = app.initGenesis(appState, block(0n)).bufferedWrites();
    const update = state.computeRoot(writes);
    await db.write(state.commitOps(writes, update.nodes), { sync: false });
    state.markCommitted(writes, update);
  });

  afterEach(async () => {
    await db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  async function signedUpdate(
    wallet: DirectSecp256k1HdWallet,
    signer: AccountData,
    accountNumber: bigint,
    sequence: number,
    msg: MsgUpdateValidator,
  ): Promise<Uint8Array> {
    const registry = new Registry([[MsgUpdateValidator.typeUrl, MsgUpdateValidator]]);
    const client = await SigningStargateClient.offline(wallet, { registry });
    const raw = await client.sign(
      signer.address,
      [{ typeUrl: MsgUpdateValidator.typeUrl, value: msg }],
      { amount: [], gas: "200000" },
      "",
      { accountNumber, sequence, chainId: CHAIN_ID },
    );
    return TxRaw.encode(raw).finish();
  }

  async function runBlock(h: bigint, txs: Uint8Array[]): Promise<BlockExecution> {
    const exec = app.executeBlock(
      block(h),
      txs.map((bytes) => ({ bytes, decoded: app.decode(bytes) })),
    );
    await db.write(app.commitOps(exec), { sync: false });
    app.markCommitted(exec, block(h));
    return exec;
  }

  async function query<T>(p: string, decode: (b: Uint8Array) => T): Promise<T> {
    const r = await app.query({ path: p, data: new Uint8Array(), prove: false });
    expect(r.code).toBe(0);
    return decode(r.value);
  }

  it("an authorised MsgUpdateValidator reaches consensus two heights after its block", async () => {
    // Account numbers follow genesis order: authority 0, other 1.
    const add = await signedUpdate(authorityWallet, authority, 0n, 0, {
      authority: authority.address,
      pubKey: key(4),
      power: 5n,
      moniker: "node4",
      operator: other.address,
    });
    const denied = await signedUpdate(otherWallet, other, 1n, 0, {
      authority: other.address,
      pubKey: key(5),
      power: 5n,
      moniker: "",
      operator: "",
    });

    let schedule = genesisValidatorSchedule(
      1n,
      GENESIS_VALIDATORS.map((v) => ({
        pubKey: Buffer.from(v.pub_key.value, "base64"),
        power: BigInt(v.power),
      })),
    );
    const exec1 = await runBlock(1n, [add, denied]);
    expect(exec1.results.map((r) => [r.code, r.codespace])).toEqual([
      [0, ""],
      [2, "validators"],
    ]);
    expect(exec1.results[1]!.log).toMatch(/invalid authority/);
    // Total 30, cap 33 % = 9: the whole change (+5) lands in block 1's end block.
    expect(exec1.validatorUpdates.map((u) => [hex(u.pubKey), u.power])).toEqual([[hex(key(4)), 5n]]);
    expect(exec1.endBlockEvents.map((e) => e.type)).toEqual(["validator_operator", "validator_update"]);
    // The operator named in the Msg holds the new validator's power from block 1's end block.
    expect(operatorPower(app.state, other.address)).toBe(5n);
    expect(operatorPower(app.state, authority.address)).toBe(0n);
    expect(totalRegistryPower(app.state)).toBe(35n);
    const queued = exec1.results[0]!.events.find((e) => e.type === "validator_update_queued");
    expect(queued?.attributes.find((a) => a.key === "pubkey")?.value).toBe(toBase64(key(4)));

    // Header 1 carries the old sets; block 1's updates make header 2's next_validators_hash.
    const oldHash = hex(schedule.current.hash());
    expect(hex(schedule.next.hash())).toBe(oldHash);
    schedule = advanceValidatorSchedule(schedule, exec1.validatorUpdates);
    expect(schedule.height).toBe(2n);
    expect(hex(schedule.current.hash())).toBe(oldHash);
    expect(hex(schedule.next.hash())).not.toBe(oldHash);
    expect(schedule.next.size).toBe(4);

    const exec2 = await runBlock(2n, []);
    expect(exec2.validatorUpdates).toEqual([]);
    schedule = advanceValidatorSchedule(schedule, exec2.validatorUpdates);
    // In force at height 3.
    expect(schedule.height).toBe(3n);
    expect(schedule.current.size).toBe(4);
    expect(schedule.current.totalVotingPower).toBe(35n);

    const registry = await query("/vivim.validators.v1.Query/Validators", (b) =>
      QueryValidatorsResponse.decode(b),
    );
    expect(registry.totalPower).toBe(35n);
    expect(registry.validators.find((v) => hex(v.pubKey) === hex(key(4)))).toMatchObject({
      moniker: "node4",
      operator: other.address,
    });
    expect(registry.validators.find((v) => hex(v.pubKey) === hex(key(1)))?.moniker).toBe("node1");
    const pending = await query("/vivim.validators.v1.Query/PendingUpdates", (b) =>
      QueryPendingUpdatesResponse.decode(b),
    );
    expect(pending.updates).toEqual([]);
  });

  it("rejects a malformed MsgUpdateValidator before it runs", async () => {
    const bad = await signedUpdate(authorityWallet, authority, 0n, 0, {
      authority: authority.address,
      pubKey: new Uint8Array(31),
      power: 5n,
      moniker: "",
      operator: "",
    });
    expect(() => app.decode(bad)).toThrow(/32 bytes/);
    const badOperator = await signedUpdate(authorityWallet, authority, 0n, 0, {
      authority: authority.address,
      pubKey: key(4),
      power: 5n,
      moniker: "",
      operator: "vivim1notanaddress",
    });
    expect(() => app.decode(badOperator)).toThrow(/operator/);
  });
});
