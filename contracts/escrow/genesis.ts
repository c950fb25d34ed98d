/**
 * The module's genesis section, `app_state.escrow`:
 *
 *   {
 *     "params": {                              // optional; every field optional
 *       "authority": "vivim1...",              // default: the gov module account
 *       "arbiter": "vivim1...",                // default: the gov module account
 *       "fee_bps": 250,                        // 0..5000
 *       "max_duration_seconds": "31536000"     // 60..10 years
 *     },
 *     "bounties": [                            // optional seed bounties, all OPEN, ids 1, 2, ...
 *       {
 *         "creator": "vivim1...",              // must have a profile (identity genesis runs first)
 *         "title": "Summarise #agents weekly", // 1..200 characters
 *         "description": "…",                  // optional, ≤ 4000
 *         "amount": "5000000",                 // uvivim, > 0
 *         "deadline": "1767225600",            // unix seconds, after genesis time
 *         "community_id": "0",                 // optional; must exist in app_state.social
 *         "assignee": "vivim1..."              // optional: a registered address
 *       }
 *     ]
 *   }
 *
 * The escrow module account (`moduleAddress("escrow")`) must hold the seeded bounties' amounts:
 * fund it in `app_state.bank.balances`; initGenesis checks it holds at least their sum.
 */
import { decodeAddress } from "../../chain/crypto/address.js";
import { isCodedError } from "../../chain/errors/codes.js";
import { getBalance } from "../bank/keeper.js";
import { getActor } from "../identity/keeper.js";
import { BASE_DENOM } from "../lib/coins.js";
import { asArray, asObject, asString, asUint, GenesisFieldError, rejectUnknownKeys } from "../lib/genesis.js";
import { getCommunityRecord } from "../social/capabilities.js";
import type { ExecContext } from "../types.js";
import { nextBountyId, saveBounty, uvivim } from "./keeper.js";
import { checkEscrowParams, DEFAULT_ESCROW_PARAMS, ESCROW_ADDRESS, setEscrowParams } from "./params.js";
import { type Bounty, BountyStatus, type EscrowParams } from "./records.js";
import { checkText, MAX_DESCRIPTION, MAX_TITLE } from "./validate.js";

const SECTION = "app_state.escrow";
const MAX_GENESIS_BOUNTIES = 10_000;

export interface SeedBounty {
  readonly creator: string;
  readonly title: string;
  readonly description: string;
  readonly amount: bigint;
  readonly deadline: bigint;
  readonly communityId: bigint;
  readonly assignee: string;
}

export interface EscrowGenesis {
  readonly params: EscrowParams;
  readonly bounties: readonly SeedBounty[];
}

function coded<T>(field: string, fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    if (isCodedError(err)) throw new GenesisFieldError(field, err.log);
    throw err;
  }
}

function parseParams(value: unknown): EscrowParams {
  const field = `${SECTION}.params`;
  if (value === undefined) return { ...DEFAULT_ESCROW_PARAMS };
  const p = asObject(value, field);
  rejectUnknownKeys(p, ["authority", "arbiter", "fee_bps", "max_duration_seconds"], field);
  const d = DEFAULT_ESCROW_PARAMS;
  const params: EscrowParams = {
    authority: p.authority === undefined ? d.authority : asString(p.authority, `${field}.authority`),
    arbiter: p.arbiter === undefined ? d.arbiter : asString(p.arbiter, `${field}.arbiter`),
    feeBps: p.fee_bps === undefined ? d.feeBps : Number(asUint(p.fee_bps, `${field}.fee_bps`)),
    maxDurationSeconds:
      p.max_duration_seconds === undefined
        ? d.maxDurationSeconds
        : asUint(p.max_duration_seconds, `${field}.max_duration_seconds`),
  };
  coded(field, () => checkEscrowParams(params));
  return params;
}

export function parseEscrowGenesis(state: unknown): EscrowGenesis {
  const g = asObject(state ?? {}, SECTION);
  rejectUnknownKeys(g, ["params", "bounties"], SECTION);
  const params = parseParams(g.params);
  const bounties = asArray(g.bounties ?? [], `${SECTION}.bounties`, MAX_GENESIS_BOUNTIES).map(
    (entry, i): SeedBounty => {
      const field = `${SECTION}.bounties[${i}]`;
      const b = asObject(entry, field);
      rejectUnknownKeys(
        b,
        ["creator", "title", "description", "amount", "deadline", "community_id", "assignee"],
        field,
      );
      const creator = asString(b.creator, `${field}.creator`);
      coded(`${field}.creator`, () => decodeAddress(creator));
      const title = asString(b.title, `${field}.title`);
      coded(`${field}.title`, () => checkText("title", title, MAX_TITLE, true));
      const description = b.description === undefined ? "" : asString(b.description, `${field}.description`);
      coded(`${field}.description`, () => checkText("description", description, MAX_DESCRIPTION, false));
      const amount = asUint(b.amount, `${field}.amount`);
      if (amount === 0n) throw new GenesisFieldError(`${field}.amount`, "must be positive");
      const deadline = asUint(b.deadline, `${field}.deadline`);
      const communityId = b.community_id === undefined ? 0n : asUint(b.community_id, `${field}.community_id`);
      const assignee = b.assignee === undefined ? "" : asString(b.assignee, `${field}.assignee`);
      if (assignee) coded(`${field}.assignee`, () => decodeAddress(assignee));
      if (assignee === creator) throw new GenesisFieldError(`${field}.assignee`, "must not be the creator");
      return { creator, title, description, amount, deadline, communityId, assignee };
    },
  );
  return { params, bounties };
}

export function initEscrowGenesis(ctx: ExecContext, state: unknown): void {
  const genesis = parseEscrowGenesis(state);
  setEscrowParams(ctx.store, genesis.params);
  let escrowed = 0n;
  genesis.bounties.forEach((s, i) => {
    const field = `${SECTION}.bounties[${i}]`;
    if (!getActor(ctx.store, s.creator)) throw new GenesisFieldError(`${field}.creator`, "has no profile");
    if (s.assignee && !getActor(ctx.store, s.assignee))
      throw new GenesisFieldError(`${field}.assignee`, "is not a registered account");
    if (s.communityId !== 0n && !getCommunityRecord(ctx.store, s.communityId))
      throw new GenesisFieldError(`${field}.community_id`, "no such community (seed it in app_state.social)");
    if (s.deadline <= ctx.block.time.seconds)
      throw new GenesisFieldError(`${field}.deadline`, "must be after the genesis time");
    escrowed += s.amount;
    const bounty: Bounty = {
      id: nextBountyId(ctx.store),
      creator: s.creator,
      title: s.title,
      description: s.description,
      amount: uvivim(s.amount),
      deadline: s.deadline,
      communityId: s.communityId,
      assignee: s.assignee,
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
      createdAt: ctx.block.time.seconds,
      updatedHeight: ctx.block.height,
    };
    saveBounty(ctx.store, undefined, bounty);
  });
  if (escrowed > 0n && getBalance(ctx.store, ESCROW_ADDRESS, BASE_DENOM) < escrowed)
    throw new GenesisFieldError(
      `${SECTION}.bounties`,
      `the escrow account ${ESCROW_ADDRESS} must hold at least ${escrowed}${BASE_DENOM} (fund it in app_state.bank)`,
    );
}
