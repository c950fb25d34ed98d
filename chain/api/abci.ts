/**
 * The one code path from REST to state: the same protobuf query cosmjs sends over abci_query, run
 * through `app.query`, with the ABCI result code mapped to a gRPC-gateway error.
 */
import { SdkErrors } from "../errors/codes.js";
import type { NodeComponents } from "../node/node.js";
import { ApiError } from "./http.js";

const SDK_TO_API: ReadonlyMap<number, ApiError["code"]> = new Map([
  [SdkErrors.KeyNotFound.code, "NOT_FOUND"],
  [SdkErrors.NotFound.code, "NOT_FOUND"],
  [SdkErrors.UnknownAddress.code, "NOT_FOUND"],
  [SdkErrors.InvalidAddress.code, "BAD_REQUEST"],
  [SdkErrors.InvalidRequest.code, "BAD_REQUEST"],
  [SdkErrors.InvalidCoins.code, "BAD_REQUEST"],
  [SdkErrors.InvalidHeight.code, "BAD_REQUEST"],
  [SdkErrors.TxDecode.code, "BAD_REQUEST"],
  [SdkErrors.UnknownRequest.code, "NOT_IMPLEMENTED"],
  [SdkErrors.NotSupported.code, "NOT_IMPLEMENTED"],
]);

/** Strips the "rpc error: code = X desc = " wrapper Cosmos-style logs carry for cosmjs. */
function cleanLog(log: string): string {
  return log.replace(/^rpc error: code = \w+ desc = /, "");
}

export interface ProtoRequest<T> {
  encode(message: T): { finish(): Uint8Array };
}

export interface ProtoResponse<R> {
  decode(input: Uint8Array): R;
}

/** Runs a gRPC-style query (`/cosmos.bank.v1beta1.Query/Balance`) and decodes its response. */
export async function grpcQuery<T, R>(
  node: NodeComponents,
  path: string,
  reqType: ProtoRequest<T>,
  request: T,
  resType: ProtoResponse<R>,
): Promise<R> {
  const result = await node.app.query({ path, data: reqType.encode(request).finish(), prove: false });
  if (result.code !== 0) {
    const kind = result.codespace === "sdk" ? (SDK_TO_API.get(result.code) ?? "INTERNAL") : "BAD_REQUEST";
    throw new ApiError(kind, kind === "INTERNAL" ? "internal error" : cleanLog(result.log));
  }
  return resType.decode(result.value);
}
