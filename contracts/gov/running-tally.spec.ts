/**
 * The members' running tally against the full count, and the proposal listings over the status
 * index: the Msg handlers and the end block run directly over an in-memory store that also answers
 * range queries, so every step can be compared with what reading every vote (countVotes) gives.
 */
import { createHash } from "node:crypto";
import { MsgCommunityPoolSpend } from "cosmjs-types/cosmos/distribution/v1beta1/tx";
import { type Proposal, ProposalStatus, VoteOption } from "cosmjs-types/cosmos/gov/v1/gov";
import * as v1 from "cosmjs-types/cosmos/gov/v1/query";
import * as v1beta1 from "cosmjs-types/cosmos/gov/v1beta1/query";
import { describe, expect, it } from "vitest";
import { encodeAddress } from "../../chain/crypto/address.js";
import { INFINITE_GAS, makeExecContext } from "../../chain/execution/context.js";
import { MemoryStore } from "../../test/support/memory-store.js";
import { moduleAddress, setAccount } from "../auth/keeper.js";
import { mintGenesisCoins } from "../bank/keeper.js";
import { setAgent, setProfile } from "../identity/keeper.js";
import { AgentStatus } from "../identity/records.js";
import { defaultModuleRegistry } from "../index.js";
import { ModulePrefix, readUint64 } from "../lib/store.js";
import { getScore, scoresVersion, setMembersWeight, setScore } from "../reputation/reach.js";
import type { ExecContext, KVStore } from "../types.js";
import { msgDeposit } from "./deposit.js";
import { getInfo, getProposal, setProposal, setVote } from "./keeper.js";
import { GovKeys } from "./keys.js";
import { govModule } from "./module.js";
import { GOV_ADDRESS, getVivimGovParams, setVivimGovParams } from "./params.js";
import { GOV_QUERIES } from "./query.js";
import { Electorate } from "./records.js";
import { getMemberTally, settledCounts } from "./running-tally.js";
import { msgSubmitProposal } from "./submit.js";
import { countVotes, currentCounts } from "./tally.js";
import { msgVote, msgVoteWeighted } from "./vote.js";

const _hex = (b: Uint8Array) => Buffer.from(b).toString("hex");

const address = (tag: string) => encodeAddress(createHash("sha256").update(tag).digest().subarray(0, 20));
const uv = (n: number) => [{ denom: "uvivim", amount: String(n) }];
const T0 = 1_700_000_000n;
const VOTING = 100n;
const registry = defaultModuleRegistry();

function ctxAt(store: KVStore, seconds: bigint): ExecContext {
  return makeExecContext(
    { chainId: "t", height: seconds - T0 + 1n, time: { seconds, nanos: 0 } },
    store,
    INFINITE_GAS,
    registry,
    [],
  );
}

function genesis(): MemoryStore {
  const store = new MemoryStore();
  govModule.initGenesis(ctxAt(store, T0), {
    params: {
      min_deposit: uv(1000),
      voting_period: `${VOTING}s`,
      expedited_voting_period: "30s",
      max_deposit_period: "50s",
    },
  });
  return store;
}

function human(store: KVStore, tag: string, score: bigint, opts: { profile?: boolean } = {}): string {
  const a = address(tag);
  if (opts.profile !== false)
    setProfile(store, {
      address: a,
      handle: tag,
      displayName: "",
      bio: "",
      avatarUri: "",
      verification: 1,
      createdHeight: 0n,
      createdAt: 0n,
    });
  if (score > 0n) setScore(store, a, score);
  mintGenesisCoins(store, a, uv(1_000_000));
  return a;
}

function agent(store: KVStore, tag: string, owner: string, capabilities = ["govern"]): string {
  const a = address(tag);
  setAgent(store, {
    address: a,
    owner,
    name: tag,
    pubKeyType: "secp256k1",
    pubKey: new Uint8Array(33),
    autonomy: 1,
    capabilities,
    description: "",
    webhook: "",
    status: AgentStatus.ACTIVE,
    verification: 1,
    createdHeight: 0n,
    createdAt: 0n,
  });
  return a;
}

function spendProposal(ctx: ExecContext, proposer: string, deposit = 1000, amount = 1): bigint {
  const spend = MsgCommunityPoolSpend.fromPartial({
    authority: GOV_ADDRESS,
    recipient: proposer,
    amount: uv(amount),
  });
  msgSubmitProposal.handle(ctx, {
    messages: [
      {
        typeUrl: "/cosmos.distribution.v1beta1.MsgCommunityPoolSpend",
        value: MsgCommunityPoolSpend.encode(spend).finish(),
      },
    ],
    initialDeposit: uv(deposit),
    proposer,
    metadata: "",
    title: "spend",
    summary: "spec",
    expedited: false,
  });
  // The id it got: the next id − 1.
  return readUint64(ctx.store.get(GovKeys.nextId())!) - 1n;
}

const vote = (ctx: ExecContext, id: bigint, voter: string, option: VoteOption) =>
  msgVote.handle(ctx, { proposalId: id, voter, option, metadata: "" });

const weighted = (ctx: ExecContext, id: bigint, voter: string, options: Array<[VoteOption, string]>) =>
  msgVoteWeighted.handle(ctx, {
    proposalId: id,
    voter,
    options: options.map(([option, weight]) => ({ option, weight })),
    metadata: "",
  });

describe("members' running tally", () => {
  it("equals the full count across re-votes, weighted votes, agents, an epoch and a cap change", () => {
    const store = genesis();
    const alice = human(store, "alice", 3_000_000n);
    const bob = human(store, "bob", 1_000_000n);
    const carol = human(store, "carol", 7_000_000n); // above the 5 000 000 cap
    const dave = human(store, "dave", 2_000_000n);
    const erin = human(store, "erin", 1_500_000n); // votes only through her agents
    // No profile, but it has signed (as every voter's tx does): it can never become an agent.
    const signer = human(store, "signer", 900_000n, { profile: false });
    setAccount(store, { address: signer, pubKey: undefined, accountNumber: 77n, sequence: 1n });
    const scout = agent(store, "scout", alice);
    const e1 = agent(store, "erin_one", erin);
    const e2 = agent(store, "erin_two", erin);
    const e3 = agent(store, "erin_three", erin);

    let now = T0 + 5n;
    const ctx = () => ctxAt(store, now);
    const id = spendProposal(ctx(), alice);
    expect(getInfo(store, id)?.electorate).toBe(Electorate.MEMBERS);
    const vparams = () => getVivimGovParams(store);
    const check = (fast: boolean) => {
      expect(currentCounts(store, id, Electorate.MEMBERS, vparams())).toEqual(
        countVotes(store, id, Electorate.MEMBERS, vparams()),
      );
      expect(settledCounts(store, id, vparams()) !== undefined).toBe(fast);
    };

    vote(ctx(), id, scout, VoteOption.VOTE_OPTION_YES); // alice's agent, before alice
    check(true);
    vote(ctx(), id, alice, VoteOption.VOTE_OPTION_NO); // alice's own vote replaces scout's
    vote(ctx(), id, bob, VoteOption.VOTE_OPTION_YES);
    weighted(ctx(), id, carol, [
      [VoteOption.VOTE_OPTION_YES, "0.6"],
      [VoteOption.VOTE_OPTION_NO_WITH_VETO, "0.4"],
    ]);
    vote(ctx(), id, e1, VoteOption.VOTE_OPTION_YES); // erin's agents share her weight
    vote(ctx(), id, e2, VoteOption.VOTE_OPTION_NO);
    vote(ctx(), id, e3, VoteOption.VOTE_OPTION_ABSTAIN);
    vote(ctx(), id, signer, VoteOption.VOTE_OPTION_ABSTAIN);
    check(true);
    // 1 500 000 shared by three agents: 500 000 each.
    expect(currentCounts(store, id, Electorate.MEMBERS, vparams())).toEqual({
      yes: 1_000_000n + 3_000_000n + 500_000n,
      abstain: 900_000n + 500_000n,
      no: 3_000_000n + 500_000n,
      veto: 2_000_000n,
    });
    // The sums hold the settled voters (alice, bob, carol, signer); scout and erin's agents are
    // weighed one by one.
    expect(getMemberTally(store, id)?.voters).toBe(4n);

    // Re-votes take the earlier vote out at the same weight.
    weighted(ctx(), id, bob, [
      [VoteOption.VOTE_OPTION_NO_WITH_VETO, "0.25"],
      [VoteOption.VOTE_OPTION_YES, "0.75"],
    ]);
    vote(ctx(), id, carol, VoteOption.VOTE_OPTION_ABSTAIN);
    vote(ctx(), id, e2, VoteOption.VOTE_OPTION_YES);
    check(true);
    expect(getMemberTally(store, id)?.voters).toBe(4n);

    // An owner revoking govern changes the agents' shares at the tally: erin's weight over two.
    agent(store, "erin_three", erin, ["post"]);
    check(true);

    // An epoch rewrites scores: the sums no longer hold, the tally recounts (erin's 1 000 001 now
    // splits unevenly over her two agents, rounded down per agent).
    const version = scoresVersion(store);
    setScore(store, erin, 1_000_001n);
    setScore(store, carol, 4_000_000n);
    expect(scoresVersion(store)).toBeGreaterThan(version);
    check(false);
    // Votes after the epoch leave the sums stale for good; the count stays exact.
    now += 5n;
    vote(ctx(), id, dave, VoteOption.VOTE_OPTION_NO);
    vote(ctx(), id, bob, VoteOption.VOTE_OPTION_ABSTAIN);
    expect(getMemberTally(store, id)?.stale).toBe(true);
    check(false);

    // The end block tallies with the same counts and forgets the running state.
    const expected = countVotes(store, id, Electorate.MEMBERS, vparams());
    govModule.endBlock!(ctxAt(store, T0 + 5n + VOTING));
    const p = getProposal(store, id)!;
    expect(p.status).not.toBe(ProposalStatus.PROPOSAL_STATUS_VOTING_PERIOD);
    expect(p.finalTallyResult).toEqual({
      yesCount: expected.yes.toString(),
      abstainCount: expected.abstain.toString(),
      noCount: expected.no.toString(),
      noWithVetoCount: expected.veto.toString(),
    });
    for (const sub of [0x0e, 0x0f, 0x10, 0x05, 0x06])
      expect(store.keysUnder(new Uint8Array([ModulePrefix.gov, sub])), `sub-prefix ${sub}`).toEqual([]);
  });

  it("gives the sums up for a vote from an account that could still become an agent", () => {
    const store = genesis();
    const alice = human(store, "alice", 3_000_000n);
    // Neither a profile nor a signature: only a direct handler call can cast this vote.
    const ghost = human(store, "ghost", 800_000n, { profile: false });
    const now = T0 + 5n;
    const id = spendProposal(ctxAt(store, now), alice);
    vote(ctxAt(store, now), id, alice, VoteOption.VOTE_OPTION_YES);
    expect(settledCounts(store, id, getVivimGovParams(store))).toBeDefined();
    vote(ctxAt(store, now), id, ghost, VoteOption.VOTE_OPTION_NO);
    expect(getMemberTally(store, id)?.stale).toBe(true);
    // Registered as an agent after its vote: the full count follows it.
    agent(store, "ghost", alice);
    const vp = getVivimGovParams(store);
    expect(settledCounts(store, id, vp)).toBeUndefined();
    expect(currentCounts(store, id, Electorate.MEMBERS, vp)).toEqual(
      countVotes(store, id, Electorate.MEMBERS, vp),
    );
    expect(currentCounts(store, id, Electorate.MEMBERS, vp)).toEqual({
      yes: 3_000_000n,
      abstain: 0n,
      no: 0n,
      veto: 0n,
    });
  });

  it("uses the sums at the tally while scores and cap hold, and a cap change forces a recount", () => {
    const store = genesis();
    const voters = Array.from({ length: 12 }, (_, i) =>
      human(store, `member${i}`, 400_000n + BigInt(i) * 650_000n),
    );
    const owner = voters[0]!;
    const bots = [agent(store, "bot_a", voters[11]!), agent(store, "bot_b", voters[11]!)];
    const now = T0 + 5n;
    const id = spendProposal(ctxAt(store, now), owner);
    const other = spendProposal(ctxAt(store, now), owner);
    const options = [VoteOption.VOTE_OPTION_YES, VoteOption.VOTE_OPTION_NO, VoteOption.VOTE_OPTION_ABSTAIN];
    voters.slice(0, 11).forEach((v, i) => {
      vote(ctxAt(store, now), id, v, options[i % 3]!);
      vote(ctxAt(store, now), other, v, options[(i + 1) % 3]!);
    });
    for (const b of bots) {
      vote(ctxAt(store, now), id, b, VoteOption.VOTE_OPTION_NO_WITH_VETO);
      vote(ctxAt(store, now), other, b, VoteOption.VOTE_OPTION_YES);
    }
    const vp = getVivimGovParams(store);
    for (const p of [id, other]) {
      expect(settledCounts(store, p, vp)).toBeDefined();
      expect(currentCounts(store, p, Electorate.MEMBERS, vp)).toEqual(
        countVotes(store, p, Electorate.MEMBERS, vp),
      );
    }
    // The cap moves (a passed vivim.gov.v1.MsgUpdateParams): the sums no longer hold; moving it
    // back with no vote in between makes them right again.
    setVivimGovParams(store, { ...vp, memberWeightCap: 3_000_000n });
    const lowered = getVivimGovParams(store);
    expect(settledCounts(store, id, lowered)).toBeUndefined();
    expect(currentCounts(store, id, Electorate.MEMBERS, lowered)).toEqual(
      countVotes(store, id, Electorate.MEMBERS, lowered),
    );
    setVivimGovParams(store, vp);
    expect(settledCounts(store, id, vp)).toBeDefined();
    // Both tallied in one end block, each equal to the full count.
    const expected = [id, other].map((p) => countVotes(store, p, Electorate.MEMBERS, vp));
    govModule.endBlock!(ctxAt(store, now + VOTING));
    [id, other].forEach((p, i) => {
      const tally = getProposal(store, p)!.finalTallyResult!;
      expect(tally.yesCount).toBe(expected[i]!.yes.toString());
      expect(tally.noWithVetoCount).toBe(expected[i]!.veto.toString());
      expect(getMemberTally(store, p)).toBeUndefined();
    });
    expect(getScore(store, voters[3]!)).toBe(400_000n + 3n * 650_000n);
  });
});

// ---------------------------------------------------------------- listings

async function proposalsPage(
  store: MemoryStore,
  request: Partial<v1.QueryProposalsRequest>,
): Promise<v1.QueryProposalsResponse> {
  const bytes = v1.QueryProposalsRequest.encode(v1.QueryProposalsRequest.fromPartial(request)).finish();
  return v1.QueryProposalsResponse.decode(
    await GOV_QUERIES["/cosmos.gov.v1.Query/Proposals"]!(store.query(), bytes),
  );
}

/** Every page of a listing, following next_key. */
async function allPages(
  store: MemoryStore,
  request: Partial<v1.QueryProposalsRequest>,
  limit: bigint,
): Promise<{ ids: bigint[]; pages: number }> {
  const ids: bigint[] = [];
  let key: Uint8Array = new Uint8Array();
  let pages = 0;
  for (;;) {
    const r = await proposalsPage(store, {
      ...request,
      pagination: {
        ...request.pagination,
        key,
        limit,
        offset: 0n,
        countTotal: false,
        reverse: request.pagination?.reverse ?? false,
      },
    });
    pages++;
    ids.push(...r.proposals.map((p) => p.id));
    if (r.pagination!.nextKey.length === 0) return { ids, pages };
    key = r.pagination!.nextKey;
  }
}

describe("proposal listings over the status index", () => {
  it("follows every status transition, pages both ways by next_key and counts totals", async () => {
    const store = genesis();
    const alice = human(store, "alice", 3_000_000n);
    const bob = human(store, "bob", 1_000_000n);
    setMembersWeight(store, getVivimGovParams(store).memberWeightCap, 4_000_000n);
    mintGenesisCoins(store, moduleAddress("treasury"), uv(10));
    let now = T0 + 5n;
    const ids: bigint[] = [];
    // 1..4 fully funded (voting; 2 spends more than the treasury has), 5..7 short of their deposit.
    for (let i = 0; i < 7; i++)
      ids.push(spendProposal(ctxAt(store, now), alice, i < 4 ? 1000 : 10, i === 1 ? 1000 : 1));
    for (const id of [ids[0]!, ids[1]!]) {
      vote(ctxAt(store, now), id, alice, VoteOption.VOTE_OPTION_YES);
      vote(ctxAt(store, now), id, bob, VoteOption.VOTE_OPTION_YES);
    }
    vote(ctxAt(store, now), ids[2]!, bob, VoteOption.VOTE_OPTION_NO);
    // 5 gets its deposit: deposit → voting.
    msgDeposit.handle(ctxAt(store, now), { proposalId: ids[4]!, depositor: bob, amount: uv(990) });

    const statusIds = async (status: ProposalStatus, reverse = false) =>
      (
        await proposalsPage(store, { proposalStatus: status, pagination: { reverse } as never })
      ).proposals.map((p) => p.id);
    const VOTING_PERIOD = ProposalStatus.PROPOSAL_STATUS_VOTING_PERIOD;
    const DEPOSIT_PERIOD = ProposalStatus.PROPOSAL_STATUS_DEPOSIT_PERIOD;
    const PASSED = ProposalStatus.PROPOSAL_STATUS_PASSED;
    const REJECTED = ProposalStatus.PROPOSAL_STATUS_REJECTED;
    const FAILED = ProposalStatus.PROPOSAL_STATUS_FAILED;
    expect(await statusIds(VOTING_PERIOD)).toEqual([1n, 2n, 3n, 4n, 5n]);
    expect(await statusIds(VOTING_PERIOD, true)).toEqual([5n, 4n, 3n, 2n, 1n]);
    expect(await statusIds(DEPOSIT_PERIOD)).toEqual([6n, 7n]);

    // The deposit deadline drops 6 and 7; the voting deadline tallies 1-5: 1 passes and executes,
    // 2 passes and fails to execute, the rest miss quorum.
    now += 50n;
    govModule.endBlock!(ctxAt(store, now));
    expect(await statusIds(DEPOSIT_PERIOD)).toEqual([]);
    expect(await statusIds(ProposalStatus.PROPOSAL_STATUS_UNSPECIFIED)).toEqual([1n, 2n, 3n, 4n, 5n]);
    govModule.endBlock!(ctxAt(store, T0 + 5n + VOTING));
    expect(await statusIds(PASSED)).toEqual([1n]);
    expect(await statusIds(FAILED)).toEqual([2n]);
    expect(await statusIds(REJECTED)).toEqual([3n, 4n, 5n]);
    expect(await statusIds(REJECTED, true)).toEqual([5n, 4n, 3n]);
    expect(await statusIds(VOTING_PERIOD)).toEqual([]);

    // Every index entry names a proposal with that status, and nothing else is indexed.
    const all = [1n, 2n, 3n, 4n, 5n].map((i) => getProposal(store, i)!);
    expect(all.map((p) => p.status)).toEqual([PASSED, FAILED, REJECTED, REJECTED, REJECTED]);
    for (const s of [0, 1, 2, 3, 4, 5]) {
      const want = all.filter((p) => s === 0 || p.status === s).length;
      expect(store.keysUnder(GovKeys.byStatus(s))).toHaveLength(want);
      expect(store.keysUnder(GovKeys.byStatusDesc(s))).toHaveLength(want);
    }

    // Paging by two in both directions, with the total over all matches whatever the key.
    const listed = [1n, 2n, 3n, 4n, 5n];
    for (const reverse of [false, true]) {
      const first = await proposalsPage(store, {
        pagination: { key: new Uint8Array(), offset: 0n, limit: 2n, countTotal: true, reverse },
      });
      expect(first.proposals.map((p) => p.id)).toEqual(reverse ? [5n, 4n] : [1n, 2n]);
      expect(first.pagination!.total).toBe(5n);
      const second = await proposalsPage(store, {
        pagination: { key: first.pagination!.nextKey, offset: 0n, limit: 2n, countTotal: true, reverse },
      });
      expect(second.proposals.map((p) => p.id)).toEqual(reverse ? [3n, 2n] : [3n, 4n]);
      expect(second.pagination!.total).toBe(5n);
      expect((await allPages(store, { pagination: { reverse } as never }, 2n)).ids).toEqual(
        reverse ? [...listed].reverse() : listed,
      );
      const rejected = await proposalsPage(store, {
        proposalStatus: REJECTED,
        pagination: { key: new Uint8Array(), offset: 0n, limit: 2n, countTotal: true, reverse },
      });
      expect(rejected.proposals.map((p) => p.id)).toEqual(reverse ? [5n, 4n] : [3n, 4n]);
      expect(rejected.pagination!.total).toBe(3n);
      const rest = await proposalsPage(store, {
        proposalStatus: REJECTED,
        pagination: { key: rejected.pagination!.nextKey, offset: 0n, limit: 2n, countTotal: false, reverse },
      });
      expect(rest.proposals.map((p) => p.id)).toEqual([reverse ? 3n : 5n]);
      expect(rest.pagination!.nextKey).toEqual(new Uint8Array());
      const voted = await proposalsPage(store, {
        voter: bob,
        pagination: { key: new Uint8Array(), offset: 0n, limit: 1n, countTotal: true, reverse },
      });
      expect(voted.proposals.map((p) => p.id)).toEqual(reverse ? [3n] : [1n]);
      expect(voted.pagination!.total).toBe(3n);
    }
    expect((await allPages(store, { voter: bob }, 1n)).ids).toEqual([1n, 2n, 3n]);
    expect((await allPages(store, { voter: bob, pagination: { reverse: true } as never }, 1n)).ids).toEqual([
      3n,
      2n,
      1n,
    ]);
    // The legacy listing shares the index.
    const legacy = v1beta1.QueryProposalsResponse.decode(
      await GOV_QUERIES["/cosmos.gov.v1beta1.Query/Proposals"]!(
        store.query(),
        v1beta1.QueryProposalsRequest.encode(
          v1beta1.QueryProposalsRequest.fromPartial({ proposalStatus: REJECTED }),
        ).finish(),
      ),
    );
    expect(legacy.proposals.map((p) => p.proposalId)).toEqual([3n, 4n, 5n]);
    await expect(
      proposalsPage(store, {
        pagination: { key: new Uint8Array(3), offset: 0n, limit: 2n, countTotal: false, reverse: false },
      }),
    ).rejects.toThrow(/next_key/);
  });

  it("a voter-filtered listing past 10 000 proposals pages on with next_key instead of stopping", async () => {
    const store = genesis();
    const voter = address("far-voter");
    const base: Proposal = {
      id: 0n,
      messages: [],
      status: ProposalStatus.PROPOSAL_STATUS_REJECTED,
      submitTime: { seconds: T0, nanos: 0 },
      totalDeposit: [],
      metadata: "",
      title: "t",
      summary: "s",
      proposer: voter,
      expedited: false,
      failedReason: "",
    };
    const N = 12_500;
    for (let i = 1; i <= N; i++) setProposal(store, { ...base, id: BigInt(i) });
    const votedOn = [3n, 10_500n, 12_499n];
    for (const id of votedOn)
      setVote(store, { proposalId: id, voter, options: [{ option: 1, weight: "1" }], metadata: "" });

    const forward = await allPages(store, { voter }, 2n);
    expect(forward.ids).toEqual(votedOn);
    expect(forward.pages).toBeGreaterThan(1);
    const backward = await allPages(store, { voter, pagination: { reverse: true } as never }, 2n);
    expect(backward.ids).toEqual([...votedOn].reverse());
    // The first page stops at its scan budget with what it found and a key to go on from.
    const first = await proposalsPage(store, {
      voter,
      pagination: { key: new Uint8Array(), offset: 0n, limit: 10n, countTotal: true, reverse: false },
    });
    expect(first.proposals.map((p) => p.id)).toEqual([3n]);
    expect(first.pagination!.nextKey.length).toBe(8);
    expect(first.pagination!.total).toBe(3n);
    // A status-filtered listing is one range read, however many proposals there are.
    const newest = await proposalsPage(store, {
      proposalStatus: ProposalStatus.PROPOSAL_STATUS_REJECTED,
      pagination: { key: new Uint8Array(), offset: 0n, limit: 3n, countTotal: true, reverse: true },
    });
    expect(newest.proposals.map((p) => p.id)).toEqual([12_500n, 12_499n, 12_498n]);
    expect(newest.pagination!.total).toBe(BigInt(N));
  });
});

// ---------------------------------------------------------------- votes and deposits

describe("votes and deposits pages", () => {
  it("page in reverse and count totals", async () => {
    const store = genesis();
    const owner = human(store, "owner", 1_000_000n);
    const id = spendProposal(ctxAt(store, T0 + 5n), owner);
    const voters = Array.from({ length: 7 }, (_, i) => human(store, `voter${i}`, 1_000_000n));
    for (const v of voters) vote(ctxAt(store, T0 + 5n), id, v, VoteOption.VOTE_OPTION_YES);
    const sorted = [...voters].sort((a, b) =>
      Buffer.compare(Buffer.from(GovKeys.vote(id, a)), Buffer.from(GovKeys.vote(id, b))),
    );
    const page = async (pagination: Partial<v1.QueryVotesRequest["pagination"]>) =>
      v1.QueryVotesResponse.decode(
        await GOV_QUERIES["/cosmos.gov.v1.Query/Votes"]!(
          store.query(),
          v1.QueryVotesRequest.encode(
            v1.QueryVotesRequest.fromPartial({ proposalId: id, pagination: pagination as never }),
          ).finish(),
        ),
      );
    for (const reverse of [false, true]) {
      const seen: string[] = [];
      let key: Uint8Array = new Uint8Array();
      let pages = 0;
      for (;;) {
        const r = await page({ key, limit: 3n, countTotal: true, reverse });
        expect(r.pagination!.total).toBe(7n);
        seen.push(...r.votes.map((v) => v.voter));
        pages++;
        if (r.pagination!.nextKey.length === 0) break;
        key = r.pagination!.nextKey;
      }
      expect(seen).toEqual(reverse ? [...sorted].reverse() : sorted);
      expect(pages).toBe(3);
    }
    expect((await page({ limit: 2n })).pagination!.total).toBe(0n);

    const deposits = v1.QueryDepositsResponse.decode(
      await GOV_QUERIES["/cosmos.gov.v1.Query/Deposits"]!(
        store.query(),
        v1.QueryDepositsRequest.encode(
          v1.QueryDepositsRequest.fromPartial({
            proposalId: id,
            pagination: { limit: 1n, countTotal: true, reverse: true },
          }),
        ).finish(),
      ),
    );
    expect(deposits.deposits.map((d) => d.depositor)).toEqual([owner]);
    expect(deposits.pagination).toEqual({ nextKey: new Uint8Array(), total: 1n });
  });
});
