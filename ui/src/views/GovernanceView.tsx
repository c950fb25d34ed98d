/**
 * Governance: the proposals list and a proposal's page (status, deposit, tally bars with quorum and
 * threshold lines, the timeline from submission to the execution result), with deposit and vote
 * signed in the browser (cosmos.gov.v1 MsgDeposit / MsgVote). Live over /v1/stream's notifications
 * topic (EventVotingEndsSoon, active_proposal), with a light refresh of the tally while voting.
 */
import { type FormEvent, useCallback, useEffect, useId, useState } from "react";
import { EmptyState, ErrorState, messageOf, PostSkeleton, Spinner } from "../components/common.js";
import {
  type GovParams,
  govApi,
  type Proposal,
  type ProposalInfo,
  STATUS_LABEL,
  type Tally,
  type VotingPower,
} from "../gov/ops-api.js";
import { shortAddress } from "../lib/format.js";
import { linkClick, proposalPath } from "../lib/router.js";
import { useSession } from "../lib/session.js";
import { useToast } from "../lib/toasts.js";

const OPTIONS = [
  { key: "VOTE_OPTION_YES", n: 1, label: "Yes", cls: "yes" },
  { key: "VOTE_OPTION_NO", n: 3, label: "No", cls: "no" },
  { key: "VOTE_OPTION_ABSTAIN", n: 2, label: "Abstain", cls: "abstain" },
  { key: "VOTE_OPTION_NO_WITH_VETO", n: 4, label: "No with veto", cls: "veto" },
] as const;

const num = (s: string | undefined | null) => {
  const n = Number(s ?? 0);
  return Number.isFinite(n) ? n : 0;
};

function tallyOf(t: Tally | null | undefined) {
  const yes = num(t?.yes_count);
  const no = num(t?.no_count);
  const abstain = num(t?.abstain_count);
  const veto = num(t?.no_with_veto_count);
  return { yes, no, abstain, veto, total: yes + no + abstain + veto };
}

function when(iso: string | null | undefined): string {
  if (!iso || iso.startsWith("0001")) return "";
  const t = Date.parse(iso);
  return Number.isFinite(t) ? new Date(t).toLocaleString() : "";
}

function relative(iso: string | null | undefined): string {
  if (!iso) return "";
  const t = Date.parse(iso);
  if (!Number.isFinite(t)) return "";
  const s = Math.round((t - Date.now()) / 1000);
  const abs = Math.abs(s);
  const text =
    abs < 60 ? `${abs} s` : abs < 3600 ? `${Math.round(abs / 60)} min` : `${Math.round(abs / 3600)} h`;
  return s >= 0 ? `in ${text}` : `${text} ago`;
}

function coins(list: Array<{ denom: string; amount: string }> | undefined, denom: string): number {
  return (list ?? []).filter((c) => c.denom === denom).reduce((a, c) => a + num(c.amount), 0);
}

const vivim = (micro: number) =>
  `${(micro / 1_000_000).toLocaleString(undefined, { maximumFractionDigits: 2 })} VIVIM`;

function StatusBadge({ status }: { status: string }) {
  const cls = status.replace("PROPOSAL_STATUS_", "").toLowerCase().replace(/_/g, "-");
  return <span className={`gov-status gov-status-${cls}`}>{STATUS_LABEL[status] ?? "Unknown"}</span>;
}

export default function GovernanceView({ proposalId }: { proposalId: string | undefined }) {
  return proposalId ? <ProposalPage id={proposalId} /> : <ProposalList />;
}

function useNotifications(onEvent: () => void) {
  const { stream } = useSession();
  useEffect(() => {
    if (!stream) return;
    return stream.subscribe({ kind: "notifications" }, (e) => {
      if (/proposal|gov|Voting/i.test(e.type) || e.attributes.proposal_id) onEvent();
    });
  }, [stream, onEvent]);
}

function ProposalList() {
  const { api } = useSession();
  const [list, setList] = useState<Proposal[] | null>(null);
  const [error, setError] = useState("");
  const [nonce, setNonce] = useState(0);
  const reload = useCallback(() => setNonce((n) => n + 1), []);
  useNotifications(reload);

  useEffect(() => {
    void nonce;
    const ctrl = new AbortController();
    setError("");
    govApi
      .proposals(api, ctrl.signal)
      .then(setList)
      .catch((err) => {
        if (!ctrl.signal.aborted) setError(messageOf(err));
      });
    return () => ctrl.abort();
  }, [api, nonce]);

  return (
    <section className="ops-page" aria-labelledby="gov-title" data-testid="governance">
      <header className="ops-header">
        <h1 id="gov-title">Governance</h1>
        <p className="ops-sub">
          Proposals decided by the council (the validators' operators) or by members (weighted by reputation).
          Votes are signed on this device.
        </p>
      </header>
      {error && !list ? (
        <ErrorState message={error} onRetry={reload} />
      ) : !list ? (
        <PostSkeleton rows={3} />
      ) : list.length === 0 ? (
        <EmptyState title="No proposals yet">
          When someone submits a proposal it appears here, with its deposit, votes and outcome.
        </EmptyState>
      ) : (
        <ul className="gov-list">
          {list.map((p) => {
            const t = tallyOf(p.final_tally_result);
            return (
              <li key={p.id}>
                <a className="card gov-item" href={proposalPath(p.id)} onClick={linkClick}>
                  <div className="gov-item-top">
                    <span className="gov-id">#{p.id}</span>
                    <StatusBadge status={p.status} />
                    {p.status === "PROPOSAL_STATUS_VOTING_PERIOD" && p.voting_end_time ? (
                      <span className="ops-muted">ends {relative(p.voting_end_time)}</span>
                    ) : null}
                  </div>
                  <h2 className="gov-item-title">{p.title || `Proposal ${p.id}`}</h2>
                  {p.summary ? <p className="gov-item-summary">{p.summary}</p> : null}
                  {t.total > 0 ? <MiniBar tally={t} /> : null}
                </a>
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}

function MiniBar({ tally }: { tally: ReturnType<typeof tallyOf> }) {
  const pct = (n: number) => `${(100 * n) / Math.max(1, tally.total)}%`;
  return (
    <div className="gov-minibar" aria-hidden="true">
      <span className="seg yes" style={{ width: pct(tally.yes) }} />
      <span className="seg no" style={{ width: pct(tally.no) }} />
      <span className="seg abstain" style={{ width: pct(tally.abstain) }} />
      <span className="seg veto" style={{ width: pct(tally.veto) }} />
    </div>
  );
}

interface Detail {
  proposal: Proposal;
  tally: Tally | null;
  params: GovParams | null;
  info: ProposalInfo | null;
  power: VotingPower | null;
  myVote: string | null;
}

function ProposalPage({ id }: { id: string }) {
  const { api, active } = useSession();
  const [detail, setDetail] = useState<Detail | null>(null);
  const [error, setError] = useState("");
  const [nonce, setNonce] = useState(0);
  const reload = useCallback(() => setNonce((n) => n + 1), []);
  useNotifications(reload);

  useEffect(() => {
    void nonce;
    const ctrl = new AbortController();
    const s = ctrl.signal;
    setError("");
    (async () => {
      const proposal = await govApi.proposal(api, id, s);
      const voting = proposal.status === "PROPOSAL_STATUS_VOTING_PERIOD";
      const [tally, params, info, power, myVote] = await Promise.all([
        voting ? govApi.tally(api, id, s).catch(() => null) : Promise.resolve(proposal.final_tally_result),
        govApi.params(api, s),
        govApi.info(api, id, s),
        voting ? govApi.votingPower(api, id, active.address, s) : Promise.resolve(null),
        govApi.myVote(api, id, active.address, s).catch(() => null),
      ]);
      return { proposal, tally, params, info, power, myVote };
    })()
      .then((d) => {
        if (!s.aborted) setDetail(d);
      })
      .catch((err) => {
        if (!s.aborted) setError(messageOf(err));
      });
    return () => ctrl.abort();
  }, [api, id, active.address, nonce]);

  // While voting, the tally moves with every vote: refresh it every few seconds.
  const voting = detail?.proposal.status === "PROPOSAL_STATUS_VOTING_PERIOD";
  const deposit = detail?.proposal.status === "PROPOSAL_STATUS_DEPOSIT_PERIOD";
  useEffect(() => {
    if (!voting && !deposit) return;
    const t = setInterval(reload, 4000);
    return () => clearInterval(t);
  }, [voting, deposit, reload]);

  const back = (
    <a href={proposalPath()} onClick={linkClick} className="ops-back">
      ← All proposals
    </a>
  );
  if (error && !detail)
    return (
      <section className="ops-page">
        {back}
        <ErrorState message={error} onRetry={reload} />
      </section>
    );
  if (!detail)
    return (
      <section className="ops-page" aria-busy="true">
        {back}
        <PostSkeleton rows={2} />
      </section>
    );
  const { proposal: p } = detail;
  return (
    <section className="ops-page" aria-labelledby="proposal-title" data-testid="proposal">
      {back}
      <article className="card gov-detail">
        <div className="gov-item-top">
          <span className="gov-id">#{p.id}</span>
          <StatusBadge status={p.status} />
          {p.expedited ? <span className="gov-chip">Expedited</span> : null}
          {detail.info?.electorate ? (
            <span className="gov-chip">
              {detail.info.electorate === "ELECTORATE_MEMBERS" ? "Members vote" : "Council votes"}
            </span>
          ) : null}
        </div>
        <h1 id="proposal-title" className="gov-title">
          {p.title || `Proposal ${p.id}`}
        </h1>
        {p.summary ? <p className="gov-summary">{p.summary}</p> : null}
        <p className="ops-muted">
          Proposed by <span className="mono">{shortAddress(p.proposer)}</span>
          {p.messages.length > 0
            ? ` · ${p.messages.length} action${p.messages.length === 1 ? "" : "s"}: ${p.messages
                .map((m) => (m["@type"] ?? "").split(".").pop())
                .join(", ")}`
            : " · text proposal"}
        </p>
      </article>
      <TallyPanel detail={detail} />
      {voting ? <VotePanel detail={detail} onDone={reload} /> : null}
      {deposit ? <DepositPanel detail={detail} onDone={reload} /> : null}
      <Timeline detail={detail} />
    </section>
  );
}

function TallyPanel({ detail }: { detail: Detail }) {
  const t = tallyOf(detail.tally);
  const totalWeight = num(detail.info?.total_weight) || num(detail.power?.total_weight);
  const quorum = num(detail.params?.quorum);
  const threshold = num(detail.params?.threshold) || 0.5;
  const base = Math.max(totalWeight, t.total, 1);
  const pct = (n: number) => (100 * n) / base;
  const deciding = t.yes + t.no + t.veto;
  const yesShare = deciding > 0 ? t.yes / deciding : 0;
  const live = detail.proposal.status === "PROPOSAL_STATUS_VOTING_PERIOD";
  return (
    <section className="card gov-tally" aria-labelledby="tally-title" data-testid="tally">
      <h2 id="tally-title">{live ? "Live tally" : "Final tally"}</h2>
      <div
        className="gov-bar"
        role="img"
        aria-label={`Yes ${t.yes}, No ${t.no}, Abstain ${t.abstain}, No with veto ${t.veto}${
          totalWeight ? ` of ${totalWeight} voting weight` : ""
        }`}
      >
        <span className="seg yes" style={{ width: `${pct(t.yes)}%` }} />
        <span className="seg no" style={{ width: `${pct(t.no)}%` }} />
        <span className="seg abstain" style={{ width: `${pct(t.abstain)}%` }} />
        <span className="seg veto" style={{ width: `${pct(t.veto)}%` }} />
        {quorum > 0 && totalWeight > 0 ? (
          <span className="gov-line" style={{ left: `${quorum * 100}%` }} title="Quorum">
            <span className="gov-line-label">Quorum {Math.round(quorum * 1000) / 10}%</span>
          </span>
        ) : null}
      </div>
      <dl className="gov-legend">
        {(
          [
            ["yes", "Yes", t.yes],
            ["no", "No", t.no],
            ["abstain", "Abstain", t.abstain],
            ["veto", "No with veto", t.veto],
          ] as const
        ).map(([cls, label, n]) => (
          <div key={cls}>
            <dt>
              <span className={`dot ${cls}`} aria-hidden="true" />
              {label}
            </dt>
            <dd data-testid={`tally-${cls}`}>{n.toLocaleString()}</dd>
          </div>
        ))}
      </dl>
      <p className="ops-muted">Share of Yes among Yes, No and veto (passes above the threshold):</p>
      <div
        className="gov-bar gov-bar-thin"
        role="img"
        aria-label={`Yes share ${Math.round(yesShare * 100)}%`}
      >
        <span className="seg yes" style={{ width: `${yesShare * 100}%` }} />
        <span className="gov-line" style={{ left: `${threshold * 100}%` }} title="Threshold">
          <span className="gov-line-label">Threshold {Math.round(threshold * 1000) / 10}%</span>
        </span>
      </div>
      {totalWeight > 0 ? (
        <p className="ops-muted">
          Turnout {Math.round((t.total / totalWeight) * 1000) / 10}% of {totalWeight.toLocaleString()} voting
          weight.
        </p>
      ) : null}
    </section>
  );
}

function VotePanel({ detail, onDone }: { detail: Detail; onDone: () => void }) {
  const { signer, active } = useSession();
  const toast = useToast();
  const [busy, setBusy] = useState<string>("");
  const [error, setError] = useState("");
  const [mine, setMine] = useState(detail.myVote);
  useEffect(() => setMine(detail.myVote), [detail.myVote]);
  const refusal = detail.power?.refusal;
  const weight = num(detail.power?.weight);
  const cannot = !active.hasKey || Boolean(refusal) || (detail.power !== null && weight === 0);

  const vote = async (o: (typeof OPTIONS)[number]) => {
    setBusy(o.key);
    setError("");
    try {
      const s = await signer();
      const res = await s.sendMsgs([
        {
          typeUrl: "/cosmos.gov.v1.MsgVote",
          value: { proposalId: BigInt(detail.proposal.id), voter: active.address, option: o.n, metadata: "" },
        },
      ]);
      setMine(o.key);
      toast(`Voted ${o.label} — in block ${res.height}.`, "success");
      onDone();
    } catch (err) {
      setError(messageOf(err));
    } finally {
      setBusy("");
    }
  };

  return (
    <section className="card gov-vote" aria-labelledby="vote-title">
      <h2 id="vote-title">Your vote</h2>
      {refusal ? (
        <p className="ops-muted">You cannot vote on this proposal: {refusal}</p>
      ) : detail.power && weight > 0 ? (
        <p className="ops-muted">
          Your vote weighs {weight.toLocaleString()}. You can change it until voting ends.
        </p>
      ) : detail.power && weight === 0 ? (
        <p className="ops-muted">This account has no voting weight in this proposal's electorate.</p>
      ) : null}
      <fieldset className="gov-vote-buttons">
        <legend className="sr-only">Vote</legend>
        {OPTIONS.map((o) => (
          <button
            key={o.key}
            type="button"
            className={`btn gov-vote-btn ${o.cls}${mine === o.key ? " chosen" : ""}`}
            aria-pressed={mine === o.key}
            disabled={Boolean(busy) || cannot}
            onClick={() => void vote(o)}
          >
            {busy === o.key ? <Spinner label="Signing" /> : null}
            {o.label}
          </button>
        ))}
      </fieldset>
      {error ? (
        <p className="field-error" role="alert">
          {error}
        </p>
      ) : null}
    </section>
  );
}

function DepositPanel({ detail, onDone }: { detail: Detail; onDone: () => void }) {
  const { signer, active, config } = useSession();
  const toast = useToast();
  const [amount, setAmount] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState("");
  const inputId = useId();
  const have = coins(detail.proposal.total_deposit, config.denom);
  const need = coins(detail.params?.min_deposit, config.denom);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const v = Number(amount);
    if (!Number.isFinite(v) || v <= 0) {
      setError("Enter an amount of VIVIM above zero.");
      return;
    }
    setBusy(true);
    setError("");
    try {
      const s = await signer();
      const res = await s.sendMsgs([
        {
          typeUrl: "/cosmos.gov.v1.MsgDeposit",
          value: {
            proposalId: BigInt(detail.proposal.id),
            depositor: active.address,
            amount: [{ denom: config.denom, amount: String(Math.round(v * 1_000_000)) }],
          },
        },
      ]);
      setAmount("");
      toast(`Deposited ${vivim(v * 1_000_000)} — in block ${res.height}.`, "success");
      onDone();
    } catch (err) {
      setError(messageOf(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="card gov-deposit" aria-labelledby="deposit-title">
      <h2 id="deposit-title">Deposit</h2>
      <p className="ops-muted">
        {vivim(have)}
        {need ? ` of ${vivim(need)} needed to open voting` : " deposited"}
        {detail.proposal.deposit_end_time ? ` · closes ${relative(detail.proposal.deposit_end_time)}` : ""}
      </p>
      {need ? (
        <div className="gov-bar gov-bar-thin" aria-hidden="true">
          <span className="seg yes" style={{ width: `${Math.min(100, (100 * have) / need)}%` }} />
        </div>
      ) : null}
      <form className="gov-deposit-form" onSubmit={(e) => void submit(e)}>
        <label htmlFor={inputId} className="field-label">
          Amount (VIVIM)
        </label>
        <div className="ops-row">
          <input
            id={inputId}
            className="input"
            inputMode="decimal"
            value={amount}
            onChange={(e) => setAmount(e.target.value)}
            placeholder="10"
          />
          <button type="submit" className="btn btn-primary" disabled={busy || !active.hasKey}>
            {busy ? <Spinner label="Signing" /> : null}
            Deposit
          </button>
        </div>
        {error ? (
          <p className="field-error" role="alert">
            {error}
          </p>
        ) : null}
      </form>
    </section>
  );
}

function Timeline({ detail }: { detail: Detail }) {
  const p = detail.proposal;
  const ended = ["PROPOSAL_STATUS_PASSED", "PROPOSAL_STATUS_REJECTED", "PROPOSAL_STATUS_FAILED"].includes(
    p.status,
  );
  const votingStarted = Boolean(when(p.voting_start_time));
  const executed = num(detail.info?.executed_height);
  const steps: Array<{ key: string; label: string; detail: string; state: "done" | "now" | "next" }> = [
    { key: "submitted", label: "Submitted", detail: when(p.submit_time), state: "done" },
    {
      key: "deposit",
      label: "Deposit",
      detail: votingStarted ? "Deposit reached" : `Until ${when(p.deposit_end_time)}`,
      state: p.status === "PROPOSAL_STATUS_DEPOSIT_PERIOD" ? "now" : "done",
    },
    {
      key: "voting",
      label: "Voting",
      detail: votingStarted ? `${when(p.voting_start_time)} → ${when(p.voting_end_time)}` : "Not started",
      state: p.status === "PROPOSAL_STATUS_VOTING_PERIOD" ? "now" : ended && votingStarted ? "done" : "next",
    },
    {
      key: "ended",
      label: "Ended",
      detail: ended ? (STATUS_LABEL[p.status] ?? "") : p.voting_end_time ? relative(p.voting_end_time) : "",
      state: ended ? "done" : "next",
    },
    {
      key: "executed",
      label: "Result",
      detail:
        p.status === "PROPOSAL_STATUS_PASSED"
          ? executed
            ? `Executed at block ${executed}`
            : p.messages.length === 0
              ? "Passed (nothing to execute)"
              : detail.info?.execute_after
                ? `Runs after the timelock (${when(detail.info.execute_after) || detail.info.execute_after})`
                : "Passed"
          : p.status === "PROPOSAL_STATUS_FAILED"
            ? p.failed_reason || "Execution failed"
            : p.status === "PROPOSAL_STATUS_REJECTED"
              ? "Not executed"
              : "",
      state:
        p.status === "PROPOSAL_STATUS_PASSED" ||
        p.status === "PROPOSAL_STATUS_FAILED" ||
        p.status === "PROPOSAL_STATUS_REJECTED"
          ? "done"
          : "next",
    },
  ];
  return (
    <section className="card gov-timeline" aria-labelledby="timeline-title">
      <h2 id="timeline-title">Timeline</h2>
      <ol>
        {steps.map((s) => (
          <li
            key={s.key}
            className={`step step-${s.state}`}
            aria-current={s.state === "now" ? "step" : undefined}
          >
            <span className="step-dot" aria-hidden="true" />
            <span className="step-label">{s.label}</span>
            {s.detail ? <span className="step-detail">{s.detail}</span> : null}
          </li>
        ))}
      </ol>
    </section>
  );
}
