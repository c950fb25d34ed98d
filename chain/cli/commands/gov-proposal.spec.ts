import { parseCoins } from "@cosmjs/proto-signing";
import { MsgSend } from "cosmjs-types/cosmos/bank/v1beta1/tx";
import { VoteOption } from "cosmjs-types/cosmos/gov/v1/gov";
import { describe, expect, it } from "vitest";
import { defaultModuleRegistry } from "../../../contracts/index.js";
import { MsgRegistry } from "../../tx/msg-registry.js";
import { parseProposalFile, proposalIdArg, voteOptionArg, weightedOptionsArg } from "./gov-proposal.js";
import { CliError } from "./output.js";

const registry = MsgRegistry.fromModules(defaultModuleRegistry());
const opts = { resolve: registry.resolveBodyAny, isMsg: (t: string) => registry.has(t), parseCoins };
const A = "vivim1qypqxpq9qcrsszg2pvxq6rs0zqg3yyc5z5tpwp";

function code(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(CliError);
    return `${(err as CliError).code}: ${(err as CliError).message}`;
  }
  throw new Error("expected a CliError");
}

describe("parseProposalFile", () => {
  it("reads the SDK's proposal file", () => {
    const p = parseProposalFile(
      JSON.stringify({
        messages: [
          {
            "@type": "/cosmos.bank.v1beta1.MsgSend",
            from_address: A,
            to_address: A,
            amount: [{ denom: "uvivim", amount: "1" }],
          },
        ],
        metadata: "ipfs://CID",
        deposit: "1000uvivim",
        title: "T",
        summary: "S",
        expedited: true,
      }),
      opts,
    );
    expect(p.messages[0]?.typeUrl).toBe("/cosmos.bank.v1beta1.MsgSend");
    expect(MsgSend.decode(p.messages[0]!.value).amount).toEqual([{ denom: "uvivim", amount: "1" }]);
    expect(p).toMatchObject({
      metadata: "ipfs://CID",
      deposit: [{ denom: "uvivim", amount: "1000" }],
      title: "T",
      summary: "S",
      expedited: true,
    });
    // A text proposal: no messages, no metadata, no deposit.
    expect(parseProposalFile('{"title":"T","summary":"S"}', opts)).toEqual({
      messages: [],
      metadata: "",
      deposit: [],
      title: "T",
      summary: "S",
      expedited: false,
    });
  });

  it("refuses a file it cannot submit exactly, with INVALID_PROPOSAL", () => {
    const cases: Array<[string, RegExp]> = [
      ["{", /not valid JSON/],
      ["[]", /must hold a JSON object/],
      ['{"title":"T","summary":"S","sumary":"x"}', /unknown key "sumary"/],
      ['{"title":"","summary":"S"}', /"title" must not be empty/],
      ['{"title":"T","summary":"S","expedited":"yes"}', /"expedited" must be true or false/],
      ['{"title":"T","summary":"S","messages":{}}', /"messages" must be an array/],
      [
        '{"title":"T","summary":"S","messages":[{"@type":"/cosmos.gov.v1beta1.TextProposal","title":"x"}]}',
        /messages\[0\]: \/cosmos.gov.v1beta1.TextProposal is not a Msg/,
      ],
      [
        '{"title":"T","summary":"S","messages":[{"@type":"/cosmos.bank.v1beta1.MsgSend","from":"x"}]}',
        /messages\[0\]\.from: cosmos.bank.v1beta1.MsgSend has no field "from"/,
      ],
      ['{"title":"T","summary":"S","messages":[{"to_address":"x"}]}', /messages\[0\]: must name its type/],
    ];
    for (const [text, why] of cases)
      expect(code(() => parseProposalFile(text, opts))).toMatch(
        new RegExp(`^INVALID_PROPOSAL: .*${why.source}`),
      );
  });
});

describe("vote arguments", () => {
  it("reads options and weighted options as the SDK's CLI does", () => {
    expect(["yes", "NO", "abstain", "no_with_veto", "VOTE_OPTION_NO_WITH_VETO"].map(voteOptionArg)).toEqual([
      VoteOption.VOTE_OPTION_YES,
      VoteOption.VOTE_OPTION_NO,
      VoteOption.VOTE_OPTION_ABSTAIN,
      VoteOption.VOTE_OPTION_NO_WITH_VETO,
      VoteOption.VOTE_OPTION_NO_WITH_VETO,
    ]);
    expect(weightedOptionsArg("yes=0.6,no=0.4")).toEqual([
      { option: VoteOption.VOTE_OPTION_YES, weight: "0.600000000000000000" },
      { option: VoteOption.VOTE_OPTION_NO, weight: "0.400000000000000000" },
    ]);
    expect(weightedOptionsArg("abstain=1")).toEqual([
      { option: VoteOption.VOTE_OPTION_ABSTAIN, weight: "1.000000000000000000" },
    ]);
    expect(proposalIdArg("42")).toBe(42n);
  });

  it("refuses bad ones with coded errors", () => {
    expect(code(() => voteOptionArg("maybe"))).toMatch(
      /^INVALID_VOTE: vote option must be yes, no, abstain or no_with_veto/,
    );
    expect(code(() => weightedOptionsArg("yes=0.6,no=0.3"))).toMatch(
      /^INVALID_VOTE: the weights sum to 0.900000000000000000, not 1/,
    );
    expect(code(() => weightedOptionsArg("yes=0.5,yes=0.5"))).toMatch(/^INVALID_VOTE: yes is given twice/);
    expect(code(() => weightedOptionsArg("yes=1.5"))).toMatch(
      /^INVALID_VOTE: weight "1.5" must be a decimal in \(0, 1\]/,
    );
    expect(code(() => weightedOptionsArg("yes"))).toMatch(/^INVALID_VOTE: "yes" is not option=weight/);
    expect(code(() => weightedOptionsArg("yes=0.2,no=0.2,abstain=0.2,veto=0.2,yes=0.2"))).toMatch(
      /^INVALID_VOTE: weighted options/,
    );
    for (const bad of ["0", "-1", "x", "18446744073709551616", "1.5"])
      expect(code(() => proposalIdArg(bad))).toMatch(/^INVALID_PROPOSAL_ID/);
  });
});
