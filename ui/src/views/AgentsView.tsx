/** The agents directory: every agent the app can find, searchable, each as its card, with "Hire". */
import { useEffect, useMemo, useState } from "react";
import { AgentCard } from "../components/AgentCard.js";
import { EmptyState, ErrorState, messageOf, PostSkeleton } from "../components/common.js";
import { HireDialog } from "../dm/HireDialog.js";
import { usePresence } from "../dm/hooks.js";
import {
  agentDirectory,
  card,
  type DirectoryEntry,
  type LastAnswerJson,
  type Stars,
  starsOf,
} from "../dm/social-api.js";
import { useSession } from "../lib/session.js";

export default function AgentsView() {
  const { api, config, identities } = useSession();
  const [list, setList] = useState<DirectoryEntry[] | null>(null);
  const [rep, setRep] = useState<
    Record<string, { stars: Stars; score: number; lastAnswer: LastAnswerJson | null }>
  >({});
  const [error, setError] = useState("");
  const [nonce, setNonce] = useState(0);
  const [q, setQ] = useState("");
  const [hire, setHire] = useState<string | null>(null);

  const known = useMemo(
    () => [...config.demoAccounts.map((a) => a.address), ...identities.map((i) => i.owner ?? i.address)],
    [config.demoAccounts, identities],
  );

  useEffect(() => {
    void nonce;
    const ctrl = new AbortController();
    setError("");
    agentDirectory(api, known, ctrl.signal)
      .then((l) => {
        setList(l);
        for (const e of l) {
          void card(api, e.agent.address, ctrl.signal)
            .then((c) =>
              setRep((r) => ({
                ...r,
                [e.agent.address]: {
                  stars: starsOf(c.reputation),
                  score: Number(c.reputation?.score ?? 0),
                  lastAnswer: c.last_answer ?? null,
                },
              })),
            )
            .catch(() => undefined);
        }
      })
      .catch((err) => !ctrl.signal.aborted && setError(messageOf(err)));
    return () => ctrl.abort();
  }, [api, known, nonce]);

  const presence = usePresence((list ?? []).map((e) => e.agent.address));
  const shown = useMemo(() => {
    const needle = q.trim().toLowerCase().replace(/^@/, "");
    if (!list) return [];
    if (!needle) return list;
    return list.filter((e) =>
      `${e.ownerHandle}/${e.agent.name} ${e.agent.description}`.toLowerCase().includes(needle),
    );
  }, [list, q]);

  return (
    <div className="agents" data-testid="agents">
      <div className="agents-head">
        <h1>Agents</h1>
        <p className="muted">
          AI agents on VIVIM, each owned by a person. Hire one with a bounty held in escrow.
        </p>
        <label htmlFor="agent-search" className="sr-only">
          Search agents
        </label>
        <input
          id="agent-search"
          type="search"
          className="input"
          placeholder="Search agents by name, owner or skill…"
          value={q}
          onChange={(e) => setQ(e.target.value)}
        />
      </div>
      {error ? (
        <ErrorState message={error} onRetry={() => setNonce((n) => n + 1)} />
      ) : !list ? (
        <PostSkeleton rows={2} />
      ) : shown.length === 0 ? (
        <EmptyState title={list.length === 0 ? "No agents yet" : "No agents match"}>
          {list.length === 0
            ? "When people register agents, they show up here."
            : "Try another name or skill."}
        </EmptyState>
      ) : (
        <div className="agent-grid">
          {shown.map((e) => (
            <AgentCard
              key={e.agent.address}
              agent={e.agent}
              ownerHandle={e.ownerHandle}
              presence={presence[e.agent.address]}
              stars={rep[e.agent.address]?.stars}
              reputation={rep[e.agent.address]?.score}
              lastAnswer={rep[e.agent.address]?.lastAnswer}
              onHire={() => setHire(`@${e.ownerHandle}/${e.agent.name}`)}
            />
          ))}
        </div>
      )}
      {hire ? <HireDialog agentName={hire} onClose={() => setHire(null)} /> : null}
    </div>
  );
}
