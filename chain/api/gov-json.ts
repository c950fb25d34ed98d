/**
 * The governance queries as the Cosmos SDK's gateway renders x/gov: each `cosmos.gov.v1`,
 * `cosmos.gov.v1beta1` and `vivim.gov.v1` query with its request codec and the JSON of its response
 * (proto field names, enums by name, 64-bit integers as strings, Anys as `{"@type", ...fields}`,
 * Timestamps as RFC3339, Durations as "172800s", v1beta1 `Dec`s as "0.500000000000000000"). Shared
 * by the REST routes (routes/gov.ts) and `vivim query gov` so both print the same thing.
 */
import type { Coin } from "cosmjs-types/cosmos/base/v1beta1/coin";
import {
  type Deposit,
  type Params,
  type Proposal,
  ProposalStatus,
  proposalStatusToJSON,
  type TallyResult,
  type Vote,
  voteOptionToJSON,
} from "cosmjs-types/cosmos/gov/v1/gov";
import * as v1 from "cosmjs-types/cosmos/gov/v1/query";
import type * as beta from "cosmjs-types/cosmos/gov/v1beta1/gov";
import * as v1beta1 from "cosmjs-types/cosmos/gov/v1beta1/query";
import { Any } from "cosmjs-types/google/protobuf/any";
import type { Timestamp } from "cosmjs-types/google/protobuf/timestamp";
import {
  QueryGovVivimParamsRequest,
  QueryGovVivimParamsResponse,
  QueryProposalInfoRequest,
  QueryProposalInfoResponse,
  QueryVotingPowerRequest,
  QueryVotingPowerResponse,
} from "../../contracts/gov/query-types.js";
import { formatDec, parseLegacyDec } from "../../contracts/lib/decimal.js";
import type { ProtoMessage } from "../codec/proto-message.js";
import type { AnyResolver } from "../codec/schema.js";
import type { Json } from "../rpc/json.js";
import { pageResponseJson } from "./params.js";
import { anyToJson, durationJson, protoToJson, timestampJson } from "./proto-json.js";

type JsonObject = { [key: string]: Json };

// ---------------------------------------------------------------- well-known types, as Go's jsonpb

// Shared with every other gateway JSON (proto-json.ts renders nested ones the same way).
export { durationJson, timestampJson };

/** Go's zero time, what a v1beta1 (non-nullable) timestamp that was never set shows. */
const ZERO_TIME = "0001-01-01T00:00:00Z";

function legacyTimestampJson(t: Timestamp | undefined): string {
  return !t || (t.seconds === 0n && t.nanos === 0) ? ZERO_TIME : (timestampJson(t) ?? ZERO_TIME);
}

const coinsJson = (coins: readonly Coin[]): Json[] =>
  coins.map((c) => ({ denom: c.denom, amount: c.amount }));

/** A v1beta1 `Dec` on the wire is the value × 10^18 as an integer; JSON shows the decimal. */
function legacyDecJson(scaled: string): string {
  return formatDec(parseLegacyDec(scaled) ?? 0n);
}

const legacyDecBytesJson = (bytes: Uint8Array) => legacyDecJson(new TextDecoder().decode(bytes) || "0");

// ---------------------------------------------------------------- cosmos.gov.v1

const ZERO_TALLY: TallyResult = { yesCount: "0", abstainCount: "0", noCount: "0", noWithVetoCount: "0" };

function tallyJson(t: TallyResult | undefined): JsonObject | null {
  if (!t) return null;
  return {
    yes_count: t.yesCount,
    abstain_count: t.abstainCount,
    no_count: t.noCount,
    no_with_veto_count: t.noWithVetoCount,
  };
}

function proposalJson(p: Proposal, resolve: AnyResolver): JsonObject {
  return {
    id: p.id.toString(),
    messages: p.messages.map((m) => anyToJson(Any.encode(m).finish(), resolve)),
    status: proposalStatusToJSON(p.status),
    final_tally_result: tallyJson(p.finalTallyResult),
    submit_time: timestampJson(p.submitTime),
    deposit_end_time: timestampJson(p.depositEndTime),
    total_deposit: coinsJson(p.totalDeposit),
    voting_start_time: timestampJson(p.votingStartTime),
    voting_end_time: timestampJson(p.votingEndTime),
    metadata: p.metadata,
    title: p.title,
    summary: p.summary,
    proposer: p.proposer,
    expedited: p.expedited,
    failed_reason: p.failedReason,
  };
}

function voteJson(v: Vote): JsonObject {
  return {
    proposal_id: v.proposalId.toString(),
    voter: v.voter,
    options: v.options.map((o) => ({ option: voteOptionToJSON(o.option), weight: o.weight })),
    metadata: v.metadata,
  };
}

function depositJson(d: Deposit | beta.Deposit): JsonObject {
  return { proposal_id: d.proposalId.toString(), depositor: d.depositor, amount: coinsJson(d.amount) };
}

function paramsJson(p: Params | undefined): JsonObject | null {
  if (!p) return null;
  return {
    min_deposit: coinsJson(p.minDeposit),
    max_deposit_period: durationJson(p.maxDepositPeriod),
    voting_period: durationJson(p.votingPeriod),
    quorum: p.quorum,
    threshold: p.threshold,
    veto_threshold: p.vetoThreshold,
    min_initial_deposit_ratio: p.minInitialDepositRatio,
    proposal_cancel_ratio: p.proposalCancelRatio,
    proposal_cancel_dest: p.proposalCancelDest,
    expedited_voting_period: durationJson(p.expeditedVotingPeriod),
    expedited_threshold: p.expeditedThreshold,
    expedited_min_deposit: coinsJson(p.expeditedMinDeposit),
    burn_vote_quorum: p.burnVoteQuorum,
    burn_proposal_deposit_prevote: p.burnProposalDepositPrevote,
    burn_vote_veto: p.burnVoteVeto,
    min_deposit_ratio: p.minDepositRatio,
  };
}

// ---------------------------------------------------------------- cosmos.gov.v1beta1

function legacyTallyJson(t: beta.TallyResult | undefined): JsonObject {
  const tally = t ?? { yes: "0", abstain: "0", no: "0", noWithVeto: "0" };
  return { yes: tally.yes, abstain: tally.abstain, no: tally.no, no_with_veto: tally.noWithVeto };
}

function legacyProposalJson(p: beta.Proposal, resolve: AnyResolver): JsonObject {
  return {
    proposal_id: p.proposalId.toString(),
    content: p.content ? anyToJson(Any.encode(p.content).finish(), resolve) : null,
    status: proposalStatusToJSON(p.status),
    final_tally_result: legacyTallyJson(p.finalTallyResult),
    submit_time: legacyTimestampJson(p.submitTime),
    deposit_end_time: legacyTimestampJson(p.depositEndTime),
    total_deposit: coinsJson(p.totalDeposit),
    voting_start_time: legacyTimestampJson(p.votingStartTime),
    voting_end_time: legacyTimestampJson(p.votingEndTime),
  };
}

function legacyVoteJson(v: beta.Vote): JsonObject {
  return {
    proposal_id: v.proposalId.toString(),
    voter: v.voter,
    option: voteOptionToJSON(v.option),
    options: v.options.map((o) => ({ option: voteOptionToJSON(o.option), weight: legacyDecJson(o.weight) })),
  };
}

function legacyParamsJson(r: v1beta1.QueryParamsResponse): JsonObject {
  const t = r.tallyParams;
  return {
    voting_params: { voting_period: durationJson(r.votingParams?.votingPeriod) ?? "0s" },
    deposit_params: {
      min_deposit: coinsJson(r.depositParams?.minDeposit ?? []),
      max_deposit_period: durationJson(r.depositParams?.maxDepositPeriod) ?? "0s",
    },
    tally_params: {
      quorum: legacyDecBytesJson(t?.quorum ?? new Uint8Array()),
      threshold: legacyDecBytesJson(t?.threshold ?? new Uint8Array()),
      veto_threshold: legacyDecBytesJson(t?.vetoThreshold ?? new Uint8Array()),
    },
  };
}

// ---------------------------------------------------------------- the query table

interface RequestCodec<Req> {
  encode(message: Req): { finish(): Uint8Array };
  fromPartial(object: never): Req;
}

/** One gov query: its gRPC path, how to build its request and how its response reads as JSON. */
export interface GovQuery<Req> {
  readonly path: string;
  /** The protobuf request from the fields given (the rest defaulted). */
  request(fields: Partial<Req>): Uint8Array;
  /** The response bytes as the SDK's gateway shows them. */
  json(response: Uint8Array, resolve: AnyResolver): JsonObject;
}

function govQuery<Req, Res>(
  path: string,
  req: RequestCodec<Req>,
  res: { decode(b: Uint8Array): Res },
  json: (r: Res, resolve: AnyResolver) => JsonObject,
): GovQuery<Req> {
  return {
    path,
    request: (fields) => req.encode(req.fromPartial(fields as never)).finish(),
    json: (bytes, resolve) => json(res.decode(bytes), resolve),
  };
}

/** A `vivim.gov.v1` query: its response JSON straight from the message's schema. */
function vivimQuery<Req>(path: string, req: ProtoMessage<Req>, res: ProtoMessage<unknown>): GovQuery<Req> {
  return {
    path,
    request: (fields) => req.encode(req.fromPartial(fields as never)).finish(),
    json: (bytes, resolve) => protoToJson(bytes, res.schema, resolve),
  };
}

const V1 = "/cosmos.gov.v1.Query";
const V1BETA1 = "/cosmos.gov.v1beta1.Query";
const VIVIM = "/vivim.gov.v1.Query";

export const GovQueries = {
  v1: {
    proposal: govQuery(`${V1}/Proposal`, v1.QueryProposalRequest, v1.QueryProposalResponse, (r, resolve) => ({
      proposal: r.proposal ? proposalJson(r.proposal, resolve) : null,
    })),
    proposals: govQuery(
      `${V1}/Proposals`,
      v1.QueryProposalsRequest,
      v1.QueryProposalsResponse,
      (r, resolve) => ({
        proposals: r.proposals.map((p) => proposalJson(p, resolve)),
        pagination: pageResponseJson(r.pagination),
      }),
    ),
    vote: govQuery(`${V1}/Vote`, v1.QueryVoteRequest, v1.QueryVoteResponse, (r) => ({
      vote: r.vote ? voteJson(r.vote) : null,
    })),
    votes: govQuery(`${V1}/Votes`, v1.QueryVotesRequest, v1.QueryVotesResponse, (r) => ({
      votes: r.votes.map(voteJson),
      pagination: pageResponseJson(r.pagination),
    })),
    params: govQuery(`${V1}/Params`, v1.QueryParamsRequest, v1.QueryParamsResponse, (r) => ({
      voting_params: r.votingParams ? { voting_period: durationJson(r.votingParams.votingPeriod) } : null,
      deposit_params: r.depositParams
        ? {
            min_deposit: coinsJson(r.depositParams.minDeposit),
            max_deposit_period: durationJson(r.depositParams.maxDepositPeriod),
          }
        : null,
      tally_params: r.tallyParams
        ? {
            quorum: r.tallyParams.quorum,
            threshold: r.tallyParams.threshold,
            veto_threshold: r.tallyParams.vetoThreshold,
          }
        : null,
      params: paramsJson(r.params),
    })),
    deposit: govQuery(`${V1}/Deposit`, v1.QueryDepositRequest, v1.QueryDepositResponse, (r) => ({
      deposit: r.deposit ? depositJson(r.deposit) : null,
    })),
    deposits: govQuery(`${V1}/Deposits`, v1.QueryDepositsRequest, v1.QueryDepositsResponse, (r) => ({
      deposits: r.deposits.map(depositJson),
      pagination: pageResponseJson(r.pagination),
    })),
    tally: govQuery(`${V1}/TallyResult`, v1.QueryTallyResultRequest, v1.QueryTallyResultResponse, (r) => ({
      tally: tallyJson(r.tally ?? ZERO_TALLY),
    })),
    constitution: govQuery(
      `${V1}/Constitution`,
      v1.QueryConstitutionRequest,
      v1.QueryConstitutionResponse,
      (r) => ({
        constitution: r.constitution,
      }),
    ),
  },
  v1beta1: {
    proposal: govQuery(
      `${V1BETA1}/Proposal`,
      v1beta1.QueryProposalRequest,
      v1beta1.QueryProposalResponse,
      (r, resolve) => ({
        proposal: r.proposal ? legacyProposalJson(r.proposal, resolve) : null,
      }),
    ),
    proposals: govQuery(
      `${V1BETA1}/Proposals`,
      v1beta1.QueryProposalsRequest,
      v1beta1.QueryProposalsResponse,
      (r, resolve) => ({
        proposals: r.proposals.map((p) => legacyProposalJson(p, resolve)),
        pagination: pageResponseJson(r.pagination),
      }),
    ),
    vote: govQuery(`${V1BETA1}/Vote`, v1beta1.QueryVoteRequest, v1beta1.QueryVoteResponse, (r) => ({
      vote: r.vote ? legacyVoteJson(r.vote) : null,
    })),
    votes: govQuery(`${V1BETA1}/Votes`, v1beta1.QueryVotesRequest, v1beta1.QueryVotesResponse, (r) => ({
      votes: r.votes.map(legacyVoteJson),
      pagination: pageResponseJson(r.pagination),
    })),
    params: govQuery(
      `${V1BETA1}/Params`,
      v1beta1.QueryParamsRequest,
      v1beta1.QueryParamsResponse,
      legacyParamsJson,
    ),
    deposit: govQuery(
      `${V1BETA1}/Deposit`,
      v1beta1.QueryDepositRequest,
      v1beta1.QueryDepositResponse,
      (r) => ({
        deposit: r.deposit ? depositJson(r.deposit) : null,
      }),
    ),
    deposits: govQuery(
      `${V1BETA1}/Deposits`,
      v1beta1.QueryDepositsRequest,
      v1beta1.QueryDepositsResponse,
      (r) => ({
        deposits: r.deposits.map(depositJson),
        pagination: pageResponseJson(r.pagination),
      }),
    ),
    tally: govQuery(
      `${V1BETA1}/TallyResult`,
      v1beta1.QueryTallyResultRequest,
      v1beta1.QueryTallyResultResponse,
      (r) => ({ tally: legacyTallyJson(r.tally) }),
    ),
  },
  vivim: {
    proposalInfo: vivimQuery(`${VIVIM}/ProposalInfo`, QueryProposalInfoRequest, QueryProposalInfoResponse),
    params: vivimQuery(`${VIVIM}/Params`, QueryGovVivimParamsRequest, QueryGovVivimParamsResponse),
    votingPower: vivimQuery(`${VIVIM}/VotingPower`, QueryVotingPowerRequest, QueryVotingPowerResponse),
  },
} as const;

// ---------------------------------------------------------------- arguments

/** The proposal statuses by name, as `proposal_status` takes them. */
const STATUS_NAMES = [
  "PROPOSAL_STATUS_UNSPECIFIED",
  "PROPOSAL_STATUS_DEPOSIT_PERIOD",
  "PROPOSAL_STATUS_VOTING_PERIOD",
  "PROPOSAL_STATUS_PASSED",
  "PROPOSAL_STATUS_REJECTED",
  "PROPOSAL_STATUS_FAILED",
] as const;

/**
 * A proposal status from its name (`PROPOSAL_STATUS_VOTING_PERIOD`, `voting_period`, or `voting` /
 * `deposit` for short, any case) or number; undefined for anything else. Empty is UNSPECIFIED (any).
 */
export function parseProposalStatus(text: string): ProposalStatus | undefined {
  if (text === "") return ProposalStatus.PROPOSAL_STATUS_UNSPECIFIED;
  if (/^[0-9]$/.test(text))
    return Number(text) < STATUS_NAMES.length ? (Number(text) as ProposalStatus) : undefined;
  const upper = text.toUpperCase().replace(/-/g, "_");
  const short = upper === "VOTING" ? "VOTING_PERIOD" : upper === "DEPOSIT" ? "DEPOSIT_PERIOD" : upper;
  const index = STATUS_NAMES.findIndex((n) => n === short || n === `PROPOSAL_STATUS_${short}`);
  return index >= 0 ? (index as ProposalStatus) : undefined;
}

export const PROPOSAL_STATUS_CHOICES =
  "deposit_period, voting_period, passed, rejected, failed (or PROPOSAL_STATUS_… names, or 1–5)";

/** A proposal id: a positive integer below 2^64; undefined otherwise. */
export function parseProposalId(text: string): bigint | undefined {
  if (!/^[1-9][0-9]{0,19}$/.test(text)) return undefined;
  const id = BigInt(text);
  return id < 2n ** 64n ? id : undefined;
}
