/**
 * Key layout of the governance module (prefix `ModulePrefix.gov`):
 *
 *   01|id                → cosmos.gov.v1.Proposal
 *   02|id                → vivim.gov.v1.ProposalInfo (electorate, stage, timelock)
 *   03|id|depositor      → cosmos.gov.v1.Deposit     (queries range over 03|id)
 *   04|id|voter          → cosmos.gov.v1.Vote        (queries range over 04|id; kept after the tally)
 *   05|id|chunk u32      → voter addresses           the tally's list (handlers cannot scan): 20
 *   06|id                → voter count (uint64)      bytes each, 64 per chunk, in first-vote order
 *   07|id|chunk u32      → depositor addresses       the refund or burn's list, chunked the same way
 *   08|id                → depositor count (uint64)
 *   09                   → open proposals: (id u64 · deadline seconds i64 · nanos u32) × n
 *   0a                   → next proposal id
 *   0b                   → cosmos.gov.v1.Params
 *   0c                   → vivim.gov.v1.Params
 *   0d                   → constitution (UTF-8)
 *   0e|id                → running member tally (members' proposals; running-tally.ts): flags u8
 *                          (1 = stale) · scores version u64 · member_weight_cap u64 · settled
 *                          voters u64 · yes · abstain · no · no_with_veto (u128 each): the non-agent
 *                          votes at their voters' weights, kept by MsgVote/MsgVoteWeighted and valid
 *                          while the scores version and cap are the ones recorded
 *   0f|id|chunk u32      → agent voter addresses     the votes the tally weighs one by one (the agents'
 *   10|id                → agent voter count         on a members' proposal), chunked the same way
 *   11                   → voting reminders: (id u64 · remind-at seconds i64 · nanos u32) × n, the
 *                          proposals in their voting period whose EventVotingEndsSoon is still due
 *   E0|status u8|id      → 01                        query index: proposals by status, oldest first
 *   E1|status u8|~id     → 01                        query index: proposals by status, newest first
 *
 * Ids and indexes are big-endian so that a range over 01 lists proposals in id order; `~id` is
 * 2^64-1-id, so a range over E1 lists newest first. In E0/E1 status 0 (UNSPECIFIED) lists every
 * proposal. E0/E1 are query indexes (contracts/lib/store.ts): written by handlers on every status
 * change (setProposal, deleteProposal), read only by queries, not hashed into the app hash. Genesis
 * imports no proposals (genesis.ts), so the index starts empty with the proposals.
 */
import { decodeAddress } from "../../chain/crypto/address.js";
import { key, ModulePrefix, uint64Bytes } from "../lib/store.js";

const P = ModulePrefix.gov;
const at = (sub: number) => new Uint8Array([P, sub]);

export const PROPOSAL_PREFIX = at(0x01);
const INFO_PREFIX = at(0x02);
const DEPOSIT_PREFIX = at(0x03);
const VOTE_PREFIX = at(0x04);
const VOTER_LIST_PREFIX = at(0x05);
const VOTER_COUNT_PREFIX = at(0x06);
const DEPOSITOR_LIST_PREFIX = at(0x07);
const DEPOSITOR_COUNT_PREFIX = at(0x08);
const MEMBER_TALLY_PREFIX = at(0x0e);
const AGENT_VOTER_LIST_PREFIX = at(0x0f);
const AGENT_VOTER_COUNT_PREFIX = at(0x10);
export const STATUS_INDEX_PREFIX = at(0xe0);
export const STATUS_INDEX_DESC_PREFIX = at(0xe1);
export const MAX_UINT64 = (1n << 64n) - 1n;

function u32(value: number): Uint8Array {
  const out = new Uint8Array(4);
  new DataView(out.buffer).setUint32(0, value);
  return out;
}

export const GovKeys = {
  proposal: (id: bigint) => key(PROPOSAL_PREFIX, uint64Bytes(id)),
  info: (id: bigint) => key(INFO_PREFIX, uint64Bytes(id)),
  depositsOf: (id: bigint) => key(DEPOSIT_PREFIX, uint64Bytes(id)),
  deposit: (id: bigint, depositor: string) => key(DEPOSIT_PREFIX, uint64Bytes(id), decodeAddress(depositor)),
  votesOf: (id: bigint) => key(VOTE_PREFIX, uint64Bytes(id)),
  vote: (id: bigint, voter: string) => key(VOTE_PREFIX, uint64Bytes(id), decodeAddress(voter)),
  voterAt: (id: bigint, chunk: number) => key(VOTER_LIST_PREFIX, uint64Bytes(id), u32(chunk)),
  voterCount: (id: bigint) => key(VOTER_COUNT_PREFIX, uint64Bytes(id)),
  depositorAt: (id: bigint, chunk: number) => key(DEPOSITOR_LIST_PREFIX, uint64Bytes(id), u32(chunk)),
  depositorCount: (id: bigint) => key(DEPOSITOR_COUNT_PREFIX, uint64Bytes(id)),
  open: () => at(0x09),
  reminders: () => at(0x11),
  nextId: () => at(0x0a),
  params: () => at(0x0b),
  vivimParams: () => at(0x0c),
  constitution: () => at(0x0d),
  memberTally: (id: bigint) => key(MEMBER_TALLY_PREFIX, uint64Bytes(id)),
  agentVoterAt: (id: bigint, chunk: number) => key(AGENT_VOTER_LIST_PREFIX, uint64Bytes(id), u32(chunk)),
  agentVoterCount: (id: bigint) => key(AGENT_VOTER_COUNT_PREFIX, uint64Bytes(id)),
  /** Every proposal with `status` (0: every proposal), oldest first. */
  byStatus: (status: number) => key(STATUS_INDEX_PREFIX, new Uint8Array([status])),
  statusEntry: (status: number, id: bigint) =>
    key(STATUS_INDEX_PREFIX, new Uint8Array([status]), uint64Bytes(id)),
  /** Every proposal with `status` (0: every proposal), newest first. */
  byStatusDesc: (status: number) => key(STATUS_INDEX_DESC_PREFIX, new Uint8Array([status])),
  statusEntryDesc: (status: number, id: bigint) =>
    key(STATUS_INDEX_DESC_PREFIX, new Uint8Array([status]), uint64Bytes(MAX_UINT64 - id)),
};
