/**
 * The escrow module through the unmodified cosmjs SigningStargateClient against a real node: every
 * Msg and every refusal with its codespace/code, an agent signing with its own key, and every
 * balance checked to the uvivim after each step — tx fees included (a tx refused at CheckTx pays
 * nothing, a tx refused in the block pays its fee).
 *
 * Genesis names carol as the escrow authority and arbiter (governance's role on a real chain).
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { type AccountData, DirectSecp256k1Wallet } from "@cosmjs/proto-signing";
import { type DeliverTxResponse, QueryClient, type SigningStargateClient } from "@cosmjs/stargate";
import { Comet38Client } from "@cosmjs/tendermint-rpc";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ApiServer } from "../../chain/api/server.js";
import { initHome } from "../../chain/config/home.js";
import { devnetAppState } from "../../chain/node/devnet-genesis.js";
import {
  BountyStatus,
  connectVivim,
  ESCROW_ADDRESS,
  EscrowErrors,
  IdentityErrors,
  MsgAcceptWork,
  MsgAcceptWorkResponse,
  MsgCancelBounty,
  MsgClaimBounty,
  MsgCreateBounty,
  MsgCreateBountyResponse,
  MsgDisputeWork,
  MsgRegisterAgent,
  MsgRegisterProfile,
  MsgResolveDispute,
  MsgSubmitWork,
  MsgTip,
  MsgUnclaimBounty,
  MsgUpdateEscrowParams,
  MsgWithdrawFromAgent,
  msgResponse,
  QueryBountiesRequest,
  QueryBountiesResponse,
  QueryBountyRequest,
  QueryBountyResponse,
  TREASURY_ADDRESS,
  type VivimEncodeObject,
  vivimMsg,
} from "../../client/index.js";
import type { TestNode } from "../support/node.js";
import {
  FUNDS,
  fastConfig,
  startTestNode,
  TEST_MNEMONICS,
  type TestAccount,
  testAccount,
} from "../support/node.js";
import { codeOf, committed, type Outcome, txOutcome } from "../support/tx-outcome.js";

const CHAIN_ID = "vivim-test-1";
const FEE_AMOUNT = 20_000n;
const FEE = { amount: [{ denom: "uvivim", amount: FEE_AMOUNT.toString() }], gas: "500000" };
const POLL = { broadcastPollIntervalMs: 150, broadcastTimeoutMs: 20_000 };
const uv = (n: bigint) => [{ denom: "uvivim", amount: n.toString() }];
const coded = (e: { codespace: string; code: number }) => ({ codespace: e.codespace, code: e.code });

type Body = Record<string, unknown>;

describe("escrow module through cosmjs", () => {
  let net: TestNode;
  let api: ApiServer;
  let base: string;
  let comet: Comet38Client;
  let alice: TestAccount;
  let bob: TestAccount;
  let carol: TestAccount;
  let codebot: AccountData;
  let dave: AccountData; // never registers
  const clients = new Map<string, SigningStargateClient>();
  /** What each watched account should hold, in uvivim. */
  const ledger = new Map<string, bigint>();

  beforeAll(async () => {
    const accounts = await Promise.all(TEST_MNEMONICS.map(testAccount));
    [alice, bob, carol] = accounts as [TestAccount, TestAccount, TestAccount];
    const home = mkdtempSync(path.join(tmpdir(), "vivim-escrow-e2e-"));
    const appState = devnetAppState(accounts.map((a) => ({ address: a.address, amount: FUNDS })));
    const config = fastConfig();
    initHome({
      home,
      moniker: "test-node",
      chainId: CHAIN_ID,
      config,
      genesisAppState: {
        ...appState,
        escrow: { params: { authority: carol.address, arbiter: carol.address, fee_bps: 250 } },
      },
    });
    net = await startTestNode({ home, config });
    api = new ApiServer(net.node);
    await api.start();
    base = `http://127.0.0.1:${api.port}`;
    comet = await Comet38Client.connect(net.rpcUrl);
    const codebotWallet = await DirectSecp256k1Wallet.fromKey(new Uint8Array(32).fill(0x3c), "vivim");
    [codebot] = (await codebotWallet.getAccounts()) as [AccountData];
    [dave] = (await (
      await DirectSecp256k1Wallet.fromKey(new Uint8Array(32).fill(0x3d), "vivim")
    ).getAccounts()) as [AccountData];
    for (const a of accounts) clients.set(a.address, await connectVivim(net.rpcUrl, a.wallet, POLL));
    clients.set(codebot.address, await connectVivim(net.rpcUrl, codebotWallet, POLL));
    const deadline = Date.now() + 10_000;
    while (net.node.blockStore.latestHeight === 0n && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 50));
    for (const a of [alice.address, bob.address, carol.address]) ledger.set(a, FUNDS);
    for (const a of [codebot.address, dave.address, ESCROW_ADDRESS, TREASURY_ADDRESS]) ledger.set(a, 0n);
  });

  afterAll(async () => {
    for (const c of clients.values()) c.disconnect();
    comet?.disconnect();
    await api?.stop();
    await net?.stop();
  });

  const move = (from: string, to: string, amount: bigint) => {
    ledger.set(from, ledger.get(from)! - amount);
    ledger.set(to, ledger.get(to)! + amount);
  };

  /** Every watched balance equals the ledger, to the uvivim. */
  async function expectLedger(): Promise<void> {
    const client = clients.get(alice.address)!;
    const actual: Record<string, string> = {};
    const expected: Record<string, string> = {};
    for (const [address, amount] of ledger) {
      actual[address] = (await client.getBalance(address, "uvivim")).amount;
      expected[address] = amount.toString();
    }
    expect(actual).toEqual(expected);
  }

  /** Signs and broadcasts; a tx that made it into a block pays its fee, refused or not. */
  async function send(from: string, msg: VivimEncodeObject<unknown>): Promise<Outcome> {
    const outcome = await txOutcome(clients.get(from)!, comet, from, [msg], FEE);
    if (outcome.result) ledger.set(from, ledger.get(from)! - FEE_AMOUNT);
    return outcome;
  }

  async function ok(from: string, msg: VivimEncodeObject<unknown>): Promise<DeliverTxResponse> {
    return committed(await send(from, msg));
  }

  async function refused(from: string, msg: VivimEncodeObject<unknown>) {
    return codeOf(await send(from, msg));
  }

  async function get(p: string): Promise<{ status: number; body: Body }> {
    const res = await fetch(base + p);
    return { status: res.status, body: (await res.json()) as Body };
  }

  const attrs = (r: DeliverTxResponse, type: string) =>
    Object.fromEntries(r.events.find((e) => e.type === type)?.attributes.map((a) => [a.key, a.value]) ?? []);

  async function bounty(id: bigint) {
    const res = await QueryClient.withExtensions(comet).queryAbci(
      "/vivim.escrow.v1.Query/Bounty",
      QueryBountyRequest.encode({ id }).finish(),
    );
    return QueryBountyResponse.decode(res.value).bounty!;
  }

  const now = () => BigInt(Math.floor(Date.now() / 1000));
  const create = (creator: string, amount: bigint, extra: Partial<MsgCreateBounty> = {}) =>
    vivimMsg(MsgCreateBounty, {
      creator,
      title: "Summarise the week in #agents",
      description: "Markdown, under 500 words",
      amount: uv(amount),
      deadline: now() + 3600n,
      ...extra,
    });

  it("registers the accounts and an agent that signs with its own key", async () => {
    for (const [a, handle] of [
      [alice, "alice"],
      [bob, "bob"],
      [carol, "carol"],
    ] as const)
      await ok(a.address, vivimMsg(MsgRegisterProfile, { creator: a.address, handle, displayName: handle }));
    await ok(
      bob.address,
      vivimMsg(MsgRegisterAgent, {
        owner: bob.address,
        name: "codebot",
        pubKeyType: "secp256k1",
        pubKey: codebot.pubkey,
        capabilities: ["bounty", "trade"],
      }),
    );
    await ok(bob.address, {
      typeUrl: "/cosmos.bank.v1beta1.MsgSend",
      value: { fromAddress: bob.address, toAddress: codebot.address, amount: uv(1_000_000n) },
    } as VivimEncodeObject<unknown>);
    move(bob.address, codebot.address, 1_000_000n);
    await expectLedger();
  });

  it("creates, claims, submits and accepts; the fee reaches the treasury; no second release", async () => {
    // Refused before the block (validateBasic): no fee.
    expect(await refused(alice.address, create(alice.address, 10n, { title: "t".repeat(201) }))).toEqual(
      coded(EscrowErrors.InvalidField),
    );
    expect(
      await refused(alice.address, create(alice.address, 10n, { description: "d".repeat(4001) })),
    ).toEqual(coded(EscrowErrors.InvalidField));
    expect(
      await refused(
        alice.address,
        create(alice.address, 10n, { amount: [{ denom: "uatom", amount: "10" }] }),
      ),
    ).toEqual(coded(EscrowErrors.InvalidAmount));
    // Refused in the block: the fee is paid, nothing else moves.
    expect(await refused(alice.address, create(alice.address, FUNDS * 2n))).toEqual({
      codespace: "sdk",
      code: 5,
    });
    expect(await refused(alice.address, create(alice.address, 10n, { deadline: 1_000n }))).toEqual(
      coded(EscrowErrors.InvalidDeadline),
    );
    await expectLedger();

    const created = await ok(alice.address, create(alice.address, 1_000_000n));
    const id = msgResponse(created, MsgCreateBountyResponse).bountyId;
    move(alice.address, ESCROW_ADDRESS, 1_000_000n);
    expect(attrs(created, "vivim.escrow.v1.EventBountyCreated")).toMatchObject({
      bounty_id: id.toString(),
      creator: alice.address,
      amount: "1000000uvivim",
    });
    await expectLedger();

    expect(
      await refused(alice.address, vivimMsg(MsgClaimBounty, { worker: alice.address, bountyId: id })),
    ).toEqual(coded(EscrowErrors.OwnBounty));
    await ok(bob.address, vivimMsg(MsgClaimBounty, { worker: bob.address, bountyId: id }));
    expect(
      await refused(codebot.address, vivimMsg(MsgClaimBounty, { worker: codebot.address, bountyId: id })),
    ).toEqual(coded(EscrowErrors.WrongStatus));
    await ok(bob.address, vivimMsg(MsgUnclaimBounty, { worker: bob.address, bountyId: id }));
    await ok(codebot.address, vivimMsg(MsgClaimBounty, { worker: codebot.address, bountyId: id }));
    expect(
      await refused(
        codebot.address,
        vivimMsg(MsgSubmitWork, { worker: codebot.address, bountyId: id, result: "r".repeat(4001) }),
      ),
    ).toEqual(coded(EscrowErrors.InvalidField));
    expect(
      await refused(
        bob.address,
        vivimMsg(MsgSubmitWork, { worker: bob.address, bountyId: id, result: "mine" }),
      ),
    ).toEqual(coded(EscrowErrors.NotWorker));
    await ok(
      codebot.address,
      vivimMsg(MsgSubmitWork, { worker: codebot.address, bountyId: id, result: "ipfs://bafysummary" }),
    );
    expect((await bounty(id)).status).toBe(BountyStatus.SUBMITTED);

    expect(
      await refused(bob.address, vivimMsg(MsgAcceptWork, { creator: bob.address, bountyId: id })),
    ).toEqual(coded(EscrowErrors.NotCreator));
    const paid = await ok(alice.address, vivimMsg(MsgAcceptWork, { creator: alice.address, bountyId: id }));
    expect(msgResponse(paid, MsgAcceptWorkResponse)).toEqual({ payout: uv(975_000n), fee: uv(25_000n) });
    move(ESCROW_ADDRESS, codebot.address, 975_000n);
    move(ESCROW_ADDRESS, TREASURY_ADDRESS, 25_000n);
    expect(attrs(paid, "vivim.escrow.v1.EventWorkAccepted")).toMatchObject({
      bounty_id: id.toString(),
      creator: alice.address,
      worker: codebot.address,
    });
    await expectLedger();

    // Escrow double release.
    expect(
      await refused(alice.address, vivimMsg(MsgAcceptWork, { creator: alice.address, bountyId: id })),
    ).toEqual(coded(EscrowErrors.AlreadyReleased));
    expect(
      await refused(alice.address, vivimMsg(MsgCancelBounty, { creator: alice.address, bountyId: id })),
    ).toEqual(coded(EscrowErrors.AlreadyReleased));
    await expectLedger();
    expect((await bounty(id)).status).toBe(BountyStatus.PAID);
  });

  it("lets only an agent's owner withdraw its balance", async () => {
    const withdraw = (owner: string, amount: bigint) =>
      vivimMsg(MsgWithdrawFromAgent, { owner, agent: codebot.address, amount: uv(amount) });
    expect(await refused(carol.address, withdraw(carol.address, 1n))).toEqual(
      coded(EscrowErrors.NotAgentOwner),
    );
    expect(await refused(bob.address, withdraw(bob.address, 10n ** 12n))).toEqual({
      codespace: "sdk",
      code: 5,
    });
    const r = await ok(bob.address, withdraw(bob.address, 975_000n));
    move(codebot.address, bob.address, 975_000n);
    expect(attrs(r, "vivim.escrow.v1.EventAgentWithdrawal")).toEqual({
      owner: bob.address,
      agent: codebot.address,
      amount: "975000uvivim",
    });
    await expectLedger();
  });

  it("disputes: only the arbiter resolves, splitting the funds with the fee on the worker's part", async () => {
    const created = await ok(alice.address, create(alice.address, 500_000n, { assignee: "@bob" }));
    const id = msgResponse(created, MsgCreateBountyResponse).bountyId;
    move(alice.address, ESCROW_ADDRESS, 500_000n);
    expect((await bounty(id)).assignee).toBe(bob.address);
    expect(
      await refused(carol.address, vivimMsg(MsgClaimBounty, { worker: carol.address, bountyId: id })),
    ).toEqual(coded(EscrowErrors.NotAssignee));
    await ok(bob.address, vivimMsg(MsgClaimBounty, { worker: bob.address, bountyId: id }));
    await ok(
      bob.address,
      vivimMsg(MsgSubmitWork, { worker: bob.address, bountyId: id, result: "half of it" }),
    );
    const dispute = (actor: string, reason: string) =>
      vivimMsg(MsgDisputeWork, { actor, bountyId: id, reason });
    expect(await refused(carol.address, dispute(carol.address, "not mine"))).toEqual(
      coded(EscrowErrors.NotParty),
    );
    expect(await refused(alice.address, dispute(alice.address, "x".repeat(1001)))).toEqual(
      coded(EscrowErrors.InvalidField),
    );
    const d = await ok(alice.address, dispute(alice.address, "only half delivered"));
    expect(attrs(d, "vivim.escrow.v1.EventWorkDisputed")).toMatchObject({
      bounty_id: id.toString(),
      actor: alice.address,
    });

    const resolve = (arbiter: string, bps: number) =>
      vivimMsg(MsgResolveDispute, { arbiter, bountyId: id, workerShareBps: bps });
    expect(await refused(alice.address, resolve(alice.address, 10_000))).toEqual(
      coded(EscrowErrors.NotArbiter),
    );
    await ok(carol.address, resolve(carol.address, 5_000));
    // Worker part 250 000; fee 2.5 % of it = 6 250; 250 000 back to the creator.
    move(ESCROW_ADDRESS, bob.address, 243_750n);
    move(ESCROW_ADDRESS, TREASURY_ADDRESS, 6_250n);
    move(ESCROW_ADDRESS, alice.address, 250_000n);
    await expectLedger();
    expect(await refused(carol.address, resolve(carol.address, 5_000))).toEqual(
      coded(EscrowErrors.AlreadyReleased),
    );
    const b = await bounty(id);
    expect([b.status, b.workerShareBps, b.disputedBy]).toEqual([BountyStatus.RESOLVED, 5000, alice.address]);
  });

  it("cancels an open bounty with a full refund, only by its creator", async () => {
    const created = await ok(alice.address, create(alice.address, 70_000n));
    const id = msgResponse(created, MsgCreateBountyResponse).bountyId;
    move(alice.address, ESCROW_ADDRESS, 70_000n);
    expect(
      await refused(bob.address, vivimMsg(MsgCancelBounty, { creator: bob.address, bountyId: id })),
    ).toEqual(coded(EscrowErrors.NotCreator));
    await ok(alice.address, vivimMsg(MsgCancelBounty, { creator: alice.address, bountyId: id }));
    move(ESCROW_ADDRESS, alice.address, 70_000n);
    await expectLedger();
    expect((await bounty(id)).status).toBe(BountyStatus.CANCELLED);
  });

  it("tips registered accounts only", async () => {
    const tip = (from: string, to: string, amount: bigint) =>
      vivimMsg(MsgTip, { from, to, amount: uv(amount), contentId: 0n });
    expect(await refused(alice.address, tip(alice.address, dave.address, 5n))).toEqual(
      coded(IdentityErrors.NotRegistered),
    );
    expect(await refused(alice.address, tip(alice.address, alice.address, 5n))).toEqual(
      coded(EscrowErrors.SelfTip),
    );
    const r = await ok(alice.address, tip(alice.address, carol.address, 12_345n));
    move(alice.address, carol.address, 12_345n);
    expect(attrs(r, "vivim.escrow.v1.EventTip")).toEqual({
      from: alice.address,
      to: carol.address,
      content_id: "0",
      amount: "12345uvivim",
    });
    await expectLedger();
  });

  it("changes params only through the authority", async () => {
    const params = {
      authority: carol.address,
      arbiter: carol.address,
      feeBps: 100,
      maxDurationSeconds: 86_400n,
    };
    expect(
      await refused(alice.address, vivimMsg(MsgUpdateEscrowParams, { authority: alice.address, params })),
    ).toEqual(coded(EscrowErrors.InvalidAuthority));
    expect(
      await refused(
        carol.address,
        vivimMsg(MsgUpdateEscrowParams, { authority: carol.address, params: { ...params, feeBps: 9000 } }),
      ),
    ).toEqual(coded(EscrowErrors.InvalidParams));
    await ok(carol.address, vivimMsg(MsgUpdateEscrowParams, { authority: carol.address, params }));
    expect((await get("/vivim/escrow/v1/params")).body).toEqual({
      params: {
        authority: carol.address,
        arbiter: carol.address,
        fee_bps: 100,
        max_duration_seconds: "86400",
      },
    });
    await expectLedger();
  });

  it("serves bounties over abci_query and REST, newest first with filters", async () => {
    const res = await QueryClient.withExtensions(comet).queryAbci(
      "/vivim.escrow.v1.Query/Bounties",
      QueryBountiesRequest.encode(QueryBountiesRequest.fromPartial({ creator: alice.address })).finish(),
    );
    const all = QueryBountiesResponse.decode(res.value).bounties;
    expect(all.map((b) => b.id)).toEqual([3n, 2n, 1n]);
    expect(all.map((b) => b.status)).toEqual([
      BountyStatus.CANCELLED,
      BountyStatus.RESOLVED,
      BountyStatus.PAID,
    ]);

    const one = await get("/vivim/escrow/v1/bounties/1");
    expect(one.status).toBe(200);
    expect(one.body.bounty).toMatchObject({
      id: "1",
      creator: alice.address,
      worker: codebot.address,
      status: "BOUNTY_STATUS_PAID",
      amount: [{ denom: "uvivim", amount: "1000000" }],
      fee: [{ denom: "uvivim", amount: "25000" }],
    });
    const paid = await get(`/vivim/escrow/v1/bounties?status=PAID&worker=${codebot.address}`);
    expect((paid.body.bounties as Body[]).map((b) => b.id)).toEqual(["1"]);
    const page = await get("/vivim/escrow/v1/bounties?pagination.limit=2");
    expect((page.body.bounties as Body[]).map((b) => b.id)).toEqual(["3", "2"]);
    const nextKey = (page.body.pagination as Body).next_key as string;
    const rest = await get(
      `/vivim/escrow/v1/bounties?pagination.limit=2&pagination.key=${encodeURIComponent(nextKey)}`,
    );
    expect((rest.body.bounties as Body[]).map((b) => b.id)).toEqual(["1"]);
    expect((await get("/vivim/escrow/v1/bounties/99")).status).toBe(404);
    expect((await get("/vivim/escrow/v1/bounties/abc")).status).toBe(400);
    expect((await get("/vivim/escrow/v1/bounties?status=LOST")).status).toBe(400);
    expect(
      (await get(`/vivim/escrow/v1/bounties?creator=${alice.address}&worker=${bob.address}`)).status,
    ).toBe(400);
  });
});
