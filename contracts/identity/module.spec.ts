/**
 * The identity module inside the real application over a real LevelDB: genesis seeding, every Msg
 * signed with cosmjs and executed in blocks, the indexes they keep (handles, owners' agent lists,
 * active-agent counts), requireActor's refusals, and the queries. Nothing mocked but the signature
 * pool (signatures are real; the pool is not started).
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import {
  type AccountData,
  DirectSecp256k1HdWallet,
  DirectSecp256k1Wallet,
  type OfflineDirectSigner,
} from "@cosmjs/proto-signing";
import { SigningStargateClient } from "@cosmjs/stargate";
import { ed25519 } from "@noble/curves/ed25519.js";
import { TxRaw } from "cosmjs-types/cosmos/tx/v1beta1/tx";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { addressOf } from "../../chain/crypto/address.js";
import { toBase64 } from "../../chain/crypto/hash.js";
import { Database } from "../../chain/db/database.js";
import { isCodedError } from "../../chain/errors/codes.js";
import { Application } from "../../chain/execution/app.js";
import { CommittedState } from "../../chain/state/committed.js";
import { EMPTY_ROOT } from "../../chain/state/tree/index.js";
import { DEFAULT_TX_LIMITS } from "../../chain/tx/decode.js";
import { MsgRegistry } from "../../chain/tx/msg-registry.js";
import type { TxResult } from "../../chain/types/block.js";
import { type VivimEncodeObject, vivimMsg } from "../../client/connect.js";
import { vivimRegistry } from "../../client/registry.js";
import { getAccount } from "../auth/keeper.js";
import { authModule } from "../auth/module.js";
import { bankModule } from "../bank/module.js";
import { createModuleRegistry } from "../index.js";
import type { BlockInfo, ProtoType } from "../types.js";
import { IdentityErrors } from "./errors.js";
import { activeAgentCount, displayName, requireActor } from "./keeper.js";
import { identityModule } from "./module.js";
import {
  ActorKind,
  QueryAgentByNameRequest,
  QueryAgentByNameResponse,
  QueryAgentsOfOwnerRequest,
  QueryAgentsOfOwnerResponse,
  QueryProfileByHandleRequest,
  QueryProfileByHandleResponse,
  QueryProfileRequest,
  QueryResolveRequest,
  QueryResolveResponse,
} from "./query.js";
import { AgentStatus, AutonomyLevel, VerificationStatus } from "./records.js";
import {
  MsgRegisterAgent,
  MsgRegisterAgentResponse,
  MsgRegisterProfile,
  MsgRetireAgent,
  MsgSetVerification,
  MsgTransferAgent,
  MsgUpdateAgent,
  MsgUpdateIdentityParams,
  MsgUpdateProfile,
} from "./tx.js";

const CHAIN_ID = "vivim-test-1";
const MNEMONICS = [
  "enlist hip relief stomach skate base shallow young switch frequent cry park",
  "sock poet alone around radar forum quiz session observe rebel another choice",
  "economy stock theory fatal elder harbor betray wasp final emotion task crumble siren bottom lizard educate guess current outdoor pair theory focus wife stone",
];
const FEE = { amount: [{ denom: "uvivim", amount: "5000" }], gas: "500000" };
const code = (e: { codespace: string; code: number }) => ({ codespace: e.codespace, code: e.code });

interface Signer {
  readonly address: string;
  readonly wallet: OfflineDirectSigner;
}

describe("identity module in the application", () => {
  let dir: string;
  let db: Database;
  let app: Application;
  let height = 0n;
  let alice: Signer;
  let bob: Signer;
  let carol: Signer;
  /** An agent key held by the test (secp256k1), and bob's own key's account. */
  let botWallet: DirectSecp256k1Wallet;
  let botAccount: AccountData;

  const time = (h: bigint) => ({ seconds: 1_700_000_000n + h * 5n, nanos: 0 });
  const block = (h: bigint): BlockInfo => ({ chainId: CHAIN_ID, height: h, time: time(h) });

  async function signer(mnemonic: string): Promise<Signer> {
    const wallet = await DirectSecp256k1HdWallet.fromMnemonic(mnemonic, { prefix: "vivim" });
    const [account] = await wallet.getAccounts();
    return { address: account!.address, wallet };
  }

  async function start(identity: unknown): Promise<void> {
    dir = mkdtempSync(path.join(tmpdir(), "vivim-identity-"));
    db = new Database(dir);
    await db.open();
    const modules = createModuleRegistry([authModule, bankModule, identityModule]);
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
    const funded = [alice, bob, carol, { address: botAccount.address }];
    const appState = {
      bank: {
        balances: funded.map((a) => ({
          address: a.address,
          coins: [{ denom: "uvivim", amount: "100000000" }],
        })),
      },
      identity,
    };
    const writes = app.initGenesis(appState, block(0n)).bufferedWrites();
    const update = state.computeRoot(writes);
    await db.write(state.commitOps(writes, update.nodes), { sync: false });
    state.markCommitted(writes, update);
    height = 0n;
  }

  beforeEach(async () => {
    alice = await signer(MNEMONICS[0]!);
    bob = await signer(MNEMONICS[1]!);
    carol = await signer(MNEMONICS[2]!);
    botWallet = await DirectSecp256k1Wallet.fromKey(new Uint8Array(32).fill(0x42), "vivim");
    [botAccount] = (await botWallet.getAccounts()) as [AccountData];
  });

  afterEach(async () => {
    await db?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  async function sign(from: Signer, msgs: VivimEncodeObject<unknown>[]): Promise<Uint8Array> {
    const account = getAccount(app.state, from.address);
    const client = await SigningStargateClient.offline(from.wallet, { registry: vivimRegistry() });
    const raw = await client.sign(from.address, msgs, FEE, "", {
      accountNumber: account?.accountNumber ?? 0n,
      sequence: Number(account?.sequence ?? 0n),
      chainId: CHAIN_ID,
    });
    return TxRaw.encode(raw).finish();
  }

  /** One block with one tx per signer; returns each tx's result. */
  async function run(...txs: Uint8Array[]): Promise<TxResult[]> {
    height += 1n;
    const exec = app.executeBlock(
      block(height),
      txs.map((bytes) => ({ bytes, decoded: app.decode(bytes) })),
    );
    await db.write(app.commitOps(exec), { sync: false });
    app.markCommitted(exec, block(height));
    return [...exec.results];
  }

  async function ok(from: Signer, ...msgs: VivimEncodeObject<unknown>[]): Promise<TxResult> {
    const [r] = await run(await sign(from, msgs));
    expect(r!.log).toBe("");
    expect(r!.code).toBe(0);
    return r!;
  }

  async function fails(
    from: Signer,
    msg: VivimEncodeObject<unknown>,
  ): Promise<{ codespace: string; code: number }> {
    const [r] = await run(await sign(from, [msg]));
    return { codespace: r!.codespace, code: r!.code };
  }

  /** A tx whose validateBasic fails: refused at decoding (CheckTx), never executed. */
  async function refusedBeforeRunning(
    from: Signer,
    msg: VivimEncodeObject<unknown>,
  ): Promise<{ codespace: string; code: number }> {
    const bytes = await sign(from, [msg]);
    try {
      app.decode(bytes);
    } catch (err) {
      if (isCodedError(err)) return { codespace: err.codespace, code: err.code };
      throw err;
    }
    throw new Error("decoded");
  }

  async function query<Req, Res>(
    name: string,
    reqType: ProtoType<Req>,
    req: Req,
    resType: ProtoType<Res>,
  ): Promise<Res> {
    const r = await app.query({
      path: `/vivim.identity.v1.Query/${name}`,
      data: reqType.encode(req).finish(),
      prove: false,
    });
    if (r.code !== 0) throw new Error(`${r.codespace}/${r.code}: ${r.log}`);
    return resType.decode(r.value);
  }

  async function queryCode(name: string, data: Uint8Array): Promise<string> {
    const r = await app.query({ path: `/vivim.identity.v1.Query/${name}`, data, prove: false });
    return `${r.codespace}/${r.code}`;
  }

  const profileMsg = (who: Signer, handle: string) =>
    vivimMsg(MsgRegisterProfile, { creator: who.address, handle, displayName: handle.toUpperCase() });

  async function registerAgent(owner: Signer, name: string, pubKey: Uint8Array, pubKeyType = "secp256k1") {
    const r = await ok(
      owner,
      vivimMsg(MsgRegisterAgent, { owner: owner.address, name, pubKeyType, pubKey, capabilities: ["post"] }),
    );
    const data = r.data;
    expect(data.length).toBeGreaterThan(0);
    const { TxMsgData } = await import("cosmjs-types/cosmos/base/abci/v1beta1/abci");
    const [response] = TxMsgData.decode(data).msgResponses;
    expect(response?.typeUrl).toBe(MsgRegisterAgentResponse.typeUrl);
    return MsgRegisterAgentResponse.decode(response!.value).address;
  }

  const edKey = (seed: number) => ed25519.getPublicKey(new Uint8Array(32).fill(seed));

  it("registers profiles and agents, keeps handles unique and names unique per owner", async () => {
    await start(undefined);
    const r = await ok(alice, profileMsg(alice, "alice"));
    const event = r.events.find((e) => e.type === "vivim.identity.v1.EventProfileRegistered");
    expect(event?.attributes.map((a) => [a.key, a.value])).toEqual([
      ["address", alice.address],
      ["handle", "alice"],
    ]);
    expect(await fails(bob, profileMsg(bob, "alice"))).toEqual(code(IdentityErrors.HandleTaken));
    expect(await fails(alice, profileMsg(alice, "alice2"))).toEqual(code(IdentityErrors.AlreadyRegistered));
    // An unregistered owner cannot register agents.
    expect(
      await fails(
        bob,
        vivimMsg(MsgRegisterAgent, {
          owner: bob.address,
          name: "bot",
          pubKeyType: "ed25519",
          pubKey: edKey(1),
        }),
      ),
    ).toEqual(code(IdentityErrors.NotRegistered));

    const bot = await registerAgent(alice, "bot", botAccount.pubkey);
    expect(bot).toBe(botAccount.address);
    const edBot = await registerAgent(alice, "edbot", edKey(2), "ed25519");
    expect(edBot).toBe(addressOf("ed25519", edKey(2)));
    expect(activeAgentCount(app.state, alice.address)).toBe(2);
    expect(
      await fails(
        alice,
        vivimMsg(MsgRegisterAgent, {
          owner: alice.address,
          name: "bot",
          pubKeyType: "ed25519",
          pubKey: edKey(3),
        }),
      ),
    ).toEqual(code(IdentityErrors.AgentNameTaken));
    // The same key twice is the same address: already an agent.
    expect(
      await fails(
        alice,
        vivimMsg(MsgRegisterAgent, {
          owner: alice.address,
          name: "bot2",
          pubKeyType: "ed25519",
          pubKey: edKey(2),
        }),
      ),
    ).toEqual(code(IdentityErrors.AlreadyRegistered));

    // The agent signs with its own key; it is an agent, so it cannot take a profile or own agents.
    const botSigner = { address: bot, wallet: botWallet };
    expect(await fails(botSigner, profileMsg(botSigner, "botty"))).toEqual(
      code(IdentityErrors.AlreadyRegistered),
    );
    expect(
      await fails(
        botSigner,
        vivimMsg(MsgRegisterAgent, { owner: bot, name: "sub", pubKeyType: "ed25519", pubKey: edKey(4) }),
      ),
    ).toEqual(code(IdentityErrors.AgentCannotOwn));
    // ...and does not own itself.
    expect(
      await fails(botSigner, vivimMsg(MsgUpdateAgent, { owner: bot, agent: bot, description: "mine now" })),
    ).toEqual(code(IdentityErrors.NotOwner));

    const actor = requireActor({ store: app.state as never }, bot);
    expect(actor.kind).toBe("agent");
    expect(displayName(actor)).toBe("@alice/bot");

    const byName = await query(
      "AgentByName",
      QueryAgentByNameRequest,
      { name: "@Alice/bot" },
      QueryAgentByNameResponse,
    );
    expect(byName.agent?.address).toBe(bot);
    expect(byName.agent?.autonomy).toBe(AutonomyLevel.RESPONSE_ONLY);
    expect(byName.fullName).toBe("@alice/bot");
    const resolved = await query("Resolve", QueryResolveRequest, { address: edBot }, QueryResolveResponse);
    expect(resolved.kind).toBe(ActorKind.AGENT);
    expect(resolved.ownerHandle).toBe("alice");
    expect(resolved.displayName).toBe("@alice/edbot");
    const nobody = await query(
      "Resolve",
      QueryResolveRequest,
      { address: carol.address },
      QueryResolveResponse,
    );
    expect(nobody.kind).toBe(ActorKind.NONE);
    expect(await queryCode("Profile", QueryProfileRequest.encode({ address: carol.address }).finish())).toBe(
      "sdk/38",
    );
    expect(await queryCode("Profile", QueryProfileRequest.encode({ address: "vivim1nope" }).finish())).toBe(
      "sdk/18",
    );
    expect(await queryCode("AgentByName", QueryAgentByNameRequest.encode({ name: "alice" }).finish())).toBe(
      "sdk/18",
    );
  });

  it("refuses to claim an account that has signed, or a profile, as an agent", async () => {
    await start(undefined);
    await ok(alice, profileMsg(alice, "alice"));
    // Once carol has signed anything (even a tx whose message fails), nobody can claim her key.
    const [failed] = await run(await sign(carol, [vivimMsg(MsgUpdateProfile, { creator: carol.address })]));
    expect(failed?.code).toBe(IdentityErrors.NotRegistered.code);
    const carolKey = (await (carol.wallet as DirectSecp256k1HdWallet).getAccounts())[0]!.pubkey;
    expect(getAccount(app.state, carol.address)?.sequence).toBe(1n);
    expect(
      await fails(
        alice,
        vivimMsg(MsgRegisterAgent, {
          owner: alice.address,
          name: "carol",
          pubKeyType: "secp256k1",
          pubKey: carolKey,
        }),
      ),
    ).toEqual(code(IdentityErrors.AccountInUse));
    // alice's own key is a profile.
    const aliceKey = (await (alice.wallet as DirectSecp256k1HdWallet).getAccounts())[0]!.pubkey;
    expect(
      await fails(
        alice,
        vivimMsg(MsgRegisterAgent, {
          owner: alice.address,
          name: "me",
          pubKeyType: "secp256k1",
          pubKey: aliceKey,
        }),
      ),
    ).toEqual(code(IdentityErrors.AlreadyRegistered));
    // The funded but never-used bot account is fine.
    expect(getAccount(app.state, botAccount.address)?.sequence).toBe(0n);
    expect(await registerAgent(alice, "bot", botAccount.pubkey)).toBe(botAccount.address);
  });

  it("transfers, updates and retires: indexes follow, attribution never drops, retirement is final", async () => {
    await start({
      params: { max_agents_per_owner: 2 },
      profiles: [
        { address: alice.address, handle: "alice", display_name: "Alice", bio: "" },
        { address: bob.address, handle: "bob", display_name: "Bob", bio: "", verification: "VERIFIED" },
      ],
      agents: [
        {
          owner: alice.address,
          name: "bot",
          pub_key_type: "secp256k1",
          pub_key: toBase64(botAccount.pubkey),
          autonomy: "AUTONOMY_LEVEL_PROACTIVE_OWNED_THREADS",
          capabilities: ["vote", "post"],
          description: "seeded",
        },
      ],
    });
    const bot = botAccount.address;
    const botSigner = { address: bot, wallet: botWallet };
    expect(activeAgentCount(app.state, alice.address)).toBe(1);
    const seeded = await query(
      "AgentByName",
      QueryAgentByNameRequest,
      { name: "alice/bot" },
      QueryAgentByNameResponse,
    );
    expect(seeded.agent?.capabilities).toEqual(["post", "vote"]);
    expect(seeded.agent?.autonomy).toBe(AutonomyLevel.PROACTIVE_OWNED_THREADS);
    const bobProfile = await query(
      "ProfileByHandle",
      QueryProfileByHandleRequest,
      { handle: "@bob" },
      QueryProfileByHandleResponse,
    );
    expect(bobProfile.profile?.verification).toBe(VerificationStatus.VERIFIED);

    // The cap counts active agents.
    await registerAgent(alice, "two", edKey(7), "ed25519");
    expect(
      await fails(
        alice,
        vivimMsg(MsgRegisterAgent, {
          owner: alice.address,
          name: "three",
          pubKeyType: "ed25519",
          pubKey: edKey(8),
        }),
      ),
    ).toEqual(code(IdentityErrors.TooManyAgents));

    // Only the owner updates; autonomy 0 keeps the level; capabilities are replaced.
    expect(
      await fails(bob, vivimMsg(MsgUpdateAgent, { owner: bob.address, agent: bot, description: "x" })),
    ).toEqual(code(IdentityErrors.NotOwner));
    await ok(
      alice,
      vivimMsg(MsgUpdateAgent, {
        owner: alice.address,
        agent: bot,
        capabilities: ["comment"],
        webhook: "https://a.io/h",
      }),
    );
    let card = await query(
      "AgentByName",
      QueryAgentByNameRequest,
      { name: "alice/bot" },
      QueryAgentByNameResponse,
    );
    expect(card.agent?.capabilities).toEqual(["comment"]);
    expect(card.agent?.autonomy).toBe(AutonomyLevel.PROACTIVE_OWNED_THREADS);
    expect(card.agent?.webhook).toBe("https://a.io/h");

    // Transfer: bob's list gains it, alice's loses it, the name moves, counts follow.
    expect(
      await refusedBeforeRunning(
        bob,
        vivimMsg(MsgTransferAgent, { owner: bob.address, agent: bot, newOwner: bob.address }),
      ),
    ).toEqual(code(IdentityErrors.InvalidField));
    expect(
      await fails(
        bob,
        vivimMsg(MsgTransferAgent, { owner: bob.address, agent: bot, newOwner: carol.address }),
      ),
    ).toEqual(code(IdentityErrors.NotOwner));
    expect(
      await fails(
        alice,
        vivimMsg(MsgTransferAgent, { owner: alice.address, agent: bot, newOwner: carol.address }),
      ),
    ).toEqual(code(IdentityErrors.NotRegistered));
    const two = addressOf("ed25519", edKey(7));
    expect(
      await fails(alice, vivimMsg(MsgTransferAgent, { owner: alice.address, agent: bot, newOwner: two })),
    ).toEqual(code(IdentityErrors.AgentCannotOwn));
    const t = await ok(
      alice,
      vivimMsg(MsgTransferAgent, { owner: alice.address, agent: bot, newOwner: bob.address }),
    );
    const moved = t.events.find((e) => e.type === "vivim.identity.v1.EventAgentTransferred");
    expect(moved?.attributes.find((a) => a.key === "previous_owner")?.value).toBe(alice.address);
    expect(activeAgentCount(app.state, alice.address)).toBe(1);
    expect(activeAgentCount(app.state, bob.address)).toBe(1);
    expect(displayName(requireActor({ store: app.state as never }, bot))).toBe("@bob/bot");
    card = await query(
      "AgentByName",
      QueryAgentByNameRequest,
      { name: "@bob/bot" },
      QueryAgentByNameResponse,
    );
    expect(card.agent?.owner).toBe(bob.address);
    expect(
      await queryCode("AgentByName", QueryAgentByNameRequest.encode({ name: "@alice/bot" }).finish()),
    ).toBe("sdk/38");
    const aliceList = await query(
      "AgentsOfOwner",
      QueryAgentsOfOwnerRequest,
      { owner: alice.address, pagination: undefined },
      QueryAgentsOfOwnerResponse,
    );
    expect(aliceList.agents.map((a) => a.name)).toEqual(["two"]);
    // alice may reuse the name now it is no longer hers; a transfer back then finds it taken.
    await registerAgent(alice, "bot", edKey(9), "ed25519");
    expect(
      await fails(
        bob,
        vivimMsg(MsgTransferAgent, { owner: bob.address, agent: bot, newOwner: alice.address }),
      ),
    ).toEqual(code(IdentityErrors.AgentNameTaken));

    // Retire: final, requireActor refuses the agent, the slot frees, the name stays taken.
    expect(await fails(alice, vivimMsg(MsgRetireAgent, { owner: alice.address, agent: bot }))).toEqual(
      code(IdentityErrors.NotOwner),
    );
    await ok(bob, vivimMsg(MsgRetireAgent, { owner: bob.address, agent: bot }));
    expect(activeAgentCount(app.state, bob.address)).toBe(0);
    expect(() => requireActor({ store: app.state as never }, bot)).toThrow(/retired/);
    try {
      requireActor({ store: app.state as never }, bot);
    } catch (err) {
      expect(isCodedError(err) && [err.codespace, err.code]).toEqual([
        "identity",
        IdentityErrors.AgentRetired.code,
      ]);
    }
    for (const msg of [
      vivimMsg(MsgRetireAgent, { owner: bob.address, agent: bot }),
      vivimMsg(MsgUpdateAgent, { owner: bob.address, agent: bot, autonomy: AutonomyLevel.AUTONOMOUS }),
      vivimMsg(MsgTransferAgent, { owner: bob.address, agent: bot, newOwner: alice.address }),
    ])
      expect(await fails(bob, msg)).toEqual(code(IdentityErrors.AgentRetired));
    // The retired agent's own writes are refused as retired.
    expect(await fails(botSigner, profileMsg(botSigner, "phoenix"))).toEqual(
      code(IdentityErrors.AgentRetired),
    );
    expect(await fails(botSigner, vivimMsg(MsgUpdateProfile, { creator: bot }))).toEqual(
      code(IdentityErrors.AgentRetired),
    );
    const bobList = await query(
      "AgentsOfOwner",
      QueryAgentsOfOwnerRequest,
      { owner: bob.address, pagination: undefined },
      QueryAgentsOfOwnerResponse,
    );
    expect(bobList.agents.map((a) => [a.name, a.status, a.owner])).toEqual([
      ["bot", AgentStatus.RETIRED, bob.address],
    ]);
  });

  it("lists an owner's agents by name in bounded pages", async () => {
    await start({
      params: { max_agents_per_owner: 50 },
      profiles: [{ address: alice.address, handle: "alice", display_name: "", bio: "" }],
      agents: Array.from({ length: 25 }, (_, i) => ({
        owner: alice.address,
        name: `a${String(i).padStart(2, "0")}`,
        pub_key_type: "ed25519",
        pub_key: toBase64(edKey(100 + i)),
      })),
    });
    const page1 = await query(
      "AgentsOfOwner",
      QueryAgentsOfOwnerRequest,
      { owner: alice.address, pagination: undefined },
      QueryAgentsOfOwnerResponse,
    );
    expect(page1.agents).toHaveLength(20);
    expect(page1.agents[0]?.name).toBe("a00");
    const page2 = await query(
      "AgentsOfOwner",
      QueryAgentsOfOwnerRequest,
      {
        owner: alice.address,
        pagination: {
          key: page1.pagination!.nextKey,
          offset: 0n,
          limit: 0n,
          countTotal: false,
          reverse: false,
        },
      },
      QueryAgentsOfOwnerResponse,
    );
    expect(page2.agents.map((a) => a.name)).toEqual(["a20", "a21", "a22", "a23", "a24"]);
    expect(page2.pagination?.nextKey).toHaveLength(0);
    const tooMany = QueryAgentsOfOwnerRequest.encode({
      owner: alice.address,
      pagination: { key: new Uint8Array(), offset: 0n, limit: 101n, countTotal: false, reverse: false },
    }).finish();
    expect(await queryCode("AgentsOfOwner", tooMany)).toBe("sdk/18");
    expect(
      await queryCode(
        "AgentsOfOwner",
        QueryAgentsOfOwnerRequest.encode({ owner: bob.address, pagination: undefined }).finish(),
      ),
    ).toBe("sdk/38");
  });

  it("only the authority verifies and changes params; the freeze stops agents, not owners", async () => {
    await start({
      params: { authority: carol.address },
      profiles: [{ address: alice.address, handle: "alice", display_name: "", bio: "" }],
      agents: [
        {
          owner: alice.address,
          name: "bot",
          pub_key_type: "secp256k1",
          pub_key: toBase64(botAccount.pubkey),
        },
      ],
    });
    const bot = botAccount.address;
    expect(
      await fails(
        alice,
        vivimMsg(MsgSetVerification, { authority: alice.address, subject: alice.address, status: 2 }),
      ),
    ).toEqual(code(IdentityErrors.Unauthorized));
    const r = await ok(
      carol,
      vivimMsg(MsgSetVerification, {
        authority: carol.address,
        subject: bot,
        status: VerificationStatus.VERIFIED,
      }),
    );
    const ev = r.events.find((e) => e.type === "vivim.identity.v1.EventVerificationSet");
    expect(ev?.attributes.find((a) => a.key === "status")?.value).toBe("VERIFICATION_STATUS_VERIFIED");
    expect(
      await fails(
        carol,
        vivimMsg(MsgSetVerification, { authority: carol.address, subject: bob.address, status: 2 }),
      ),
    ).toEqual(code(IdentityErrors.NotRegistered));

    const frozen = { authority: carol.address, agentWritesFrozen: true, maxAgentsPerOwner: 32 };
    expect(
      await fails(alice, vivimMsg(MsgUpdateIdentityParams, { authority: alice.address, params: frozen })),
    ).toEqual(code(IdentityErrors.Unauthorized));
    await ok(carol, vivimMsg(MsgUpdateIdentityParams, { authority: carol.address, params: frozen }));
    expect(() => requireActor({ store: app.state as never }, bot)).toThrow(/may not write/);
    expect(requireActor({ store: app.state as never }, alice.address).kind).toBe("human");
    // Owners still manage their agents during the freeze.
    await ok(alice, vivimMsg(MsgUpdateAgent, { owner: alice.address, agent: bot, description: "paused" }));

    // Params are checked before anything runs.
    const bad = await sign(carol, [
      vivimMsg(MsgUpdateIdentityParams, {
        authority: carol.address,
        params: { ...frozen, maxAgentsPerOwner: 0 },
      }),
    ]);
    expect(() => app.decode(bad)).toThrow(/max_agents_per_owner/);
  });
});
