/**
 * Who decides a proposal and with what weight.
 *
 * - COUNCIL (chain-level proposals): an account votes with the power of the validators it operates;
 *   the total is the validator set's power.
 * - MEMBERS (treasury and community proposals, and whatever `member_msg_types` lists): an account
 *   votes with its reputation score, capped at `member_weight_cap`; the total is every scored
 *   human account's capped score. An agent votes only if its owner granted it `govern`, and then
 *   with its owner's weight, never its own: the owner's own vote replaces its agents' votes, and
 *   agents voting without their owner share the owner's weight, so one person's weight is never
 *   counted twice.
 */
import { ADDRESS_LENGTH } from "../../chain/crypto/address.js";
import { CodedError } from "../../chain/errors/codes.js";
import { actorMay } from "../identity/capabilities.js";
import { AGENT_PREFIX, getAgent, requireActor } from "../identity/keeper.js";
import { key, readUint64 } from "../lib/store.js";
import { nodeCount, readNodeAddresses } from "../reputation/graph.js";
import { getMembersWeight, getScore, SCORE_PREFIX } from "../reputation/reach.js";
import type { KVReader } from "../types.js";
import { operatorPower, totalRegistryPower } from "../validators/keeper.js";
import { GovErrors } from "./errors.js";
import { Electorate, type GovVivimParams } from "./records.js";

/** The electorate of a proposal with these messages; mixing electorates is refused. */
export function electorateOf(typeUrls: readonly string[], params: GovVivimParams): Electorate {
  if (typeUrls.length === 0) return params.textElectorate;
  const members = typeUrls.filter((t) => params.memberMsgTypes.includes(t));
  if (members.length === typeUrls.length) return Electorate.MEMBERS;
  if (members.length === 0) return Electorate.COUNCIL;
  throw new CodedError(
    GovErrors.MixedElectorates,
    `${members.join(", ")} are decided by members, the other messages by the council; submit them as separate proposals`,
  );
}

/** A voter's standing: its weight now, and for an agent the owner whose weight it carries. */
export interface VoterStanding {
  readonly weight: bigint;
  readonly owner?: string;
}

const min = (a: bigint, b: bigint) => (a < b ? a : b);

/**
 * The weight `voter` would carry now; throws a coded refusal for an agent its owner did not allow
 * to govern (or any agent while governance's emergency stop is on).
 */
export function voterStanding(
  store: KVReader,
  electorate: Electorate,
  voter: string,
  params: GovVivimParams,
): VoterStanding {
  const agent = getAgent(store, voter);
  if (agent) {
    const actor = requireActor({ store }, voter);
    if (!actorMay(actor, "govern"))
      throw new CodedError(
        GovErrors.AgentNotPermitted,
        `@${agent.name} may not vote: its owner has not granted govern`,
      );
    if (electorate === Electorate.COUNCIL) return { weight: operatorPower(store, voter), owner: agent.owner };
    return { weight: min(getScore(store, agent.owner), params.memberWeightCap), owner: agent.owner };
  }
  if (electorate === Electorate.COUNCIL) return { weight: operatorPower(store, voter) };
  return { weight: min(getScore(store, voter), params.memberWeightCap) };
}

/** The electorate's total weight: the denominator of the quorum. */
export function electorateTotal(store: KVReader, electorate: Electorate, params: GovVivimParams): bigint {
  if (electorate === Electorate.COUNCIL) return totalRegistryPower(store);
  // Scores change only at reputation epochs, which sum this total as they write them; a scan is
  // needed only before the first epoch or after the cap changed since the last one.
  const summed = getMembersWeight(store, params.memberWeightCap);
  if (summed !== undefined) return summed;
  // Every scored account is a node of the reputation graph; agents vote with their owners' weight.
  const addresses = readNodeAddresses(store, nodeCount(store));
  let total = 0n;
  for (let o = 0; o < addresses.length; o += ADDRESS_LENGTH) {
    const raw = addresses.subarray(o, o + ADDRESS_LENGTH);
    if (store.get(key(AGENT_PREFIX, raw))) continue;
    const score = store.get(key(SCORE_PREFIX, raw));
    if (score) total += min(readUint64(score), params.memberWeightCap);
  }
  return total;
}
