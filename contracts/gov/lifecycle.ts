/**
 * A proposal's way from deposit to execution: deposits and the move to voting, the reminder that
 * voting ends soon, the tally when the voting period ends, the timelock, execution, and what
 * happens to the deposits. The end block drives it from the open list and the reminder list
 * (keeper.ts), so a block with nothing due costs two reads.
 */
import type { Coin } from "cosmjs-types/cosmos/base/v1beta1/coin";
import { type Proposal, ProposalStatus } from "cosmjs-types/cosmos/gov/v1/gov";
import type { Timestamp } from "cosmjs-types/google/protobuf/timestamp";
import { CodedError } from "../../chain/errors/codes.js";
import { timestampToRfc3339 } from "../../chain/types/timestamp.js";
import { burnCoins, sendCoins } from "../bank/keeper.js";
import { formatCoins } from "../lib/coins.js";
import { DEC_ONE } from "../lib/decimal.js";
import type { ExecContext } from "../types.js";
import { executeProposalMessages } from "./content.js";
import { GovErrors } from "./errors.js";
import { GovEvents, govEvent } from "./events.js";
import {
  addSeconds,
  clearVoterList,
  compareTime,
  deleteDeposits,
  deleteProposal,
  getDeposit,
  getInfo,
  getProposal,
  listDeposits,
  readOpen,
  readReminders,
  scheduleOpen,
  scheduleReminder,
  setDeposit,
  setInfo,
  setProposal,
  unscheduleReminder,
  writeOpen,
  writeReminders,
} from "./keeper.js";
import { GOV_ADDRESS, type GovParams, getGovParams, getVivimGovParams } from "./params.js";
import { type ProposalInfo, Stage } from "./records.js";
import { clearMemberTally } from "./running-tally.js";
import { tallyProposal, toTallyResult } from "./tally.js";

export function blockTimestamp(ctx: ExecContext): Timestamp {
  return { seconds: ctx.block.time.seconds, nanos: ctx.block.time.nanos };
}

function amountOf(coins: readonly Coin[], denom: string): bigint {
  const c = coins.find((x) => x.denom === denom);
  return c ? BigInt(c.amount) : 0n;
}

export function addCoinLists(a: readonly Coin[], b: readonly Coin[]): Coin[] {
  const denoms = [...new Set([...a, ...b].map((c) => c.denom))].sort();
  return denoms.map((denom) => ({ denom, amount: (amountOf(a, denom) + amountOf(b, denom)).toString() }));
}

/** `have` covers every coin of `need` scaled by `ratio` (an 18-decimal fraction). */
export function covers(have: readonly Coin[], need: readonly Coin[], ratio = DEC_ONE): boolean {
  return need.every((c) => amountOf(have, c.denom) * DEC_ONE >= BigInt(c.amount) * ratio);
}

export function requiredDeposit(proposal: Proposal, params: GovParams): readonly Coin[] {
  return proposal.expedited ? params.expeditedMinDeposit : params.minDeposit;
}

/** Refuses coins in a denom the min deposit does not use (they would count for nothing). */
export function checkDepositDenoms(coins: readonly Coin[], params: GovParams): void {
  for (const c of coins)
    if (!params.minDeposit.some((m) => m.denom === c.denom))
      throw new CodedError(
        GovErrors.InvalidDepositAmount,
        `deposits are in ${params.minDeposit.map((m) => m.denom).join(", ")}, not ${c.denom}`,
      );
}

/**
 * Escrows `coins` from `depositor` in the gov account for the proposal; in the deposit period,
 * reaching the minimum deposit starts the voting period. Returns the updated proposal (stored).
 */
export function addDeposit(
  ctx: ExecContext,
  proposal: Proposal,
  depositor: string,
  coins: readonly Coin[],
  params: GovParams,
): Proposal {
  if (coins.length === 0) return proposal;
  sendCoins(ctx, depositor, GOV_ADDRESS, coins);
  const earlier = getDeposit(ctx.store, proposal.id, depositor);
  setDeposit(ctx.store, {
    proposalId: proposal.id,
    depositor,
    amount: addCoinLists(earlier?.amount ?? [], coins),
  });
  const next: Proposal = { ...proposal, totalDeposit: addCoinLists(proposal.totalDeposit, coins) };
  ctx.emit(
    govEvent(
      GovEvents.ProposalDeposit,
      { amount: formatCoins(coins), proposal_id: proposal.id.toString(), depositor },
      ["amount"],
    ),
  );
  if (
    next.status === ProposalStatus.PROPOSAL_STATUS_DEPOSIT_PERIOD &&
    covers(next.totalDeposit, requiredDeposit(next, params))
  )
    return startVoting(ctx, next, params);
  setProposal(ctx.store, next);
  return next;
}

function startVoting(ctx: ExecContext, proposal: Proposal, params: GovParams): Proposal {
  const now = blockTimestamp(ctx);
  const votingEndTime = addSeconds(
    now,
    proposal.expedited ? params.expeditedVotingPeriod : params.votingPeriod,
  );
  const next: Proposal = {
    ...proposal,
    status: ProposalStatus.PROPOSAL_STATUS_VOTING_PERIOD,
    votingStartTime: now,
    votingEndTime,
  };
  setProposal(ctx.store, next);
  const info = requireInfo(ctx, proposal.id);
  setInfo(ctx.store, { ...info, stage: Stage.VOTING });
  scheduleOpen(ctx.store, proposal.id, votingEndTime);
  scheduleVotingReminder(
    ctx,
    proposal.id,
    votingEndTime,
    proposal.expedited ? params.expeditedVotingPeriod : params.votingPeriod,
  );
  ctx.emit(
    govEvent(GovEvents.SubmitProposal, {
      proposal_id: proposal.id.toString(),
      voting_period_start: proposal.id.toString(),
    }),
  );
  return next;
}

function requireInfo(ctx: ExecContext, id: bigint): ProposalInfo {
  const info = getInfo(ctx.store, id);
  if (!info) throw new Error(`gov: proposal ${id} has no info record`);
  return info;
}

/** Returns every deposit to its depositor, or burns them all; then forgets them. */
function settleDeposits(ctx: ExecContext, id: bigint, burn: boolean): void {
  for (const d of listDeposits(ctx.store, id)) {
    if (d.amount.length === 0) continue;
    if (burn) burnCoins(ctx, GOV_ADDRESS, d.amount);
    else sendCoins(ctx, GOV_ADDRESS, d.depositor, d.amount);
  }
  deleteDeposits(ctx.store, id);
}

/** How long before its voting period ends a proposal's reminder goes out: a quarter of the period, at most a day. */
export const MAX_REMINDER_WINDOW_SECONDS = 86_400n;

export function reminderWindow(votingPeriod: bigint): bigint {
  const quarter = votingPeriod / 4n;
  return quarter < MAX_REMINDER_WINDOW_SECONDS ? quarter : MAX_REMINDER_WINDOW_SECONDS;
}

/**
 * Schedules the EventVotingEndsSoon of a proposal whose voting ends at `votingEndTime` after a
 * period of `votingPeriod` seconds, replacing any reminder it had (an expedited proposal converted
 * to a regular one gets one for its new deadline). A period under 4 s has no window: no reminder.
 */
function scheduleVotingReminder(
  ctx: ExecContext,
  id: bigint,
  votingEndTime: Timestamp,
  votingPeriod: bigint,
): void {
  const window = reminderWindow(votingPeriod);
  if (window <= 0n) unscheduleReminder(ctx.store, id);
  else scheduleReminder(ctx.store, id, addSeconds(votingEndTime, -window));
}

/**
 * The end block: handles every open proposal whose deadline has come, in deadline order, then
 * sends the voting reminders that have come due.
 */
export function processDueProposals(ctx: ExecContext): void {
  processDueDeadlines(ctx);
  processDueReminders(ctx);
}

/**
 * Emits EventVotingEndsSoon for each reminder whose time has come, in time order, for a proposal
 * still in its voting period that does not end in this very block (one ending now was just
 * tallied: its `active_proposal` says so). Each reminder is sent once and then forgotten.
 */
function processDueReminders(ctx: ExecContext): void {
  const pending = readReminders(ctx.store);
  if (pending.length === 0) return;
  const now = blockTimestamp(ctx);
  const due = pending.filter((e) => compareTime(e.deadline, now) <= 0);
  if (due.length === 0) return;
  writeReminders(
    ctx.store,
    pending.filter((e) => compareTime(e.deadline, now) > 0),
  );
  for (const { id } of due) {
    const proposal = getProposal(ctx.store, id);
    const end = proposal?.votingEndTime;
    if (!proposal || !end || getInfo(ctx.store, id)?.stage !== Stage.VOTING) continue;
    if (compareTime(end, now) <= 0) continue;
    ctx.emit(
      govEvent(
        GovEvents.VotingEndsSoon,
        { proposal_id: id.toString(), voting_end_time: timestampToRfc3339(end) },
        ["voting_end_time"],
      ),
    );
  }
}

function processDueDeadlines(ctx: ExecContext): void {
  const open = readOpen(ctx.store);
  if (open.length === 0) return;
  const now = blockTimestamp(ctx);
  const due = open.filter((e) => compareTime(e.deadline, now) <= 0);
  if (due.length === 0) return;
  writeOpen(
    ctx.store,
    open.filter((e) => compareTime(e.deadline, now) > 0),
  );
  for (const { id } of due) {
    const proposal = getProposal(ctx.store, id);
    const info = getInfo(ctx.store, id);
    if (!proposal || !info) continue;
    if (info.stage === Stage.DEPOSIT) dropProposal(ctx, proposal);
    else if (info.stage === Stage.VOTING) endVoting(ctx, proposal, info);
    else if (info.stage === Stage.QUEUED) execute(ctx, proposal, info);
  }
}

function dropProposal(ctx: ExecContext, proposal: Proposal): void {
  const params = getGovParams(ctx.store);
  settleDeposits(ctx, proposal.id, params.burnProposalDepositPrevote);
  deleteProposal(ctx.store, proposal);
  ctx.emit(
    govEvent(GovEvents.InactiveProposal, {
      proposal_id: proposal.id.toString(),
      proposal_result: "proposal_dropped",
    }),
  );
}

function endVoting(ctx: ExecContext, proposal: Proposal, info: ProposalInfo): void {
  const params = getGovParams(ctx.store);
  const vparams = getVivimGovParams(ctx.store);
  const outcome = tallyProposal(ctx.store, proposal, info.electorate, params, vparams);
  const id = proposal.id.toString();

  if (outcome.verdict === "rejected" && proposal.expedited) {
    // x/gov: an expedited proposal that misses its 2/3 becomes a regular one and keeps its votes.
    const votingEndTime = addSeconds(proposal.votingStartTime ?? blockTimestamp(ctx), params.votingPeriod);
    setProposal(ctx.store, { ...proposal, expedited: false, votingEndTime });
    setInfo(ctx.store, { ...info, convertedFromExpedited: true });
    scheduleOpen(ctx.store, proposal.id, votingEndTime);
    scheduleVotingReminder(ctx, proposal.id, votingEndTime, params.votingPeriod);
    ctx.emit(
      govEvent(GovEvents.ActiveProposal, { proposal_id: id, proposal_result: "expedited_proposal_rejected" }),
    );
    return;
  }

  clearVoterList(ctx.store, proposal.id);
  clearMemberTally(ctx.store, proposal.id);
  unscheduleReminder(ctx.store, proposal.id);
  const tallied: Proposal = { ...proposal, finalTallyResult: toTallyResult(outcome.counts) };
  const talliedInfo: ProposalInfo = { ...info, totalWeight: outcome.total.toString() };
  settleDeposits(ctx, proposal.id, outcome.burnDeposits);

  if (outcome.verdict === "rejected") {
    setProposal(ctx.store, { ...tallied, status: ProposalStatus.PROPOSAL_STATUS_REJECTED });
    setInfo(ctx.store, { ...talliedInfo, stage: Stage.REJECTED });
    ctx.emit(
      govEvent(GovEvents.ActiveProposal, {
        proposal_id: id,
        proposal_result: "proposal_rejected",
        proposal_log: outcome.reason,
      }),
    );
    return;
  }

  setProposal(ctx.store, { ...tallied, status: ProposalStatus.PROPOSAL_STATUS_PASSED });
  ctx.emit(govEvent(GovEvents.ActiveProposal, { proposal_id: id, proposal_result: "proposal_passed" }));
  const timelock = vparams.timelockSeconds;
  if (timelock > 0n && proposal.messages.length > 0) {
    const executeAfter = addSeconds(blockTimestamp(ctx), timelock);
    setInfo(ctx.store, { ...talliedInfo, stage: Stage.QUEUED, executeAfter: executeAfter.seconds });
    scheduleOpen(ctx.store, proposal.id, executeAfter);
    return;
  }
  execute(ctx, { ...tallied, status: ProposalStatus.PROPOSAL_STATUS_PASSED }, talliedInfo);
}

function execute(ctx: ExecContext, proposal: Proposal, info: ProposalInfo): void {
  const result = executeProposalMessages(ctx, proposal.messages);
  const done: ProposalInfo = { ...info, executedHeight: ctx.block.height };
  if (result.ok) {
    setInfo(ctx.store, { ...done, stage: Stage.EXECUTED });
  } else {
    setProposal(ctx.store, {
      ...proposal,
      status: ProposalStatus.PROPOSAL_STATUS_FAILED,
      failedReason: result.reason.slice(0, 1024),
    });
    setInfo(ctx.store, { ...done, stage: Stage.FAILED });
  }
  ctx.emit(
    govEvent(
      GovEvents.ProposalExecuted,
      {
        proposal_id: proposal.id.toString(),
        result: result.ok ? "executed" : "failed",
        ...(result.ok ? {} : { reason: result.reason.slice(0, 1024) }),
      },
      ["reason"],
    ),
  );
}
