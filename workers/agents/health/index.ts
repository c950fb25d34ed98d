/**
 * The health agent (see docs/workers.md, "Health agent"): `healthAgent` is its definition for the
 * registry; `createHealthAgent(options)` makes one with other intervals or thresholds (tests).
 */
import { checkJob } from "../feed/plan.js";
import type { AgentContext, AgentDefinition } from "../registry.js";
import { HealthMonitor, type HealthOptions } from "./monitor.js";

export {
  type Alert,
  type AlertEvent,
  alertsChannel,
  alertsKey,
  openAlertsKey,
  readAlerts,
} from "./alerts.js";
export { ALERT_KINDS, type AlertKind, DEFAULT_THRESHOLDS, type Thresholds } from "./checks.js";
export { HealthMonitor, type HealthOptions } from "./monitor.js";

export function createHealthAgent(options: HealthOptions = {}): AgentDefinition {
  // The processor and the background task of one agent process share one monitor.
  const monitors = new WeakMap<AgentContext, HealthMonitor>();
  const monitorOf = (ctx: AgentContext) => {
    let m = monitors.get(ctx);
    if (!m) {
      m = new HealthMonitor(ctx, options);
      monitors.set(ctx, m);
    }
    return m;
  };
  return {
    processor: (job, ctx) => monitorOf(ctx).onBlock(checkJob(job.data)),
    background: (ctx) => {
      const m = monitorOf(ctx);
      m.start();
      return { stop: () => m.stop() };
    },
  };
}

export const healthAgent: AgentDefinition = createHealthAgent();
