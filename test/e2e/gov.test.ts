/**
 * Governance through the unmodified cosmjs client against a real node: proposals submitted with
 * cosmjs's own gov encodings (v1 and v1beta1), listed and tallied through cosmjs's GovExtension,
 * voted by the validator's operator (the council), and decided by the node's end block at block
 * time. Genesis makes test account 0 the validator's operator and shortens the periods to seconds.
 */
import {
  QueryClient,
  type SigningStargateClient,
  setupBankExtension,
  setupGovExtension,
} from "@cosmjs/stargate";
import { Comet38Client } from "@cosmjs/tendermint-rpc";
import { ProposalStatus, VoteOption } from "cosmjs-types/cosmos/gov/v1/gov";
import { TextProposal } from "cosmjs-types/cosmos/gov/v1beta1/gov";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  connectVivim,
  GOV_ADDRESS,
  MsgUpdateSocialParams,
  QueryProposalInfoRequest,
  QueryProposalInfoResponse,
  QuerySocialParamsRequest,
  QuerySocialParamsResponse,
  Stage,
} from "../../client/index.js";
import { councilGenesis, startTestNode, type TestAccount, type TestNode } from "../support/node.js";
import { codeOf, committed, txOutcome } from "../support/tx-outcome.js";

const FEE = { amount: [{ denom: "uvivim", amount: "20000" }], gas: "800000" };
const DEPOSIT = [{ denom: "uvivim", amount: "1000" }];
const VOTING_SECONDS = 3;

type Gov = ReturnType<
  typeof QueryClient.withExtensions<
    ReturnType<typeof setupGovExtension>,
    ReturnType<typeof setupBankExtension>
  >
>;

describe("governance through cosmjs", () => {
  let net: TestNode;
  let comet: Comet38Client;
  let q: Gov;
  let operator: TestAccount;
  let member: TestAccount;
  const clients = new Map<string, SigningStargateClient>();

  beforeAll(async () => {
    net = await startTestNode({
      editGenesis: councilGenesis({
        params: {
          min_deposit: DEPOSIT,
          expedited_min_deposit: [{ denom: "uvivim", amount: "5000" }],
          max_deposit_period: `${VOTING_SECONDS}s`,
          voting_period: `${VOTING_SECONDS}s`,
          expedited_voting_period: "1s",
        },
      }),
    });
    [operator, member] = net.accounts as [TestAccount, TestAccount];
    comet = await Comet38Client.connect(net.rpcUrl);
    q = QueryClient.withExtensions(comet, setupGovExtension, setupBankExtension);
    for (const a of [operator, member])
      clients.set(a.address, await connectVivim(net.rpcUrl, a.wallet, { broadcastPollIntervalMs: 150 }));
  }, 60_000);

  afterAll(async () => {
    for (const c of clients.values()) c.disconnect();
    comet?.disconnect();
    await net?.stop();
  });

  const send = (from: TestAccount, msgs: Array<{ typeUrl: string; value: unknown }>) =>
    txOutcome(clients.get(from.address)!, comet, from.address, msgs, FEE);

  function submitText(title: string) {
    return {
      typeUrl: "/cosmos.gov.v1beta1.MsgSubmitProposal",
      value: {
        content: {
          typeUrl: "/cosmos.gov.v1beta1.TextProposal",
          value: TextProposal.encode({ title, description: `${title}, explained` }).finish(),
        },
        initialDeposit: DEPOSIT,
        proposer: member.address,
      },
    };
  }

  const vote = (voter: TestAccount, proposalId: bigint, option: VoteOption) => ({
    typeUrl: "/cosmos.gov.v1beta1.MsgVote",
    value: { proposalId, voter: voter.address, option },
  });

  async function submitted(msg: { typeUrl: string; value: unknown }): Promise<bigint> {
    const result = committed(await send(member, [msg]));
    const attr = result.events
      .find((e) => e.type === "submit_proposal")
      ?.attributes.find((a) => a.key === "proposal_id");
    return BigInt(attr!.value);
  }

  /** Polls cosmjs's GovExtension until the proposal leaves its voting period. */
  async function decided(id: bigint): Promise<ProposalStatus> {
    const deadline = Date.now() + 30_000;
    for (;;) {
      const { proposal } = await q.gov.proposal(id.toString());
      if (proposal.status !== ProposalStatus.PROPOSAL_STATUS_VOTING_PERIOD) return proposal.status;
      if (Date.now() > deadline) throw new Error(`proposal ${id} still in its voting period`);
      await new Promise((r) => setTimeout(r, 250));
    }
  }

  it("a text proposal the council votes for passes; cosmjs lists and tallies it", async () => {
    const id = await submitted(submitText("Ship v2"));
    const { proposals } = await q.gov.proposals(ProposalStatus.PROPOSAL_STATUS_VOTING_PERIOD, "", "");
    expect(proposals.map((p) => p.proposalId)).toContain(id);
    committed(await send(operator, [vote(operator, id, VoteOption.VOTE_OPTION_YES)]));
    const live = await q.gov.tally(id.toString());
    expect(Number(live.tally!.yes)).toBeGreaterThan(0);
    expect(await decided(id)).toBe(ProposalStatus.PROPOSAL_STATUS_PASSED);
    const { proposal } = await q.gov.proposal(id.toString());
    expect(TextProposal.decode(proposal.content!.value).title).toBe("Ship v2");
    expect(proposal.finalTallyResult.yes).toBe(live.tally!.yes);
  });

  it("a proposal nobody votes on fails quorum and its deposit comes back", async () => {
    const before = BigInt((await q.bank.balance(member.address, "uvivim")).amount);
    const id = await submitted(submitText("Nobody cares"));
    expect(await decided(id)).toBe(ProposalStatus.PROPOSAL_STATUS_REJECTED);
    const after = BigInt((await q.bank.balance(member.address, "uvivim")).amount);
    expect(after).toBe(before - 20_000n); // only the fee: the deposit was refunded
  });

  it("a parameter change takes effect once its proposal passes", async () => {
    const query = async () => {
      const r = await q.queryAbci(
        "/vivim.social.v1.Query/Params",
        QuerySocialParamsRequest.encode(QuerySocialParamsRequest.fromPartial({})).finish(),
      );
      return QuerySocialParamsResponse.decode(r.value).params!;
    };
    const params = await query();
    const change = MsgUpdateSocialParams.fromPartial({
      authority: GOV_ADDRESS,
      params: { ...params, maxCommentDepth: 7 },
    });
    const id = await submitted({
      typeUrl: "/cosmos.gov.v1.MsgSubmitProposal",
      value: {
        messages: [
          { typeUrl: MsgUpdateSocialParams.typeUrl, value: MsgUpdateSocialParams.encode(change).finish() },
        ],
        initialDeposit: DEPOSIT,
        proposer: member.address,
        metadata: "",
        title: "Deeper threads",
        summary: "Allow comments seven levels deep",
        expedited: false,
      },
    });
    committed(
      await send(operator, [
        {
          typeUrl: "/cosmos.gov.v1.MsgVote",
          value: {
            proposalId: id,
            voter: operator.address,
            option: VoteOption.VOTE_OPTION_YES,
            metadata: "",
          },
        },
      ]),
    );
    expect((await query()).maxCommentDepth).toBe(params.maxCommentDepth);
    expect(await decided(id)).toBe(ProposalStatus.PROPOSAL_STATUS_PASSED);
    expect((await query()).maxCommentDepth).toBe(7);
    const info = await q.queryAbci(
      "/vivim.gov.v1.Query/ProposalInfo",
      QueryProposalInfoRequest.encode(QueryProposalInfoRequest.fromPartial({ proposalId: id })).finish(),
    );
    expect(QueryProposalInfoResponse.decode(info.value).info?.stage).toBe(Stage.EXECUTED);
  });

  it("a veto burns the deposit", async () => {
    const supply = BigInt((await q.bank.supplyOf("uvivim")).amount);
    const id = await submitted(submitText("Something terrible"));
    committed(await send(operator, [vote(operator, id, VoteOption.VOTE_OPTION_NO_WITH_VETO)]));
    expect(await decided(id)).toBe(ProposalStatus.PROPOSAL_STATUS_REJECTED);
    // Fees go to the fee collector, not out of supply: only the burned deposit leaves it.
    expect(BigInt((await q.bank.supplyOf("uvivim")).amount)).toBe(supply - 1000n);
  });

  it("a second vote replaces the first, and votes after the voting period are refused", async () => {
    const id = await submitted(submitText("Change of mind"));
    committed(await send(operator, [vote(operator, id, VoteOption.VOTE_OPTION_YES)]));
    committed(await send(operator, [vote(operator, id, VoteOption.VOTE_OPTION_NO)]));
    const { vote: recorded } = await q.gov.vote(id.toString(), operator.address);
    expect(recorded.options.map((o) => o.option)).toEqual([VoteOption.VOTE_OPTION_NO]);
    expect((await q.gov.votes(id.toString())).votes).toHaveLength(1);
    expect(await decided(id)).toBe(ProposalStatus.PROPOSAL_STATUS_REJECTED);
    const late = await send(operator, [vote(operator, id, VoteOption.VOTE_OPTION_YES)]);
    expect(codeOf(late)).toEqual({ codespace: "gov", code: 3 });
  });

  it("refuses bad proposals and votes at submission with coded errors", async () => {
    const notGov = MsgUpdateSocialParams.fromPartial({ authority: member.address });
    const wrongSigner = await send(member, [
      {
        typeUrl: "/cosmos.gov.v1.MsgSubmitProposal",
        value: {
          messages: [
            { typeUrl: MsgUpdateSocialParams.typeUrl, value: MsgUpdateSocialParams.encode(notGov).finish() },
          ],
          initialDeposit: DEPOSIT,
          proposer: member.address,
          metadata: "",
          title: "Sneaky",
          summary: "Not the gov account",
          expedited: false,
        },
      },
    ]);
    expect(codeOf(wrongSigner)).toEqual({ codespace: "gov", code: 13 });
    const unknownType = await send(member, [
      {
        typeUrl: "/cosmos.gov.v1.MsgSubmitProposal",
        value: {
          messages: [{ typeUrl: "/vivim.nothing.v1.MsgNothing", value: new Uint8Array() }],
          initialDeposit: DEPOSIT,
          proposer: member.address,
          metadata: "",
          title: "Unknown",
          summary: "A message the chain does not run",
          expedited: false,
        },
      },
    ]);
    expect(unknownType.code).not.toBe(0);
    expect(unknownType.log).toMatch(/vivim\.nothing\.v1\.MsgNothing/);
    const noPower = await send(member, [vote(member, 1n, VoteOption.VOTE_OPTION_YES)]);
    expect(codeOf(noPower)).toEqual({ codespace: "gov", code: 3 });
    const unknownProposal = await send(operator, [vote(operator, 9999n, VoteOption.VOTE_OPTION_YES)]);
    expect(codeOf(unknownProposal)).toEqual({ codespace: "gov", code: 2 });
  });
});
