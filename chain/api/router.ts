/**
 * The app API's route table: each route is a method, a path pattern whose groups are the path
 * parameters, and a handler. Matching tells "no such path" (501, as gRPC-gateway answers) from
 * "path exists, wrong method" (405).
 */
import type { NodeComponents } from "../node/node.js";
import type { Logger } from "../util/logger.js";
import { decodeSegment, type RouteResult } from "./http.js";
import type { TxResolvers } from "./tx-json.js";
import type { WorkersBackend } from "./workers-backend.js";

export interface ApiContext {
  readonly node: NodeComponents;
  readonly resolvers: TxResolvers;
  readonly log: Logger;
  /** The service workers' Redis, when `[api] workers_redis` names one. */
  readonly workers?: WorkersBackend;
}

export interface RouteRequest {
  /** Percent-decoded path parameters, in pattern order. */
  readonly params: readonly string[];
  readonly query: URLSearchParams;
  /** The JSON object body (POST routes); 400 / 413 on a bad or oversized body. */
  body(): Promise<Record<string, unknown>>;
}

export type HttpMethod = "GET" | "POST";

export interface Route {
  readonly method: HttpMethod;
  /** Anchored regular expression over the URL path; capture groups are the parameters. */
  readonly pattern: RegExp;
  /** A stable name for logs and metrics (never the raw path, which may carry member input). */
  readonly name: string;
  readonly handler: (ctx: ApiContext, req: RouteRequest) => Promise<RouteResult> | RouteResult;
}

export type RouteMatch =
  | { readonly kind: "route"; readonly route: Route; readonly params: string[] }
  | { readonly kind: "method"; readonly allowed: HttpMethod[] }
  | { readonly kind: "none" };

export function matchRoute(routes: readonly Route[], method: string, pathname: string): RouteMatch {
  const allowed: HttpMethod[] = [];
  for (const route of routes) {
    const m = route.pattern.exec(pathname);
    if (!m) continue;
    if (route.method === method || (method === "HEAD" && route.method === "GET")) {
      return { kind: "route", route, params: m.slice(1).map((p) => decodeSegment(p ?? "")) };
    }
    allowed.push(route.method);
  }
  return allowed.length > 0 ? { kind: "method", allowed } : { kind: "none" };
}
