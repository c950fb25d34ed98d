/**
 * The module's genesis section, `app_state.workers` (optional; every worker starts running):
 *
 *   { "params": { "authority": "vivim1..." } }   // default authority: the gov module account
 */
import { isCodedError } from "../../chain/errors/codes.js";
import { asObject, asString, GenesisFieldError, rejectUnknownKeys } from "../lib/genesis.js";
import type { ExecContext } from "../types.js";
import { checkWorkersParams, DEFAULT_WORKERS_PARAMS, setWorkersParams } from "./params.js";
import type { WorkersParams } from "./records.js";

const SECTION = "app_state.workers";

export interface WorkersGenesis {
  readonly params: WorkersParams;
}

export function parseWorkersGenesis(state: unknown): WorkersGenesis {
  const g = asObject(state ?? {}, SECTION);
  rejectUnknownKeys(g, ["params"], SECTION);
  if (g.params === undefined) return { params: { ...DEFAULT_WORKERS_PARAMS } };
  const field = `${SECTION}.params`;
  const p = asObject(g.params, field);
  rejectUnknownKeys(p, ["authority"], field);
  const params: WorkersParams = {
    authority:
      p.authority === undefined
        ? DEFAULT_WORKERS_PARAMS.authority
        : asString(p.authority, `${field}.authority`),
  };
  try {
    checkWorkersParams(params);
  } catch (err) {
    if (isCodedError(err)) throw new GenesisFieldError(`${field}.authority`, err.log);
    throw err;
  }
  return { params };
}

export function initWorkersGenesis(ctx: ExecContext, state: unknown): void {
  setWorkersParams(ctx.store, parseWorkersGenesis(state).params);
}
