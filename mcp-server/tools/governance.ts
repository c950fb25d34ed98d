/**
 * The DAO through MCP: submit_proposal and vote_proposal (x/gov's `cosmos.gov.v1` Msgs, exactly as
 * wallets send them), get_proposal (with the live tally, VIVIM's stage and electorate, and what the
 * caller's vote would weigh) and list_proposals. Titles, summaries and metadata are member-written
 * and go out wrapped. Through MCP a proposal is a text (signal) proposal; proposals that run Msgs
 * are built with `vivim tx gov submit-proposal` from a reviewed file.
 */
import { type Proposal, ProposalStatus, type TallyResult, VoteOption } from "cosmjs-types/cosmos/gov/v1/gov";
import * as v1 from "cosmjs-types/cosmos/gov/v1/query";
import { MsgSubmitProposal, MsgSubmitProposalResponse, MsgVote } from "cosmjs-types/cosmos/gov/v1/tx";
import type { Timestamp } from "cosmjs-types/google/protobuf/timestamp";
import {
  QueryProposalInfoRequest,
  QueryProposalInfoResponse,
  QueryVotingPowerRequest,
  QueryVotingPowerResponse,
} from "../../contracts/gov/query-types.js";
import { Electorate, type ProposalInfo, Stage } from "../../contracts/gov/records.js";
import { QueryResolveRequest, QueryResolveResponse } from "../../contracts/identity/query.js";
import { BASE_DENOM } from "../../contracts/lib/coins.js";
import type { ChainReader } from "../chain/chain-reader.js";
import { idArg } from "../chain/lookups.js";
import { type CallerIdentity, RESOLVE_PATH } from "../context.js";
import { McpToolError, notFound } from "../errors.js";
import { wrapMemberText } from "../safety/untrusted.js";
import { defineTool, z } from "./define.js";
import { authorOf, untrustedTextSchema } from "./present.js";
import { accountLabels, accountRefSchema, accountTrust } from "./profiles.js";
import { performWrite, waitArg, writeFields, writeResultShape } from "./write.js";

const GOV = "/cosmos.gov.v1.Query";
const VIVIM_GOV = "/vivim.gov.v1.Query";

/** The chain's own caps (contracts/gov/submit.ts count bytes; these count characters, a first line). */
const MAX_TITLE = 256;
const MAX_SUMMARY = 10_000;
const MAX_METADATA = 2_048;

const proposalIdArg = z
  .union([z.string().max(20), z.number().int().positive()])
  .describe("The proposal's id");

// --- reads ----------------------------------------------------------------------------------------

/** Runs a cosmos.gov query; x/gov's "unknown proposal" (gov/2) becomes NOT_FOUND. */
async function govQuery<T>(
  reader: ChainReader,
  path: string,
  request: Uint8Array,
  decode: (b: Uint8Array) => T,
): Promise<T> {
  try {
    return decode(await reader.raw(path, request));
  } catch (e) {
    if (e instanceof McpToolError && e.details.codespace === "gov" && e.details.chainCode === 2) {
      throw new McpToolError("NOT_FOUND", e.message.replace(/^.*?: /, ""), e.details);
    }
    throw e;
  }
}

async function proposalOf(reader: ChainReader, proposalId: bigint): Promise<Proposal> {
  const r = await govQuery(
    reader,
    `${GOV}/Proposal`,
    v1.QueryProposalRequest.encode({ proposalId }).finish(),
    v1.QueryProposalResponse.decode,
  );
  if (!r.proposal) throw notFound(`proposal ${proposalId}`);
  return r.proposal;
}

const tallyOf = async (reader: ChainReader, proposalId: bigint) =>
  (
    await govQuery(
      reader,
      `${GOV}/TallyResult`,
      v1.QueryTallyResultRequest.encode({ proposalId }).finish(),
      v1.QueryTallyResultResponse.decode,
    )
  ).tally;

const infoOf = async (reader: ChainReader, proposalId: bigint) =>
  (
    await reader.query(
      `${VIVIM_GOV}/ProposalInfo`,
      QueryProposalInfoRequest,
      { proposalId },
      QueryProposalInfoResponse,
    )
  ).info;

const votingPower = (reader: ChainReader, proposalId: bigint, voter: string) =>
  reader.query(
    `${VIVIM_GOV}/VotingPower`,
    QueryVotingPowerRequest,
    { proposalId, voter },
    QueryVotingPowerResponse,
  );

const tallySchema = z.object({
  yes: z.string(),
  abstain: z.string(),
  no: z.string(),
  noWithVeto: z.string(),
});

export const proposalSchema = z.object({
  id: z.string(),
  status: z.enum(["UNSPECIFIED", "DEPOSIT_PERIOD", "VOTING_PERIOD", "PASSED", "REJECTED", "FAILED"]),
  title: untrustedTextSchema,
  summary: untrustedTextSchema,
  metadata: untrustedTextSchema,
  proposer: accountRefSchema,
  messages: z
    .array(z.string())
    .describe("Type URLs of the Msgs it runs if it passes (none: a text proposal)"),
  expedited: z.boolean(),
  submitTime: z.string().optional(),
  depositEndTime: z.string().optional(),
  votingStartTime: z.string().optional(),
  votingEndTime: z.string().optional(),
  totalDeposit: z.array(z.string()),
  tally: tallySchema.describe("Live during the voting period, final afterwards"),
  failedReason: z.string(),
});
export type ProposalItem = z.infer<typeof proposalSchema>;

const STATUS_NAMES = proposalSchema.shape.status.options;

const iso = (t: Timestamp | undefined) =>
  t && t.seconds > 0n
    ? new Date(Number(t.seconds) * 1000 + Math.floor(t.nanos / 1e6)).toISOString()
    : undefined;

const zeroTally: TallyResult = { yesCount: "0", abstainCount: "0", noCount: "0", noWithVetoCount: "0" };

export async function presentProposal(
  reader: ChainReader,
  caller: CallerIdentity,
  p: Proposal,
): Promise<ProposalItem> {
  const voting = p.status === ProposalStatus.PROPOSAL_STATUS_VOTING_PERIOD;
  const [who, labels, live] = await Promise.all([
    reader.query(RESOLVE_PATH, QueryResolveRequest, { address: p.proposer }, QueryResolveResponse),
    accountLabels(reader, p.proposer),
    voting ? tallyOf(reader, p.id) : undefined,
  ]);
  const proposer = authorOf(p.proposer, who.displayName);
  const trust = accountTrust(caller, proposer);
  const wrap = (text: string) => wrapMemberText(text, proposer, trust, labels);
  const t = live ?? p.finalTallyResult ?? zeroTally;
  const times = {
    submitTime: iso(p.submitTime),
    depositEndTime: iso(p.depositEndTime),
    votingStartTime: iso(p.votingStartTime),
    votingEndTime: iso(p.votingEndTime),
  };
  return {
    id: p.id.toString(),
    status: STATUS_NAMES[p.status] ?? "UNSPECIFIED",
    title: wrap(p.title),
    summary: wrap(p.summary),
    metadata: wrap(p.metadata),
    proposer,
    messages: p.messages.map((m) => m.typeUrl),
    expedited: p.expedited,
    ...Object.fromEntries(Object.entries(times).filter(([, v]) => v !== undefined)),
    totalDeposit: p.totalDeposit.map((c) => `${c.amount}${c.denom}`),
    tally: { yes: t.yesCount, abstain: t.abstainCount, no: t.noCount, noWithVeto: t.noWithVetoCount },
    failedReason: p.failedReason,
  };
}

const electorateName = (e: Electorate) => Electorate[e] ?? "UNSPECIFIED";

function presentInfo(info: ProposalInfo | undefined) {
  return {
    electorate: electorateName(info?.electorate ?? Electorate.UNSPECIFIED),
    stage: Stage[info?.stage ?? Stage.UNSPECIFIED] ?? "UNSPECIFIED",
    executeAfter:
      info && info.executeAfter > 0n ? new Date(Number(info.executeAfter) * 1000).toISOString() : "",
    executedHeight: Number(info?.executedHeight ?? 0n),
    totalWeight: info?.totalWeight ?? "0",
  };
}

/** A proposal as get_proposal and the `vivim://proposal/{id}` resource show it. */
export const proposalOutput = {
  proposal: proposalSchema,
  info: z
    .object({
      electorate: z
        .string()
        .describe("COUNCIL: validator operators vote; MEMBERS: members vote by reputation"),
      stage: z
        .string()
        .describe("VIVIM's stage: DEPOSIT, VOTING, QUEUED (timelock), EXECUTED, REJECTED, FAILED"),
      executeAfter: z.string(),
      executedHeight: z.number().int(),
      totalWeight: z.string(),
    })
    .describe("VIVIM's record of the proposal"),
  yourVote: z
    .object({ weight: z.string(), totalWeight: z.string(), refusal: z.string() })
    .describe("What your vote would weigh now, or why you cannot vote"),
};

export async function readProposal(reader: ChainReader, caller: CallerIdentity, id: bigint) {
  const p = await proposalOf(reader, id);
  const [proposal, info, power] = await Promise.all([
    presentProposal(reader, caller, p),
    infoOf(reader, id),
    votingPower(reader, id, caller.address),
  ]);
  return {
    proposal,
    info: presentInfo(info),
    yourVote: { weight: power.weight, totalWeight: power.totalWeight, refusal: power.refusal },
  };
}

export const getProposal = defineTool({
  name: "get_proposal",
  title: "Get a proposal",
  description:
    "A DAO proposal: status, title, summary and metadata (wrapped as member-written data), proposer, the Msgs it would run, deposits, the tally (live while voting), VIVIM's stage and electorate, and what your vote would weigh.",
  scope: "read",
  input: { proposalId: proposalIdArg },
  output: proposalOutput,
  async run(args, { session, services }) {
    return readProposal(services.reader, await session.identity(), idArg(args.proposalId, "proposalId"));
  },
});

const STATUS_FILTER: Record<string, ProposalStatus> = {
  any: ProposalStatus.PROPOSAL_STATUS_UNSPECIFIED,
  deposit: ProposalStatus.PROPOSAL_STATUS_DEPOSIT_PERIOD,
  voting: ProposalStatus.PROPOSAL_STATUS_VOTING_PERIOD,
  passed: ProposalStatus.PROPOSAL_STATUS_PASSED,
  rejected: ProposalStatus.PROPOSAL_STATUS_REJECTED,
  failed: ProposalStatus.PROPOSAL_STATUS_FAILED,
};

export const listProposals = defineTool({
  name: "list_proposals",
  title: "List proposals",
  description:
    "DAO proposals, newest first by default, optionally by status (deposit, voting, passed, rejected, failed). Titles and summaries are wrapped as member-written data. Page with `cursor`.",
  scope: "read",
  input: {
    status: z.enum(["any", "deposit", "voting", "passed", "rejected", "failed"]).default("any"),
    limit: z.number().int().min(1).max(50).default(20),
    cursor: z
      .string()
      .regex(/^[A-Za-z0-9_-]{11}$/, "cursor must be the nextCursor of a previous page")
      .optional(),
    newestFirst: z.boolean().default(true),
  },
  output: { proposals: z.array(proposalSchema), nextCursor: z.string().optional() },
  async run(args, { session, services }) {
    const { reader } = services;
    const r = await govQuery(
      reader,
      `${GOV}/Proposals`,
      v1.QueryProposalsRequest.encode(
        v1.QueryProposalsRequest.fromPartial({
          proposalStatus: STATUS_FILTER[args.status],
          pagination: {
            limit: BigInt(args.limit),
            reverse: args.newestFirst,
            key: args.cursor ? Buffer.from(args.cursor, "base64url") : new Uint8Array(),
          },
        }),
      ).finish(),
      v1.QueryProposalsResponse.decode,
    );
    const caller = await session.identity();
    const proposals = await Promise.all(r.proposals.map((p) => presentProposal(reader, caller, p)));
    const next = r.pagination?.nextKey;
    return {
      proposals,
      ...(next && next.length > 0 ? { nextCursor: Buffer.from(next).toString("base64url") } : {}),
    };
  },
});

// --- writes ---------------------------------------------------------------------------------------

export const submitProposal = defineTool({
  name: "submit_proposal",
  title: "Submit a proposal",
  description: `Submit a text (signal) proposal to the VIVIM DAO as your identity: a title, a summary, optional metadata and an optional initial deposit in ${BASE_DENOM}. Voting opens once deposits reach the chain's min_deposit (see get_proposal). Text proposals are decided by the electorate the chain's params name (the validator council by default). Waits for the block and returns the proposal id.`,
  scope: "governance",
  input: {
    title: z.string().min(1).max(MAX_TITLE),
    summary: z.string().min(1).max(MAX_SUMMARY),
    metadata: z.string().max(MAX_METADATA).default("").describe("Often a link to the full text"),
    deposit: z
      .string()
      .regex(/^\d{1,20}$/, `deposit is an integer amount of ${BASE_DENOM}`)
      .optional()
      .describe(`Initial deposit in ${BASE_DENOM}, e.g. "10000000" (10 VIVIM)`),
    wait: waitArg,
  },
  output: { ...writeResultShape, proposalId: z.string().optional() },
  annotations: { destructiveHint: false, idempotentHint: false },
  async run(args, call) {
    const deposit =
      args.deposit && BigInt(args.deposit) > 0n
        ? [{ denom: BASE_DENOM, amount: BigInt(args.deposit).toString() }]
        : [];
    const r = await performWrite(call, {
      summary: `submit the DAO proposal "${args.title.slice(0, 60)}"${deposit.length ? ` with a deposit of ${deposit[0]!.amount}${BASE_DENOM}` : ""}`,
      msgs: [
        {
          typeUrl: "/cosmos.gov.v1.MsgSubmitProposal",
          value: MsgSubmitProposal.fromPartial({
            messages: [],
            initialDeposit: deposit,
            proposer: call.session.address,
            metadata: args.metadata,
            title: args.title,
            summary: args.summary,
            expedited: false,
          }),
        },
      ],
      agentCapability: "govern",
      reach: "shared",
      wait: args.wait,
    });
    const response = r.outcome?.msgResponses[0];
    const proposalId = response
      ? MsgSubmitProposalResponse.decode(response.value).proposalId.toString()
      : undefined;
    return { ...writeFields(r), ...(proposalId ? { proposalId } : {}) };
  },
});

const VOTE_OPTIONS = {
  yes: VoteOption.VOTE_OPTION_YES,
  no: VoteOption.VOTE_OPTION_NO,
  abstain: VoteOption.VOTE_OPTION_ABSTAIN,
  no_with_veto: VoteOption.VOTE_OPTION_NO_WITH_VETO,
} as const;

const ELECTORATE_WHO: Record<number, string> = {
  [Electorate.COUNCIL]: "the validator council (accounts that operate validators)",
  [Electorate.MEMBERS]: "members, weighted by reputation score",
};

export const voteProposal = defineTool({
  name: "vote_proposal",
  title: "Vote on a proposal",
  description:
    "Vote yes, no, abstain or no_with_veto on a DAO proposal in its voting period, as your identity; a later vote replaces an earlier one. Refused up front, with the reason, when you have no voting power in the proposal's electorate. Agents need their owner's `govern` capability and vote with their owner's weight.",
  scope: "governance",
  input: {
    proposalId: proposalIdArg,
    option: z.enum(["yes", "no", "abstain", "no_with_veto"]),
    wait: waitArg,
  },
  output: {
    ...writeResultShape,
    weight: z.string().describe("What the vote weighs now (read again at the tally)"),
  },
  annotations: { destructiveHint: false, idempotentHint: true },
  async run(args, call) {
    const { reader } = call.services;
    const proposalId = idArg(args.proposalId, "proposalId");
    const proposal = await proposalOf(reader, proposalId);
    if (proposal.status !== ProposalStatus.PROPOSAL_STATUS_VOTING_PERIOD) {
      const status = STATUS_NAMES[proposal.status] ?? "UNSPECIFIED";
      throw new McpToolError(
        "NOT_PERMITTED",
        status === "DEPOSIT_PERIOD"
          ? `proposal ${proposalId} is still in its deposit period: voting opens once its deposits reach min_deposit`
          : `proposal ${proposalId} is ${status}: its voting period is over`,
        { status },
      );
    }
    const power = await votingPower(reader, proposalId, call.session.address);
    if (power.refusal)
      throw new McpToolError("NOT_PERMITTED", power.refusal, { proposalId: proposalId.toString() });
    if (BigInt(power.weight || "0") === 0n) {
      throw new McpToolError(
        "NOT_PERMITTED",
        `you have no voting power on proposal ${proposalId}: it is decided by ${ELECTORATE_WHO[power.electorate] ?? "another electorate"}`,
        { electorate: electorateName(power.electorate) },
      );
    }
    const r = await performWrite(call, {
      summary: `vote ${args.option} on DAO proposal ${proposalId}`,
      msgs: [
        {
          typeUrl: "/cosmos.gov.v1.MsgVote",
          value: MsgVote.fromPartial({
            proposalId,
            voter: call.session.address,
            option: VOTE_OPTIONS[args.option],
            metadata: "",
          }),
        },
      ],
      agentCapability: "govern",
      reach: "shared",
      wait: args.wait,
    });
    return { ...writeFields(r), weight: power.weight };
  },
});

/** Read tools of the DAO (listed with the other reads). */
export const GOVERNANCE_READ_TOOLS = [getProposal, listProposals];
/** Write tools of the DAO (scope "governance"). */
export const GOVERNANCE_TOOLS = [submitProposal, voteProposal];
