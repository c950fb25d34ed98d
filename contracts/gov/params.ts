/**
 * Governance parameters: x/gov's own (`cosmos.gov.v1.Params`, changed by a proposal carrying
 * `cosmos.gov.v1.MsgUpdateParams`) and VIVIM's electorate params (`vivim.gov.v1.Params`, changed by
 * `vivim.gov.v1.MsgUpdateParams`). Both are only ever changed by the gov module account itself.
 */
import type { Coin } from "cosmjs-types/cosmos/base/v1beta1/coin";
import { Params } from "cosmjs-types/cosmos/gov/v1/gov";
import type { Duration } from "cosmjs-types/google/protobuf/duration";
import { CodedError } from "../../chain/errors/codes.js";
import { moduleAddress } from "../auth/keeper.js";
import { BASE_DENOM, validateCoins } from "../lib/coins.js";
import { DEC_ONE, formatDec, parseDec } from "../lib/decimal.js";
import { fromUtf8 } from "../lib/store.js";
import type { KVReader, KVStore } from "../types.js";
import { GovErrors } from "./errors.js";
import { GovKeys } from "./keys.js";
import { Electorate, GovVivimParams } from "./records.js";

/** The gov module account: signs passed proposals' messages and holds deposits. */
export const GOV_ADDRESS = moduleAddress("gov");

const DAY = 24n * 3600n;
const MAX_PERIOD_SECONDS = 365n * DAY;
export const MAX_OPEN_PROPOSALS_LIMIT = 1000;
export const MAX_MESSAGES_LIMIT = 64;
export const MAX_MEMBER_MSG_TYPES = 64;

const uvivim = (amount: bigint): Coin[] => [{ denom: BASE_DENOM, amount: amount.toString() }];
const seconds = (s: bigint): Duration => ({ seconds: s, nanos: 0 });

/** Cosmos SDK's defaults, in VIVIM's denom (10 and 50 VIVIM). */
export const DEFAULT_GOV_PARAMS: Params = Object.freeze({
  minDeposit: uvivim(10_000_000n),
  maxDepositPeriod: seconds(2n * DAY),
  votingPeriod: seconds(2n * DAY),
  quorum: formatDec(334_000_000_000_000_000n),
  threshold: formatDec(500_000_000_000_000_000n),
  vetoThreshold: formatDec(334_000_000_000_000_000n),
  minInitialDepositRatio: formatDec(0n),
  proposalCancelRatio: formatDec(0n),
  proposalCancelDest: "",
  expeditedVotingPeriod: seconds(DAY),
  expeditedThreshold: formatDec(667_000_000_000_000_000n),
  expeditedMinDeposit: uvivim(50_000_000n),
  burnVoteQuorum: false,
  burnProposalDepositPrevote: false,
  burnVoteVeto: true,
  minDepositRatio: formatDec(10_000_000_000_000_000n),
});

/**
 * Treasury spends and community policy are the members' business; everything else (params,
 * validators, workers, the agent freeze) is chain-level and decided by the council.
 */
export const DEFAULT_VIVIM_GOV_PARAMS: GovVivimParams = Object.freeze({
  timelockSeconds: 0n,
  textElectorate: Electorate.COUNCIL,
  memberMsgTypes: [
    "/cosmos.distribution.v1beta1.MsgCommunityPoolSpend",
    "/vivim.social.v1.MsgUpdateCommunity",
    "/vivim.social.v1.MsgSetCommunityRules",
  ],
  memberWeightCap: 5_000_000n,
  maxOpenProposals: 100,
  maxMessages: 16,
});

/** Params with the decimals and durations read once. */
export interface GovParams {
  readonly raw: Params;
  readonly minDeposit: readonly Coin[];
  readonly expeditedMinDeposit: readonly Coin[];
  readonly maxDepositPeriod: bigint;
  readonly votingPeriod: bigint;
  readonly expeditedVotingPeriod: bigint;
  readonly quorum: bigint;
  readonly threshold: bigint;
  readonly vetoThreshold: bigint;
  readonly expeditedThreshold: bigint;
  readonly minInitialDepositRatio: bigint;
  readonly minDepositRatio: bigint;
  readonly burnVoteQuorum: boolean;
  readonly burnProposalDepositPrevote: boolean;
  readonly burnVoteVeto: boolean;
}

const invalid = (field: string, why: string) => new CodedError(GovErrors.InvalidParams, `${field} ${why}`);

function period(d: Duration | undefined, field: string): bigint {
  if (!d) throw invalid(field, "must be set");
  if (d.nanos !== 0) throw invalid(field, "must be whole seconds");
  if (d.seconds <= 0n || d.seconds > MAX_PERIOD_SECONDS)
    throw invalid(field, `must be between 1s and ${MAX_PERIOD_SECONDS}s`);
  return d.seconds;
}

function ratio(text: string, field: string, opts: { positive?: boolean } = {}): bigint {
  const v = parseDec(text);
  if (v === undefined) throw invalid(field, "must be a decimal such as 0.334");
  if (v > DEC_ONE || (opts.positive && v === 0n))
    throw invalid(field, opts.positive ? "must be in (0, 1]" : "must be in [0, 1]");
  return v;
}

function deposit(coins: readonly Coin[], field: string): readonly Coin[] {
  if (coins.length === 0) throw invalid(field, "must not be empty");
  try {
    validateCoins(coins);
  } catch (err) {
    throw invalid(field, err instanceof CodedError ? err.log : "is invalid");
  }
  return coins;
}

/** Checks every field (throws InvalidParams naming it) and reads the numbers. */
export function parseGovParams(p: Params): GovParams {
  const parsed: GovParams = {
    raw: p,
    minDeposit: deposit(p.minDeposit, "min_deposit"),
    expeditedMinDeposit: deposit(p.expeditedMinDeposit, "expedited_min_deposit"),
    maxDepositPeriod: period(p.maxDepositPeriod, "max_deposit_period"),
    votingPeriod: period(p.votingPeriod, "voting_period"),
    expeditedVotingPeriod: period(p.expeditedVotingPeriod, "expedited_voting_period"),
    quorum: ratio(p.quorum, "quorum"),
    threshold: ratio(p.threshold, "threshold", { positive: true }),
    vetoThreshold: ratio(p.vetoThreshold, "veto_threshold", { positive: true }),
    expeditedThreshold: ratio(p.expeditedThreshold, "expedited_threshold", { positive: true }),
    minInitialDepositRatio: ratio(p.minInitialDepositRatio, "min_initial_deposit_ratio"),
    minDepositRatio: ratio(p.minDepositRatio, "min_deposit_ratio"),
    burnVoteQuorum: p.burnVoteQuorum,
    burnProposalDepositPrevote: p.burnProposalDepositPrevote,
    burnVoteVeto: p.burnVoteVeto,
  };
  ratio(p.proposalCancelRatio, "proposal_cancel_ratio");
  if (p.proposalCancelDest !== "")
    throw invalid("proposal_cancel_dest", "must be empty (cancelling is not supported)");
  if (parsed.expeditedVotingPeriod >= parsed.votingPeriod)
    throw invalid("expedited_voting_period", "must be shorter than voting_period");
  if (parsed.expeditedThreshold <= parsed.threshold)
    throw invalid("expedited_threshold", "must be greater than threshold");
  for (const c of parsed.minDeposit) {
    const e = parsed.expeditedMinDeposit.find((x) => x.denom === c.denom);
    if (!e || BigInt(e.amount) <= BigInt(c.amount))
      throw invalid("expedited_min_deposit", `must be greater than min_deposit in ${c.denom}`);
  }
  return parsed;
}

export function checkVivimGovParams(p: GovVivimParams): void {
  if (p.timelockSeconds > MAX_PERIOD_SECONDS)
    throw invalid("timelock_seconds", `must be at most ${MAX_PERIOD_SECONDS}`);
  if (p.textElectorate !== Electorate.COUNCIL && p.textElectorate !== Electorate.MEMBERS)
    throw invalid("text_electorate", "must be ELECTORATE_COUNCIL or ELECTORATE_MEMBERS");
  if (p.memberMsgTypes.length > MAX_MEMBER_MSG_TYPES)
    throw invalid("member_msg_types", `must have at most ${MAX_MEMBER_MSG_TYPES} entries`);
  const seen = new Set<string>();
  for (const t of p.memberMsgTypes) {
    if (!/^\/[A-Za-z_][A-Za-z0-9_.]{0,199}$/.test(t)) throw invalid("member_msg_types", "must be type URLs");
    if (seen.has(t)) throw invalid("member_msg_types", `lists ${t} twice`);
    seen.add(t);
  }
  if (p.memberWeightCap < 1n) throw invalid("member_weight_cap", "must be positive");
  if (
    !Number.isInteger(p.maxOpenProposals) ||
    p.maxOpenProposals < 1 ||
    p.maxOpenProposals > MAX_OPEN_PROPOSALS_LIMIT
  )
    throw invalid("max_open_proposals", `must be between 1 and ${MAX_OPEN_PROPOSALS_LIMIT}`);
  if (!Number.isInteger(p.maxMessages) || p.maxMessages < 1 || p.maxMessages > MAX_MESSAGES_LIMIT)
    throw invalid("max_messages", `must be between 1 and ${MAX_MESSAGES_LIMIT}`);
}

export function getRawGovParams(store: KVReader): Params {
  const b = store.get(GovKeys.params());
  return b ? Params.decode(b) : DEFAULT_GOV_PARAMS;
}

export function getGovParams(store: KVReader): GovParams {
  return parseGovParams(getRawGovParams(store));
}

export function setGovParams(store: KVStore, params: Params): void {
  store.set(GovKeys.params(), Params.encode(params).finish());
}

export function getVivimGovParams(store: KVReader): GovVivimParams {
  const b = store.get(GovKeys.vivimParams());
  return b ? GovVivimParams.decode(b) : DEFAULT_VIVIM_GOV_PARAMS;
}

export function setVivimGovParams(store: KVStore, params: GovVivimParams): void {
  store.set(GovKeys.vivimParams(), GovVivimParams.toBytes(params));
}

export function getConstitution(store: KVReader): string {
  const b = store.get(GovKeys.constitution());
  return b ? fromUtf8(b) : "";
}
