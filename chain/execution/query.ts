/**
 * abci_query routing: gRPC-style paths go to the module that registered them; `/store/state/key`
 * returns a raw state value with a membership (or absence) proof against the app hash.
 */
import type { ModuleRegistry, QueryContext } from "../../contracts/types.js";
import { CodedError, SdkErrors, toAbciOutcome } from "../errors/codes.js";
import type { CommittedState } from "../state/committed.js";
import { encodeStateProof } from "../state/tree/index.js";

export const STATE_PROOF_TYPE = "vivim:smt";
export const STORE_QUERY_PATH = "/store/state/key";
const MAX_QUERY_BYTES = 64 * 1024;

export interface QueryResult {
  readonly code: number;
  readonly codespace: string;
  readonly log: string;
  readonly key: Uint8Array;
  readonly value: Uint8Array;
  readonly height: bigint;
  readonly proofOps: ReadonlyArray<{ type: string; key: Uint8Array; data: Uint8Array }>;
}

export async function routeQuery(
  modules: ModuleRegistry,
  state: CommittedState,
  ctx: QueryContext,
  req: { path: string; data: Uint8Array; prove: boolean },
): Promise<QueryResult> {
  const height = ctx.block.height;
  const empty = { key: new Uint8Array(), value: new Uint8Array(), height, proofOps: [] };
  try {
    if (req.data.length > MAX_QUERY_BYTES)
      throw new CodedError(SdkErrors.InvalidRequest, "query data too large");
    if (req.path === STORE_QUERY_PATH) {
      const value = state.get(req.data) ?? new Uint8Array();
      const proofOps = req.prove
        ? [{ type: STATE_PROOF_TYPE, key: req.data, data: encodeStateProof(state.prove(req.data)) }]
        : [];
      return { code: 0, codespace: "", log: "", key: req.data, value, height, proofOps };
    }
    const handler = modules.modules.map((m) => m.queries[req.path]).find((h) => h !== undefined);
    if (!handler)
      throw new CodedError(
        SdkErrors.UnknownRequest,
        `no query handler for path ${JSON.stringify(req.path.slice(0, 200))}`,
      );
    let value: Uint8Array;
    try {
      value = await handler(ctx, req.data);
    } catch (err) {
      // A request that does not decode is the caller's error, not the node's.
      if (err instanceof CodedError) throw err;
      throw new CodedError(SdkErrors.InvalidRequest, "malformed query request");
    }
    return { code: 0, codespace: "", log: "", ...empty, value };
  } catch (err) {
    return { ...toAbciOutcome(err), ...empty };
  }
}
