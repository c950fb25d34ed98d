/**
 * Governance inside the real application over LevelDB: proposals submitted, voted and tallied by
 * cosmjs-signed txs, the end block deciding them at the block time, passed proposals executed by
 * the gov account, deposits refunded or burned to the uvivim, and every refusal coded.
 */
import type { EncodeObject } from "@cosmjs/proto-signing";
import { MsgCommunityPoolSpend } from "cosmjs-types/cosmos/distribution/v1beta1/tx";
import { ProposalStatus, VoteOption } from "cosmjs-types/cosmos/gov/v1/gov";
import {
  QueryProposalRequest,
  QueryProposalResponse,
  QueryProposalsRequest,
  QueryProposalsResponse,
} from "cosmjs-types/cosmos/gov/v1/query";
import { MsgVote as MsgVoteV1 } from "cosmjs-types/cosmos/gov/v1/tx";
import { TextProposal } from "cosmjs-types/cosmos/gov/v1beta1/gov";
import * as legacyQuery from "cosmjs-types/cosmos/gov/v1beta1/query";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { toBase64 } from "../../chain/crypto/hash.js";
import { type SpecAccount, SpecChain, type SpecResult, specAccounts } from "../../test/support/spec-chain.js";
import { moduleAddress } from "../auth/keeper.js";
import { getBalance, getSupply } from "../bank/keeper.js";
import { VIVIM_MODULES } from "../index.js";
import { getSocialParams } from "../social/params.js";
import { MsgUpdateSocialParams } from "../social/tx.js";
import { getInfo, getProposal, getVote } from "./keeper.js";
import { DEFAULT_VIVIM_GOV_PARAMS, GOV_ADDRESS } from "./params.js";
import { QueryVotingPowerRequest, QueryVotingPowerResponse } from "./query-types.js";
import { Electorate, Stage } from "./records.js";
import { MsgUpdateGovVivimParams } from "./tx.js";

const TREASURY = moduleAddress("treasury");
const MIN = 1000n;
const uv = (n: bigint | number) => [{ denom: "uvivim", amount: String(n) }];
const VOTING = 100n;

/** An x/gov-shaped query through abci_query with cosmjs-types' codecs. */
async function q<Req, Res>(
  h: SpecChain,
  path: string,
  req: { encode(m: Req): { finish(): Uint8Array }; fromPartial(o: never): Req },
  value: object,
  res: { decode(b: Uint8Array): Res },
): Promise<Res> {
  const r = await h.queryRaw(path, req.encode(req.fromPartial(value as never)).finish());
  if (r.code !== 0) throw new Error(`${path}: ${r.codespace}/${r.code} ${r.log}`);
  return res.decode(r.value);
}

const any = (typeUrl: string, value: Uint8Array) => ({ typeUrl, value });

function submit(
  proposer: string,
  opts: {
    messages?: Array<{ typeUrl: string; value: Uint8Array }>;
    deposit?: bigint;
    title?: string;
    expedited?: boolean;
  } = {},
): EncodeObject {
  return {
    typeUrl: "/cosmos.gov.v1.MsgSubmitProposal",
    value: {
      messages: opts.messages ?? [],
      initialDeposit: uv(opts.deposit ?? MIN),
      proposer,
      metadata: "",
      title: opts.title ?? "A proposal",
      summary: "Why it matters",
      expedited: opts.expedited ?? false,
    },
  };
}

const vote = (voter: string, proposalId: bigint, option: VoteOption): EncodeObject => ({
  typeUrl: "/cosmos.gov.v1.MsgVote",
  value: { proposalId, voter, option, metadata: "" },
});

function proposalIdOf(r: SpecResult): bigint {
  expect(r.code, r.log).toBe(0);
  return BigInt(r.event("submit_proposal")!.proposal_id!);
}

function spend(recipient: string, amount: bigint) {
  const value = MsgCommunityPoolSpend.fromPartial({ authority: GOV_ADDRESS, recipient, amount: uv(amount) });
  return any(
    "/cosmos.distribution.v1beta1.MsgCommunityPoolSpend",
    MsgCommunityPoolSpend.encode(value).finish(),
  );
}

describe("gov module in the application", () => {
  let h: SpecChain;
  let op1: SpecAccount;
  let op2: SpecAccount;
  let alice: SpecAccount;
  let bob: SpecAccount;
  let scout: SpecAccount;
  let idle: SpecAccount;
  let everyone: SpecAccount[];

  beforeAll(async () => {
    everyone = await specAccounts(6);
    [op1, op2, alice, bob, scout, idle] = everyone as [
      SpecAccount,
      SpecAccount,
      SpecAccount,
      SpecAccount,
      SpecAccount,
      SpecAccount,
    ];
    h = await SpecChain.start(VIVIM_MODULES, {
      bank: {
        balances: [
          ...everyone.map((a) => ({ address: a.address, coins: uv(1_000_000) })),
          { address: TREASURY, coins: uv(500_000) },
        ],
      },
      identity: {
        profiles: [
          { address: alice.address, handle: "alice", display_name: "Alice", bio: "" },
          { address: bob.address, handle: "bob", display_name: "Bob", bio: "" },
        ],
        agents: [
          {
            owner: alice.address,
            name: "scout",
            pub_key_type: "secp256k1",
            pub_key: toBase64(scout.pubKey),
            capabilities: ["govern"],
          },
          {
            owner: alice.address,
            name: "idle",
            pub_key_type: "secp256k1",
            pub_key: toBase64(idle.pubKey),
            capabilities: ["post"],
          },
        ],
      },
      reputation: {
        params: { epoch_blocks: "1000000" },
        scores: [
          { address: alice.address, score: "3000000" },
          { address: bob.address, score: "1000000" },
        ],
      },
      validators: {
        validators: [
          {
            pub_key: toBase64(new Uint8Array(32).fill(1)),
            power: "60",
            moniker: "v1",
            operator: op1.address,
          },
          {
            pub_key: toBase64(new Uint8Array(32).fill(2)),
            power: "40",
            moniker: "v2",
            operator: op2.address,
          },
        ],
      },
      gov: {
        params: {
          min_deposit: uv(MIN),
          expedited_min_deposit: uv(5 * Number(MIN)),
          max_deposit_period: "50s",
          voting_period: `${VOTING}s`,
          expedited_voting_period: "30s",
        },
      },
    });
  });

  afterAll(async () => {
    await h?.stop();
  });

  /** Runs empty blocks until block time has passed `seconds` from now. */
  async function wait(seconds: bigint): Promise<void> {
    await h.block([], h.time + seconds);
  }

  it("a council text proposal passes with the operators' validator power and refunds its deposit", async () => {
    const before = getBalance(h.store, alice.address, "uvivim");
    const id = proposalIdOf(await h.exec(alice, submit(alice.address)));
    expect(getProposal(h.store, id)?.status).toBe(ProposalStatus.PROPOSAL_STATUS_VOTING_PERIOD);
    expect(getBalance(h.store, alice.address, "uvivim")).toBe(before - MIN);
    expect(getInfo(h.store, id)?.electorate).toBe(Electorate.COUNCIL);
    expect((await h.exec(op1, vote(op1.address, id, VoteOption.VOTE_OPTION_YES))).code).toBe(0);
    await wait(VOTING);
    const p = getProposal(h.store, id)!;
    expect(p.status).toBe(ProposalStatus.PROPOSAL_STATUS_PASSED);
    expect(p.finalTallyResult).toEqual({
      yesCount: "60",
      abstainCount: "0",
      noCount: "0",
      noWithVetoCount: "0",
    });
    expect(getInfo(h.store, id)?.stage).toBe(Stage.EXECUTED);
    expect(getBalance(h.store, alice.address, "uvivim")).toBe(before);
  });

  it("fails quorum when too little of the electorate votes, refunding the deposit", async () => {
    const id = proposalIdOf(await h.exec(alice, submit(alice.address)));
    await wait(VOTING);
    expect(getProposal(h.store, id)?.status).toBe(ProposalStatus.PROPOSAL_STATUS_REJECTED);
    expect(getInfo(h.store, id)?.stage).toBe(Stage.REJECTED);
    expect(getBalance(h.store, GOV_ADDRESS, "uvivim")).toBe(0n);
  });

  it("a veto rejects the proposal and burns its deposit", async () => {
    const supply = getSupply(h.store, "uvivim");
    const id = proposalIdOf(await h.exec(alice, submit(alice.address)));
    await h.exec(op1, vote(op1.address, id, VoteOption.VOTE_OPTION_NO_WITH_VETO));
    await h.exec(op2, vote(op2.address, id, VoteOption.VOTE_OPTION_YES));
    await wait(VOTING);
    expect(getProposal(h.store, id)?.status).toBe(ProposalStatus.PROPOSAL_STATUS_REJECTED);
    expect(getSupply(h.store, "uvivim")).toBe(supply - MIN);
  });

  it("a later vote replaces the voter's earlier one; a vote after the deadline is refused", async () => {
    const id = proposalIdOf(await h.exec(alice, submit(alice.address)));
    await h.exec(op1, vote(op1.address, id, VoteOption.VOTE_OPTION_YES));
    await h.exec(op1, vote(op1.address, id, VoteOption.VOTE_OPTION_NO));
    expect(getVote(h.store, id, op1.address)?.options.map((o) => o.option)).toEqual([
      VoteOption.VOTE_OPTION_NO,
    ]);
    const end = getProposal(h.store, id)!.votingEndTime!.seconds;
    const late = await h.exec(op2, vote(op2.address, id, VoteOption.VOTE_OPTION_YES), end);
    expect([late.codespace, late.code]).toEqual(["gov", 20]);
    const p = getProposal(h.store, id)!;
    expect(p.status).toBe(ProposalStatus.PROPOSAL_STATUS_REJECTED);
    expect(p.finalTallyResult?.noCount).toBe("60");
    const after = await h.exec(op2, vote(op2.address, id, VoteOption.VOTE_OPTION_YES));
    expect([after.codespace, after.code]).toEqual(["gov", 3]);
  });

  it("a parameter change takes effect when its proposal passes", async () => {
    const params = getSocialParams(h.store);
    const change = any(
      MsgUpdateSocialParams.typeUrl,
      MsgUpdateSocialParams.encode(
        MsgUpdateSocialParams.fromPartial({
          authority: GOV_ADDRESS,
          params: { ...params, maxCommentDepth: 3 },
        }),
      ).finish(),
    );
    const id = proposalIdOf(await h.exec(alice, submit(alice.address, { messages: [change] })));
    await h.exec(op1, vote(op1.address, id, VoteOption.VOTE_OPTION_YES));
    expect(getSocialParams(h.store).maxCommentDepth).toBe(params.maxCommentDepth);
    await wait(VOTING);
    expect(getInfo(h.store, id)?.stage).toBe(Stage.EXECUTED);
    expect(getSocialParams(h.store).maxCommentDepth).toBe(3);
  });

  it("refuses at submission what could never execute, with coded errors", async () => {
    const params = getSocialParams(h.store);
    const notGov = any(
      MsgUpdateSocialParams.typeUrl,
      MsgUpdateSocialParams.encode(
        MsgUpdateSocialParams.fromPartial({ authority: alice.address, params }),
      ).finish(),
    );
    const asGov = any(
      MsgUpdateSocialParams.typeUrl,
      MsgUpdateSocialParams.encode(
        MsgUpdateSocialParams.fromPartial({ authority: GOV_ADDRESS, params }),
      ).finish(),
    );
    const govVote = any(
      "/cosmos.gov.v1.MsgVote",
      MsgVoteV1.encode(
        MsgVoteV1.fromPartial({ proposalId: 1n, voter: GOV_ADDRESS, option: VoteOption.VOTE_OPTION_YES }),
      ).finish(),
    );
    const cases: Array<[SpecAccount, EncodeObject, string, number]> = [
      [alice, submit(alice.address, { messages: [notGov] }), "gov", 13],
      [alice, submit(alice.address, { messages: [spend(bob.address, 1n), asGov] }), "gov", 102],
      [alice, submit(alice.address, { messages: [govVote] }), "gov", 12],
      [alice, submit(alice.address, { title: "" }), "gov", 5],
      [alice, submit(alice.address, { deposit: 0n }), "sdk", 10],
      [op1, vote(op1.address, 999n, VoteOption.VOTE_OPTION_YES), "gov", 2],
    ];
    for (const [signer, msg, codespace, code] of cases) {
      const r = await h.exec(signer, msg);
      expect([r.codespace, r.code], r.log).toEqual([codespace, code]);
    }
    // A message type the chain does not know cannot even be decoded.
    const unknown = await h.exec(
      alice,
      submit(alice.address, { messages: [any("/vivim.nope.v1.MsgNope", new Uint8Array())] }),
    );
    expect(unknown.code).not.toBe(0);
    expect(unknown.log).toMatch(/nope/i);
  });

  it("members decide treasury spends by capped reputation; an agent votes with its owner's weight only when allowed", async () => {
    const id = proposalIdOf(
      await h.exec(bob, submit(bob.address, { messages: [spend(bob.address, 1234n)] })),
    );
    expect(getInfo(h.store, id)?.electorate).toBe(Electorate.MEMBERS);
    const refusedAgent = await h.exec(idle, vote(idle.address, id, VoteOption.VOTE_OPTION_YES));
    expect([refusedAgent.codespace, refusedAgent.code]).toEqual(["gov", 101]);
    const noWeight = await h.exec(op1, vote(op1.address, id, VoteOption.VOTE_OPTION_YES));
    expect([noWeight.codespace, noWeight.code]).toEqual(["gov", 100]);
    const power = await h.query(
      "/vivim.gov.v1.Query/VotingPower",
      QueryVotingPowerRequest,
      { proposalId: id, voter: scout.address },
      QueryVotingPowerResponse,
    );
    expect(power).toMatchObject({ weight: "3000000", totalWeight: "4000000", owner: alice.address });
    // The agent votes yes with alice's weight; alice's own no then replaces it.
    expect((await h.exec(scout, vote(scout.address, id, VoteOption.VOTE_OPTION_YES))).code).toBe(0);
    expect((await h.exec(alice, vote(alice.address, id, VoteOption.VOTE_OPTION_NO))).code).toBe(0);
    expect((await h.exec(bob, vote(bob.address, id, VoteOption.VOTE_OPTION_YES))).code).toBe(0);
    await wait(VOTING);
    const p = getProposal(h.store, id)!;
    expect(p.finalTallyResult).toEqual({
      yesCount: "1000000",
      abstainCount: "0",
      noCount: "3000000",
      noWithVetoCount: "0",
    });
    expect(p.status).toBe(ProposalStatus.PROPOSAL_STATUS_REJECTED);
  });

  it("a treasury spend that passes pays out; one that cannot run fails whole", async () => {
    const treasury = getBalance(h.store, TREASURY, "uvivim");
    const bobBefore = getBalance(h.store, bob.address, "uvivim");
    const ok = proposalIdOf(
      await h.exec(bob, submit(bob.address, { messages: [spend(bob.address, 1234n)] })),
    );
    const tooMuch = proposalIdOf(
      await h.exec(
        bob,
        submit(bob.address, { messages: [spend(bob.address, 1n), spend(bob.address, treasury + 1n)] }),
      ),
    );
    for (const id of [ok, tooMuch]) {
      await h.exec(scout, vote(scout.address, id, VoteOption.VOTE_OPTION_YES));
      await h.exec(bob, vote(bob.address, id, VoteOption.VOTE_OPTION_YES));
    }
    await wait(VOTING);
    expect(getInfo(h.store, ok)?.stage).toBe(Stage.EXECUTED);
    const failed = getProposal(h.store, tooMuch)!;
    expect(failed.status).toBe(ProposalStatus.PROPOSAL_STATUS_FAILED);
    expect(failed.failedReason).toMatch(/message 1/);
    expect(getBalance(h.store, TREASURY, "uvivim")).toBe(treasury - 1234n);
    expect(getBalance(h.store, bob.address, "uvivim")).toBe(bobBefore + 1234n);
  });

  it("a proposal short of its deposit waits, a deposit starts its vote, and an unfunded one is dropped", async () => {
    const funded = proposalIdOf(await h.exec(alice, submit(alice.address, { deposit: 100n })));
    const dropped = proposalIdOf(await h.exec(bob, submit(bob.address, { deposit: 100n })));
    expect(getProposal(h.store, funded)?.status).toBe(ProposalStatus.PROPOSAL_STATUS_DEPOSIT_PERIOD);
    const bobBalance = getBalance(h.store, bob.address, "uvivim");
    const dep = await h.exec(op2, {
      typeUrl: "/cosmos.gov.v1beta1.MsgDeposit",
      value: { proposalId: funded, depositor: op2.address, amount: uv(900) },
    });
    expect(dep.code, dep.log).toBe(0);
    expect(getProposal(h.store, funded)?.status).toBe(ProposalStatus.PROPOSAL_STATUS_VOTING_PERIOD);
    await wait(60n);
    expect(getProposal(h.store, dropped)).toBeUndefined();
    expect(getBalance(h.store, bob.address, "uvivim")).toBe(bobBalance + 100n);
    await wait(VOTING);
  });

  it("takes the legacy v1beta1 forms and answers the legacy queries", async () => {
    const r = await h.exec(alice, {
      typeUrl: "/cosmos.gov.v1beta1.MsgSubmitProposal",
      value: {
        content: {
          typeUrl: "/cosmos.gov.v1beta1.TextProposal",
          value: TextProposal.encode({ title: "Legacy", description: "Old wallets" }).finish(),
        },
        initialDeposit: uv(MIN),
        proposer: alice.address,
      },
    });
    const id = proposalIdOf(r);
    const weighted = await h.exec(op1, {
      typeUrl: "/cosmos.gov.v1beta1.MsgVoteWeighted",
      value: {
        proposalId: id,
        voter: op1.address,
        options: [
          { option: VoteOption.VOTE_OPTION_YES, weight: "700000000000000000" },
          { option: VoteOption.VOTE_OPTION_NO, weight: "300000000000000000" },
        ],
      },
    });
    expect(weighted.code, weighted.log).toBe(0);
    const bad = await h.exec(op2, {
      typeUrl: "/cosmos.gov.v1.MsgVoteWeighted",
      value: {
        proposalId: id,
        voter: op2.address,
        options: [{ option: VoteOption.VOTE_OPTION_YES, weight: "0.5" }],
        metadata: "",
      },
    });
    expect([bad.codespace, bad.code]).toEqual(["gov", 7]);
    const legacy = await q(
      h,
      "/cosmos.gov.v1beta1.Query/Proposal",
      legacyQuery.QueryProposalRequest,
      { proposalId: id },
      legacyQuery.QueryProposalResponse,
    );
    expect(TextProposal.decode(legacy.proposal!.content!.value)).toEqual({
      title: "Legacy",
      description: "Old wallets",
    });
    const tally = await q(
      h,
      "/cosmos.gov.v1beta1.Query/TallyResult",
      legacyQuery.QueryTallyResultRequest,
      { proposalId: id },
      legacyQuery.QueryTallyResultResponse,
    );
    expect(tally.tally).toEqual({ yes: "42", abstain: "0", no: "18", noWithVeto: "0" });
    const voting = await q(
      h,
      "/cosmos.gov.v1.Query/Proposals",
      QueryProposalsRequest,
      { proposalStatus: ProposalStatus.PROPOSAL_STATUS_VOTING_PERIOD },
      QueryProposalsResponse,
    );
    expect(voting.proposals.map((p) => p.id)).toEqual([id]);
    const one = await q(
      h,
      "/cosmos.gov.v1.Query/Proposal",
      QueryProposalRequest,
      { proposalId: id },
      QueryProposalResponse,
    );
    expect(one.proposal?.title).toBe("Legacy");
    await wait(VOTING);
    expect(getProposal(h.store, id)?.status).toBe(ProposalStatus.PROPOSAL_STATUS_PASSED);
  });

  it("an expedited proposal that misses two thirds becomes a regular one", async () => {
    const params = getSocialParams(h.store);
    const change = any(
      MsgUpdateSocialParams.typeUrl,
      MsgUpdateSocialParams.encode(
        MsgUpdateSocialParams.fromPartial({
          authority: GOV_ADDRESS,
          params: { ...params, maxCommentDepth: 4 },
        }),
      ).finish(),
    );
    const id = proposalIdOf(
      await h.exec(alice, submit(alice.address, { messages: [change], deposit: 5n * MIN, expedited: true })),
    );
    await h.exec(op1, vote(op1.address, id, VoteOption.VOTE_OPTION_YES));
    await h.exec(op2, vote(op2.address, id, VoteOption.VOTE_OPTION_NO));
    await wait(30n);
    const p = getProposal(h.store, id)!;
    expect(p.status).toBe(ProposalStatus.PROPOSAL_STATUS_VOTING_PERIOD);
    expect(p.expedited).toBe(false);
    expect(getInfo(h.store, id)?.convertedFromExpedited).toBe(true);
    await wait(VOTING);
    expect(getSocialParams(h.store).maxCommentDepth).toBe(4);
  });

  it("changes its own params by proposal, and then holds passed proposals for the timelock", async () => {
    const vparams = { ...DEFAULT_VIVIM_GOV_PARAMS, timelockSeconds: 40n };
    const timelock = any(
      MsgUpdateGovVivimParams.typeUrl,
      MsgUpdateGovVivimParams.encode(
        MsgUpdateGovVivimParams.fromPartial({ authority: GOV_ADDRESS, params: vparams }),
      ).finish(),
    );
    const first = proposalIdOf(await h.exec(alice, submit(alice.address, { messages: [timelock] })));
    await h.exec(op1, vote(op1.address, first, VoteOption.VOTE_OPTION_YES));
    await wait(VOTING);
    expect(getInfo(h.store, first)?.stage).toBe(Stage.EXECUTED);

    const params = getSocialParams(h.store);
    const change = any(
      MsgUpdateSocialParams.typeUrl,
      MsgUpdateSocialParams.encode(
        MsgUpdateSocialParams.fromPartial({
          authority: GOV_ADDRESS,
          params: { ...params, maxCommentDepth: 6 },
        }),
      ).finish(),
    );
    const id = proposalIdOf(await h.exec(alice, submit(alice.address, { messages: [change] })));
    await h.exec(op1, vote(op1.address, id, VoteOption.VOTE_OPTION_YES));
    await wait(VOTING);
    expect(getProposal(h.store, id)?.status).toBe(ProposalStatus.PROPOSAL_STATUS_PASSED);
    expect(getInfo(h.store, id)?.stage).toBe(Stage.QUEUED);
    expect(getSocialParams(h.store).maxCommentDepth).toBe(params.maxCommentDepth);
    await wait(40n);
    expect(getInfo(h.store, id)).toMatchObject({ stage: Stage.EXECUTED, executedHeight: h.lastHeight });
    expect(getSocialParams(h.store).maxCommentDepth).toBe(6);
  });
});
