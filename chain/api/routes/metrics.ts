/** `GET /metrics`: the node's Prometheus registry, when `instrumentation.prometheus` is on. */
import { notFound, type RouteResult } from "../http.js";
import type { ApiContext, Route } from "../router.js";

async function metrics(ctx: ApiContext): Promise<RouteResult> {
  if (!ctx.node.config.instrumentation.prometheus)
    throw notFound("metrics are disabled (instrumentation.prometheus)");
  const { registry } = ctx.node.metrics;
  return { text: await registry.metrics(), contentType: registry.contentType };
}

export const metricsRoutes: readonly Route[] = [
  { method: "GET", pattern: /^\/metrics$/, name: "metrics", handler: metrics },
];
