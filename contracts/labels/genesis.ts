/**
 * The module's genesis section, `app_state.labels`:
 *
 *   {
 *     "params": {                          // optional; every field optional
 *       "authority": "vivim1...",          // default: the gov module account
 *       "labelers": ["vivim1..."],         // default: none; at most 100, no repeats
 *       "max_labels_per_subject": 20       // 1..64
 *     }
 *   }
 *
 * Labels themselves enter state only through MsgCreateLabel.
 */
import { isCodedError } from "../../chain/errors/codes.js";
import { asArray, asObject, asString, asUint, GenesisFieldError, rejectUnknownKeys } from "../lib/genesis.js";
import type { ExecContext } from "../types.js";
import { checkLabelsParams, DEFAULT_LABELS_PARAMS, MAX_LABELERS, setLabelsParams } from "./params.js";
import type { LabelsParams } from "./records.js";

const SECTION = "app_state.labels";

export interface LabelsGenesis {
  readonly params: LabelsParams;
}

function parseParams(value: unknown): LabelsParams {
  const field = `${SECTION}.params`;
  if (value === undefined) return { ...DEFAULT_LABELS_PARAMS, labelers: [] };
  const p = asObject(value, field);
  rejectUnknownKeys(p, ["authority", "labelers", "max_labels_per_subject"], field);
  const d = DEFAULT_LABELS_PARAMS;
  const params: LabelsParams = {
    authority: p.authority === undefined ? d.authority : asString(p.authority, `${field}.authority`),
    labelers: asArray(p.labelers ?? [], `${field}.labelers`, MAX_LABELERS).map((l, i) =>
      asString(l, `${field}.labelers[${i}]`),
    ),
    maxLabelsPerSubject:
      p.max_labels_per_subject === undefined
        ? d.maxLabelsPerSubject
        : Number(asUint(p.max_labels_per_subject, `${field}.max_labels_per_subject`)),
  };
  try {
    checkLabelsParams(params);
  } catch (err) {
    if (isCodedError(err)) throw new GenesisFieldError(field, err.log);
    throw err;
  }
  return params;
}

export function parseLabelsGenesis(state: unknown): LabelsGenesis {
  const g = asObject(state ?? {}, SECTION);
  rejectUnknownKeys(g, ["params"], SECTION);
  return { params: parseParams(g.params) };
}

export function initLabelsGenesis(ctx: ExecContext, state: unknown): void {
  setLabelsParams(ctx.store, parseLabelsGenesis(state).params);
}
