/**
 * The identity module through the unmodified cosmjs SigningStargateClient against a real node:
 * every Msg, every rejection with its codespace/code, agents that sign with their own secp256k1
 * or ed25519 key, the gRPC queries over abci_query and the REST routes.
 *
 * The node's genesis names carol as the identity authority (governance's role on a real chain),
 * so MsgSetVerification and MsgUpdateParams can succeed here.
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { encodeEd25519Pubkey } from "@cosmjs/amino";
import { fromHex } from "@cosmjs/encoding";
import {
  type AccountData,
  DirectSecp256k1Wallet,
  type DirectSignResponse,
  encodePubkey,
  makeAuthInfoBytes,
  makeSignBytes,
  type OfflineDirectSigner,
} from "@cosmjs/proto-signing";
import {
  BroadcastTxError,
  type DeliverTxResponse,
  QueryClient,
  type SigningStargateClient,
} from "@cosmjs/stargate";
import { Comet38Client } from "@cosmjs/tendermint-rpc";
import { ed25519 } from "@noble/curves/ed25519.js";
import { type SignDoc, TxRaw } from "cosmjs-types/cosmos/tx/v1beta1/tx";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ApiServer } from "../../chain/api/server.js";
import { initHome } from "../../chain/config/home.js";
import { addressOf } from "../../chain/crypto/address.js";
import { devnetAppState } from "../../chain/node/devnet-genesis.js";
import {
  ActorKind,
  AutonomyLevel,
  connectVivim,
  IdentityErrors,
  MsgRegisterAgent,
  MsgRegisterAgentResponse,
  MsgRegisterProfile,
  MsgRetireAgent,
  MsgSetVerification,
  MsgTransferAgent,
  MsgUpdateAgent,
  MsgUpdateIdentityParams,
  MsgUpdateProfile,
  QueryResolveRequest,
  QueryResolveResponse,
  VerificationStatus,
  type VivimEncodeObject,
  vivimMsg,
  vivimRegistry,
} from "../../client/index.js";
import {
  FUNDS,
  fastConfig,
  startTestNode,
  TEST_MNEMONICS,
  type TestAccount,
  type TestNode,
  testAccount,
} from "../support/node.js";
import { codeOf, committed, type Outcome, txOutcome } from "../support/tx-outcome.js";

const CHAIN_ID = "vivim-test-1";
const FEE = { amount: [{ denom: "uvivim", amount: "20000" }], gas: "400000" };
const POLL = { broadcastPollIntervalMs: 150, broadcastTimeoutMs: 20_000 };

type Body = Record<string, unknown>;

const coded = (e: { codespace: string; code: number }) => ({ codespace: e.codespace, code: e.code });

/** An OfflineDirectSigner over an ed25519 key (cosmjs ships secp256k1 ones only). */
class Ed25519Signer implements OfflineDirectSigner {
  readonly pubkey: Uint8Array;
  readonly address: string;
  constructor(private readonly secret: Uint8Array) {
    this.pubkey = ed25519.getPublicKey(secret);
    this.address = addressOf("ed25519", this.pubkey);
  }
  async getAccounts(): Promise<readonly AccountData[]> {
    return [{ address: this.address, algo: "ed25519", pubkey: this.pubkey }];
  }
  async signDirect(signerAddress: string, signDoc: SignDoc): Promise<DirectSignResponse> {
    if (signerAddress !== this.address) throw new Error(`cannot sign for ${signerAddress}`);
    const signature = ed25519.sign(makeSignBytes(signDoc), this.secret);
    return {
      signed: signDoc,
      signature: {
        pub_key: encodeEd25519Pubkey(this.pubkey),
        signature: Buffer.from(signature).toString("base64"),
      },
    };
  }
}

describe("identity module through cosmjs", () => {
  let net: TestNode;
  let api: ApiServer;
  let base: string;
  let comet: Comet38Client;
  let alice: TestAccount;
  let bob: TestAccount;
  let carol: TestAccount;
  const clients = new Map<string, SigningStargateClient>();
  /** An secp256k1 agent key the test holds, and an ed25519 one. */
  let codebotWallet: DirectSecp256k1Wallet;
  let codebotKey: AccountData;
  const edbot = new Ed25519Signer(new Uint8Array(32).fill(0x2e));
  const bobsEdbot = new Ed25519Signer(new Uint8Array(32).fill(0x2f));

  beforeAll(async () => {
    const accounts = await Promise.all(TEST_MNEMONICS.map(testAccount));
    [alice, bob, carol] = accounts as [TestAccount, TestAccount, TestAccount];
    const home = mkdtempSync(path.join(tmpdir(), "vivim-identity-e2e-"));
    const appState = devnetAppState(accounts.map((a) => ({ address: a.address, amount: FUNDS })));
    const config = fastConfig();
    initHome({
      home,
      moniker: "test-node",
      chainId: CHAIN_ID,
      config,
      genesisAppState: { ...appState, identity: { params: { authority: carol.address } } },
    });
    net = await startTestNode({ home, config });
    api = new ApiServer(net.node);
    await api.start();
    base = `http://127.0.0.1:${api.port}`;
    comet = await Comet38Client.connect(net.rpcUrl);
    codebotWallet = await DirectSecp256k1Wallet.fromKey(new Uint8Array(32).fill(0x2c), "vivim");
    [codebotKey] = (await codebotWallet.getAccounts()) as [AccountData];
    for (const a of accounts) clients.set(a.address, await connectVivim(net.rpcUrl, a.wallet, POLL));
    clients.set(codebotKey.address, await connectVivim(net.rpcUrl, codebotWallet, POLL));
    const deadline = Date.now() + 10_000;
    while (net.node.blockStore.latestHeight === 0n && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 50));
  });

  afterAll(async () => {
    for (const c of clients.values()) c.disconnect();
    comet?.disconnect();
    await api?.stop();
    await net?.stop();
  });

  /** Signs and broadcasts; a CheckTx refusal (validateBasic) or a failed DeliverTx both come back coded. */
  async function send(from: string, ...msgs: VivimEncodeObject<unknown>[]): Promise<Outcome> {
    return txOutcome(clients.get(from)!, comet, from, msgs, FEE);
  }

  async function ok(from: string, ...msgs: VivimEncodeObject<unknown>[]): Promise<DeliverTxResponse> {
    return committed(await send(from, ...msgs));
  }

  async function refused(
    from: string,
    msg: VivimEncodeObject<unknown>,
  ): Promise<{ codespace: string; code: number }> {
    return codeOf(await send(from, msg));
  }

  /** A tx signed by the ed25519 agent with its own key, built the way SigningStargateClient would. */
  async function sendAsEd25519(signer: Ed25519Signer, msgs: VivimEncodeObject<unknown>[]): Promise<Outcome> {
    const client = clients.get(alice.address)!;
    const account = await client.getAccount(signer.address);
    if (!account) throw new Error("agent account missing");
    const bodyBytes = vivimRegistry().encodeTxBody({ messages: msgs, memo: "" });
    const authInfoBytes = makeAuthInfoBytes(
      [{ pubkey: encodePubkey(encodeEd25519Pubkey(signer.pubkey)), sequence: account.sequence }],
      FEE.amount,
      Number(FEE.gas),
      undefined,
      undefined,
    );
    const { signed, signature } = await signer.signDirect(signer.address, {
      bodyBytes,
      authInfoBytes,
      chainId: CHAIN_ID,
      accountNumber: BigInt(account.accountNumber),
    });
    const raw = TxRaw.fromPartial({
      bodyBytes: signed.bodyBytes,
      authInfoBytes: signed.authInfoBytes,
      signatures: [Buffer.from(signature.signature, "base64")],
    });
    try {
      const result = await client.broadcastTx(TxRaw.encode(raw).finish(), 20_000, 150);
      const tx = await comet.tx({ hash: fromHex(result.transactionHash) });
      return { code: tx.result.code, codespace: tx.result.codespace ?? "", log: tx.result.log ?? "", result };
    } catch (err) {
      if (err instanceof BroadcastTxError)
        return { code: err.code, codespace: err.codespace, log: err.log ?? "" };
      throw err;
    }
  }

  async function get(p: string): Promise<{ status: number; body: Body }> {
    const res = await fetch(base + p);
    return { status: res.status, body: (await res.json()) as Body };
  }

  const attrs = (r: DeliverTxResponse, type: string) =>
    Object.fromEntries(r.events.find((e) => e.type === type)?.attributes.map((a) => [a.key, a.value]) ?? []);

  const profileMsg = (creator: string, handle: string, extra: Partial<MsgRegisterProfile> = {}) =>
    vivimMsg(MsgRegisterProfile, { creator, handle, displayName: handle, ...extra });

  it("registers and updates profiles; refuses duplicate and bad handles and oversize fields", async () => {
    const r = await ok(
      alice.address,
      profileMsg(alice.address, "alice", { bio: "builds agents", avatarUri: "ipfs://bafyalice" }),
    );
    expect(attrs(r, "vivim.identity.v1.EventProfileRegistered")).toEqual({
      address: alice.address,
      handle: "alice",
    });

    // validateBasic refusals (CheckTx).
    expect(await refused(bob.address, profileMsg(bob.address, "Bob!"))).toEqual(
      coded(IdentityErrors.InvalidHandle),
    );
    expect(await refused(bob.address, profileMsg(bob.address, "bo"))).toEqual(
      coded(IdentityErrors.InvalidHandle),
    );
    for (const extra of [
      { displayName: "B".repeat(65) },
      { bio: "b".repeat(513) },
      { avatarUri: `https://x.io/${"a".repeat(250)}` },
      { avatarUri: "http://x.io/a.png" },
    ])
      expect(await refused(bob.address, profileMsg(bob.address, "bob", extra))).toEqual(
        coded(IdentityErrors.InvalidField),
      );
    // Stateful refusals (DeliverTx).
    expect(await refused(bob.address, profileMsg(bob.address, "alice"))).toEqual(
      coded(IdentityErrors.HandleTaken),
    );
    expect(await refused(alice.address, profileMsg(alice.address, "alice_two"))).toEqual(
      coded(IdentityErrors.AlreadyRegistered),
    );
    await ok(bob.address, profileMsg(bob.address, "bob"));

    await ok(
      alice.address,
      vivimMsg(MsgUpdateProfile, { creator: alice.address, displayName: "Alice A.", bio: "hi" }),
    );
    expect(await refused(carol.address, vivimMsg(MsgUpdateProfile, { creator: carol.address }))).toEqual(
      coded(IdentityErrors.NotRegistered),
    );
    expect(
      await refused(
        alice.address,
        vivimMsg(MsgUpdateProfile, { creator: alice.address, bio: "x".repeat(513) }),
      ),
    ).toEqual(coded(IdentityErrors.InvalidField));

    const profile = await get(`/vivim/identity/v1/profiles/${alice.address}`);
    expect(profile.status).toBe(200);
    expect(profile.body.profile).toMatchObject({
      address: alice.address,
      handle: "alice",
      display_name: "Alice A.",
      bio: "hi",
      avatar_uri: "",
      verification: "VERIFICATION_STATUS_UNVERIFIED",
      created_height: String(r.height),
    });
    expect((await get("/vivim/identity/v1/handles/@bob")).body.profile).toMatchObject({
      address: bob.address,
    });
    expect((await get("/vivim/identity/v1/handles/nobody_here")).status).toBe(404);
    expect((await get("/vivim/identity/v1/handles/x")).status).toBe(400);
    expect((await get(`/vivim/identity/v1/profiles/${carol.address}`)).status).toBe(404);
    expect((await get("/vivim/identity/v1/profiles/vivim1notanaddress")).status).toBe(400);
  });

  it("registers secp256k1 and ed25519 agents owned by a human, each signing with its own key", async () => {
    // No owner profile: carol cannot register an agent.
    expect(
      await refused(
        carol.address,
        vivimMsg(MsgRegisterAgent, {
          owner: carol.address,
          name: "bot",
          pubKeyType: "ed25519",
          pubKey: ed25519.getPublicKey(new Uint8Array(32).fill(1)),
        }),
      ),
    ).toEqual(coded(IdentityErrors.NotRegistered));

    const r = await ok(
      alice.address,
      vivimMsg(MsgRegisterAgent, {
        owner: alice.address,
        name: "codebot",
        pubKeyType: "secp256k1",
        pubKey: codebotKey.pubkey,
        autonomy: AutonomyLevel.RESPONSE_ONLY,
        capabilities: ["comment", "post"],
        description: "reviews code",
        webhook: "https://hooks.example/codebot",
      }),
    );
    const [response] = r.msgResponses;
    expect(response?.typeUrl).toBe("/vivim.identity.v1.MsgRegisterAgentResponse");
    expect(MsgRegisterAgentResponse.decode(response!.value).address).toBe(codebotKey.address);
    expect(attrs(r, "vivim.identity.v1.EventAgentRegistered")).toMatchObject({
      address: codebotKey.address,
      owner: alice.address,
      handle: "alice/codebot",
    });
    await ok(
      alice.address,
      vivimMsg(MsgRegisterAgent, {
        owner: alice.address,
        name: "edbot",
        pubKeyType: "ed25519",
        pubKey: edbot.pubkey,
        autonomy: AutonomyLevel.AUTONOMOUS,
        capabilities: ["trade"],
      }),
    );

    // Rejections: name taken, bad name, bad key, unknown capability, plain-http webhook.
    const another = ed25519.getPublicKey(new Uint8Array(32).fill(3));
    const reg = (extra: Partial<MsgRegisterAgent>) =>
      vivimMsg(MsgRegisterAgent, {
        owner: alice.address,
        name: "other",
        pubKeyType: "ed25519",
        pubKey: another,
        ...extra,
      });
    expect(await refused(alice.address, reg({ name: "codebot" }))).toEqual(
      coded(IdentityErrors.AgentNameTaken),
    );
    expect(await refused(alice.address, reg({ name: "Code Bot" }))).toEqual(
      coded(IdentityErrors.InvalidAgentName),
    );
    expect(await refused(alice.address, reg({ pubKey: another.subarray(1) }))).toEqual(
      coded(IdentityErrors.InvalidAgentKey),
    );
    expect(await refused(alice.address, reg({ capabilities: ["mint"] }))).toEqual(
      coded(IdentityErrors.InvalidField),
    );
    expect(await refused(alice.address, reg({ webhook: "http://hooks.example" }))).toEqual(
      coded(IdentityErrors.InvalidField),
    );
    expect(await refused(alice.address, reg({ description: "d".repeat(513) }))).toEqual(
      coded(IdentityErrors.InvalidField),
    );
    // Claiming an existing account: carol has no profile but has signed (her failed
    // MsgUpdateProfile above), so her key cannot become alice's agent. bob's is a profile.
    const carolKey = (await carol.wallet.getAccounts())[0]!.pubkey;
    expect(await refused(alice.address, reg({ pubKeyType: "secp256k1", pubKey: carolKey }))).toEqual(
      coded(IdentityErrors.AccountInUse),
    );
    const bobKey = (await bob.wallet.getAccounts())[0]!.pubkey;
    expect(await refused(alice.address, reg({ pubKeyType: "secp256k1", pubKey: bobKey }))).toEqual(
      coded(IdentityErrors.AlreadyRegistered),
    );

    // Fund both agents; each then signs for itself.
    await ok(
      alice.address,
      ...[codebotKey.address, edbot.address].map((to) => ({
        typeUrl: "/cosmos.bank.v1beta1.MsgSend",
        value: {
          fromAddress: alice.address,
          toAddress: to,
          amount: [{ denom: "uvivim", amount: "1000000" }],
        },
      })),
    );
    const sent = await sendAsEd25519(edbot, [
      {
        typeUrl: "/cosmos.bank.v1beta1.MsgSend",
        value: {
          fromAddress: edbot.address,
          toAddress: bob.address,
          amount: [{ denom: "uvivim", amount: "1234" }],
        },
      },
    ]);
    expect(sent.log).toBe("");
    expect(sent.code).toBe(0);
    const edAccount = await clients.get(alice.address)!.getAccount(edbot.address);
    expect(edAccount?.pubkey).toEqual({
      type: "tendermint/PubKeyEd25519",
      value: Buffer.from(edbot.pubkey).toString("base64"),
    });
    expect((await clients.get(alice.address)!.getBalance(edbot.address, "uvivim")).amount).toBe(
      String(1_000_000 - 1234 - 20_000),
    );
    // The secp256k1 agent signs too, through the stock client: an agent is not an owner.
    expect(
      await refused(
        codebotKey.address,
        vivimMsg(MsgUpdateAgent, { owner: codebotKey.address, agent: edbot.address, description: "mine" }),
      ),
    ).toEqual(coded(IdentityErrors.NotOwner));
    expect(await refused(codebotKey.address, profileMsg(codebotKey.address, "codebot"))).toEqual(
      coded(IdentityErrors.AlreadyRegistered),
    );
    expect(
      await refused(
        codebotKey.address,
        vivimMsg(MsgRegisterAgent, {
          owner: codebotKey.address,
          name: "sub",
          pubKeyType: "ed25519",
          pubKey: another,
        }),
      ),
    ).toEqual(coded(IdentityErrors.AgentCannotOwn));

    const byName = await get("/vivim/identity/v1/agents/by-name/alice/codebot");
    expect(byName.status).toBe(200);
    expect(byName.body).toMatchObject({
      owner_handle: "alice",
      full_name: "@alice/codebot",
      agent: {
        address: codebotKey.address,
        owner: alice.address,
        pub_key_type: "secp256k1",
        autonomy: "AUTONOMY_LEVEL_RESPONSE_ONLY",
        capabilities: ["post", "comment"],
        status: "AGENT_STATUS_ACTIVE",
        webhook: "https://hooks.example/codebot",
      },
    });
    const edCard = await get(`/vivim/identity/v1/agents/${edbot.address}`);
    expect(edCard.body).toMatchObject({ full_name: "@alice/edbot", agent: { pub_key_type: "ed25519" } });
    const list = await get(`/vivim/identity/v1/owners/${alice.address}/agents?pagination.limit=1`);
    expect((list.body.agents as Body[]).map((a) => a.name)).toEqual(["codebot"]);
    const nextKey = (list.body.pagination as Body).next_key as string;
    const rest = await get(
      `/vivim/identity/v1/owners/${alice.address}/agents?pagination.key=${encodeURIComponent(nextKey)}`,
    );
    expect((rest.body.agents as Body[]).map((a) => a.name)).toEqual(["edbot"]);
    expect((await get("/vivim/identity/v1/agents/by-name/alice/nobot")).status).toBe(404);

    // Resolve over abci_query (the gRPC path) and over REST.
    const res = await QueryClient.withExtensions(comet).queryAbci(
      "/vivim.identity.v1.Query/Resolve",
      QueryResolveRequest.encode({ address: edbot.address }).finish(),
    );
    const resolved = QueryResolveResponse.decode(res.value);
    expect([resolved.kind, resolved.ownerHandle, resolved.displayName]).toEqual([
      ActorKind.AGENT,
      "alice",
      "@alice/edbot",
    ]);
    expect((await get(`/vivim/identity/v1/resolve/${alice.address}`)).body).toMatchObject({
      kind: "ACTOR_KIND_HUMAN",
      display_name: "@alice",
    });
    expect((await get(`/vivim/identity/v1/resolve/${carol.address}`)).body).toMatchObject({
      kind: "ACTOR_KIND_NONE",
    });
  });

  it("lets only the owner update, transfer and retire; a retired agent is refused for good", async () => {
    const codebot = codebotKey.address;
    for (const msg of [
      vivimMsg(MsgUpdateAgent, { owner: bob.address, agent: codebot, description: "hijacked" }),
      vivimMsg(MsgTransferAgent, { owner: bob.address, agent: codebot, newOwner: bob.address }),
      vivimMsg(MsgRetireAgent, { owner: bob.address, agent: codebot }),
    ]) {
      const r = await refused(bob.address, msg);
      // Transfer to oneself is refused before it runs.
      expect([coded(IdentityErrors.NotOwner), coded(IdentityErrors.InvalidField)]).toContainEqual(r);
    }
    expect(
      await refused(
        bob.address,
        vivimMsg(MsgTransferAgent, { owner: bob.address, agent: codebot, newOwner: carol.address }),
      ),
    ).toEqual(coded(IdentityErrors.NotOwner));
    expect(
      await refused(alice.address, vivimMsg(MsgUpdateAgent, { owner: alice.address, agent: bob.address })),
    ).toEqual(coded(IdentityErrors.UnknownAgent));

    const updated = await ok(
      alice.address,
      vivimMsg(MsgUpdateAgent, {
        owner: alice.address,
        agent: codebot,
        autonomy: AutonomyLevel.PROACTIVE_WITH_PERMISSION,
        capabilities: ["vote", "post"],
        description: "reviews and votes",
      }),
    );
    expect(attrs(updated, "vivim.identity.v1.EventAgentUpdated")).toEqual({
      address: codebot,
      owner: alice.address,
    });

    // Transfer: the new owner needs a profile, must be human, and must not have an agent of that name.
    const toCarol = vivimMsg(MsgTransferAgent, {
      owner: alice.address,
      agent: codebot,
      newOwner: carol.address,
    });
    expect(await refused(alice.address, toCarol)).toEqual(coded(IdentityErrors.NotRegistered));
    const toAgent = vivimMsg(MsgTransferAgent, {
      owner: alice.address,
      agent: codebot,
      newOwner: edbot.address,
    });
    expect(await refused(alice.address, toAgent)).toEqual(coded(IdentityErrors.AgentCannotOwn));
    await ok(
      bob.address,
      vivimMsg(MsgRegisterAgent, {
        owner: bob.address,
        name: "edbot",
        pubKeyType: "ed25519",
        pubKey: bobsEdbot.pubkey,
      }),
    );
    const edToBob = vivimMsg(MsgTransferAgent, {
      owner: alice.address,
      agent: edbot.address,
      newOwner: bob.address,
    });
    expect(await refused(alice.address, edToBob)).toEqual(coded(IdentityErrors.AgentNameTaken));
    const moved = await ok(
      alice.address,
      vivimMsg(MsgTransferAgent, { owner: alice.address, agent: codebot, newOwner: bob.address }),
    );
    expect(attrs(moved, "vivim.identity.v1.EventAgentTransferred")).toEqual({
      address: codebot,
      previous_owner: alice.address,
      owner: bob.address,
      handle: "bob/codebot",
    });
    const card = await get("/vivim/identity/v1/agents/by-name/bob/codebot");
    expect(card.body).toMatchObject({
      full_name: "@bob/codebot",
      agent: {
        owner: bob.address,
        autonomy: "AUTONOMY_LEVEL_PROACTIVE_WITH_PERMISSION",
        capabilities: ["post", "vote"],
      },
    });
    expect((await get("/vivim/identity/v1/agents/by-name/alice/codebot")).status).toBe(404);
    // alice no longer owns it.
    expect(
      await refused(alice.address, vivimMsg(MsgRetireAgent, { owner: alice.address, agent: codebot })),
    ).toEqual(coded(IdentityErrors.NotOwner));

    // Retire edbot: final. Its owner can no longer change it; the agent's own identity writes are
    // refused as retired (requireActor).
    const retired = await ok(
      alice.address,
      vivimMsg(MsgRetireAgent, { owner: alice.address, agent: edbot.address }),
    );
    expect(attrs(retired, "vivim.identity.v1.EventAgentRetired")).toEqual({
      address: edbot.address,
      owner: alice.address,
    });
    for (const msg of [
      vivimMsg(MsgUpdateAgent, { owner: alice.address, agent: edbot.address, description: "back" }),
      vivimMsg(MsgRetireAgent, { owner: alice.address, agent: edbot.address }),
      vivimMsg(MsgTransferAgent, { owner: alice.address, agent: edbot.address, newOwner: carol.address }),
    ])
      expect(await refused(alice.address, msg)).toEqual(coded(IdentityErrors.AgentRetired));
    for (const msg of [
      profileMsg(edbot.address, "edbot_reborn"),
      vivimMsg(MsgUpdateProfile, { creator: edbot.address, bio: "still here" }),
      vivimMsg(MsgUpdateAgent, { owner: edbot.address, agent: codebot }),
    ]) {
      const r = await sendAsEd25519(edbot, [msg]);
      expect({ codespace: r.codespace, code: r.code }).toEqual(coded(IdentityErrors.AgentRetired));
    }
    expect((await get(`/vivim/identity/v1/agents/${edbot.address}`)).body).toMatchObject({
      agent: { status: "AGENT_STATUS_RETIRED", owner: alice.address },
    });
    const aliceAgents = await get(`/vivim/identity/v1/owners/${alice.address}/agents`);
    expect((aliceAgents.body.agents as Body[]).map((a) => [a.name, a.status])).toEqual([
      ["edbot", "AGENT_STATUS_RETIRED"],
    ]);
  });

  it("lets only the authority set verification and params; the freeze stops agents", async () => {
    const setVerified = (authority: string, subject: string) =>
      vivimMsg(MsgSetVerification, { authority, subject, status: VerificationStatus.VERIFIED });
    expect(await refused(alice.address, setVerified(alice.address, alice.address))).toEqual(
      coded(IdentityErrors.Unauthorized),
    );
    expect(
      await refused(
        carol.address,
        vivimMsg(MsgSetVerification, { authority: carol.address, subject: alice.address, status: 0 }),
      ),
    ).toEqual(coded(IdentityErrors.InvalidField));
    expect(await refused(carol.address, setVerified(carol.address, carol.address))).toEqual(
      coded(IdentityErrors.NotRegistered),
    );
    const v = await ok(carol.address, setVerified(carol.address, alice.address));
    expect(attrs(v, "vivim.identity.v1.EventVerificationSet")).toEqual({
      address: alice.address,
      kind: "human",
      status: "VERIFICATION_STATUS_VERIFIED",
    });
    await ok(carol.address, setVerified(carol.address, codebotKey.address));
    expect((await get(`/vivim/identity/v1/profiles/${alice.address}`)).body.profile).toMatchObject({
      verification: "VERIFICATION_STATUS_VERIFIED",
    });
    expect((await get(`/vivim/identity/v1/agents/${codebotKey.address}`)).body.agent).toMatchObject({
      verification: "VERIFICATION_STATUS_VERIFIED",
    });

    const params = { authority: carol.address, agentWritesFrozen: true, maxAgentsPerOwner: 2 };
    expect(
      await refused(alice.address, vivimMsg(MsgUpdateIdentityParams, { authority: alice.address, params })),
    ).toEqual(coded(IdentityErrors.Unauthorized));
    expect(
      await refused(
        carol.address,
        vivimMsg(MsgUpdateIdentityParams, {
          authority: carol.address,
          params: { ...params, authority: "nope" },
        }),
      ),
    ).toEqual(coded(IdentityErrors.InvalidParams));
    await ok(carol.address, vivimMsg(MsgUpdateIdentityParams, { authority: carol.address, params }));
    expect((await get("/vivim/identity/v1/params")).body).toEqual({
      params: { authority: carol.address, agent_writes_frozen: true, max_agents_per_owner: 2 },
    });

    // Frozen: an active agent's own writes are refused; owners still manage agents.
    expect(
      await refused(codebotKey.address, vivimMsg(MsgUpdateProfile, { creator: codebotKey.address })),
    ).toEqual(coded(IdentityErrors.AgentWritesFrozen));
    // bob owns codebot and edbot: the cap of 2 active agents is reached.
    expect(
      await refused(
        bob.address,
        vivimMsg(MsgRegisterAgent, {
          owner: bob.address,
          name: "third",
          pubKeyType: "ed25519",
          pubKey: ed25519.getPublicKey(new Uint8Array(32).fill(0x33)),
        }),
      ),
    ).toEqual(coded(IdentityErrors.TooManyAgents));
    await ok(bob.address, vivimMsg(MsgRetireAgent, { owner: bob.address, agent: bobsEdbot.address }));
    await ok(
      bob.address,
      vivimMsg(MsgRegisterAgent, {
        owner: bob.address,
        name: "third",
        pubKeyType: "ed25519",
        pubKey: ed25519.getPublicKey(new Uint8Array(32).fill(0x33)),
      }),
    );
    const third = await get("/vivim/identity/v1/agents/by-name/@bob/third");
    expect(third.body).toMatchObject({
      agent: { status: "AGENT_STATUS_ACTIVE", autonomy: "AUTONOMY_LEVEL_RESPONSE_ONLY" },
    });
  });
});
