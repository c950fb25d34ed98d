/**
 * The validators module: the registry of the proof-of-authority validator set, changed only
 * through `scheduleValidatorUpdate` (governance) or MsgUpdateValidator from the authority, applied
 * in end blocks under a per-block power-change cap and handed to consensus, which puts block H's
 * changes in force at H+2.
 */

import { paginate } from "../lib/pagination.js";
import type { ContractModule, QueryContext } from "../types.js";
import {
  PendingUpdate,
  QueryParamsResponse,
  QueryPendingUpdatesRequest,
  QueryPendingUpdatesResponse,
  QueryValidatorsRequest,
  QueryValidatorsResponse,
  ValidatorRecord,
} from "./codec.js";
import { parseValidatorsGenesis } from "./genesis.js";
import {
  applyPendingUpdates,
  QUEUE_PREFIX,
  REGISTRY_PREFIX,
  registryTotals,
  seedValidator,
} from "./keeper.js";
import { msgUpdateValidator } from "./msg-update-validator.js";
import { getValidatorsParams, setValidatorsParams } from "./params.js";

async function queryValidators(ctx: QueryContext, request: Uint8Array): Promise<Uint8Array> {
  const req = QueryValidatorsRequest.decode(request);
  const { entries, pagination } = await paginate(ctx, REGISTRY_PREFIX, req.pagination);
  return QueryValidatorsResponse.encode({
    validators: entries.map(([, v]) => ValidatorRecord.decode(v)),
    pagination,
    totalPower: registryTotals(ctx).power,
  }).finish();
}

async function queryPendingUpdates(ctx: QueryContext, request: Uint8Array): Promise<Uint8Array> {
  const req = QueryPendingUpdatesRequest.decode(request);
  const { entries, pagination } = await paginate(ctx, QUEUE_PREFIX, req.pagination);
  return QueryPendingUpdatesResponse.encode({
    updates: entries.map(([, v]) => PendingUpdate.decode(v)),
    pagination,
  }).finish();
}

export const validatorsModule: ContractModule = {
  name: "validators",
  msgs: [msgUpdateValidator as never],
  queries: {
    /** The registry (ordered by public key), with its total power. */
    "/vivim.validators.v1.Query/Validators": queryValidators,
    /** The queue of updates not yet applied, oldest first. */
    "/vivim.validators.v1.Query/PendingUpdates": queryPendingUpdates,
    "/vivim.validators.v1.Query/Params": (ctx) =>
      QueryParamsResponse.encode({ params: getValidatorsParams(ctx) }).finish(),
  },
  validateGenesis(state) {
    parseValidatorsGenesis(state);
  },
  initGenesis(ctx, state) {
    const genesis = parseValidatorsGenesis(state);
    setValidatorsParams(ctx.store, genesis.params);
    for (const v of genesis.validators) seedValidator(ctx.store, v);
  },
  endBlock(ctx) {
    const validatorUpdates = applyPendingUpdates(ctx);
    return validatorUpdates.length > 0 ? { validatorUpdates } : undefined;
  },
};
