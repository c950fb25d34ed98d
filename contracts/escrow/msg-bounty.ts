/**
 * The bounty Msgs: create (escrow the reward), claim, unclaim, submit work, accept (release minus
 * the fee), dispute, resolve (the arbiter splits the funds), cancel (refund).
 */
import { CodedError } from "../../chain/errors/codes.js";
import { actorMay } from "../identity/capabilities.js";
import { addressOfHandle, agentOfOwner, displayName, getActor, requireActor } from "../identity/keeper.js";
import { defineMsg, respond } from "../lib/define.js";
import { InteractionKind, recordInteraction } from "../reputation/interactions.js";
import { getCommunityRecord } from "../social/capabilities.js";
import type { ExecContext, KVReader } from "../types.js";
import { EscrowErrors } from "./errors.js";
import { bountyEvent, coinsText, EscrowEvents } from "./events.js";
import {
  bpsOf,
  escrowFunds,
  nextBountyId,
  payWorker,
  refund,
  requireBounty,
  saveBounty,
  uvivim,
  uvivimOf,
} from "./keeper.js";
import { BPS, getEscrowParams } from "./params.js";
import { type Bounty, BountyStatus, FINAL_STATUSES } from "./records.js";
import {
  MsgAcceptWork,
  MsgAcceptWorkResponse,
  MsgCancelBounty,
  MsgCancelBountyResponse,
  MsgClaimBounty,
  MsgClaimBountyResponse,
  MsgCreateBounty,
  MsgCreateBountyResponse,
  MsgDisputeWork,
  MsgDisputeWorkResponse,
  MsgResolveDispute,
  MsgResolveDisputeResponse,
  MsgSubmitWork,
  MsgSubmitWorkResponse,
  MsgUnclaimBounty,
  MsgUnclaimBountyResponse,
} from "./tx.js";
import {
  checkAddress,
  checkAssignee,
  checkBountyAmount,
  checkBountyId,
  checkText,
  MAX_DESCRIPTION,
  MAX_REASON,
  MAX_RESULT,
  MAX_TITLE,
} from "./validate.js";

const statusName = (s: BountyStatus) => BountyStatus[s] ?? String(s);

function refuseReleased(b: Bounty): void {
  if (FINAL_STATUSES.includes(b.status))
    throw new CodedError(
      EscrowErrors.AlreadyReleased,
      `bounty ${b.id} is ${statusName(b.status)}; its funds were already released`,
    );
}

function requireStatus(b: Bounty, status: BountyStatus): void {
  if (b.status !== status)
    throw new CodedError(
      EscrowErrors.WrongStatus,
      `bounty ${b.id} is ${statusName(b.status)}, not ${statusName(status)}`,
    );
}

/** The address an assignee names: itself, `@handle`'s owner, or `@handle/agent`'s agent. */
export function resolveAccount(store: KVReader, name: string): string | undefined {
  if (!name.startsWith("@")) return getActor(store, name) ? name : undefined;
  const [handle = "", agentName] = name.slice(1).split("/");
  const owner = addressOfHandle(store, handle);
  if (!owner) return undefined;
  return agentName === undefined ? owner : agentOfOwner(store, owner, agentName);
}

/** A registered actor that may work with bounties: any human, an agent granted `bounty`. */
function requireBountyActor(ctx: ExecContext, address: string): void {
  const actor = requireActor(ctx, address);
  if (!actorMay(actor, "bounty"))
    throw new CodedError(EscrowErrors.AgentNotPermitted, `${displayName(actor)} lacks the bounty capability`);
}

function update(ctx: ExecContext, prev: Bounty, changes: Partial<Bounty>): Bounty {
  const next: Bounty = { ...prev, ...changes, updatedHeight: ctx.block.height };
  saveBounty(ctx.store, prev, next);
  return next;
}

export const msgCreateBounty = defineMsg(MsgCreateBounty, {
  signers: (m) => [m.creator],
  validateBasic(m) {
    checkAddress(m.creator);
    checkText("title", m.title, MAX_TITLE, true);
    checkText("description", m.description, MAX_DESCRIPTION, false);
    checkBountyAmount(m.amount);
    if (m.deadline <= 0n) throw new CodedError(EscrowErrors.InvalidDeadline, "deadline must be set");
    checkAssignee(m.assignee);
  },
  handle(ctx, m) {
    requireBountyActor(ctx, m.creator);
    const params = getEscrowParams(ctx.store);
    const now = ctx.block.time.seconds;
    if (m.deadline <= now)
      throw new CodedError(
        EscrowErrors.InvalidDeadline,
        `deadline ${m.deadline} is not after block time ${now}`,
      );
    if (m.deadline - now > params.maxDurationSeconds)
      throw new CodedError(
        EscrowErrors.InvalidDeadline,
        `deadline is more than ${params.maxDurationSeconds} seconds away`,
      );
    if (m.communityId !== 0n && !getCommunityRecord(ctx.store, m.communityId))
      throw new CodedError(EscrowErrors.UnknownCommunity, `community ${m.communityId}`);
    let assignee = "";
    if (m.assignee) {
      assignee = resolveAccount(ctx.store, m.assignee) ?? "";
      if (!assignee) throw new CodedError(EscrowErrors.UnknownAssignee, m.assignee);
      if (assignee === m.creator)
        throw new CodedError(EscrowErrors.OwnBounty, "cannot assign a bounty to yourself");
    }
    escrowFunds(ctx, m.creator, m.amount);
    const bounty: Bounty = {
      id: nextBountyId(ctx.store),
      creator: m.creator,
      title: m.title,
      description: m.description,
      amount: m.amount,
      deadline: m.deadline,
      communityId: m.communityId,
      assignee,
      status: BountyStatus.OPEN,
      worker: "",
      result: "",
      disputeReason: "",
      disputedBy: "",
      workerShareBps: 0,
      workerPayout: [],
      fee: [],
      creatorRefund: [],
      createdHeight: ctx.block.height,
      createdAt: now,
      updatedHeight: ctx.block.height,
    };
    saveBounty(ctx.store, undefined, bounty);
    ctx.emit(
      bountyEvent(
        EscrowEvents.BountyCreated,
        bounty,
        {
          assignee,
          community_id: bounty.communityId.toString(),
          amount: coinsText(bounty.amount),
          deadline: bounty.deadline.toString(),
        },
        ["amount", "deadline"],
      ),
    );
    return respond(MsgCreateBountyResponse, { bountyId: bounty.id });
  },
});

export const msgClaimBounty = defineMsg(MsgClaimBounty, {
  signers: (m) => [m.worker],
  validateBasic(m) {
    checkAddress(m.worker);
    checkBountyId(m.bountyId);
  },
  handle(ctx, m) {
    requireBountyActor(ctx, m.worker);
    const b = requireBounty(ctx.store, m.bountyId);
    if (b.status === BountyStatus.CLAIMED)
      throw new CodedError(EscrowErrors.WrongStatus, `bounty ${b.id} is already claimed by ${b.worker}`);
    requireStatus(b, BountyStatus.OPEN);
    if (m.worker === b.creator) throw new CodedError(EscrowErrors.OwnBounty, `bounty ${b.id}`);
    if (b.assignee && m.worker !== b.assignee)
      throw new CodedError(EscrowErrors.NotAssignee, `bounty ${b.id} is assigned to ${b.assignee}`);
    if (ctx.block.time.seconds > b.deadline)
      throw new CodedError(EscrowErrors.DeadlinePassed, `bounty ${b.id}`);
    const next = update(ctx, b, { status: BountyStatus.CLAIMED, worker: m.worker });
    ctx.emit(bountyEvent(EscrowEvents.BountyClaimed, next));
    return respond(MsgClaimBountyResponse, {});
  },
});

/** The bounty `worker` holds a claim on, for the claimant's own Msgs (unclaim, submit). */
function claimedBy(ctx: ExecContext, bountyId: bigint, worker: string): Bounty {
  requireBountyActor(ctx, worker);
  const b = requireBounty(ctx.store, bountyId);
  requireStatus(b, BountyStatus.CLAIMED);
  if (worker !== b.worker) throw new CodedError(EscrowErrors.NotWorker, `bounty ${b.id}`);
  return b;
}

export const msgUnclaimBounty = defineMsg(MsgUnclaimBounty, {
  signers: (m) => [m.worker],
  validateBasic(m) {
    checkAddress(m.worker);
    checkBountyId(m.bountyId);
  },
  handle(ctx, m) {
    const b = claimedBy(ctx, m.bountyId, m.worker);
    const next = update(ctx, b, { status: BountyStatus.OPEN, worker: "" });
    ctx.emit(bountyEvent(EscrowEvents.BountyUnclaimed, next, { worker: m.worker }));
    return respond(MsgUnclaimBountyResponse, {});
  },
});

export const msgSubmitWork = defineMsg(MsgSubmitWork, {
  signers: (m) => [m.worker],
  validateBasic(m) {
    checkAddress(m.worker);
    checkBountyId(m.bountyId);
    checkText("result", m.result, MAX_RESULT, true);
  },
  handle(ctx, m) {
    const b = claimedBy(ctx, m.bountyId, m.worker);
    if (ctx.block.time.seconds > b.deadline)
      throw new CodedError(EscrowErrors.DeadlinePassed, `bounty ${b.id}`);
    const next = update(ctx, b, { status: BountyStatus.SUBMITTED, result: m.result });
    ctx.emit(bountyEvent(EscrowEvents.WorkSubmitted, next));
    return respond(MsgSubmitWorkResponse, {});
  },
});

export const msgAcceptWork = defineMsg(MsgAcceptWork, {
  signers: (m) => [m.creator],
  validateBasic(m) {
    checkAddress(m.creator);
    checkBountyId(m.bountyId);
  },
  handle(ctx, m) {
    requireBountyActor(ctx, m.creator);
    const b = requireBounty(ctx.store, m.bountyId);
    refuseReleased(b);
    if (m.creator !== b.creator) throw new CodedError(EscrowErrors.NotCreator, `bounty ${b.id}`);
    requireStatus(b, BountyStatus.SUBMITTED);
    const { payout, fee } = payWorker(ctx, b.worker, uvivimOf(b.amount), getEscrowParams(ctx.store).feeBps);
    const next = update(ctx, b, {
      status: BountyStatus.PAID,
      workerPayout: uvivim(payout),
      fee: uvivim(fee),
    });
    recordInteraction(ctx, b.creator, b.worker, InteractionKind.BOUNTY);
    ctx.emit(
      bountyEvent(
        EscrowEvents.WorkAccepted,
        next,
        { payout: coinsText(next.workerPayout), fee: coinsText(next.fee) },
        ["payout", "fee"],
      ),
    );
    return respond(MsgAcceptWorkResponse, { payout: next.workerPayout, fee: next.fee });
  },
});

export const msgDisputeWork = defineMsg(MsgDisputeWork, {
  signers: (m) => [m.actor],
  validateBasic(m) {
    checkAddress(m.actor);
    checkBountyId(m.bountyId);
    checkText("reason", m.reason, MAX_REASON, true);
  },
  handle(ctx, m) {
    requireBountyActor(ctx, m.actor);
    const b = requireBounty(ctx.store, m.bountyId);
    refuseReleased(b);
    if (m.actor !== b.creator && m.actor !== b.worker)
      throw new CodedError(EscrowErrors.NotParty, `bounty ${b.id}`);
    requireStatus(b, BountyStatus.SUBMITTED);
    const next = update(ctx, b, {
      status: BountyStatus.DISPUTED,
      disputeReason: m.reason,
      disputedBy: m.actor,
    });
    ctx.emit(bountyEvent(EscrowEvents.WorkDisputed, next, { actor: m.actor }));
    return respond(MsgDisputeWorkResponse, {});
  },
});

export const msgResolveDispute = defineMsg(MsgResolveDispute, {
  signers: (m) => [m.arbiter],
  validateBasic(m) {
    checkAddress(m.arbiter);
    checkBountyId(m.bountyId);
    if (!Number.isInteger(m.workerShareBps) || m.workerShareBps < 0 || BigInt(m.workerShareBps) > BPS)
      throw new CodedError(EscrowErrors.InvalidField, `worker_share_bps must be between 0 and ${BPS}`);
  },
  handle(ctx, m) {
    // The arbiter is normally the gov module account (no profile), so it is not an Actor.
    const params = getEscrowParams(ctx.store);
    if (m.arbiter !== params.arbiter)
      throw new CodedError(EscrowErrors.NotArbiter, `expected ${params.arbiter}, got ${m.arbiter}`);
    const b = requireBounty(ctx.store, m.bountyId);
    refuseReleased(b);
    requireStatus(b, BountyStatus.DISPUTED);
    const total = uvivimOf(b.amount);
    const gross = bpsOf(total, m.workerShareBps);
    const { payout, fee } = payWorker(ctx, b.worker, gross, params.feeBps);
    refund(ctx, b.creator, total - gross);
    const next = update(ctx, b, {
      status: BountyStatus.RESOLVED,
      workerShareBps: m.workerShareBps,
      workerPayout: uvivim(payout),
      fee: uvivim(fee),
      creatorRefund: uvivim(total - gross),
    });
    // They dealt with each other, however it ended: each may rate the other.
    recordInteraction(ctx, b.creator, b.worker, InteractionKind.BOUNTY);
    ctx.emit(
      bountyEvent(
        EscrowEvents.DisputeResolved,
        next,
        {
          arbiter: m.arbiter,
          worker_share_bps: String(m.workerShareBps),
          payout: coinsText(next.workerPayout),
          fee: coinsText(next.fee),
          refund: coinsText(next.creatorRefund),
        },
        ["worker_share_bps", "payout", "fee", "refund"],
      ),
    );
    return respond(MsgResolveDisputeResponse, {
      workerPayout: next.workerPayout,
      fee: next.fee,
      creatorRefund: next.creatorRefund,
    });
  },
});

export const msgCancelBounty = defineMsg(MsgCancelBounty, {
  signers: (m) => [m.creator],
  validateBasic(m) {
    checkAddress(m.creator);
    checkBountyId(m.bountyId);
  },
  handle(ctx, m) {
    requireBountyActor(ctx, m.creator);
    const b = requireBounty(ctx.store, m.bountyId);
    refuseReleased(b);
    if (m.creator !== b.creator) throw new CodedError(EscrowErrors.NotCreator, `bounty ${b.id}`);
    const lapsed = b.status === BountyStatus.CLAIMED && ctx.block.time.seconds > b.deadline;
    if (b.status !== BountyStatus.OPEN && !lapsed)
      throw new CodedError(
        EscrowErrors.NotCancellable,
        b.status === BountyStatus.CLAIMED
          ? `bounty ${b.id} is claimed until its deadline ${b.deadline}`
          : `bounty ${b.id} is ${statusName(b.status)}`,
      );
    const amount = uvivimOf(b.amount);
    refund(ctx, b.creator, amount);
    const next = update(ctx, b, { status: BountyStatus.CANCELLED, creatorRefund: uvivim(amount) });
    ctx.emit(
      bountyEvent(EscrowEvents.BountyCancelled, next, { refund: coinsText(next.creatorRefund) }, ["refund"]),
    );
    return respond(MsgCancelBountyResponse, { refund: next.creatorRefund });
  },
});
