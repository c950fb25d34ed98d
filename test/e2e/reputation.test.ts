/**
 * The reputation module through the unmodified cosmjs SigningStargateClient against a real node:
 * every Msg and every rejection with its codespace/code, the gRPC queries over abci_query, the REST
 * routes, and an epoch end block that writes EigenTrust scores. Interactions come from
 * MsgAcknowledgeDmThread sent by both sides (no dependency on the social module); profiles and an
 * agent come from identity's Msgs.
 *
 * Genesis names carol as the reputation authority (governance's role on a real chain), alice as the
 * only pre-trusted account, a long epoch (the test shortens it with MsgUpdateParams) and a limit
 * of 3 ratings per hour per rater.
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { type AccountData, DirectSecp256k1Wallet } from "@cosmjs/proto-signing";
import type { DeliverTxResponse, SigningStargateClient } from "@cosmjs/stargate";
import { Comet38Client } from "@cosmjs/tendermint-rpc";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ApiServer } from "../../chain/api/server.js";
import { initHome } from "../../chain/config/home.js";
import { devnetAppState } from "../../chain/node/devnet-genesis.js";
import {
  AutonomyLevel,
  connectVivim,
  IdentityErrors,
  InteractionKind,
  MsgAcknowledgeDmThread,
  MsgAcknowledgeDmThreadResponse,
  MsgAttest,
  MsgRate,
  MsgRateResponse,
  MsgRegisterAgent,
  MsgRegisterProfile,
  MsgRevokeAttestation,
  MsgUpdateReputationParams,
  QueryRatingsOfRequest,
  QueryRatingsOfResponse,
  QueryReputationParamsRequest,
  QueryReputationParamsResponse,
  QueryReputationRequest,
  QueryReputationResponse,
  ReputationErrors,
  type ReputationParams,
  type VivimEncodeObject,
  vivimMsg,
} from "../../client/index.js";
import { RateLimitErrors } from "../../contracts/lib/rate-limit.js";
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
const FEE = { amount: [{ denom: "uvivim", amount: "30000" }], gas: "1000000" };
const POLL = { broadcastPollIntervalMs: 150, broadcastTimeoutMs: 20_000 };

type Body = Record<string, unknown>;

const coded = (e: { codespace: string; code: number }) => ({ codespace: e.codespace, code: e.code });
const thread = (i: number) => new Uint8Array(32).fill(i);

describe("reputation module through cosmjs", () => {
  let net: TestNode;
  let api: ApiServer;
  let base: string;
  let comet: Comet38Client;
  let alice: TestAccount;
  let bob: TestAccount;
  let carol: TestAccount;
  /** alice's agent, signing with its own key; and a funded account with no profile. */
  let helper: AccountData;
  let stranger: AccountData;
  const clients = new Map<string, SigningStargateClient>();

  beforeAll(async () => {
    const accounts = await Promise.all(TEST_MNEMONICS.map(testAccount));
    [alice, bob, carol] = accounts as [TestAccount, TestAccount, TestAccount];
    const home = mkdtempSync(path.join(tmpdir(), "vivim-reputation-e2e-"));
    const appState = devnetAppState(accounts.map((a) => ({ address: a.address, amount: FUNDS })));
    const config = fastConfig();
    initHome({
      home,
      moniker: "test-node",
      chainId: CHAIN_ID,
      config,
      genesisAppState: {
        ...appState,
        reputation: {
          params: {
            authority: carol.address,
            epoch_blocks: "100000",
            rating_rate_max: 3,
            rating_rate_window_seconds: 3600,
          },
          pretrusted: [alice.address],
        },
      },
    });
    net = await startTestNode({ home, config });
    api = new ApiServer(net.node);
    await api.start();
    base = `http://127.0.0.1:${api.port}`;
    comet = await Comet38Client.connect(net.rpcUrl);
    const helperWallet = await DirectSecp256k1Wallet.fromKey(new Uint8Array(32).fill(0x3c), "vivim");
    const strangerWallet = await DirectSecp256k1Wallet.fromKey(new Uint8Array(32).fill(0x3d), "vivim");
    [helper] = (await helperWallet.getAccounts()) as [AccountData];
    [stranger] = (await strangerWallet.getAccounts()) as [AccountData];
    for (const a of accounts) clients.set(a.address, await connectVivim(net.rpcUrl, a.wallet, POLL));
    clients.set(helper.address, await connectVivim(net.rpcUrl, helperWallet, POLL));
    clients.set(stranger.address, await connectVivim(net.rpcUrl, strangerWallet, POLL));
    const deadline = Date.now() + 10_000;
    while (net.node.blockStore.latestHeight === 0n && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 50));

    // Profiles for alice, bob and carol; alice registers her agent; alice funds it and the stranger.
    for (const [a, handle] of [
      [alice, "alice"],
      [bob, "bob"],
      [carol, "carol"],
    ] as const)
      await ok(a.address, vivimMsg(MsgRegisterProfile, { creator: a.address, handle, displayName: handle }));
    await ok(
      alice.address,
      vivimMsg(MsgRegisterAgent, {
        owner: alice.address,
        name: "helper",
        pubKeyType: "secp256k1",
        pubKey: helper.pubkey,
        autonomy: AutonomyLevel.RESPONSE_ONLY,
      }),
    );
    for (const to of [helper.address, stranger.address])
      await ok(alice.address, {
        typeUrl: "/cosmos.bank.v1beta1.MsgSend",
        value: {
          fromAddress: alice.address,
          toAddress: to,
          amount: [{ denom: "uvivim", amount: "10000000" }],
        },
      });
  }, 60_000);

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

  async function get(p: string): Promise<{ status: number; body: Body }> {
    const res = await fetch(base + p);
    return { status: res.status, body: (await res.json()) as Body };
  }

  async function abci<Q, R>(
    p: string,
    req: { encode(m: Q): { finish(): Uint8Array }; fromPartial(o: never): Q },
    value: Partial<Q>,
    res: { decode(b: Uint8Array): R },
  ): Promise<R> {
    const r = await comet.abciQuery({
      path: `/vivim.reputation.v1.Query/${p}`,
      data: req.encode(req.fromPartial(value as never)).finish(),
    });
    expect(r.code).toBe(0);
    return res.decode(r.value);
  }

  const attrs = (r: DeliverTxResponse, type: string) =>
    Object.fromEntries(r.events.find((e) => e.type === type)?.attributes.map((a) => [a.key, a.value]) ?? []);
  const response = <T>(r: DeliverTxResponse, type: { decode(b: Uint8Array): T }) =>
    type.decode(r.msgResponses[0]!.value);

  const ack = (account: string, peer: string, threadId: Uint8Array) =>
    vivimMsg(MsgAcknowledgeDmThread, { account, peer, threadId });
  const rate = (rater: string, subject: string, helped: boolean, stars: number, comment = "") =>
    vivimMsg(MsgRate, { rater, subject, helped, stars, comment });

  it("records a DM thread once both sides acknowledged it; rating needs that interaction", async () => {
    expect(await refused(bob.address, rate(bob.address, carol.address, true, 5))).toEqual(
      coded(ReputationErrors.NoInteraction),
    );
    const first = await ok(bob.address, ack(bob.address, carol.address, thread(1)));
    expect(response(first, MsgAcknowledgeDmThreadResponse).interactionRecorded).toBe(false);
    expect(await refused(bob.address, ack(bob.address, carol.address, thread(1)))).toEqual(
      coded(ReputationErrors.AlreadyAcknowledged),
    );
    expect((await get(`/vivim/reputation/v1/interactions/${bob.address}/${carol.address}`)).status).toBe(404);
    expect(await refused(bob.address, rate(bob.address, carol.address, true, 5))).toEqual(
      coded(ReputationErrors.NoInteraction),
    );

    const second = await ok(carol.address, ack(carol.address, bob.address, thread(1)));
    expect(response(second, MsgAcknowledgeDmThreadResponse).interactionRecorded).toBe(true);
    expect(attrs(second, "vivim.reputation.v1.EventDmThreadAcknowledged")).toEqual({
      account: carol.address,
      peer: bob.address,
      thread_id: "01".repeat(32),
      interaction_recorded: "true",
    });
    const interaction = await get(`/vivim/reputation/v1/interactions/${carol.address}/${bob.address}`);
    expect(interaction.status).toBe(200);
    expect(interaction.body.interaction).toMatchObject({ kinds: InteractionKind.DM_THREAD, count: "1" });

    // Stateless refusals (CheckTx) and unknown peers (DeliverTx).
    expect(await refused(bob.address, ack(bob.address, carol.address, thread(2).subarray(1)))).toEqual(
      coded(ReputationErrors.InvalidThreadId),
    );
    expect(await refused(bob.address, ack(bob.address, bob.address, thread(2)))).toEqual(
      coded(ReputationErrors.InvalidPeer),
    );
    expect(await refused(bob.address, ack(bob.address, stranger.address, thread(2)))).toEqual(
      coded(ReputationErrors.UnknownAccount),
    );
    expect(await refused(stranger.address, ack(stranger.address, bob.address, thread(2)))).toEqual(
      coded(IdentityErrors.NotRegistered),
    );
  });

  it("rates, replaces the rating, and serves it over abci_query and REST", async () => {
    const r1 = await ok(bob.address, rate(bob.address, carol.address, true, 5, "fixed my build"));
    expect(response(r1, MsgRateResponse).replaced).toBe(false);
    const ev = r1.events.find((e) => e.type === "vivim.reputation.v1.EventRated")!;
    expect(ev.attributes.find((a) => a.key === "rater")?.value).toBe(bob.address);
    expect(ev.attributes.find((a) => a.key === "subject")?.value).toBe(carol.address);
    // The creating event is searchable by rater.
    const found = await clients
      .get(bob.address)!
      .searchTx(`vivim.reputation.v1.EventRated.rater='${bob.address}'`);
    expect(found.map((t) => t.hash)).toContain(r1.transactionHash);

    const r2 = await ok(bob.address, rate(bob.address, carol.address, false, 2, "it broke again"));
    expect(response(r2, MsgRateResponse).replaced).toBe(true);

    const rating = await get(`/vivim/reputation/v1/ratings/${bob.address}/${carol.address}`);
    expect(rating.status).toBe(200);
    expect(rating.body.rating).toMatchObject({
      rater: bob.address,
      subject: carol.address,
      helped: false,
      stars: 2,
      comment: "it broke again",
      created_height: String(r2.height),
    });
    const account = await get(`/vivim/reputation/v1/accounts/${carol.address}`);
    expect(account.body).toMatchObject({
      address: carol.address,
      score: "0",
      karma: "0",
      limited_reach: true,
      summary: { count: "1", stars_sum: "2" },
    });
    const of = await get(`/vivim/reputation/v1/subjects/${carol.address}/ratings`);
    expect((of.body.ratings as Body[]).map((r) => r.rater)).toEqual([bob.address]);
    const by = await get(`/vivim/reputation/v1/raters/${bob.address}/ratings?pagination.limit=5`);
    expect((by.body.ratings as Body[]).map((r) => r.subject)).toEqual([carol.address]);
    expect((await get(`/vivim/reputation/v1/ratings/${carol.address}/${bob.address}`)).status).toBe(404);
    expect(
      (await get(`/vivim/reputation/v1/subjects/${carol.address}/ratings?pagination.limit=101`)).status,
    ).toBe(400);
    expect((await get("/vivim/reputation/v1/accounts/vivim1nope")).status).toBe(400);

    const viaAbci = await abci(
      "RatingsOf",
      QueryRatingsOfRequest,
      { subject: carol.address },
      QueryRatingsOfResponse,
    );
    expect(viaAbci.ratings.map((r) => [r.rater, r.stars, r.helped])).toEqual([[bob.address, 2, false]]);
    const rep = await abci(
      "Reputation",
      QueryReputationRequest,
      { address: carol.address },
      QueryReputationResponse,
    );
    expect(rep.summary).toEqual({ count: 1n, helped: 0n, starsSum: 2n });
  });

  it("refuses bad stars, oversize comments, self rating (own agent included) and a rater over its limit", async () => {
    expect(await refused(bob.address, rate(bob.address, carol.address, true, 0))).toEqual(
      coded(ReputationErrors.InvalidStars),
    );
    expect(await refused(bob.address, rate(bob.address, carol.address, true, 6))).toEqual(
      coded(ReputationErrors.InvalidStars),
    );
    expect(await refused(bob.address, rate(bob.address, carol.address, true, 5, "x".repeat(501)))).toEqual(
      coded(ReputationErrors.TextTooLong),
    );
    expect(await refused(bob.address, rate(bob.address, bob.address, true, 5))).toEqual(
      coded(ReputationErrors.SelfDealing),
    );
    // alice and her agent share a DM thread, but neither may rate (or vouch for) the other.
    await ok(alice.address, ack(alice.address, helper.address, thread(3)));
    await ok(helper.address, ack(helper.address, alice.address, thread(3)));
    expect(await refused(alice.address, rate(alice.address, helper.address, true, 5))).toEqual(
      coded(ReputationErrors.SelfDealing),
    );
    expect(await refused(helper.address, rate(helper.address, alice.address, true, 5))).toEqual(
      coded(ReputationErrors.SelfDealing),
    );
    expect(
      await refused(alice.address, vivimMsg(MsgAttest, { attester: alice.address, subject: helper.address })),
    ).toEqual(coded(ReputationErrors.SelfDealing));
    expect(await refused(stranger.address, rate(stranger.address, bob.address, true, 5))).toEqual(
      coded(IdentityErrors.NotRegistered),
    );

    // Bob has used 2 of his 3 ratings this hour: one more, then the limiter refuses with a retry time.
    await ok(bob.address, rate(bob.address, carol.address, true, 5, "works now"));
    const limited = await send(bob.address, rate(bob.address, carol.address, true, 4));
    expect({ codespace: limited.codespace, code: limited.code }).toEqual(coded(RateLimitErrors.Exceeded));
    expect(limited.log).toMatch(/retry_after=\d+/);
    expect(
      (await get(`/vivim/reputation/v1/ratings/${bob.address}/${carol.address}`)).body.rating,
    ).toMatchObject({
      stars: 5,
      comment: "works now",
    });
  });

  it("attests once per pair, revokes, and lists attestations", async () => {
    const r = await ok(
      alice.address,
      vivimMsg(MsgAttest, { attester: alice.address, subject: bob.address, statement: "reliable" }),
    );
    expect(attrs(r, "vivim.reputation.v1.EventAttested")).toMatchObject({
      attester: alice.address,
      subject: bob.address,
    });
    expect(
      await refused(alice.address, vivimMsg(MsgAttest, { attester: alice.address, subject: bob.address })),
    ).toEqual(coded(ReputationErrors.DuplicateAttestation));
    expect(
      await refused(
        carol.address,
        vivimMsg(MsgAttest, { attester: carol.address, subject: bob.address, statement: "y".repeat(281) }),
      ),
    ).toEqual(coded(ReputationErrors.TextTooLong));
    const list = await get(`/vivim/reputation/v1/subjects/${bob.address}/attestations`);
    expect(list.body.attestations).toEqual([
      expect.objectContaining({
        attester: alice.address,
        subject: bob.address,
        statement: "reliable",
        created_height: String(r.height),
      }),
    ]);
    expect((await get(`/vivim/reputation/v1/accounts/${bob.address}`)).body.attestation_count).toBe("1");

    await ok(
      alice.address,
      vivimMsg(MsgRevokeAttestation, { attester: alice.address, subject: bob.address }),
    );
    expect(
      await refused(
        alice.address,
        vivimMsg(MsgRevokeAttestation, { attester: alice.address, subject: bob.address }),
      ),
    ).toEqual(coded(ReputationErrors.AttestationNotFound));
    expect(
      (await get(`/vivim/reputation/v1/subjects/${bob.address}/attestations`)).body.attestations,
    ).toEqual([]);
    // Vouch again: the epoch below lets alice's trust reach bob through it.
    await ok(alice.address, vivimMsg(MsgAttest, { attester: alice.address, subject: bob.address }));
  });

  it("lets only the authority change params", async () => {
    const { params } = await abci("Params", QueryReputationParamsRequest, {}, QueryReputationParamsResponse);
    const shorter: ReputationParams = { ...params!, epochBlocks: 5n };
    expect(
      await refused(
        bob.address,
        vivimMsg(MsgUpdateReputationParams, { authority: bob.address, params: shorter }),
      ),
    ).toEqual(coded(ReputationErrors.InvalidAuthority));
    expect(
      await refused(
        carol.address,
        vivimMsg(MsgUpdateReputationParams, {
          authority: carol.address,
          params: { ...shorter, eigentrustIterations: 0 },
        }),
      ),
    ).toEqual(coded(ReputationErrors.InvalidParams));
    await ok(
      carol.address,
      vivimMsg(MsgUpdateReputationParams, { authority: carol.address, params: shorter }),
    );
    expect((await get("/vivim/reputation/v1/params")).body.params).toMatchObject({
      authority: carol.address,
      epoch_blocks: "5",
      rating_rate_max: 3,
    });
  });

  it("recomputes scores at the next epoch end block", async () => {
    // alice (pre-trusted) vouches for bob, who rated carol "helped, 5 stars".
    const start = net.node.blockStore.latestHeight;
    const epochHeight = (start / 5n + 1n) * 5n;
    const deadline = Date.now() + 20_000;
    while (net.node.blockStore.latestHeight < epochHeight && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 100));
    const results = await comet.blockResults(Number(epochHeight));
    const epoch = results.finalizeBlockEvents.find((e) => e.type === "vivim.reputation.v1.EventEpoch");
    expect(Object.fromEntries(epoch!.attributes.map((a) => [a.key, a.value]))).toMatchObject({
      epoch: "1",
      ratings: "1",
    });
    const score = async (a: string) => (await get(`/vivim/reputation/v1/accounts/${a}`)).body;
    const [a, b, c] = await Promise.all([alice.address, bob.address, carol.address].map(score));
    expect(BigInt(a!.score as string)).toBeGreaterThan(BigInt(b!.score as string));
    expect(BigInt(b!.score as string)).toBeGreaterThan(0n);
    expect(BigInt(c!.score as string)).toBeGreaterThan(0n);
    expect(a!.limited_reach).toBe(false);
  });
});
