/**
 * The agent process's side of the approval list: it waits for its owner's decisions and acts on
 * each approval (or audits each rejection) — not while the agent is paused. Decisions a crashed
 * process had taken but not finished are put back first; the action's claim stops a repeat.
 */
import type { Redis } from "ioredis";
import type { Logger } from "pino";
import type { AgentRuntime } from "./runtime.js";

const WAIT_SEC = 2;
const PAUSED_POLL_MS = 500;

export interface ApprovalLoop {
  stop(): Promise<void>;
}

export function runApprovalLoop(o: {
  runtime: AgentRuntime;
  /** A connection of its own: the loop blocks on it. */
  blocking: Redis;
  paused: () => boolean;
  logger: Logger;
}): ApprovalLoop {
  const { runtime, blocking, logger } = o;
  const agent = runtime.agent;
  let running = true;
  const loop = (async () => {
    await runtime.approvals.release(agent).catch(() => undefined);
    while (running) {
      if (o.paused()) {
        await new Promise((r) => setTimeout(r, PAUSED_POLL_MS));
        continue;
      }
      let id: string | null = null;
      try {
        id = await runtime.approvals.take(blocking, agent, WAIT_SEC);
        if (!id) continue;
        const approval = await runtime.approvals.get(id);
        if (approval?.status === "approved") await runtime.executeApproved(approval);
        else if (approval?.status === "rejected") await runtime.recordRejection(approval);
        await runtime.approvals.done(agent, id);
      } catch (err) {
        if (!running) break;
        logger.warn(
          {
            code: (err as { code?: string }).code ?? "REDIS_UNAVAILABLE",
            approval: id,
            err: (err as Error).message,
          },
          "approval not applied; retrying",
        );
        await new Promise((r) => setTimeout(r, 1_000));
        await runtime.approvals.release(agent).catch(() => undefined);
      }
    }
  })();
  return {
    async stop() {
      running = false;
      blocking.disconnect();
      await loop;
    },
  };
}
