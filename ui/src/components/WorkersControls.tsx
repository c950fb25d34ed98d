/**
 * The workers operator's controls and the workers' load: pause / resume one agent, the emergency
 * stop and lifting it, each an ADR-036 signature made on this device and sent to
 * POST /vivim/workers/v1/control (the node accepts them only from its `[api] workers_operators`);
 * the BullMQ queues; and the AI keys' spend against their budgets.
 */
import { useState } from "react";
import type { AiKeySpend, QueueCounts } from "../gov/ops-api.js";
import { ApiError } from "../lib/api.js";
import { useSession } from "../lib/session.js";
import { useToast } from "../lib/toasts.js";
import { messageOf, Spinner } from "./common.js";

type Action = "pause" | "resume" | "stop";

const DONE: Record<Action, string> = {
  pause: "Paused. The agent finishes the job in hand first.",
  resume: "Resumed.",
  stop: "Emergency stop engaged: every agent is stopped.",
};

/** Signs and sends one operator command; resolves true when the node accepted it. */
export function useWorkersCommand(onDone: () => void) {
  const { api, signer, active, config } = useSession();
  const toast = useToast();
  const [busy, setBusy] = useState("");

  const send = async (action: Action, agent: string): Promise<boolean> => {
    setBusy(`${action}:${agent}`);
    try {
      const issuedAt = String(Date.now());
      const s = await signer();
      const sig = await s.signArbitrary(
        `vivim-workers-control\n${config.chainId}\n${action}\n${agent}\n${issuedAt}`,
      );
      const res = await fetch(`${api.base}/vivim/workers/v1/control`, {
        method: "POST",
        headers: { "Content-Type": "application/json", Accept: "application/json" },
        body: JSON.stringify({
          action,
          agent,
          issued_at: issuedAt,
          signer: active.address,
          pub_key: sig.pub_key,
          signature: sig.signature,
        }),
      }).catch(() => null);
      if (!res) throw new ApiError("Cannot reach the node. Is the network running?");
      if (res.status === 403) throw new ApiError("Only this node's workers operator can do this.", 403);
      if (res.status === 503) throw new ApiError("The workers' supervisor cannot be reached right now.", 503);
      if (!res.ok) throw new ApiError("The node did not take the command.", res.status);
      toast(action === "resume" && agent === "all" ? "Every agent resumed." : DONE[action], "success");
      onDone();
      return true;
    } catch (err) {
      toast(messageOf(err), "error");
      return false;
    } finally {
      setBusy("");
    }
  };
  return { send, busy, canSign: active.hasKey };
}

export function AgentToggle({
  agent,
  paused,
  command,
}: {
  agent: string;
  paused: boolean;
  command: ReturnType<typeof useWorkersCommand>;
}) {
  const action: Action = paused ? "resume" : "pause";
  return (
    <button
      type="button"
      className="btn btn-small"
      disabled={Boolean(command.busy) || !command.canSign}
      onClick={() => void command.send(action, agent)}
      aria-label={`${paused ? "Resume" : "Pause"} the ${agent} agent`}
    >
      {command.busy === `${action}:${agent}` ? <Spinner label="Signing" /> : null}
      {paused ? "Resume" : "Pause"}
    </button>
  );
}

/** The emergency stop, behind a confirmation; when engaged, lifting it resumes every agent. */
export function EmergencyStop({
  engaged,
  command,
}: {
  engaged: boolean;
  command: ReturnType<typeof useWorkersCommand>;
}) {
  const [confirming, setConfirming] = useState(false);
  const disabled = Boolean(command.busy) || !command.canSign;
  if (engaged)
    return (
      <div className="ops-row workers-stop">
        <span className="ops-muted">Every agent is stopped until the stop is lifted.</span>
        <button
          type="button"
          className="btn btn-primary"
          disabled={disabled}
          onClick={() => void command.send("resume", "all")}
        >
          {command.busy === "resume:all" ? <Spinner label="Signing" /> : null}
          Lift the emergency stop
        </button>
      </div>
    );
  return (
    <div className="ops-row workers-stop">
      {confirming ? (
        <>
          <span role="alert" className="workers-stop-warn">
            Stop every AI agent now? Their jobs wait in the queues until you lift the stop.
          </span>
          <button
            type="button"
            className="btn btn-danger"
            disabled={disabled}
            onClick={() => void command.send("stop", "all").then(() => setConfirming(false))}
          >
            {command.busy === "stop:all" ? <Spinner label="Signing" /> : null}
            Stop every agent
          </button>
          <button type="button" className="btn" onClick={() => setConfirming(false)}>
            Cancel
          </button>
        </>
      ) : (
        <button
          type="button"
          className="btn btn-danger"
          disabled={disabled}
          onClick={() => setConfirming(true)}
        >
          Emergency stop…
        </button>
      )}
    </div>
  );
}

const COUNT_COLUMNS = ["waiting", "active", "delayed", "completed", "failed"] as const;

export function QueuesCard({ queues }: { queues: QueueCounts[] | null }) {
  return (
    <section className="card" aria-labelledby="queues-title" data-testid="workers-queues">
      <h2 id="queues-title">Queues</h2>
      {!queues ? (
        <p className="ops-muted">The queues cannot be read right now.</p>
      ) : (
        <div className="ops-table-wrap">
          <table className="ops-table">
            <thead>
              <tr>
                <th scope="col">Queue</th>
                {COUNT_COLUMNS.map((c) => (
                  <th key={c} scope="col">
                    {c[0]!.toUpperCase() + c.slice(1)}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {queues.map((q) => (
                <tr key={q.queue}>
                  <td className="ops-strong">{q.queue}</td>
                  {COUNT_COLUMNS.map((c) => (
                    <td key={c} className={c === "failed" && (q.counts.failed ?? 0) > 0 ? "warn" : ""}>
                      {(c === "waiting"
                        ? (q.counts.waiting ?? 0) + (q.counts.prioritized ?? 0)
                        : (q.counts[c] ?? 0)
                      ).toLocaleString()}
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <p className="ops-muted">
        One job per block per agent: a growing "waiting" count means an agent falls behind.
      </p>
    </section>
  );
}

const usd = (micro: number) => `$${(micro / 1_000_000).toFixed(micro < 1_000_000 ? 4 : 2)}`;

function BudgetBar({ label, spent, budget }: { label: string; spent: number; budget: number }) {
  const pct = budget > 0 ? Math.min(100, (spent / budget) * 100) : 0;
  return (
    <div className="budget">
      <div className="ops-row">
        <span className="ops-muted">{label}</span>
        <span className="push-end">
          {usd(spent)} of {usd(budget)}
        </span>
      </div>
      <meter
        className="budget-bar"
        min={0}
        max={Math.max(budget, 1)}
        low={budget * 0.75}
        high={budget * 0.9}
        optimum={0}
        value={Math.min(spent, budget)}
        aria-label={`${label}: ${Math.round(pct)}% of the budget`}
      />
    </div>
  );
}

export function AiSpendCard({ keys }: { keys: AiKeySpend[] | null }) {
  return (
    <section className="card" aria-labelledby="spend-title" data-testid="workers-spend">
      <h2 id="spend-title">AI spend</h2>
      {!keys ? (
        <p className="ops-muted">The spend cannot be read right now.</p>
      ) : keys.length === 0 ? (
        <p className="ops-muted">
          No AI-provider keys: the agents decide with the offline provider, which costs nothing.
        </p>
      ) : (
        <ul className="spend-list">
          {keys.map((k) => (
            <li key={k.id} className="spend">
              <div className="ops-row">
                <span className="ops-strong">{k.label}</span>
                <span className="ops-pill">{k.provider}</span>
                {k.revoked ? <span className="ops-pill warn">revoked</span> : null}
                <span className="ops-muted push-end">
                  {k.calls.toLocaleString()} {k.calls === 1 ? "call" : "calls"}
                </span>
              </div>
              <BudgetBar label="Today" spent={k.dayMicroUsd} budget={k.dailyBudgetMicroUsd} />
              <BudgetBar label="This month" spent={k.monthMicroUsd} budget={k.monthlyBudgetMicroUsd} />
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
