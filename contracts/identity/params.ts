/**
 * Identity params (`vivim.identity.v1.Params`), changed by governance through MsgUpdateParams:
 *
 * - `authority` (default: the gov module account): sets verification status and these params.
 * - `agent_writes_frozen` (default false): governance's emergency stop; while true `requireActor`
 *   refuses every agent account (owners keep managing their agents).
 * - `max_agents_per_owner` (default 32, 1..MAX_AGENTS_PER_OWNER_LIMIT): active (not retired)
 *   agents one human may own.
 */
import { CodedError } from "../../chain/errors/codes.js";
import type { ExecContext } from "../types.js";
import { IdentityErrors } from "./errors.js";
import { DEFAULT_IDENTITY_PARAMS, getIdentityParams, setIdentityParams } from "./keeper.js";
import type { IdentityParams } from "./records.js";
import { checkAddress } from "./validation.js";

export { DEFAULT_IDENTITY_PARAMS, getIdentityParams, setIdentityParams };

export const MAX_AGENTS_PER_OWNER_LIMIT = 1000;

export function checkIdentityParams(params: IdentityParams): void {
  try {
    checkAddress(params.authority, "params.authority");
  } catch (err) {
    throw new CodedError(IdentityErrors.InvalidParams, err instanceof CodedError ? err.log : "authority");
  }
  const max = params.maxAgentsPerOwner;
  if (!Number.isInteger(max) || max < 1 || max > MAX_AGENTS_PER_OWNER_LIMIT)
    throw new CodedError(
      IdentityErrors.InvalidParams,
      `max_agents_per_owner must be between 1 and ${MAX_AGENTS_PER_OWNER_LIMIT}`,
    );
}

/** Throws Unauthorized unless `signer` is the params' authority. */
export function assertIdentityAuthority(ctx: Pick<ExecContext, "store">, signer: string): IdentityParams {
  const params = getIdentityParams(ctx.store);
  if (signer !== params.authority)
    throw new CodedError(
      IdentityErrors.Unauthorized,
      `${signer} is not the identity authority ${params.authority}`,
    );
  return params;
}
