/**
 * Governance queries: x/gov's `cosmos.gov.v1.Query` and `cosmos.gov.v1beta1.Query` (what cosmjs's
 * GovExtension and wallets call), and VIVIM's `vivim.gov.v1.Query`.
 */
import type { PageRequest, PageResponse } from "cosmjs-types/cosmos/base/query/v1beta1/pagination";
import {
  type Proposal,
  ProposalStatus,
  type TallyResult,
  Deposit as V1Deposit,
  Vote as V1Vote,
} from "cosmjs-types/cosmos/gov/v1/gov";
import * as v1 from "cosmjs-types/cosmos/gov/v1/query";
import { TextProposal, type Vote as V1Beta1Vote } from "cosmjs-types/cosmos/gov/v1beta1/gov";
import * as v1beta1 from "cosmjs-types/cosmos/gov/v1beta1/query";
import { decodeAddress } from "../../chain/crypto/address.js";
import { CodedError, isCodedError, SdkErrors } from "../../chain/errors/codes.js";
import { parseDec } from "../lib/decimal.js";
import { key, readUint64, uint64Bytes } from "../lib/store.js";
import type { KVReader, QueryContext, QueryHandler } from "../types.js";
import { electorateTotal, voterStanding } from "./electorate.js";
import { GovErrors } from "./errors.js";
import { getDeposit, getInfo, getProposal, getVote, requireProposal } from "./keeper.js";
import { GovKeys, MAX_UINT64 } from "./keys.js";
import { getConstitution, getRawGovParams, getVivimGovParams } from "./params.js";
import {
  QueryGovVivimParamsRequest,
  QueryGovVivimParamsResponse,
  QueryProposalInfoRequest,
  QueryProposalInfoResponse,
  QueryVotingPowerRequest,
  QueryVotingPowerResponse,
} from "./query-types.js";
import { Electorate } from "./records.js";
import { currentCounts, toTallyResult } from "./tally.js";

interface Codec<T> {
  decode(b: Uint8Array): T;
  encode(m: T): { finish(): Uint8Array };
  fromPartial(o: never): T;
}

/**
 * A handler over cosmjs-types request/response objects; malformed requests are InvalidRequest. The
 * answer goes through the response's `fromPartial`, which fills what is left out (the v1beta1
 * types declare timestamps that a proposal in its deposit period does not have yet).
 */
function handler<Req, Res>(
  req: Codec<Req>,
  res: Codec<Res>,
  fn: (ctx: QueryContext, store: KVReader, r: Req) => Promise<object> | object,
): QueryHandler {
  return async (ctx, bytes) => {
    let r: Req;
    try {
      r = req.decode(bytes);
    } catch {
      throw new CodedError(SdkErrors.InvalidRequest, "malformed gov query request");
    }
    const out = await fn(ctx, { get: (k) => ctx.get(k) }, r);
    return res.encode(res.fromPartial(out as never)).finish();
  };
}

const DEFAULT_LIMIT = 100;
const MAX_LIMIT = 1000;
/** Candidates a voter- or depositor-filtered page may look at before it answers with a next key. */
const MAX_SCAN = 10_000;
/** Rows per range read when a query walks a prefix (counting, reverse pages, filtered scans). */
const CHUNK = 1000;

function pageLimit(page: PageRequest | undefined): number {
  const limit = page?.limit ? Number(page.limit) : DEFAULT_LIMIT;
  if (limit > MAX_LIMIT)
    throw new CodedError(SdkErrors.InvalidRequest, `pagination limit must be at most ${MAX_LIMIT}`);
  return limit;
}

/** The entries under `prefix` (count_total): one pass over the range. */
async function countRows(ctx: QueryContext, prefix: Uint8Array): Promise<bigint> {
  let total = 0n;
  let after: Uint8Array | undefined;
  for (;;) {
    const rows = await ctx.range(prefix, { limit: CHUNK, ...(after ? { after } : {}) });
    total += BigInt(rows.length);
    if (rows.length < CHUNK) return total;
    after = rows[rows.length - 1]![0];
  }
}

interface ProposalFilter {
  readonly status: ProposalStatus;
  /** Extra per-proposal conditions (voter, depositor): undefined when the status index says it all. */
  readonly keep?: (id: bigint) => boolean;
}

/**
 * Proposals by id (newest first with `reverse`) from the status index (E0 oldest first, E1 newest
 * first; status 0 lists them all): a status-filtered page is one range read. `next_key` is the
 * 8-byte id of the last proposal returned (or, for a voter/depositor filter that ran out of its
 * scan budget, of the last one looked at); the next page starts after it, in either direction.
 * `count_total` counts every match, whatever the key. Offsets are not supported.
 */
async function listProposals(
  ctx: QueryContext,
  store: KVReader,
  page: PageRequest | undefined,
  filter: ProposalFilter,
): Promise<{ proposals: Proposal[]; pagination: PageResponse }> {
  const limit = pageLimit(page);
  if (page?.offset && page.offset > 0n)
    throw new CodedError(SdkErrors.NotSupported, "offset pagination of proposals; use pagination.key");
  if (page?.key && page.key.length !== 0 && page.key.length !== 8)
    throw new CodedError(
      SdkErrors.InvalidRequest,
      "pagination.key must be the next_key of a previous page of proposals",
    );
  const reverse = page?.reverse === true;
  const status = filter.status;
  // A status no proposal can have (the index holds one byte) lists nothing.
  if (!Number.isInteger(status) || status < 0 || status > 255)
    return { proposals: [], pagination: { nextKey: new Uint8Array(), total: 0n } };
  const prefix = reverse ? GovKeys.byStatusDesc(status) : GovKeys.byStatus(status);
  const idOf = (k: Uint8Array) => {
    const raw = readUint64(k.subarray(prefix.length));
    return reverse ? MAX_UINT64 - raw : raw;
  };
  const start = page?.key?.length === 8 ? readUint64(page.key) : undefined;
  let after =
    start === undefined
      ? undefined
      : reverse
        ? GovKeys.statusEntryDesc(status, start)
        : GovKeys.statusEntry(status, start);

  const ids: bigint[] = [];
  let nextKey: Uint8Array = new Uint8Array();
  if (!filter.keep) {
    const rows = await ctx.range(prefix, { limit: limit + 1, ...(after ? { after } : {}) });
    for (const [k] of rows.slice(0, limit)) ids.push(idOf(k));
    const last = ids[ids.length - 1];
    if (rows.length > limit && last !== undefined) nextKey = uint64Bytes(last);
  } else {
    const keep = filter.keep;
    let scanned = 0;
    let lastScanned: bigint | undefined;
    let more = false;
    let exhausted = false;
    scan: while (scanned < MAX_SCAN) {
      const want = Math.min(CHUNK, MAX_SCAN - scanned);
      const rows = await ctx.range(prefix, { limit: want, ...(after ? { after } : {}) });
      for (const [k] of rows) {
        const id = idOf(k);
        scanned++;
        lastScanned = id;
        after = k;
        if (!keep(id)) continue;
        if (ids.length === limit) {
          more = true;
          break scan;
        }
        ids.push(id);
      }
      if (rows.length < want) {
        exhausted = true;
        break;
      }
    }
    const last = ids[ids.length - 1];
    if (more && last !== undefined) nextKey = uint64Bytes(last);
    // Out of budget: the next page goes on after the last proposal looked at.
    else if (!more && !exhausted && lastScanned !== undefined) nextKey = uint64Bytes(lastScanned);
  }

  let total = 0n;
  if (page?.countTotal) {
    if (!filter.keep) total = await countRows(ctx, GovKeys.byStatus(status));
    else total = await countMatches(ctx, GovKeys.byStatus(status), filter.keep);
  }
  const proposals: Proposal[] = [];
  for (const id of ids) {
    const p = getProposal(store, id);
    if (p) proposals.push(p);
  }
  return { proposals, pagination: { nextKey, total } };
}

/** count_total of a voter/depositor-filtered listing: every candidate is looked at. */
async function countMatches(
  ctx: QueryContext,
  prefix: Uint8Array,
  keep: (id: bigint) => boolean,
): Promise<bigint> {
  let total = 0n;
  let after: Uint8Array | undefined;
  for (;;) {
    const rows = await ctx.range(prefix, { limit: CHUNK, ...(after ? { after } : {}) });
    for (const [k] of rows) if (keep(readUint64(k.subarray(prefix.length)))) total++;
    if (rows.length < CHUNK) return total;
    after = rows[rows.length - 1]![0];
  }
}

/**
 * One page of the records under `prefix` (a proposal's votes or deposits), in key order or, with
 * `reverse`, in reverse key order; `next_key` is the last record's key after the prefix, and the
 * next page starts after it (before it, in reverse). `count_total` counts every record under the
 * prefix. Queries read ranges forward only, so a reverse page walks the records before its key.
 */
async function rangeRecords<T>(
  ctx: QueryContext,
  prefix: Uint8Array,
  page: PageRequest | undefined,
  decode: (b: Uint8Array) => T,
): Promise<{ items: T[]; pagination: PageResponse }> {
  const limit = pageLimit(page);
  const cursor = page?.key && page.key.length > 0 ? key(prefix, page.key) : undefined;
  let window: Array<[Uint8Array, Uint8Array]>;
  let more: boolean;
  let total = 0n;
  if (!page?.reverse) {
    const rows = await ctx.range(prefix, { limit: limit + 1, ...(cursor ? { after: cursor } : {}) });
    window = rows.slice(0, limit);
    more = rows.length > limit;
    if (page?.countTotal) total = await countRows(ctx, prefix);
  } else {
    // The last limit + 1 records before the cursor, walking forward; the count goes on to the end.
    let kept: Array<[Uint8Array, Uint8Array]> = [];
    let after: Uint8Array | undefined;
    let count = 0n;
    let pastCursor = false;
    for (;;) {
      const rows = await ctx.range(prefix, { limit: CHUNK, ...(after ? { after } : {}) });
      for (const row of rows) {
        if (cursor && !pastCursor && Buffer.compare(row[0], cursor) >= 0) pastCursor = true;
        if (!pastCursor) {
          kept.push(row);
          if (kept.length >= 2 * (limit + 1)) kept = kept.slice(-(limit + 1));
        }
      }
      count += BigInt(rows.length);
      if (rows.length < CHUNK || (pastCursor && !page.countTotal)) break;
      after = rows[rows.length - 1]![0];
    }
    kept = kept.slice(-(limit + 1));
    more = kept.length > limit;
    window = kept.slice(-limit).reverse();
    if (page.countTotal) total = count;
  }
  const last = window[window.length - 1];
  return {
    items: window.map(([, v]) => decode(v)),
    pagination: {
      nextKey: more && last ? last[0].subarray(prefix.length) : new Uint8Array(),
      total,
    },
  };
}

function checkAddress(address: string, field: string): void {
  try {
    decodeAddress(address);
  } catch {
    throw new CodedError(SdkErrors.InvalidRequest, `${field} must be a vivim address`);
  }
}

/** The live tally of a proposal in its voting period, else its final one. */
function currentTally(store: KVReader, proposal: Proposal): TallyResult {
  if (proposal.status !== ProposalStatus.PROPOSAL_STATUS_VOTING_PERIOD)
    return (
      proposal.finalTallyResult ?? { yesCount: "0", abstainCount: "0", noCount: "0", noWithVetoCount: "0" }
    );
  const info = getInfo(store, proposal.id);
  return toTallyResult(
    currentCounts(store, proposal.id, info?.electorate ?? Electorate.COUNCIL, getVivimGovParams(store)),
  );
}

function proposalFilter(
  store: KVReader,
  r: { proposalStatus: ProposalStatus; voter: string; depositor: string },
): ProposalFilter {
  if (r.voter) checkAddress(r.voter, "voter");
  if (r.depositor) checkAddress(r.depositor, "depositor");
  if (!r.voter && !r.depositor) return { status: r.proposalStatus };
  return {
    status: r.proposalStatus,
    keep: (id) =>
      (!r.voter || store.get(GovKeys.vote(id, r.voter)) !== undefined) &&
      (!r.depositor || store.get(GovKeys.deposit(id, r.depositor)) !== undefined),
  };
}

/** A voter's vote on a proposal, or NotFound (shared by v1 and v1beta1). */
function findVote(store: KVReader, r: { proposalId: bigint; voter: string }) {
  checkAddress(r.voter, "voter");
  requireProposal(store, r.proposalId);
  const vote = getVote(store, r.proposalId, r.voter);
  if (!vote) throw new CodedError(SdkErrors.NotFound, `${r.voter} did not vote on proposal ${r.proposalId}`);
  return vote;
}

async function votesPage(
  ctx: QueryContext,
  store: KVReader,
  r: { proposalId: bigint; pagination?: PageRequest },
) {
  requireProposal(store, r.proposalId);
  return rangeRecords(ctx, GovKeys.votesOf(r.proposalId), r.pagination, V1Vote.decode);
}

function findDeposit(store: KVReader, r: { proposalId: bigint; depositor: string }) {
  checkAddress(r.depositor, "depositor");
  requireProposal(store, r.proposalId);
  const deposit = getDeposit(store, r.proposalId, r.depositor);
  if (!deposit)
    throw new CodedError(SdkErrors.NotFound, `no deposit of ${r.depositor} on proposal ${r.proposalId}`);
  return deposit;
}

async function depositsPage(
  ctx: QueryContext,
  store: KVReader,
  r: { proposalId: bigint; pagination?: PageRequest },
) {
  requireProposal(store, r.proposalId);
  const { items, pagination } = await rangeRecords(
    ctx,
    GovKeys.depositsOf(r.proposalId),
    r.pagination,
    V1Deposit.decode,
  );
  return { deposits: items, pagination };
}

// ---------------------------------------------------------------- cosmos.gov.v1

function paramsV1(store: KVReader, paramsType: string): Partial<v1.QueryParamsResponse> {
  const p = getRawGovParams(store);
  const all: Partial<v1.QueryParamsResponse> = { params: p };
  if (paramsType === "voting") all.votingParams = { votingPeriod: p.votingPeriod };
  else if (paramsType === "deposit")
    all.depositParams = { minDeposit: p.minDeposit, maxDepositPeriod: p.maxDepositPeriod };
  else if (paramsType === "tallying")
    all.tallyParams = { quorum: p.quorum, threshold: p.threshold, vetoThreshold: p.vetoThreshold };
  else if (paramsType !== "")
    throw new CodedError(SdkErrors.InvalidRequest, `params_type must be voting, deposit or tallying`);
  return all;
}

const v1Queries: Record<string, QueryHandler> = {
  "/cosmos.gov.v1.Query/Proposal": handler(
    v1.QueryProposalRequest,
    v1.QueryProposalResponse,
    (_c, store, r) => ({
      proposal: requireProposal(store, r.proposalId),
    }),
  ),
  "/cosmos.gov.v1.Query/Proposals": handler(
    v1.QueryProposalsRequest,
    v1.QueryProposalsResponse,
    (ctx, store, r) => listProposals(ctx, store, r.pagination, proposalFilter(store, r)),
  ),
  "/cosmos.gov.v1.Query/Vote": handler(v1.QueryVoteRequest, v1.QueryVoteResponse, (_c, store, r) => ({
    vote: findVote(store, r),
  })),
  "/cosmos.gov.v1.Query/Votes": handler(
    v1.QueryVotesRequest,
    v1.QueryVotesResponse,
    async (ctx, store, r) => {
      const { items, pagination } = await votesPage(ctx, store, r);
      return { votes: items, pagination };
    },
  ),
  "/cosmos.gov.v1.Query/Params": handler(v1.QueryParamsRequest, v1.QueryParamsResponse, (_c, store, r) =>
    paramsV1(store, r.paramsType),
  ),
  "/cosmos.gov.v1.Query/Deposit": handler(
    v1.QueryDepositRequest,
    v1.QueryDepositResponse,
    (_c, store, r) => ({
      deposit: findDeposit(store, r),
    }),
  ),
  "/cosmos.gov.v1.Query/Deposits": handler(v1.QueryDepositsRequest, v1.QueryDepositsResponse, depositsPage),
  "/cosmos.gov.v1.Query/TallyResult": handler(
    v1.QueryTallyResultRequest,
    v1.QueryTallyResultResponse,
    (_c, store, r) => ({
      tally: currentTally(store, requireProposal(store, r.proposalId)),
    }),
  ),
  "/cosmos.gov.v1.Query/Constitution": handler(
    v1.QueryConstitutionRequest,
    v1.QueryConstitutionResponse,
    (_c, store) => ({
      constitution: getConstitution(store),
    }),
  ),
};

// ---------------------------------------------------------------- cosmos.gov.v1beta1 (legacy views)

const legacyDec = (text: string) => (parseDec(text) ?? 0n).toString();
const legacyDecBytes = (text: string) => new TextEncoder().encode(legacyDec(text));

function legacyTally(t: TallyResult) {
  return { yes: t.yesCount, abstain: t.abstainCount, no: t.noCount, noWithVeto: t.noWithVetoCount };
}

/** A v1 proposal as v1beta1 shows it: its title and summary as a TextProposal content. */
function legacyProposal(p: Proposal) {
  return {
    proposalId: p.id,
    content: {
      typeUrl: "/cosmos.gov.v1beta1.TextProposal",
      value: TextProposal.encode({ title: p.title, description: p.summary }).finish(),
    },
    status: p.status,
    finalTallyResult: legacyTally(
      p.finalTallyResult ?? { yesCount: "0", abstainCount: "0", noCount: "0", noWithVetoCount: "0" },
    ),
    submitTime: p.submitTime,
    depositEndTime: p.depositEndTime,
    totalDeposit: p.totalDeposit,
    votingStartTime: p.votingStartTime,
    votingEndTime: p.votingEndTime,
  };
}

function legacyVote(v: {
  proposalId: bigint;
  voter: string;
  options: Array<{ option: number; weight: string }>;
}): V1Beta1Vote {
  return {
    proposalId: v.proposalId,
    voter: v.voter,
    option: v.options.length === 1 ? v.options[0]!.option : 0,
    options: v.options.map((o) => ({ option: o.option, weight: legacyDec(o.weight) })),
  };
}

const v1beta1Queries: Record<string, QueryHandler> = {
  "/cosmos.gov.v1beta1.Query/Proposal": handler(
    v1beta1.QueryProposalRequest,
    v1beta1.QueryProposalResponse,
    (_c, store, r) => ({
      proposal: legacyProposal(requireProposal(store, r.proposalId)),
    }),
  ),
  "/cosmos.gov.v1beta1.Query/Proposals": handler(
    v1beta1.QueryProposalsRequest,
    v1beta1.QueryProposalsResponse,
    async (ctx, store, r) => {
      const { proposals, pagination } = await listProposals(
        ctx,
        store,
        r.pagination,
        proposalFilter(store, r),
      );
      return { proposals: proposals.map(legacyProposal), pagination };
    },
  ),
  "/cosmos.gov.v1beta1.Query/Vote": handler(
    v1beta1.QueryVoteRequest,
    v1beta1.QueryVoteResponse,
    (_c, store, r) => ({
      vote: legacyVote(findVote(store, r)),
    }),
  ),
  "/cosmos.gov.v1beta1.Query/Votes": handler(
    v1beta1.QueryVotesRequest,
    v1beta1.QueryVotesResponse,
    async (ctx, store, r) => {
      const { items, pagination } = await votesPage(ctx, store, r);
      return { votes: items.map(legacyVote), pagination };
    },
  ),
  "/cosmos.gov.v1beta1.Query/Params": handler(
    v1beta1.QueryParamsRequest,
    v1beta1.QueryParamsResponse,
    (_c, store, r) => {
      const p = getRawGovParams(store);
      if (!["voting", "deposit", "tallying"].includes(r.paramsType))
        throw new CodedError(SdkErrors.InvalidRequest, "params_type must be voting, deposit or tallying");
      return {
        votingParams: {
          votingPeriod: r.paramsType === "voting" ? p.votingPeriod : { seconds: 0n, nanos: 0 },
        },
        depositParams:
          r.paramsType === "deposit"
            ? { minDeposit: p.minDeposit, maxDepositPeriod: p.maxDepositPeriod }
            : { minDeposit: [], maxDepositPeriod: { seconds: 0n, nanos: 0 } },
        tallyParams:
          r.paramsType === "tallying"
            ? {
                quorum: legacyDecBytes(p.quorum),
                threshold: legacyDecBytes(p.threshold),
                vetoThreshold: legacyDecBytes(p.vetoThreshold),
              }
            : { quorum: new Uint8Array(), threshold: new Uint8Array(), vetoThreshold: new Uint8Array() },
      };
    },
  ),
  "/cosmos.gov.v1beta1.Query/Deposit": handler(
    v1beta1.QueryDepositRequest,
    v1beta1.QueryDepositResponse,
    (_c, store, r) => ({ deposit: findDeposit(store, r) }),
  ),
  "/cosmos.gov.v1beta1.Query/Deposits": handler(
    v1beta1.QueryDepositsRequest,
    v1beta1.QueryDepositsResponse,
    depositsPage,
  ),
  "/cosmos.gov.v1beta1.Query/TallyResult": handler(
    v1beta1.QueryTallyResultRequest,
    v1beta1.QueryTallyResultResponse,
    (_c, store, r) => ({
      tally: legacyTally(currentTally(store, requireProposal(store, r.proposalId))),
    }),
  ),
};

// ---------------------------------------------------------------- vivim.gov.v1

const vivimQueries: Record<string, QueryHandler> = {
  "/vivim.gov.v1.Query/ProposalInfo": handler(
    QueryProposalInfoRequest,
    QueryProposalInfoResponse,
    (_c, store, r) => {
      requireProposal(store, r.proposalId);
      return { info: getInfo(store, r.proposalId) };
    },
  ),
  "/vivim.gov.v1.Query/Params": handler(
    QueryGovVivimParamsRequest,
    QueryGovVivimParamsResponse,
    (_c, store) => ({
      params: getVivimGovParams(store),
    }),
  ),
  /** What a voter's vote would weigh on a proposal now, or why it cannot vote. */
  "/vivim.gov.v1.Query/VotingPower": handler(
    QueryVotingPowerRequest,
    QueryVotingPowerResponse,
    (_c, store, r) => {
      checkAddress(r.voter, "voter");
      requireProposal(store, r.proposalId);
      const info = getInfo(store, r.proposalId);
      if (!info) throw new CodedError(GovErrors.UnknownProposal, `proposal ${r.proposalId} not found`);
      const vparams = getVivimGovParams(store);
      const totalWeight = electorateTotal(store, info.electorate, vparams).toString();
      try {
        const s = voterStanding(store, info.electorate, r.voter, vparams);
        return {
          electorate: info.electorate,
          weight: s.weight.toString(),
          totalWeight,
          owner: s.owner ?? "",
          refusal: "",
        };
      } catch (err) {
        if (!isCodedError(err)) throw err;
        return { electorate: info.electorate, weight: "0", totalWeight, owner: "", refusal: err.log };
      }
    },
  ),
};

export const GOV_QUERIES: Readonly<Record<string, QueryHandler>> = {
  ...v1Queries,
  ...v1beta1Queries,
  ...vivimQueries,
};
