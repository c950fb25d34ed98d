/** abci_query, including the tx Simulate service that cosmjs calls for fee "auto". */
import { SimulateRequest, SimulateResponse } from "cosmjs-types/cosmos/tx/v1beta1/service";
import { toBase64 } from "../../crypto/hash.js";
import { type AbciOutcome, CodedError, SdkErrors, toAbciOutcome } from "../../errors/codes.js";
import type { RpcContext } from "../context.js";
import { invalidParams } from "../errors.js";
import { hexParam, optionalBool, optionalHeight, requiredString } from "../params.js";

const SIMULATE_PATH = "/cosmos.tx.v1beta1.Service/Simulate";
const MAX_QUERY_DATA_BYTES = 128 * 1024;

/** A failed simulation answers with the tx's own code and log, as Cosmos does. */
function simulate(ctx: RpcContext, data: Uint8Array): { value: Uint8Array } | AbciOutcome {
  let txBytes: Uint8Array;
  try {
    txBytes = SimulateRequest.decode(data).txBytes;
  } catch {
    throw new CodedError(SdkErrors.TxDecode, "malformed SimulateRequest");
  }
  const result = ctx.node.app.simulate(txBytes);
  if (result.code !== 0) return { code: result.code, codespace: result.codespace, log: result.log };
  const value = SimulateResponse.encode({
    gasInfo: { gasWanted: result.gasWanted, gasUsed: result.gasUsed },
    result: {
      data: new Uint8Array(),
      log: result.log,
      events: result.events.map((e) => ({
        type: e.type,
        attributes: e.attributes.map((a) => ({ key: a.key, value: a.value, index: a.index })),
      })),
      msgResponses: [],
    },
  }).finish();
  return { value };
}

export async function abciQuery(ctx: RpcContext, params: Record<string, unknown>): Promise<unknown> {
  const path = requiredString(params, "path", 256);
  const data = hexParam(params, "data", MAX_QUERY_DATA_BYTES);
  const prove = optionalBool(params, "prove");
  const height = optionalHeight(params, "height");
  const latest = ctx.node.blockStore.latestHeight;
  if (height !== undefined && height > latest)
    throw invalidParams(`height ${height} is above the latest height ${latest}`);
  const respond = (r: {
    code: number;
    codespace: string;
    log: string;
    key?: Uint8Array;
    value?: Uint8Array;
    proofOps?: ReadonlyArray<{ type: string; key: Uint8Array; data: Uint8Array }>;
  }) => ({
    response: {
      code: r.code,
      log: r.log,
      info: "",
      index: "0",
      key: r.key && r.key.length > 0 ? toBase64(r.key) : null,
      value: r.value && r.value.length > 0 ? toBase64(r.value) : null,
      proofOps:
        r.proofOps && r.proofOps.length > 0
          ? {
              ops: r.proofOps.map((op) => ({
                type: op.type,
                key: toBase64(op.key),
                data: toBase64(op.data),
              })),
            }
          : null,
      height: (latest > 0n ? latest : 1n).toString(),
      codespace: r.codespace,
    },
  });
  if (height !== undefined && height !== latest) {
    return respond(
      toAbciOutcome(
        new CodedError(SdkErrors.InvalidHeight, `state is kept for the latest height (${latest}) only`),
      ),
    );
  }
  if (path === SIMULATE_PATH) {
    try {
      const out = simulate(ctx, data);
      return respond("value" in out ? { code: 0, codespace: "", log: "", value: out.value } : out);
    } catch (err) {
      return respond(toAbciOutcome(err));
    }
  }
  return respond(await ctx.node.app.query({ path, data, prove }));
}
