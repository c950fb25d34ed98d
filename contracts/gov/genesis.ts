/**
 * The module's genesis section, `app_state.gov` (every field optional; defaults in params.ts):
 *
 *   {
 *     "params": {                                  // cosmos.gov.v1.Params, SDK JSON
 *       "min_deposit": [{ "denom": "uvivim", "amount": "10000000" }],
 *       "max_deposit_period": "172800s", "voting_period": "172800s",
 *       "quorum": "0.334", "threshold": "0.5", "veto_threshold": "0.334",
 *       "min_initial_deposit_ratio": "0", "min_deposit_ratio": "0.01",
 *       "expedited_voting_period": "86400s", "expedited_threshold": "0.667",
 *       "expedited_min_deposit": [{ "denom": "uvivim", "amount": "50000000" }],
 *       "burn_vote_quorum": false, "burn_proposal_deposit_prevote": false, "burn_vote_veto": true
 *     },
 *     "vivim_params": {                            // vivim.gov.v1.Params
 *       "timelock_seconds": "0", "text_electorate": "COUNCIL",
 *       "member_msg_types": ["/cosmos.distribution.v1beta1.MsgCommunityPoolSpend", ...],
 *       "member_weight_cap": "5000000", "max_open_proposals": 100, "max_messages": 16
 *     },
 *     "constitution": "…",
 *     "starting_proposal_id": "1"
 *   }
 */
import type { Coin } from "cosmjs-types/cosmos/base/v1beta1/coin";
import type { Params } from "cosmjs-types/cosmos/gov/v1/gov";
import type { Duration } from "cosmjs-types/google/protobuf/duration";
import { isCodedError } from "../../chain/errors/codes.js";
import { formatDec, parseDec } from "../lib/decimal.js";
import {
  asArray,
  asEnum,
  asObject,
  asString,
  asUint,
  GenesisFieldError,
  rejectUnknownKeys,
} from "../lib/genesis.js";
import { utf8 } from "../lib/store.js";
import type { ExecContext } from "../types.js";
import { setNextProposalId } from "./keeper.js";
import { GovKeys } from "./keys.js";
import {
  checkVivimGovParams,
  DEFAULT_GOV_PARAMS,
  DEFAULT_VIVIM_GOV_PARAMS,
  parseGovParams,
  setGovParams,
  setVivimGovParams,
} from "./params.js";
import { ELECTORATE_NAMES, type GovVivimParams } from "./records.js";

const SECTION = "app_state.gov";
const MAX_CONSTITUTION_BYTES = 64 * 1024;

export interface GovGenesis {
  readonly params: Params;
  readonly vivimParams: GovVivimParams;
  readonly constitution: string;
  readonly startingProposalId: bigint;
}

function duration(value: unknown, field: string): Duration {
  const m = /^([0-9]{1,12})s$/.exec(asString(value, field));
  if (!m) throw new GenesisFieldError(field, 'must be whole seconds such as "172800s"');
  return { seconds: BigInt(m[1]!), nanos: 0 };
}

function dec(value: unknown, field: string): string {
  const v = parseDec(asString(value, field));
  if (v === undefined) throw new GenesisFieldError(field, 'must be a decimal such as "0.334"');
  return formatDec(v);
}

function coins(value: unknown, field: string): Coin[] {
  return asArray(value, field, 16).map((entry, i) => {
    const c = asObject(entry, `${field}[${i}]`);
    rejectUnknownKeys(c, ["denom", "amount"], `${field}[${i}]`);
    return {
      denom: asString(c.denom, `${field}[${i}].denom`),
      amount: asUint(c.amount, `${field}[${i}].amount`).toString(),
    };
  });
}

function bool(value: unknown, field: string): boolean {
  if (typeof value !== "boolean") throw new GenesisFieldError(field, "must be true or false");
  return value;
}

function parseParams(value: unknown): Params {
  const field = `${SECTION}.params`;
  if (value === undefined) return { ...DEFAULT_GOV_PARAMS };
  const p = asObject(value, field);
  const readers: Record<string, (v: unknown, f: string) => unknown> = {
    min_deposit: coins,
    max_deposit_period: duration,
    voting_period: duration,
    quorum: dec,
    threshold: dec,
    veto_threshold: dec,
    min_initial_deposit_ratio: dec,
    proposal_cancel_ratio: dec,
    proposal_cancel_dest: asString,
    expedited_voting_period: duration,
    expedited_threshold: dec,
    expedited_min_deposit: coins,
    burn_vote_quorum: bool,
    burn_proposal_deposit_prevote: bool,
    burn_vote_veto: bool,
    min_deposit_ratio: dec,
  };
  rejectUnknownKeys(p, Object.keys(readers), field);
  const out: Record<string, unknown> = { ...DEFAULT_GOV_PARAMS };
  for (const [k, read] of Object.entries(readers))
    if (p[k] !== undefined)
      out[k.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase())] = read(p[k], `${field}.${k}`);
  const params = out as unknown as Params;
  try {
    parseGovParams(params);
  } catch (err) {
    if (isCodedError(err)) throw new GenesisFieldError(field, err.log);
    throw err;
  }
  return params;
}

function parseVivimParams(value: unknown): GovVivimParams {
  const field = `${SECTION}.vivim_params`;
  if (value === undefined) return { ...DEFAULT_VIVIM_GOV_PARAMS };
  const p = asObject(value, field);
  rejectUnknownKeys(
    p,
    [
      "timelock_seconds",
      "text_electorate",
      "member_msg_types",
      "member_weight_cap",
      "max_open_proposals",
      "max_messages",
    ],
    field,
  );
  const d = DEFAULT_VIVIM_GOV_PARAMS;
  const params: GovVivimParams = {
    timelockSeconds:
      p.timelock_seconds === undefined
        ? d.timelockSeconds
        : asUint(p.timelock_seconds, `${field}.timelock_seconds`),
    textElectorate:
      p.text_electorate === undefined
        ? d.textElectorate
        : asEnum(p.text_electorate, `${field}.text_electorate`, ELECTORATE_NAMES, "ELECTORATE"),
    memberMsgTypes:
      p.member_msg_types === undefined
        ? [...d.memberMsgTypes]
        : asArray(p.member_msg_types, `${field}.member_msg_types`, 64).map((t, i) =>
            asString(t, `${field}.member_msg_types[${i}]`),
          ),
    memberWeightCap:
      p.member_weight_cap === undefined
        ? d.memberWeightCap
        : asUint(p.member_weight_cap, `${field}.member_weight_cap`),
    maxOpenProposals:
      p.max_open_proposals === undefined
        ? d.maxOpenProposals
        : Number(asUint(p.max_open_proposals, `${field}.max_open_proposals`)),
    maxMessages:
      p.max_messages === undefined ? d.maxMessages : Number(asUint(p.max_messages, `${field}.max_messages`)),
  };
  try {
    checkVivimGovParams(params);
  } catch (err) {
    if (isCodedError(err)) throw new GenesisFieldError(field, err.log);
    throw err;
  }
  return params;
}

export function parseGovGenesis(state: unknown): GovGenesis {
  const g = asObject(state ?? {}, SECTION);
  rejectUnknownKeys(g, ["params", "vivim_params", "constitution", "starting_proposal_id"], SECTION);
  const constitution =
    g.constitution === undefined ? "" : asString(g.constitution, `${SECTION}.constitution`);
  if (utf8(constitution).length > MAX_CONSTITUTION_BYTES)
    throw new GenesisFieldError(`${SECTION}.constitution`, `must be at most ${MAX_CONSTITUTION_BYTES} bytes`);
  const startingProposalId =
    g.starting_proposal_id === undefined
      ? 1n
      : asUint(g.starting_proposal_id, `${SECTION}.starting_proposal_id`);
  if (startingProposalId < 1n)
    throw new GenesisFieldError(`${SECTION}.starting_proposal_id`, "must be at least 1");
  return {
    params: parseParams(g.params),
    vivimParams: parseVivimParams(g.vivim_params),
    constitution,
    startingProposalId,
  };
}

export function initGovGenesis(ctx: ExecContext, state: unknown): void {
  const g = parseGovGenesis(state);
  setGovParams(ctx.store, g.params);
  setVivimGovParams(ctx.store, g.vivimParams);
  if (g.constitution) ctx.store.set(GovKeys.constitution(), utf8(g.constitution));
  setNextProposalId(ctx.store, g.startingProposalId);
}
