/**
 * Governance over REST against a real node, read back exactly as the Cosmos SDK's gateway serves
 * x/gov (`/cosmos/gov/v1`, `/cosmos/gov/v1beta1`) plus VIVIM's `/vivim/gov/v1`: proposals submitted,
 * deposited on and voted with the unmodified cosmjs SigningStargateClient (`vivimRegistry()`), a
 * council proposal's messages rendered as `{"@type", ...snake_case fields}`, enums by name,
 * Timestamps RFC3339, Durations "8s", v1beta1 Decs as decimals, and every bad request coded.
 *
 * Genesis makes alice the operator of the node's validator (the whole council) and gives governance
 * an 8 s voting period, so the test also sees proposals pass and execute.
 */
import { DirectSecp256k1HdWallet } from "@cosmjs/proto-signing";
import { type DeliverTxResponse, SigningStargateClient } from "@cosmjs/stargate";
import { Comet38Client } from "@cosmjs/tendermint-rpc";
import { VoteOption } from "cosmjs-types/cosmos/gov/v1/gov";
import { MsgUpdateParams } from "cosmjs-types/cosmos/gov/v1/tx";
import { TextProposal } from "cosmjs-types/cosmos/gov/v1beta1/gov";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ApiServer } from "../../chain/api/server.js";
import { DEFAULT_GOV_PARAMS, GOV_ADDRESS, MsgSetWorkerPause, vivimRegistry } from "../../client/index.js";
import { councilGenesis, startTestNode, type TestAccount, type TestNode } from "../support/node.js";
import { committed, txOutcome } from "../support/tx-outcome.js";

const FEE = { amount: [{ denom: "uvivim", amount: "50000" }], gas: "1000000" };
const POLL = { broadcastPollIntervalMs: 150, broadcastTimeoutMs: 20_000 };
const uv = (n: number) => [{ denom: "uvivim", amount: String(n) }];
const MIN_DEPOSIT = 1000;
const VOTING_SECONDS = 8;
const CONSTITUTION = "Be excellent to each other.";
const RFC3339 = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{3}|\.\d{6}|\.\d{9})?Z$/;

type Body = Record<string, unknown>;
/** `body.a.b` of a JSON answer. */
const at = (body: unknown, ...keys: string[]): unknown =>
  keys.reduce<unknown>((o, k) => (o as Body | undefined)?.[k], body);
const list = (body: unknown, ...keys: string[]) => at(body, ...keys) as Body[];

describe("gov REST API (Cosmos SDK gateway shapes)", () => {
  let net: TestNode;
  let api: ApiServer;
  let base: string;
  let comet: Comet38Client;
  let alice: TestAccount;
  let bob: TestAccount;
  let carol: TestAccount;
  let power: string;
  const clients = new Map<string, SigningStargateClient>();

  beforeAll(async () => {
    net = await startTestNode({
      editGenesis(genesis, accounts) {
        power = genesis.validators[0]!.power;
        councilGenesis({
          params: {
            min_deposit: uv(MIN_DEPOSIT),
            expedited_min_deposit: uv(5 * MIN_DEPOSIT),
            max_deposit_period: "600s",
            voting_period: `${VOTING_SECONDS}s`,
            expedited_voting_period: "4s",
          },
          constitution: CONSTITUTION,
        })(genesis, accounts);
      },
    });
    [alice, bob, carol] = net.accounts as [TestAccount, TestAccount, TestAccount];
    api = new ApiServer(net.node);
    await api.start();
    base = `http://127.0.0.1:${api.port}`;
    comet = await Comet38Client.connect(net.rpcUrl);
    for (const a of [alice, bob, carol]) {
      const wallet = await DirectSecp256k1HdWallet.fromMnemonic(a.mnemonic, { prefix: "vivim" });
      clients.set(
        a.address,
        await SigningStargateClient.connectWithSigner(net.rpcUrl, wallet, {
          registry: vivimRegistry(),
          ...POLL,
        }),
      );
    }
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

  async function tx(from: TestAccount, typeUrl: string, value: object): Promise<DeliverTxResponse> {
    return committed(
      await txOutcome(clients.get(from.address)!, comet, from.address, [{ typeUrl, value }], FEE),
    );
  }

  async function get(path: string): Promise<{ status: number; body: Body }> {
    const res = await fetch(base + path);
    expect(res.headers.get("content-type")).toBe("application/json");
    return { status: res.status, body: (await res.json()) as Body };
  }

  async function ok(path: string): Promise<Body> {
    const { status, body } = await get(path);
    expect(status, JSON.stringify(body)).toBe(200);
    return body;
  }

  /** A gateway error: its HTTP status and gRPC code, `{code, message, details: []}`. */
  async function error(path: string, http: number, grpc: number): Promise<string> {
    const { status, body } = await get(path);
    expect(status, JSON.stringify(body)).toBe(http);
    expect(body).toEqual({ code: grpc, message: expect.any(String), details: [] });
    return body.message as string;
  }

  const pause = {
    "@type": "/vivim.workers.v1.MsgSetWorkerPause",
    authority: GOV_ADDRESS,
    worker: "",
    paused: true,
    reason: "maintenance window",
  };

  it("submits, deposits and votes with cosmjs (v1 and v1beta1 Msgs)", async () => {
    const value = MsgSetWorkerPause.encode(
      MsgSetWorkerPause.fromPartial({
        authority: GOV_ADDRESS,
        worker: "",
        paused: true,
        reason: pause.reason,
      }),
    ).finish();
    const submit = (
      proposer: TestAccount,
      deposit: number,
      messages: Array<{ typeUrl: string; value: Uint8Array }>,
      title: string,
    ) =>
      tx(proposer, "/cosmos.gov.v1.MsgSubmitProposal", {
        messages,
        initialDeposit: uv(deposit),
        proposer: proposer.address,
        metadata: "ipfs://proposal",
        title,
        summary: `${title}: why`,
        expedited: false,
      });
    // 1: a council proposal with a message; 2: a text proposal short of its deposit; 3: legacy text.
    await submit(alice, MIN_DEPOSIT, [{ typeUrl: MsgSetWorkerPause.typeUrl, value }], "Pause the workers");
    await submit(bob, 100, [], "Signal");
    await tx(carol, "/cosmos.gov.v1beta1.MsgSubmitProposal", {
      content: {
        typeUrl: "/cosmos.gov.v1beta1.TextProposal",
        value: TextProposal.encode({ title: "Legacy", description: "From an old wallet" }).finish(),
      },
      initialDeposit: uv(MIN_DEPOSIT),
      proposer: carol.address,
    });
    await tx(carol, "/cosmos.gov.v1.MsgDeposit", {
      proposalId: 2n,
      depositor: carol.address,
      amount: uv(500),
    });
    await tx(alice, "/cosmos.gov.v1.MsgVote", {
      proposalId: 1n,
      voter: alice.address,
      option: VoteOption.VOTE_OPTION_YES,
      metadata: "",
    });
    await tx(alice, "/cosmos.gov.v1.MsgVoteWeighted", {
      proposalId: 3n,
      voter: alice.address,
      options: [
        { option: VoteOption.VOTE_OPTION_YES, weight: "0.7" },
        { option: VoteOption.VOTE_OPTION_NO, weight: "0.3" },
      ],
      metadata: "split",
    });
  });

  it("lists and shows v1 proposals: messages as SDK JSON, enums by name, RFC3339 times", async () => {
    const all = await ok("/cosmos/gov/v1/proposals");
    const proposals = list(all, "proposals");
    expect(proposals.map((p) => p.id)).toEqual(["1", "2", "3"]);
    expect(all.pagination).toEqual({ next_key: null, total: "0" });
    const p1 = proposals[0]!;
    expect(p1).toEqual({
      id: "1",
      messages: [pause],
      status: "PROPOSAL_STATUS_VOTING_PERIOD",
      final_tally_result: { yes_count: "0", abstain_count: "0", no_count: "0", no_with_veto_count: "0" },
      submit_time: expect.stringMatching(RFC3339),
      deposit_end_time: expect.stringMatching(RFC3339),
      total_deposit: uv(MIN_DEPOSIT),
      voting_start_time: expect.stringMatching(RFC3339),
      voting_end_time: expect.stringMatching(RFC3339),
      metadata: "ipfs://proposal",
      title: "Pause the workers",
      summary: "Pause the workers: why",
      proposer: alice.address,
      expedited: false,
      failed_reason: "",
    });
    expect(Date.parse(p1.voting_end_time as string) - Date.parse(p1.voting_start_time as string)).toBe(
      VOTING_SECONDS * 1000,
    );
    expect(proposals[1]).toMatchObject({
      status: "PROPOSAL_STATUS_DEPOSIT_PERIOD",
      messages: [],
      total_deposit: uv(600),
      voting_start_time: null,
      voting_end_time: null,
    });
    expect(proposals[2]).toMatchObject({
      title: "Legacy",
      summary: "From an old wallet",
      proposer: carol.address,
    });
    expect(await ok("/cosmos/gov/v1/proposals/1")).toEqual({ proposal: p1 });
  });

  it("filters proposals by status (name, short name or number), voter and depositor, and pages them", async () => {
    const ids = async (query: string) =>
      list(await ok(`/cosmos/gov/v1/proposals?${query}`), "proposals").map((p) => p.id);
    expect(await ids("proposal_status=PROPOSAL_STATUS_DEPOSIT_PERIOD")).toEqual(["2"]);
    expect(await ids("proposal_status=2")).toEqual(["1", "3"]);
    expect(await ids("proposal_status=voting_period")).toEqual(["1", "3"]);
    expect(await ids("proposal_status=PROPOSAL_STATUS_PASSED")).toEqual([]);
    expect(await ids(`voter=${alice.address}`)).toEqual(["1", "3"]);
    expect(await ids(`depositor=${carol.address}`)).toEqual(["2", "3"]);
    expect(await ids(`proposal_status=PROPOSAL_STATUS_VOTING_PERIOD&depositor=${carol.address}`)).toEqual([
      "3",
    ]);
    expect(await ids("pagination.reverse=true")).toEqual(["3", "2", "1"]);

    const first = await ok("/cosmos/gov/v1/proposals?pagination.limit=2&pagination.count_total=true");
    expect(list(first, "proposals").map((p) => p.id)).toEqual(["1", "2"]);
    expect(first.pagination).toEqual({ next_key: expect.any(String), total: "3" });
    const next = await ok(
      `/cosmos/gov/v1/proposals?pagination.limit=2&pagination.key=${encodeURIComponent(at(first, "pagination", "next_key") as string)}`,
    );
    expect(list(next, "proposals").map((p) => p.id)).toEqual(["3"]);
    expect(at(next, "pagination", "next_key")).toBeNull();

    // A status-filtered listing newest first, a page at a time, with the total of every match.
    const page = (key?: string) =>
      ok(
        `/cosmos/gov/v1/proposals?proposal_status=voting&pagination.reverse=true&pagination.limit=1&pagination.count_total=true${key ? `&pagination.key=${encodeURIComponent(key)}` : ""}`,
      );
    const newest = await page();
    expect(list(newest, "proposals").map((p) => p.id)).toEqual(["3"]);
    expect(newest.pagination).toEqual({ next_key: expect.any(String), total: "2" });
    const older = await page(at(newest, "pagination", "next_key") as string);
    expect(list(older, "proposals").map((p) => p.id)).toEqual(["1"]);
    expect(older.pagination).toEqual({ next_key: null, total: "2" });
    expect(
      list(
        await ok(`/cosmos/gov/v1/proposals?voter=${alice.address}&pagination.reverse=true`),
        "proposals",
      ).map((p) => p.id),
    ).toEqual(["3", "1"]);
    await error("/cosmos/gov/v1/proposals?pagination.key=AAEC", 400, 3);
  });

  it("shows votes, deposits and the live tally", async () => {
    const yes = {
      proposal_id: "1",
      voter: alice.address,
      options: [{ option: "VOTE_OPTION_YES", weight: "1.000000000000000000" }],
      metadata: "",
    };
    expect(await ok("/cosmos/gov/v1/proposals/1/votes")).toEqual({
      votes: [yes],
      pagination: { next_key: null, total: "0" },
    });
    expect(await ok(`/cosmos/gov/v1/proposals/1/votes/${alice.address}`)).toEqual({ vote: yes });
    expect(at(await ok(`/cosmos/gov/v1/proposals/3/votes/${alice.address}`), "vote", "options")).toEqual([
      { option: "VOTE_OPTION_YES", weight: "0.700000000000000000" },
      { option: "VOTE_OPTION_NO", weight: "0.300000000000000000" },
    ]);
    const deposits = (await ok("/cosmos/gov/v1/proposals/2/deposits")).deposits as Body[];
    expect(deposits).toHaveLength(2);
    expect(deposits).toEqual(
      expect.arrayContaining([
        { proposal_id: "2", depositor: bob.address, amount: uv(100) },
        { proposal_id: "2", depositor: carol.address, amount: uv(500) },
      ]),
    );
    expect(await ok(`/cosmos/gov/v1/proposals/2/deposits/${carol.address}`)).toEqual({
      deposit: { proposal_id: "2", depositor: carol.address, amount: uv(500) },
    });
    // Deposits and votes page in reverse too, and count their total.
    const deposit = (query: string) => ok(`/cosmos/gov/v1/proposals/2/deposits?${query}`);
    const forward = await deposit("pagination.limit=1&pagination.count_total=true");
    const backward = await deposit("pagination.limit=1&pagination.count_total=true&pagination.reverse=true");
    for (const first of [forward, backward])
      expect(first.pagination).toEqual({ next_key: expect.any(String), total: "2" });
    const firstDepositor = (list(forward, "deposits")[0] as Body).depositor;
    const lastDepositor = (list(backward, "deposits")[0] as Body).depositor;
    expect([firstDepositor, lastDepositor].sort()).toEqual([bob.address, carol.address].sort());
    expect(firstDepositor).not.toBe(lastDepositor);
    const rest = await deposit(
      `pagination.limit=1&pagination.reverse=true&pagination.key=${encodeURIComponent(at(backward, "pagination", "next_key") as string)}`,
    );
    expect(list(rest, "deposits").map((d) => d.depositor)).toEqual([firstDepositor]);
    expect(rest.pagination).toEqual({ next_key: null, total: "0" });
    expect(
      (await ok("/cosmos/gov/v1/proposals/1/votes?pagination.reverse=true&pagination.count_total=true"))
        .pagination,
    ).toEqual({ next_key: null, total: "1" });
    expect(await ok("/cosmos/gov/v1/proposals/1/tally")).toEqual({
      tally: { yes_count: power, abstain_count: "0", no_count: "0", no_with_veto_count: "0" },
    });
    expect((await ok("/cosmos/gov/v1/proposals/3/tally")).tally).toEqual({
      yes_count: "7",
      abstain_count: "0",
      no_count: "3",
      no_with_veto_count: "0",
    });
  });

  it("shows params by type, and the constitution", async () => {
    const voting = await ok("/cosmos/gov/v1/params/voting");
    expect(voting).toMatchObject({
      voting_params: { voting_period: `${VOTING_SECONDS}s` },
      deposit_params: null,
      tally_params: null,
    });
    expect(voting.params).toMatchObject({
      min_deposit: uv(MIN_DEPOSIT),
      max_deposit_period: "600s",
      voting_period: `${VOTING_SECONDS}s`,
      expedited_voting_period: "4s",
      quorum: "0.334000000000000000",
      threshold: "0.500000000000000000",
      veto_threshold: "0.334000000000000000",
      expedited_min_deposit: uv(5 * MIN_DEPOSIT),
      burn_vote_veto: true,
    });
    expect((await ok("/cosmos/gov/v1/params/deposit")).deposit_params).toEqual({
      min_deposit: uv(MIN_DEPOSIT),
      max_deposit_period: "600s",
    });
    expect((await ok("/cosmos/gov/v1/params/tallying")).tally_params).toEqual({
      quorum: "0.334000000000000000",
      threshold: "0.500000000000000000",
      veto_threshold: "0.334000000000000000",
    });
    expect(await ok("/cosmos/gov/v1/constitution")).toEqual({ constitution: CONSTITUTION });
  });

  it("serves the v1beta1 views wallets still read", async () => {
    const proposals = list(await ok("/cosmos/gov/v1beta1/proposals"), "proposals");
    expect(proposals).toHaveLength(3);
    expect(proposals[0]).toEqual({
      proposal_id: "1",
      content: {
        "@type": "/cosmos.gov.v1beta1.TextProposal",
        title: "Pause the workers",
        description: "Pause the workers: why",
      },
      status: "PROPOSAL_STATUS_VOTING_PERIOD",
      final_tally_result: { yes: "0", abstain: "0", no: "0", no_with_veto: "0" },
      submit_time: expect.stringMatching(RFC3339),
      deposit_end_time: expect.stringMatching(RFC3339),
      total_deposit: uv(MIN_DEPOSIT),
      voting_start_time: expect.stringMatching(RFC3339),
      voting_end_time: expect.stringMatching(RFC3339),
    });
    // A proposal in its deposit period has no voting times: the SDK shows Go's zero time.
    expect(proposals[1]).toMatchObject({
      voting_start_time: "0001-01-01T00:00:00Z",
      voting_end_time: "0001-01-01T00:00:00Z",
    });
    expect(
      (await ok("/cosmos/gov/v1beta1/proposals?proposal_status=PROPOSAL_STATUS_DEPOSIT_PERIOD")).proposals,
    ).toHaveLength(1);
    expect(await ok("/cosmos/gov/v1beta1/proposals/3")).toEqual({ proposal: proposals[2] });
    expect(await ok(`/cosmos/gov/v1beta1/proposals/1/votes/${alice.address}`)).toEqual({
      vote: {
        proposal_id: "1",
        voter: alice.address,
        option: "VOTE_OPTION_YES",
        options: [{ option: "VOTE_OPTION_YES", weight: "1.000000000000000000" }],
      },
    });
    expect(list(await ok("/cosmos/gov/v1beta1/proposals/3/votes"), "votes")[0]).toMatchObject({
      option: "VOTE_OPTION_UNSPECIFIED",
      options: [
        { option: "VOTE_OPTION_YES", weight: "0.700000000000000000" },
        { option: "VOTE_OPTION_NO", weight: "0.300000000000000000" },
      ],
    });
    expect(await ok("/cosmos/gov/v1beta1/proposals/1/tally")).toEqual({
      tally: { yes: power, abstain: "0", no: "0", no_with_veto: "0" },
    });
    expect((await ok("/cosmos/gov/v1beta1/proposals/2/deposits")).deposits).toHaveLength(2);
    expect(await ok(`/cosmos/gov/v1beta1/proposals/2/deposits/${bob.address}`)).toEqual({
      deposit: { proposal_id: "2", depositor: bob.address, amount: uv(100) },
    });
    expect(await ok("/cosmos/gov/v1beta1/params/tallying")).toEqual({
      voting_params: { voting_period: "0s" },
      deposit_params: { min_deposit: [], max_deposit_period: "0s" },
      tally_params: {
        quorum: "0.334000000000000000",
        threshold: "0.500000000000000000",
        veto_threshold: "0.334000000000000000",
      },
    });
    expect((await ok("/cosmos/gov/v1beta1/params/voting")).voting_params).toEqual({
      voting_period: `${VOTING_SECONDS}s`,
    });
    expect((await ok("/cosmos/gov/v1beta1/params/deposit")).deposit_params).toEqual({
      min_deposit: uv(MIN_DEPOSIT),
      max_deposit_period: "600s",
    });
  });

  it("serves VIVIM's electorate, stage and voting power", async () => {
    expect(await ok("/vivim/gov/v1/proposals/1/info")).toEqual({
      info: {
        proposal_id: "1",
        electorate: "ELECTORATE_COUNCIL",
        stage: "STAGE_VOTING",
        execute_after: "0",
        executed_height: "0",
        total_weight: "0",
        converted_from_expedited: false,
      },
    });
    expect(at(await ok("/vivim/gov/v1/proposals/2/info"), "info", "stage")).toBe("STAGE_DEPOSIT");
    expect((await ok("/vivim/gov/v1/params")).params).toMatchObject({
      timelock_seconds: "0",
      text_electorate: "ELECTORATE_COUNCIL",
      member_msg_types: expect.arrayContaining(["/cosmos.distribution.v1beta1.MsgCommunityPoolSpend"]),
      max_open_proposals: 100,
    });
    expect(await ok(`/vivim/gov/v1/proposals/1/voting_power/${alice.address}`)).toEqual({
      electorate: "ELECTORATE_COUNCIL",
      weight: power,
      total_weight: power,
      owner: "",
      refusal: "",
    });
    expect((await ok(`/vivim/gov/v1/proposals/1/voting_power/${bob.address}`)).weight).toBe("0");
  });

  it("answers bad requests 400, unknown proposals and missing votes 404, as the gateway does", async () => {
    for (const path of [
      "/cosmos/gov/v1/proposals/abc",
      "/cosmos/gov/v1/proposals/0",
      "/cosmos/gov/v1/proposals/18446744073709551616",
      "/cosmos/gov/v1/proposals/1/votes/vivim1nope",
      "/cosmos/gov/v1/proposals/1/deposits/cosmos1qypqxpq9qcrsszg2pvxq6rs0zqg3yyc5lzv7xu",
      "/cosmos/gov/v1/proposals?proposal_status=OPEN",
      "/cosmos/gov/v1/proposals?voter=x",
      "/cosmos/gov/v1/proposals?pagination.limit=-1",
      "/cosmos/gov/v1/proposals?pagination.limit=1001",
      "/cosmos/gov/v1/params/everything",
      "/cosmos/gov/v1beta1/proposals/x/tally",
      "/vivim/gov/v1/proposals/1/voting_power/vivim1nope",
    ]) {
      const message = await error(path, 400, 3);
      expect(message.length).toBeGreaterThan(0);
    }
    expect(await error("/cosmos/gov/v1/proposals?proposal_status=OPEN", 400, 3)).toMatch(
      /proposal_status must be one of/,
    );
    for (const path of [
      "/cosmos/gov/v1/proposals/999",
      "/cosmos/gov/v1/proposals/999/votes",
      "/cosmos/gov/v1/proposals/999/tally",
      `/cosmos/gov/v1/proposals/1/votes/${bob.address}`,
      `/cosmos/gov/v1/proposals/1/deposits/${bob.address}`,
      "/cosmos/gov/v1beta1/proposals/999",
      "/vivim/gov/v1/proposals/999/info",
      `/vivim/gov/v1/proposals/999/voting_power/${alice.address}`,
    ])
      await error(path, 404, 5);
    expect(await error("/cosmos/gov/v1/proposals/999", 404, 5)).toMatch(/proposal 999 not found/);
    // Filtered listings page by key only.
    await error("/cosmos/gov/v1/proposals?pagination.offset=1", 501, 12);
  });

  it("shows a passed proposal's final tally, its execution and the refunded deposit", async () => {
    const deadline = Date.now() + 30_000;
    let p1: Body = {};
    while (Date.now() < deadline) {
      p1 = at(await ok("/cosmos/gov/v1/proposals/1"), "proposal") as Body;
      if (p1.status !== "PROPOSAL_STATUS_VOTING_PERIOD") break;
      await new Promise((r) => setTimeout(r, 250));
    }
    expect(p1.status).toBe("PROPOSAL_STATUS_PASSED");
    expect(p1.final_tally_result).toEqual({
      yes_count: power,
      abstain_count: "0",
      no_count: "0",
      no_with_veto_count: "0",
    });
    const info = at(await ok("/vivim/gov/v1/proposals/1/info"), "info") as Body;
    expect(info).toMatchObject({ stage: "STAGE_EXECUTED", total_weight: power });
    expect(BigInt(info.executed_height as string)).toBeGreaterThan(0n);
    // The workers are paused by the gov account itself.
    expect(await ok("/vivim/workers/v1/pause_state")).toMatchObject({
      all_paused: true,
      reason: pause.reason,
    });
    expect(await ok("/cosmos/gov/v1/proposals/1/tally")).toEqual({ tally: p1.final_tally_result });
    expect((await ok("/cosmos/gov/v1/proposals/1/deposits")).deposits).toEqual([]);
    expect((await ok("/cosmos/gov/v1/proposals/1/votes")).votes).toHaveLength(1);
    const passed = list(await ok("/cosmos/gov/v1/proposals?proposal_status=passed"), "proposals");
    expect(passed.map((p) => p.id)).toContain("1");
  });

  it("renders the Durations inside a proposal's messages as the gateway does", async () => {
    const params = {
      ...DEFAULT_GOV_PARAMS,
      maxDepositPeriod: { seconds: 600n, nanos: 0 },
      expeditedVotingPeriod: { seconds: 86_399n, nanos: 0 },
    };
    const r = await tx(alice, "/cosmos.gov.v1.MsgSubmitProposal", {
      messages: [
        {
          typeUrl: "/cosmos.gov.v1.MsgUpdateParams",
          value: MsgUpdateParams.encode(
            MsgUpdateParams.fromPartial({ authority: GOV_ADDRESS, params }),
          ).finish(),
        },
      ],
      initialDeposit: uv(MIN_DEPOSIT),
      proposer: alice.address,
      metadata: "",
      title: "Periods",
      summary: "New periods",
      expedited: false,
    });
    const id = r.events
      .find((e) => e.type === "submit_proposal")
      ?.attributes.find((a) => a.key === "proposal_id")?.value;
    const message = list(at(await ok(`/cosmos/gov/v1/proposals/${id}`), "proposal"), "messages")[0]!;
    expect(message).toMatchObject({
      "@type": "/cosmos.gov.v1.MsgUpdateParams",
      authority: GOV_ADDRESS,
      params: {
        max_deposit_period: "600s",
        voting_period: "172800s",
        expedited_voting_period: "86399s",
        quorum: DEFAULT_GOV_PARAMS.quorum,
      },
    });
  });
});
