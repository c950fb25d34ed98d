/**
 * The escrow module inside the real application over LevelDB: every Msg signed by cosmjs, every
 * refusal with its codespace/code, and balances exact to the uvivim after each step (the harness
 * charges no tx fees, so every movement is the module's own).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { toBase64 } from "../../chain/crypto/hash.js";
import { vivimMsg } from "../../client/connect.js";
import {
  GENESIS_TIME,
  type SpecAccount,
  SpecChain,
  type SpecResult,
  specAccounts,
} from "../../test/support/spec-chain.js";
import { authModule } from "../auth/module.js";
import { getBalance } from "../bank/keeper.js";
import { bankModule } from "../bank/module.js";
import { identityModule } from "../identity/module.js";
import { getInteraction, InteractionKind } from "../reputation/interactions.js";
import { socialModule } from "../social/module.js";
import { escrowModule } from "./module.js";
import { ESCROW_ADDRESS, TREASURY_ADDRESS } from "./params.js";
import {
  QueryBountiesRequest,
  QueryBountiesResponse,
  QueryBountyRequest,
  QueryBountyResponse,
  QueryEscrowParamsRequest,
  QueryEscrowParamsResponse,
} from "./query.js";
import { BountyStatus } from "./records.js";
import {
  MsgAcceptWork,
  MsgAcceptWorkResponse,
  MsgCancelBounty,
  MsgClaimBounty,
  MsgCreateBounty,
  MsgCreateBountyResponse,
  MsgDisputeWork,
  MsgResolveDispute,
  MsgResolveDisputeResponse,
  MsgSubmitWork,
  MsgTip,
  MsgUnclaimBounty,
  MsgUpdateEscrowParams,
  MsgWithdrawFromAgent,
} from "./tx.js";

const FUNDS = 1_000_000_000n;
const uv = (n: bigint | number) => [{ denom: "uvivim", amount: String(n) }];
const DAY = 86_400n;

describe("escrow module in the application", () => {
  let h: SpecChain;
  let alice: SpecAccount;
  let bob: SpecAccount;
  let carol: SpecAccount;
  let codebot: SpecAccount;
  let gov: SpecAccount;
  let dave: SpecAccount;
  let lazybot: SpecAccount;

  const bal = (a: SpecAccount | string) =>
    getBalance(h.store, typeof a === "string" ? a : a.address, "uvivim");
  const expectCode = (r: SpecResult, codespace: string, code: number) => {
    expect([r.codespace, r.code, r.log]).toEqual([codespace, code, expect.any(String)]);
  };
  const ok = (r: SpecResult) => {
    expect([r.code, r.log]).toEqual([0, expect.any(String)]);
    return r;
  };
  const bounty = async (id: bigint) =>
    (await h.query("/vivim.escrow.v1.Query/Bounty", QueryBountyRequest, { id }, QueryBountyResponse)).bounty!;

  async function create(
    creator: SpecAccount,
    amount: bigint,
    extra: Partial<{ assignee: string; deadline: bigint; title: string }> = {},
  ): Promise<bigint> {
    const r = ok(
      await h.exec(
        creator,
        vivimMsg(MsgCreateBounty, {
          creator: creator.address,
          title: extra.title ?? "Write a summary",
          description: "of the week in #agents",
          amount: uv(amount),
          deadline: extra.deadline ?? h.time + DAY,
          assignee: extra.assignee ?? "",
        }),
      ),
    );
    return MsgCreateBountyResponse.decode(r.response!).bountyId;
  }

  const claim = (w: SpecAccount, id: bigint, at?: bigint) =>
    h.exec(w, vivimMsg(MsgClaimBounty, { worker: w.address, bountyId: id }), at);
  const submit = (w: SpecAccount, id: bigint, result = "https://example.org/summary.md", at?: bigint) =>
    h.exec(w, vivimMsg(MsgSubmitWork, { worker: w.address, bountyId: id, result }), at);
  const accept = (c: SpecAccount, id: bigint) =>
    h.exec(c, vivimMsg(MsgAcceptWork, { creator: c.address, bountyId: id }));

  beforeAll(async () => {
    [alice, bob, carol, codebot, gov, dave, lazybot] = (await specAccounts(7)) as [
      SpecAccount,
      SpecAccount,
      SpecAccount,
      SpecAccount,
      SpecAccount,
      SpecAccount,
      SpecAccount,
    ];
    h = await SpecChain.start([authModule, bankModule, identityModule, socialModule, escrowModule], {
      bank: {
        balances: [alice, bob, carol, codebot, gov, dave, lazybot].map((a) => ({
          address: a.address,
          coins: uv(FUNDS),
        })),
      },
      identity: {
        profiles: [
          { address: alice.address, handle: "alice", display_name: "Alice" },
          { address: bob.address, handle: "bob", display_name: "Bob" },
          { address: carol.address, handle: "carol", display_name: "Carol" },
        ],
        agents: [
          {
            owner: bob.address,
            name: "codebot",
            pub_key_type: "secp256k1",
            pub_key: toBase64(codebot.pubKey),
            capabilities: ["bounty", "trade"],
          },
          {
            owner: carol.address,
            name: "lazybot",
            pub_key_type: "secp256k1",
            pub_key: toBase64(lazybot.pubKey),
            capabilities: ["post"],
          },
        ],
      },
      social: {
        communities: [{ slug: "general", name: "General", visibility: "PUBLIC", creator: carol.address }],
        posts: [{ community: "general", author: carol.address, title: "Hello", body: "first post" }],
      },
      escrow: { params: { authority: gov.address, arbiter: gov.address, fee_bps: 250 } },
    });
  });

  afterAll(async () => {
    await h?.stop();
  });

  it("escrows a bounty, runs claim → submit → accept, pays minus the fee, and refuses a second release", async () => {
    const id = await create(alice, 1_000_001n);
    expect(bal(alice)).toBe(FUNDS - 1_000_001n);
    expect(bal(ESCROW_ADDRESS)).toBe(1_000_001n);
    let b = await bounty(id);
    expect(b).toMatchObject({ id, creator: alice.address, status: BountyStatus.OPEN, worker: "" });
    expect(b.createdHeight).toBe(h.lastHeight);

    expectCode(await claim(alice, id), "escrow", 10); // own bounty
    expectCode(await claim(dave, id), "identity", 2); // unregistered
    expectCode(await claim(lazybot, id), "escrow", 22); // agent without the bounty capability
    const claimed = ok(await claim(bob, id));
    expect(claimed.event("vivim.escrow.v1.EventBountyClaimed")).toEqual({
      bounty_id: id.toString(),
      creator: alice.address,
      worker: bob.address,
    });
    expectCode(await claim(carol, id), "escrow", 6); // one claimant at a time

    expectCode(await submit(carol, id), "escrow", 6 + 3); // not the worker
    expectCode(await submit(bob, id, "x".repeat(4001)), "escrow", 2); // oversize result
    expectCode(await accept(alice, id), "escrow", 6); // nothing submitted yet
    ok(await submit(bob, id));
    b = await bounty(id);
    expect([b.status, b.result]).toEqual([BountyStatus.SUBMITTED, "https://example.org/summary.md"]);

    expectCode(await accept(bob, id), "escrow", 8); // not the creator
    const paid = ok(await accept(alice, id));
    // 2.5 % of 1 000 001, rounded down, is 25 000.
    expect(MsgAcceptWorkResponse.decode(paid.response!)).toEqual({ payout: uv(975_001), fee: uv(25_000) });
    expect(bal(bob)).toBe(FUNDS + 975_001n);
    expect(bal(TREASURY_ADDRESS)).toBe(25_000n);
    expect(bal(ESCROW_ADDRESS)).toBe(0n);
    expect(paid.event("vivim.escrow.v1.EventWorkAccepted")).toMatchObject({
      bounty_id: id.toString(),
      creator: alice.address,
      worker: bob.address,
      payout: "975001uvivim",
      fee: "25000uvivim",
    });
    expect(getInteraction(h.store, alice.address, bob.address)?.kinds).toBe(InteractionKind.BOUNTY);

    // Escrow double release: every release path is refused once paid.
    expectCode(await accept(alice, id), "escrow", 7);
    expectCode(
      await h.exec(alice, vivimMsg(MsgCancelBounty, { creator: alice.address, bountyId: id })),
      "escrow",
      7,
    );
    expectCode(
      await h.exec(
        gov,
        vivimMsg(MsgResolveDispute, { arbiter: gov.address, bountyId: id, workerShareBps: 10_000 }),
      ),
      "escrow",
      7,
    );
    expectCode(
      await h.exec(bob, vivimMsg(MsgDisputeWork, { actor: bob.address, bountyId: id, reason: "more" })),
      "escrow",
      7,
    );
    expect(bal(bob)).toBe(FUNDS + 975_001n);
    expect(bal(ESCROW_ADDRESS)).toBe(0n);
    expect((await bounty(id)).status).toBe(BountyStatus.PAID);
  });

  it("two accepts of one bounty in the same block release once", async () => {
    const id = await create(alice, 40_000n);
    ok(await claim(bob, id));
    ok(await submit(bob, id));
    const before = bal(bob);
    const msg = vivimMsg(MsgAcceptWork, { creator: alice.address, bountyId: id });
    const [r1, r2] = await h.block([await h.sign(alice, [msg]), await h.sign(alice, [msg], 1)]);
    ok(r1!);
    expectCode(r2!, "escrow", 7);
    expectCode(await accept(alice, id), "escrow", 7);
    expect(bal(bob)).toBe(before + 39_000n);
  });

  it("hires an agent by @owner/agent; the owner withdraws its earnings, nobody else can", async () => {
    expectCode(
      await h.exec(
        alice,
        vivimMsg(MsgCreateBounty, {
          creator: alice.address,
          title: "t",
          amount: uv(10),
          deadline: h.time + DAY,
          assignee: "@bob/nobot",
        }),
      ),
      "escrow",
      17,
    );
    const id = await create(alice, 200_000n, { assignee: "@bob/codebot" });
    expect((await bounty(id)).assignee).toBe(codebot.address);
    expectCode(await claim(bob, id), "escrow", 11); // assigned to the agent, not its owner
    ok(await claim(codebot, id));
    ok(await submit(codebot, id));
    ok(await accept(alice, id));
    expect(bal(codebot)).toBe(FUNDS + 195_000n);
    expect(getInteraction(h.store, alice.address, codebot.address)?.kinds).toBe(InteractionKind.BOUNTY);

    const withdraw = (signer: SpecAccount, agent: string, amount: bigint) =>
      h.exec(signer, vivimMsg(MsgWithdrawFromAgent, { owner: signer.address, agent, amount: uv(amount) }));
    expectCode(await withdraw(carol, codebot.address, 1n), "escrow", 16); // someone else's agent
    expectCode(await withdraw(alice, bob.address, 1n), "escrow", 16); // not an agent
    expectCode(await withdraw(bob, codebot.address, FUNDS + 195_001n), "sdk", 5); // more than it holds
    const bobBefore = bal(bob);
    const w = ok(await withdraw(bob, codebot.address, 195_000n));
    expect(w.event("vivim.escrow.v1.EventAgentWithdrawal")).toEqual({
      owner: bob.address,
      agent: codebot.address,
      amount: "195000uvivim",
    });
    expect(bal(codebot)).toBe(FUNDS);
    expect(bal(bob)).toBe(bobBefore + 195_000n);
  });

  it("disputes go to the arbiter, who splits the funds with the fee on the worker's part only", async () => {
    const treasury = bal(TREASURY_ADDRESS);
    const aliceBefore = bal(alice);
    const id = await create(alice, 1_000_000n);
    ok(await claim(bob, id));
    const dispute = (a: SpecAccount) =>
      h.exec(a, vivimMsg(MsgDisputeWork, { actor: a.address, bountyId: id, reason: "late and incomplete" }));
    expectCode(await dispute(alice), "escrow", 6); // nothing submitted yet
    ok(await submit(bob, id));
    expectCode(await dispute(carol), "escrow", 15);
    expectCode(
      await h.exec(alice, vivimMsg(MsgDisputeWork, { actor: alice.address, bountyId: id, reason: "" })),
      "escrow",
      2,
    );
    const d = ok(await dispute(alice));
    expect(d.event("vivim.escrow.v1.EventWorkDisputed")).toMatchObject({
      actor: alice.address,
      worker: bob.address,
    });
    expectCode(await accept(alice, id), "escrow", 6); // disputed: only the arbiter decides now

    const resolve = (a: SpecAccount, bps: number) =>
      h.exec(a, vivimMsg(MsgResolveDispute, { arbiter: a.address, bountyId: id, workerShareBps: bps }));
    expectCode(await resolve(alice, 6000), "escrow", 14);
    expectCode(await resolve(gov, 10_001), "escrow", 2);
    const bobBefore = bal(bob);
    const r = ok(await resolve(gov, 6000));
    // Worker part 600 000, fee 2.5 % of it = 15 000, creator gets 400 000 back.
    expect(MsgResolveDisputeResponse.decode(r.response!)).toEqual({
      workerPayout: uv(585_000),
      fee: uv(15_000),
      creatorRefund: uv(400_000),
    });
    expect(bal(bob)).toBe(bobBefore + 585_000n);
    expect(bal(alice)).toBe(aliceBefore - 600_000n);
    expect(bal(TREASURY_ADDRESS)).toBe(treasury + 15_000n);
    const b = await bounty(id);
    expect([b.status, b.workerShareBps, b.disputedBy]).toEqual([BountyStatus.RESOLVED, 6000, alice.address]);
    expectCode(await resolve(gov, 6000), "escrow", 7);
  });

  it("cancels an open bounty, and a claimed one only after its deadline", async () => {
    const start = bal(alice);
    const open = await create(alice, 5_000n);
    const cancel = (c: SpecAccount, id: bigint, at?: bigint) =>
      h.exec(c, vivimMsg(MsgCancelBounty, { creator: c.address, bountyId: id }), at);
    expectCode(await cancel(bob, open), "escrow", 8);
    ok(await cancel(alice, open));
    expect(bal(alice)).toBe(start);
    expect((await bounty(open)).status).toBe(BountyStatus.CANCELLED);
    expectCode(await claim(bob, open), "escrow", 6);

    const deadline = h.time + 100n;
    const id = await create(alice, 7_000n, { deadline });
    ok(await claim(bob, id));
    expectCode(await cancel(alice, id), "escrow", 13); // claim still running
    ok(await h.exec(bob, vivimMsg(MsgUnclaimBounty, { worker: bob.address, bountyId: id })));
    expectCode(
      await h.exec(carol, vivimMsg(MsgUnclaimBounty, { worker: carol.address, bountyId: id })),
      "escrow",
      6,
    );
    expect((await bounty(id)).status).toBe(BountyStatus.OPEN);
    ok(await claim(carol, id));
    expectCode(
      await h.exec(bob, vivimMsg(MsgUnclaimBounty, { worker: bob.address, bountyId: id })),
      "escrow",
      9,
    );
    expectCode(await submit(carol, id, "done", deadline + 1n), "escrow", 12); // too late
    expectCode(await claim(bob, id, deadline + 2n), "escrow", 6);
    ok(await cancel(alice, id, deadline + 3n)); // the claim lapsed
    expect(bal(alice)).toBe(start);

    const late = await create(alice, 9n, { deadline: h.time + 10n });
    expectCode(await claim(bob, late, h.time + 20n), "escrow", 12);
    ok(await cancel(alice, late));
    expect(bal(alice)).toBe(start);
  });

  it("refuses bad amounts, deadlines, oversize fields and missing funds", async () => {
    const c = (value: Partial<MsgCreateBounty>) =>
      h.exec(
        alice,
        vivimMsg(MsgCreateBounty, {
          creator: alice.address,
          title: "t",
          amount: uv(10),
          deadline: h.time + DAY,
          ...value,
        }),
      );
    expectCode(await c({ title: "x".repeat(201) }), "escrow", 2);
    expectCode(await c({ title: " " }), "escrow", 2);
    expectCode(await c({ description: "é".repeat(4001) }), "escrow", 2);
    expectCode(await c({ amount: uv(0) }), "sdk", 10);
    expectCode(await c({ amount: [{ denom: "uatom", amount: "5" }] }), "escrow", 3);
    expectCode(await c({ deadline: h.time - 1n }), "escrow", 4);
    expectCode(await c({ deadline: h.time + 400n * DAY }), "escrow", 4);
    expectCode(await c({ assignee: alice.address }), "escrow", 10);
    expectCode(await c({ communityId: 77n }), "escrow", 24);
    ok(await c({ communityId: 1n }));
    expectCode(await c({ assignee: "@not a handle" }), "escrow", 2);
    expectCode(await c({ amount: uv(FUNDS * 10n) }), "sdk", 5); // insufficient funds
    expectCode(
      await h.exec(
        dave,
        vivimMsg(MsgCreateBounty, {
          creator: dave.address,
          title: "t",
          amount: uv(1),
          deadline: h.time + DAY,
        }),
      ),
      "identity",
      2,
    );
    // 200 characters of 4-byte emoji are fine: limits count characters.
    ok(await c({ title: "🦀".repeat(200) }));
  });

  it("tips between registered accounts only", async () => {
    const tip = (from: SpecAccount, to: string, amount: bigint, contentId = 0n) =>
      h.exec(from, vivimMsg(MsgTip, { from: from.address, to, amount: uv(amount), contentId }));
    const [a, b] = [bal(alice), bal(carol)];
    const r = ok(await tip(alice, carol.address, 1234n, 1n));
    expect(r.event("vivim.escrow.v1.EventTip")).toEqual({
      from: alice.address,
      to: carol.address,
      content_id: "1",
      amount: "1234uvivim",
    });
    expect([bal(alice), bal(carol)]).toEqual([a - 1234n, b + 1234n]);
    expectCode(await tip(alice, bob.address, 1n, 1n), "escrow", 23); // not the post's author
    expectCode(await tip(alice, carol.address, 1n, 999n), "escrow", 21); // no such content
    expectCode(await tip(alice, dave.address, 1n), "identity", 2); // to unregistered
    expectCode(await tip(dave, alice.address, 1n), "identity", 2); // from unregistered
    expectCode(await tip(alice, alice.address, 1n), "escrow", 20);
    expectCode(await tip(lazybot, alice.address, 1n), "escrow", 22); // agent without trade
    ok(await tip(codebot, alice.address, 1n)); // agent with trade
    expectCode(await tip(carol, alice.address, FUNDS * 2n), "sdk", 5);
  });

  it("lists bounties newest first by status, creator or worker, with cursor pages", async () => {
    const list = (req: Partial<QueryBountiesRequest>) =>
      h.query(
        "/vivim.escrow.v1.Query/Bounties",
        QueryBountiesRequest,
        QueryBountiesRequest.fromPartial(req),
        QueryBountiesResponse,
      );
    const all = await list({});
    const ids = all.bounties.map((b) => b.id);
    expect(ids.length).toBeGreaterThan(5);
    expect([...ids].sort((x, y) => (x > y ? -1 : 1))).toEqual(ids);
    const paidByBob = await list({ worker: bob.address, status: BountyStatus.PAID });
    expect(paidByBob.bounties.every((b) => b.worker === bob.address && b.status === BountyStatus.PAID)).toBe(
      true,
    );
    expect(paidByBob.bounties.length).toBe(2);
    const cancelled = await list({ creator: alice.address, status: BountyStatus.CANCELLED });
    expect(cancelled.bounties.length).toBe(3);
    expect((await list({ worker: codebot.address })).bounties.map((b) => b.assignee)).toEqual([
      codebot.address,
    ]);

    const page1 = await list({ pagination: { limit: 2n } as never });
    expect(page1.bounties.map((b) => b.id)).toEqual(ids.slice(0, 2));
    const page2 = await list({ pagination: { key: page1.pagination!.nextKey, limit: 2n } as never });
    expect(page2.bounties.map((b) => b.id)).toEqual(ids.slice(2, 4));

    const bad = await h.queryRaw(
      "/vivim.escrow.v1.Query/Bounties",
      QueryBountiesRequest.encode(
        QueryBountiesRequest.fromPartial({ creator: alice.address, worker: bob.address }),
      ).finish(),
    );
    expect([bad.codespace, bad.code]).toEqual(["sdk", 18]);
    const big = await h.queryRaw(
      "/vivim.escrow.v1.Query/Bounties",
      QueryBountiesRequest.encode(QueryBountiesRequest.fromPartial({ pagination: { limit: 101n } })).finish(),
    );
    expect([big.codespace, big.code]).toEqual(["sdk", 18]);
    const missing = await h.queryRaw(
      "/vivim.escrow.v1.Query/Bounty",
      QueryBountyRequest.encode({ id: 9999n }).finish(),
    );
    expect([missing.codespace, missing.code]).toEqual(["sdk", 38]);
  });

  it("changes params only through the authority", async () => {
    const params = { authority: gov.address, arbiter: carol.address, feeBps: 100, maxDurationSeconds: 3600n };
    expectCode(
      await h.exec(alice, vivimMsg(MsgUpdateEscrowParams, { authority: alice.address, params })),
      "escrow",
      18,
    );
    expectCode(
      await h.exec(
        gov,
        vivimMsg(MsgUpdateEscrowParams, { authority: gov.address, params: { ...params, feeBps: 5001 } }),
      ),
      "escrow",
      19,
    );
    ok(await h.exec(gov, vivimMsg(MsgUpdateEscrowParams, { authority: gov.address, params })));
    const got = await h.query(
      "/vivim.escrow.v1.Query/Params",
      QueryEscrowParamsRequest,
      {},
      QueryEscrowParamsResponse,
    );
    expect(got.params).toEqual(params);
    // The new fee applies to the next payout: 1 % of 10 000.
    const id = await create(alice, 10_000n, { deadline: h.time + 3000n });
    ok(await claim(bob, id));
    ok(await submit(bob, id));
    const paid = ok(await accept(alice, id));
    expect(MsgAcceptWorkResponse.decode(paid.response!)).toEqual({ payout: uv(9_900), fee: uv(100) });
  });

  it("validates genesis and requires the escrow account to hold seeded bounties", async () => {
    const { parseEscrowGenesis } = await import("./genesis.js");
    expect(() => parseEscrowGenesis({ params: { fee_bps: 9000 } })).toThrow(/app_state\.escrow\.params/);
    expect(() =>
      parseEscrowGenesis({ bounties: [{ creator: alice.address, title: "", amount: "1", deadline: "2" }] }),
    ).toThrow(/bounties\[0\]\.title/);
    expect(() =>
      parseEscrowGenesis({ bounties: [{ creator: alice.address, title: "t", amount: "0", deadline: "2" }] }),
    ).toThrow(/bounties\[0\]\.amount/);
    const seed = {
      creator: alice.address,
      title: "Seeded",
      amount: "500",
      deadline: String(GENESIS_TIME + DAY),
    };
    const identity = { profiles: [{ address: alice.address, handle: "alice", display_name: "Alice" }] };
    await expect(
      SpecChain.start([authModule, bankModule, identityModule, escrowModule], {
        bank: { balances: [{ address: alice.address, coins: uv(1) }] },
        identity,
        escrow: { bounties: [seed] },
      }),
    ).rejects.toThrow(/must hold at least 500uvivim/);
    const seeded = await SpecChain.start([authModule, bankModule, identityModule, escrowModule], {
      bank: { balances: [{ address: ESCROW_ADDRESS, coins: uv(500) }] },
      identity,
      escrow: { bounties: [seed] },
    });
    try {
      const got = await seeded.query(
        "/vivim.escrow.v1.Query/Bounty",
        QueryBountyRequest,
        { id: 1n },
        QueryBountyResponse,
      );
      expect(got.bounty).toMatchObject({ title: "Seeded", status: BountyStatus.OPEN, amount: uv(500) });
    } finally {
      await seeded.stop();
    }
  });
});
