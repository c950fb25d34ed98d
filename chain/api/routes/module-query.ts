/**
 * REST routes over a module's gRPC-style queries: the route turns path and query-string parameters
 * into the protobuf request, runs it through `app.query` exactly as abci_query does, and answers
 * the response as gateway JSON (proto field names, 64-bit integers as strings, enum names).
 * Modules declare their routes with `moduleQueryRoute` and list them in `chain/api/server.ts`.
 */
import type { DeepPartial, ProtoMessage } from "../../codec/proto-message.js";
import { grpcQuery } from "../abci.js";
import type { RouteResult } from "../http.js";
import { protoToJson } from "../proto-json.js";
import type { ApiContext, Route, RouteRequest } from "../router.js";

/** Raw bytes pass straight through grpcQuery so the JSON is rendered from the exact response. */
const RAW = { decode: (bytes: Uint8Array) => bytes };

export interface ModuleQueryRoute<Req> {
  /** Stable name for logs and metrics, e.g. "social.thread". */
  readonly name: string;
  readonly pattern: RegExp;
  /** gRPC path, e.g. "/vivim.social.v1.Query/Thread". */
  readonly path: string;
  readonly request: ProtoMessage<Req>;
  readonly response: ProtoMessage<unknown>;
  /** Builds the request from the path parameters and query string; throw `badRequest` on bad input. */
  readonly build: (req: RouteRequest) => DeepPartial<Req>;
}

export function moduleQueryRoute<Req>(def: ModuleQueryRoute<Req>): Route {
  return {
    method: "GET",
    pattern: def.pattern,
    name: def.name,
    async handler(ctx: ApiContext, req: RouteRequest): Promise<RouteResult> {
      const request = def.request.fromPartial(def.build(req));
      const bytes = await grpcQuery(ctx.node, def.path, def.request, request, RAW);
      return { json: protoToJson(bytes, def.response.schema, () => undefined) };
    },
  };
}
