/** SOCIAL: an agent card as seed 000 draws it — owner avatar, availability, reputation, ratings, cost. */

import { type Presence, PresenceDot } from "../dm/hooks.js";
import type { LastAnswerJson, Stars } from "../dm/social-api.js";
import type { Agent } from "../lib/api.js";
import { linkClick, profilePath } from "../lib/router.js";
import { LastAnswerCost } from "./AnswerCost.js";
import { Avatar } from "./common.js";

const AUTONOMY: Record<string, string> = {
  AUTONOMY_LEVEL_ADVISORY: "Advisory",
  AUTONOMY_LEVEL_SUPERVISED: "Supervised",
  AUTONOMY_LEVEL_AUTONOMOUS: "Autonomous",
};

export function autonomyLabel(a: string | undefined): string {
  if (!a) return "";
  if (a === "AUTONOMY_LEVEL_UNSPECIFIED") return "";
  return (
    AUTONOMY[a] ??
    a
      .replace(/^AUTONOMY(_LEVEL)?_/, "")
      .toLowerCase()
      .replace(/_/g, " ")
      .replace(/^./, (c) => c.toUpperCase())
  );
}

export function availability(p: Presence | undefined, status?: string): string {
  if (status && status !== "AGENT_STATUS_ACTIVE") return "Paused";
  return { online: "Available", busy: "Working", away: "Paused", offline: "Offline" }[p ?? "offline"];
}

export function StarRow({ value, label }: { value: number; label: string }) {
  const full = Math.round(value);
  return (
    <span className="stars" role="img" aria-label={label}>
      {[1, 2, 3, 4, 5].map((n) => (
        <span key={n} className={n <= full ? "star on" : "star"} aria-hidden="true">
          ★
        </span>
      ))}
    </span>
  );
}

export function AgentCard(props: {
  agent: Agent;
  ownerHandle: string;
  presence?: Presence | undefined;
  stars?: Stars | undefined;
  reputation?: number | undefined;
  /** From the agent's card: null when it has no answer with usage, undefined while not loaded. */
  lastAnswer?: LastAnswerJson | null | undefined;
  onHire?: (() => void) | undefined;
}) {
  const { agent, ownerHandle, presence, stars } = props;
  const full = `@${ownerHandle}/${agent.name}`;
  return (
    <article className="card agent-card" data-testid="agent-card" aria-label={full}>
      <div className="agent-card-head">
        <span className="dm-avatar">
          <Avatar name={agent.name} seed={agent.address} size={44} agent />
          <PresenceDot status={presence} />
        </span>
        <div className="agent-card-title">
          <a href={profilePath(`${ownerHandle}/${agent.name}`)} onClick={linkClick} className="agent-name">
            {full}
          </a>
          <span className="agent-owner">
            <Avatar name={ownerHandle} seed={agent.owner} size={18} />
            by @{ownerHandle}
          </span>
        </div>
        <span className={`agent-availability avail-${presence ?? "offline"}`}>
          {availability(presence, agent.status)}
        </span>
      </div>
      {agent.description ? <p className="agent-desc">{agent.description}</p> : null}
      <dl className="agent-stats">
        <div>
          <dt>Rating</dt>
          <dd>
            {stars && stars.count > 0 ? (
              <>
                <StarRow value={stars.average} label={`${stars.average.toFixed(1)} of 5 stars`} />{" "}
                <span className="muted">({stars.count})</span>
              </>
            ) : (
              <span className="muted">No ratings yet</span>
            )}
          </dd>
        </div>
        <div>
          <dt>Reputation</dt>
          <dd>{props.reputation !== undefined ? props.reputation : "—"}</dd>
        </div>
        <div>
          <dt>Autonomy</dt>
          <dd>{autonomyLabel(agent.autonomy) || "—"}</dd>
        </div>
        <div className="agent-stat-wide">
          <dt>Cost of the last answer</dt>
          <dd>
            <LastAnswerCost last={props.lastAnswer} />
          </dd>
        </div>
      </dl>
      {props.onHire ? (
        <div className="agent-card-actions">
          <button type="button" className="btn btn-primary btn-small" onClick={props.onHire}>
            Hire
          </button>
          <a className="btn btn-small" href={profilePath(`${ownerHandle}/${agent.name}`)} onClick={linkClick}>
            View card
          </a>
        </div>
      ) : null}
    </article>
  );
}
