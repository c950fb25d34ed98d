/**
 * Key layout of the governance module (prefix `ModulePrefix.gov`):
 *
 *   01|id                → cosmos.gov.v1.Proposal
 *   02|id                → vivim.gov.v1.ProposalInfo (electorate, stage, timelock)
 *   03|id|depositor      → cosmos.gov.v1.Deposit     (queries range over 03|id)
 *   04|id|voter          → cosmos.gov.v1.Vote        (queries range over 04|id; kept after the tally)
 *   05|id|index u32      → voter address             the tally's list: handlers cannot scan
 *   06|id                → voter count (uint64)
 *   07|id|index u32      → depositor address         the refund or burn's list
 *   08|id                → depositor count (uint64)
 *   09                   → open proposals: (id u64 · deadline seconds i64 · nanos u32) × n
 *   0a                   → next proposal id
 *   0b                   → cosmos.gov.v1.Params
 *   0c                   → vivim.gov.v1.Params
 *   0d                   → constitution (UTF-8)
 *
 * Ids and indexes are big-endian so that a range over 01 lists proposals in id order.
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
  voterAt: (id: bigint, index: number) => key(VOTER_LIST_PREFIX, uint64Bytes(id), u32(index)),
  voterCount: (id: bigint) => key(VOTER_COUNT_PREFIX, uint64Bytes(id)),
  depositorAt: (id: bigint, index: number) => key(DEPOSITOR_LIST_PREFIX, uint64Bytes(id), u32(index)),
  depositorCount: (id: bigint) => key(DEPOSITOR_COUNT_PREFIX, uint64Bytes(id)),
  open: () => at(0x09),
  nextId: () => at(0x0a),
  params: () => at(0x0b),
  vivimParams: () => at(0x0c),
  constitution: () => at(0x0d),
};
