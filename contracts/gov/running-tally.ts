/**
 * Running member tallies: what makes the end block of a members' proposal cheap.
 *
 * A members' vote weighs min(score, member_weight_cap) at the tally (tally.ts). Scores move only
 * when a score is written (reputation epochs, genesis), which bumps the reputation module's scores
 * version (contracts/reputation/reach.ts), and the cap only by a passed proposal. So MsgVote and
 * MsgVoteWeighted keep, per proposal, the per-option sums of the votes at the weight each voter has
 * now (a re-vote takes its earlier vote out, at the same weight, and adds the new one), together with
 * the scores version and cap those weights were read at. While both are unchanged, the weights
 * are still the ones the full count would read, and the tally is the sums.
 *
 * Only *settled* voters go into the sums: accounts that are not agents and never can be (they have
 * a profile or have signed a transaction — every voter has signed its vote — and agent
 * registration refuses both), whose weight is their own capped score and nothing else. Agents carry
 * their owner's weight, share it, lose it when the owner votes, revokes `govern` or retires them:
 * they are listed per proposal and weighed one by one at the tally, by the full count's rule.
 * Agents never stop being agents, so a re-vote finds its voter's kind again from its standing.
 *
 * Once a vote arrives after the scores or the cap changed (or from a non-agent that has neither
 * signed nor a profile, which only a direct handler call can cast), the sums are marked stale and
 * no longer kept: the tally then counts every vote again (countVotes), which is always exact. The
 * record also counts its voters, so that a proposal whose votes are not all accounted for (state
 * written before the sums existed) is recounted too.
 */
import { type Vote, VoteOption } from "cosmjs-types/cosmos/gov/v1/gov";
import { getAccount } from "../auth/keeper.js";
import { getProfile } from "../identity/keeper.js";
import { DEC_ONE, parseDec } from "../lib/decimal.js";
import { readUint64 } from "../lib/store.js";
import { scoresVersion } from "../reputation/reach.js";
import type { KVReader, KVStore } from "../types.js";
import type { VoterStanding } from "./electorate.js";
import { appendToList, clearList, readList } from "./keeper.js";
import { GovKeys } from "./keys.js";
import type { GovVivimParams } from "./records.js";

export interface Counts {
  yes: bigint;
  abstain: bigint;
  no: bigint;
  veto: bigint;
}

export const zeroCounts = (): Counts => ({ yes: 0n, abstain: 0n, no: 0n, veto: 0n });

/** Adds (sign 1n) or takes out (sign -1n) `vote` cast with `weight`, split by its options' weights. */
export function addWeighted(counts: Counts, vote: Vote, weight: bigint, sign: 1n | -1n = 1n): void {
  for (const o of vote.options) {
    const share = sign * ((weight * (parseDec(o.weight) ?? 0n)) / DEC_ONE);
    if (o.option === VoteOption.VOTE_OPTION_YES) counts.yes += share;
    else if (o.option === VoteOption.VOTE_OPTION_ABSTAIN) counts.abstain += share;
    else if (o.option === VoteOption.VOTE_OPTION_NO) counts.no += share;
    else if (o.option === VoteOption.VOTE_OPTION_NO_WITH_VETO) counts.veto += share;
  }
}

export interface MemberTally {
  /** A vote arrived after the scores or the cap changed: the sums are no longer kept. */
  readonly stale: boolean;
  /** The scores version and cap every weight in the sums was read at. */
  readonly scoresVersion: bigint;
  readonly cap: bigint;
  /** Settled voters in the sums. */
  readonly voters: bigint;
  readonly counts: Counts;
}

const RECORD_BYTES = 1 + 8 + 8 + 8 + 4 * 16;
const U64 = (1n << 64n) - 1n;

function encodeTally(t: MemberTally): Uint8Array {
  const out = new Uint8Array(RECORD_BYTES);
  const view = new DataView(out.buffer);
  view.setUint8(0, t.stale ? 1 : 0);
  view.setBigUint64(1, t.scoresVersion);
  view.setBigUint64(9, t.cap);
  view.setBigUint64(17, t.voters);
  [t.counts.yes, t.counts.abstain, t.counts.no, t.counts.veto].forEach((c, i) => {
    if (c < 0n || c >> 128n !== 0n) throw new Error(`gov: running tally count ${c} out of range`);
    view.setBigUint64(25 + i * 16, c >> 64n);
    view.setBigUint64(33 + i * 16, c & U64);
  });
  return out;
}

function decodeTally(b: Uint8Array): MemberTally {
  if (b.length !== RECORD_BYTES) throw new Error("gov: malformed running tally");
  const view = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const count = (i: number) => (view.getBigUint64(25 + i * 16) << 64n) | view.getBigUint64(33 + i * 16);
  return {
    stale: view.getUint8(0) === 1,
    scoresVersion: view.getBigUint64(1),
    cap: view.getBigUint64(9),
    voters: view.getBigUint64(17),
    counts: { yes: count(0), abstain: count(1), no: count(2), veto: count(3) },
  };
}

export function getMemberTally(store: KVReader, id: bigint): MemberTally | undefined {
  const b = store.get(GovKeys.memberTally(id));
  return b ? decodeTally(b) : undefined;
}

function setMemberTally(store: KVStore, id: bigint, t: MemberTally): void {
  store.set(GovKeys.memberTally(id), encodeTally(t));
}

/**
 * A non-agent whose weight is its own capped score for good: it can never be registered as an
 * agent (registration refuses an address with a profile or one that has signed).
 */
function isSettled(store: KVReader, voter: string): boolean {
  // The account first: a vote's own tx has just written it (sequence, public key).
  const account = getAccount(store, voter);
  if (account && (account.sequence > 0n || account.pubKey !== undefined)) return true;
  return getProfile(store, voter) !== undefined;
}

function count(store: KVReader, countKey: Uint8Array): bigint {
  const b = store.get(countKey);
  return b ? readUint64(b) : 0n;
}

/**
 * Keeps a members' proposal's running tally after `vote` was stored (replacing `previous`, the
 * voter's earlier vote, if any); `standing` is the voter's standing the vote was accepted with.
 */
export function recordMemberVote(
  store: KVStore,
  vote: Vote,
  previous: Vote | undefined,
  standing: VoterStanding,
  vparams: GovVivimParams,
): void {
  const id = vote.proposalId;
  // An agent now was one when it first voted, or was then an account that could still become one
  // (below: the sums went stale then). Agents never stop being agents.
  if (standing.owner !== undefined) {
    if (!previous) appendToList(store, GovKeys.agentVoterCount(id), GovKeys.agentVoterAt, id, vote.voter);
    return;
  }
  const version = scoresVersion(store);
  const cap = vparams.memberWeightCap;
  const held = getMemberTally(store, id);
  const t = held ?? { stale: false, scoresVersion: version, cap, voters: 0n, counts: zeroCounts() };
  if (t.stale) return;
  // Not an agent: settled unless it could still be registered as one — which a voter that signed
  // its vote cannot; such a vote (a handler called directly) gives up the sums for the full count,
  // as does an earlier vote the sums never held (state from before them).
  if (t.scoresVersion !== version || t.cap !== cap || (previous ? !held : !isSettled(store, vote.voter))) {
    setMemberTally(store, id, { ...t, stale: true });
    return;
  }
  const counts = { ...t.counts };
  // Same scores and cap as when `previous` was added: the voter's weight then is its weight now.
  if (previous) addWeighted(counts, previous, standing.weight, -1n);
  addWeighted(counts, vote, standing.weight);
  setMemberTally(store, id, { ...t, voters: previous ? t.voters : t.voters + 1n, counts });
}

/** The agents that voted on a members' proposal: weighed one by one at the tally, in first-vote order. */
export function agentVoters(store: KVReader, id: bigint): string[] {
  return readList(store, GovKeys.agentVoterCount(id), GovKeys.agentVoterAt, id);
}

/**
 * The settled voters' sums when they are still exact: not stale, read at the current scores version
 * and cap, and covering every voter that is not an agent. Undefined when the votes must be recounted.
 */
export function settledCounts(store: KVReader, id: bigint, vparams: GovVivimParams): Counts | undefined {
  const t = getMemberTally(store, id);
  if (t && (t.stale || t.scoresVersion !== scoresVersion(store) || t.cap !== vparams.memberWeightCap))
    return undefined;
  const voters = count(store, GovKeys.voterCount(id));
  if ((t?.voters ?? 0n) + count(store, GovKeys.agentVoterCount(id)) !== voters) return undefined;
  return t ? { ...t.counts } : zeroCounts();
}

/** Drops the running tally and the agent voter list once the proposal is tallied. */
export function clearMemberTally(store: KVStore, id: bigint): void {
  if (store.has(GovKeys.agentVoterCount(id)))
    clearList(store, GovKeys.agentVoterCount(id), GovKeys.agentVoterAt, id);
  if (store.has(GovKeys.memberTally(id))) store.delete(GovKeys.memberTally(id));
}
