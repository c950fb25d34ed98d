/** Workers parameters: who may pause and resume the AI service workers. */
import { decodeAddress } from "../../chain/crypto/address.js";
import { CodedError } from "../../chain/errors/codes.js";
import { moduleAddress } from "../auth/keeper.js";
import type { KVReader, KVStore } from "../types.js";
import { WorkersErrors } from "./errors.js";
import { WorkersKeys } from "./keys.js";
import { WorkersParams } from "./records.js";

export const DEFAULT_WORKERS_PARAMS: WorkersParams = Object.freeze({ authority: moduleAddress("gov") });

export function getWorkersParams(store: KVReader): WorkersParams {
  const bytes = store.get(WorkersKeys.params());
  return bytes ? WorkersParams.decode(bytes) : DEFAULT_WORKERS_PARAMS;
}

export function setWorkersParams(store: KVStore, params: WorkersParams): void {
  store.set(WorkersKeys.params(), WorkersParams.toBytes(params));
}

/** Throws InvalidParams naming the bad field. */
export function checkWorkersParams(p: WorkersParams): void {
  try {
    decodeAddress(p.authority);
  } catch {
    throw new CodedError(WorkersErrors.InvalidParams, "authority must be a vivim address");
  }
}
