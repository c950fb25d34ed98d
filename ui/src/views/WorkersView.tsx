/**
 * Workers: the AI service workers' supervisor as the node reports it (per agent: status, restarts,
 * last processed block, heartbeat, autonomy, who paused it), the governance pause switch from
 * chain state, and the approval list of advisory agents, which the agent's owner approves or
 * rejects with an ADR-036 signature made on this device (POST /vivim/workers/v1/approvals/{id}/decision).
 *
 * Pause / resume and the emergency stop are the operator's: shown to the accounts the node lists in
 * `[api] workers_operators`, each signed on this device (components/WorkersControls.tsx); everyone
 * else sees them read-only (governance can also pause, with a MsgSetWorkerPause proposal). The
 * queues and the AI keys' spend against their budgets follow. Without the node's `[api]
 * workers_redis` the API answers 503 and the view says the workers are not running on this node.
 */
import { useCallback, useEffect, useState } from "react";
import { EmptyState, ErrorState, messageOf, PostSkeleton, Spinner } from "../components/common.js";
import {
  AgentToggle,
  AiSpendCard,
  EmergencyStop,
  QueuesCard,
  useWorkersCommand,
} from "../components/WorkersControls.js";
import { type AiKeySpend, type Approval, type QueueCounts, workersApi } from "../gov/ops-api.js";
import { ApiError } from "../lib/api.js";
import { useSession } from "../lib/session.js";
import { useToast } from "../lib/toasts.js";

interface AgentRow {
  agent: string;
  autonomy?: string;
  status: string;
  pid?: number | null;
  restarts?: number;
  last_restart?: { reason: string; at: string } | null;
  last_heartbeat?: string | null;
  last_processed_height?: string;
  paused_by?: string | null;
}
/** Why the supervisor last restarted an agent, in words (see docs/workers.md "Supervisor"). */
const RESTART_REASON: Record<string, string> = {
  crashed: "crashed",
  stalled: "stalled",
  "no-first-heartbeat": "no heartbeat at start",
  operator: "restarted by an operator",
};

interface StatusBody {
  supervisor: { running: boolean; started_at?: string; emergency_stop?: boolean; governance?: unknown };
  agents: AgentRow[];
  /** Accounts that may pause, resume and stop the workers from the app. */
  operators?: string[];
}
interface PauseState {
  all_paused?: boolean;
  reason?: string;
  paused_height?: string;
  workers?: Array<{ worker?: string; reason?: string }>;
}

const AGENT_ABOUT: Record<string, string> = {
  feed: "Ranks the feeds (hot, new, top, rising)",
  moderation: "Scores posts and comments for abuse and leaks",
  reputation: "Computes reputation (EigenTrust)",
  health: "Watches the chain and raises alerts",
};

function ago(iso: string | null | undefined): string {
  if (!iso) return "never";
  const t = Date.parse(iso);
  if (!Number.isFinite(t)) return "—";
  const s = Math.max(0, Math.round((Date.now() - t) / 1000));
  return s < 60 ? `${s} s ago` : s < 3600 ? `${Math.round(s / 60)} min ago` : `${Math.round(s / 3600)} h ago`;
}

export default function WorkersView() {
  const { api, config, active } = useSession();
  const [status, setStatus] = useState<StatusBody | null>(null);
  const [notRunning, setNotRunning] = useState(false);
  const [pause, setPause] = useState<PauseState | null>(null);
  const [approvals, setApprovals] = useState<Approval[] | null>(null);
  const [queues, setQueues] = useState<QueueCounts[] | null>(null);
  const [spend, setSpend] = useState<AiKeySpend[] | null>(null);
  const [error, setError] = useState("");
  const [nonce, setNonce] = useState(0);
  const reload = useCallback(() => setNonce((n) => n + 1), []);
  const command = useWorkersCommand(reload);

  useEffect(() => {
    void nonce;
    const ctrl = new AbortController();
    const s = ctrl.signal;
    workersApi
      .pauseState(api, s)
      .then((p) => {
        if (!s.aborted) setPause(p as PauseState | null);
      })
      .catch(() => undefined);
    (async () => {
      try {
        const body = (await workersApi.status(api, s)) as StatusBody;
        const [list, q, ai] = await Promise.all([
          workersApi.approvals(api, s).catch(() => [] as Approval[]),
          workersApi.queues(api, s).catch(() => null),
          workersApi.aiSpend(api, s).catch(() => null),
        ]);
        if (s.aborted) return;
        setStatus(body);
        setApprovals(list);
        setQueues(q);
        setSpend(ai);
        setNotRunning(false);
        setError("");
      } catch (err) {
        if (s.aborted) return;
        if (err instanceof ApiError && (err.status === 503 || err.status === 404)) {
          setNotRunning(true);
          setError("");
        } else setError(messageOf(err));
      }
    })();
    return () => ctrl.abort();
  }, [api, nonce]);

  useEffect(() => {
    const t = setInterval(reload, 5000);
    return () => clearInterval(t);
  }, [reload]);

  const govPaused = pause?.all_paused
    ? `Governance has paused every worker${pause.reason ? `: ${pause.reason}` : ""}.`
    : (pause?.workers ?? []).length > 0
      ? `Governance has paused: ${(pause?.workers ?? []).map((w) => w.worker).join(", ")}.`
      : "";
  const isOperator = Boolean(status?.operators?.includes(active.address));

  return (
    <section className="ops-page" aria-labelledby="workers-title" data-testid="workers">
      <header className="ops-header">
        <h1 id="workers-title">Workers</h1>
        <p className="ops-sub">
          The network's AI service agents on {config.chainId}: their supervisor, approvals waiting for their
          owners, and the pause switches.
        </p>
      </header>
      {govPaused ? (
        <p className="ops-banner warn" role="status">
          {govPaused}
        </p>
      ) : null}
      {error && !status && !notRunning ? (
        <ErrorState message={error} onRetry={reload} />
      ) : notRunning ? (
        <div className="card" data-testid="workers-not-running">
          <EmptyState title="Workers are not running on this node">
            This node does not serve the workers' state (its <code>[api] workers_redis</code> is not set), so
            there is no supervisor, queue or approval to show. Feeds are ranked in the app instead.
          </EmptyState>
        </div>
      ) : !status ? (
        <PostSkeleton rows={2} />
      ) : (
        <>
          <div className="ops-stats">
            <div className="card ops-stat">
              <span className="ops-stat-label">Supervisor</span>
              <span className={`ops-stat-value ${status.supervisor.running ? "ok" : "warn"}`}>
                {status.supervisor.running ? "Running" : "Stopped"}
              </span>
            </div>
            <div className="card ops-stat">
              <span className="ops-stat-label">Emergency stop</span>
              <span className={`ops-stat-value ${status.supervisor.emergency_stop ? "warn" : ""}`}>
                {status.supervisor.emergency_stop ? "Engaged" : "Off"}
              </span>
            </div>
            <div className="card ops-stat">
              <span className="ops-stat-label">Waiting approvals</span>
              <span className="ops-stat-value">{approvals?.length ?? "—"}</span>
            </div>
          </div>
          <section className="card" aria-labelledby="agents-title">
            <h2 id="agents-title">Agents</h2>
            <div className="ops-table-wrap">
              <table className="ops-table">
                <thead>
                  <tr>
                    <th scope="col">Agent</th>
                    <th scope="col">Status</th>
                    <th scope="col">Restarts</th>
                    <th scope="col">Last block</th>
                    <th scope="col">Heartbeat</th>
                    {isOperator ? (
                      <th scope="col">
                        <span className="sr-only">Control</span>
                      </th>
                    ) : null}
                  </tr>
                </thead>
                <tbody>
                  {status.agents.map((a) => (
                    <tr key={a.agent}>
                      <td>
                        <span className="ops-strong">{a.agent}</span>
                        <span className="ops-muted ops-block">{AGENT_ABOUT[a.agent] ?? ""}</span>
                        {a.autonomy ? (
                          <span className="ops-muted ops-block">Autonomy: {a.autonomy.toLowerCase()}</span>
                        ) : null}
                      </td>
                      <td>
                        <span className={`ops-pill ${a.status === "running" ? "ok" : "warn"}`}>
                          {a.status}
                        </span>
                        {a.paused_by ? (
                          <span className="ops-muted ops-block">paused by {a.paused_by}</span>
                        ) : null}
                      </td>
                      <td>
                        {a.restarts ?? 0}
                        {a.last_restart ? (
                          <span className="ops-muted ops-block">
                            last: {RESTART_REASON[a.last_restart.reason] ?? a.last_restart.reason},{" "}
                            {ago(a.last_restart.at)}
                          </span>
                        ) : null}
                      </td>
                      <td>
                        {a.last_processed_height && a.last_processed_height !== "0"
                          ? `#${a.last_processed_height}`
                          : "—"}
                      </td>
                      <td>{ago(a.last_heartbeat)}</td>
                      {isOperator ? (
                        <td>
                          {status.supervisor.emergency_stop ? null : (
                            <AgentToggle
                              agent={a.agent}
                              paused={a.paused_by === "operator"}
                              command={command}
                            />
                          )}
                        </td>
                      ) : null}
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
            {isOperator ? (
              <EmergencyStop engaged={Boolean(status.supervisor.emergency_stop)} command={command} />
            ) : (
              <p className="ops-muted">
                Pause, resume and the emergency stop belong to this node's workers operator (here, or with{" "}
                <code>vivim workers pause|resume|stop</code>) and to governance (a MsgSetWorkerPause
                proposal).
              </p>
            )}
          </section>
          <Approvals list={approvals ?? []} onDone={reload} />
          <QueuesCard queues={queues} />
          <AiSpendCard keys={spend} />
        </>
      )}
    </section>
  );
}

function Approvals({ list, onDone }: { list: Approval[]; onDone: () => void }) {
  const { api, signer, active, config } = useSession();
  const toast = useToast();
  const [busy, setBusy] = useState("");

  const decide = async (a: Approval, decision: "approve" | "reject") => {
    setBusy(`${a.id}:${decision}`);
    try {
      const s = await signer();
      const sig = await s.signArbitrary(`vivim-approval\n${config.chainId}\n${a.id}\n${decision}`);
      const res = await fetch(`${api.base}/vivim/workers/v1/approvals/${encodeURIComponent(a.id)}/decision`, {
        method: "POST",
        headers: { "Content-Type": "application/json", Accept: "application/json" },
        body: JSON.stringify({
          decision,
          signer: active.address,
          pub_key: sig.pub_key,
          signature: sig.signature,
        }),
      }).catch(() => null);
      if (!res) throw new ApiError("Cannot reach the node. Is the network running?");
      if (res.status === 403) throw new ApiError("Only the agent's owner can decide this.", 403);
      if (res.status === 409) throw new ApiError("This was already decided.", 409);
      if (!res.ok) throw new ApiError("The node could not record the decision.", res.status);
      toast(decision === "approve" ? "Approved." : "Rejected.", "success");
      onDone();
    } catch (err) {
      toast(messageOf(err), "error");
    } finally {
      setBusy("");
    }
  };

  return (
    <section className="card" aria-labelledby="approvals-title">
      <h2 id="approvals-title">Waiting for approval</h2>
      {list.length === 0 ? (
        <p className="ops-muted">
          Nothing is waiting: advisory agents' proposed actions appear here for their owner.
        </p>
      ) : (
        <ul className="approval-list">
          {list.map((a) => (
            <li key={a.id} className="approval">
              <div>
                <span className="ops-strong">{a.agent}</span> wants to <span className="mono">{a.tool}</span>
                {a.subject ? <> on {a.subject}</> : null}
                <p className="ops-muted">
                  {a.summary || a.reason}
                  {Number.isFinite(a.confidence) ? ` · confidence ${Math.round(a.confidence * 100)}%` : ""}
                </p>
              </div>
              <div className="ops-row">
                <button
                  type="button"
                  className="btn btn-primary"
                  disabled={Boolean(busy) || !active.hasKey}
                  onClick={() => void decide(a, "approve")}
                >
                  {busy === `${a.id}:approve` ? <Spinner label="Signing" /> : null}
                  Approve
                </button>
                <button
                  type="button"
                  className="btn"
                  disabled={Boolean(busy) || !active.hasKey}
                  onClick={() => void decide(a, "reject")}
                >
                  {busy === `${a.id}:reject` ? <Spinner label="Signing" /> : null}
                  Reject
                </button>
              </div>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
