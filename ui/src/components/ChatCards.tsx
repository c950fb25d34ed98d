/**
 * The assistant's tool cards. Reads (feed, thread, profile) render compactly; every write (post,
 * vote, proposal vote, follow, rating, bounty) is an editable card the person confirms before it
 * is signed in this browser, and afterwards shows the committed tx, its block and a link to the
 * node's inclusion proof. A DM is a card that hands over to Messages (DMs are end-to-end
 * encrypted there, not a chain tx).
 */
import type { ToolCallMessagePartProps } from "@assistant-ui/react";
import { useId, useState } from "react";
import { type PostSummary, proofUrl, type ReadResult, runWrite, type WriteResult } from "../chat/actions.js";
import type { ProposalOption, ToolCallSpec } from "../chat/intent.js";
import { count, timeAgo } from "../lib/format.js";
import { linkClick, threadPath } from "../lib/router.js";
import { useSession } from "../lib/session.js";
import { messageOf, Spinner } from "./common.js";

type Args = Record<string, unknown>;

const TITLES: Record<string, string> = {
  create_post: "New post",
  vote: "Vote",
  vote_proposal: "Proposal vote",
  follow: "Follow",
  rate: "Rating",
  create_bounty: "Bounty",
  send_dm: "Direct message",
  get_feed: "Feed",
  get_thread: "Thread",
  get_profile: "Profile",
};

export function ChatToolCard(props: ToolCallMessagePartProps) {
  const { toolName } = props;
  if (toolName === "get_feed" || toolName === "get_thread" || toolName === "get_profile") {
    return <ReadCard result={props.result as ReadResult | undefined} />;
  }
  if (toolName === "send_dm") return <DmCard args={props.args as Args} />;
  return <WriteCard {...props} />;
}

function CardFrame({
  tool,
  children,
  tone = "",
}: {
  tool: string;
  children: React.ReactNode;
  tone?: string;
}) {
  return (
    <section
      className={`chat-card ${tone}`}
      aria-label={TITLES[tool] ?? "Action"}
      data-testid={`chat-card-${tool}`}
    >
      <header className="chat-card-head">
        <span className="chat-card-tool">{TITLES[tool] ?? tool}</span>
        <code className="chat-card-name">{tool}</code>
      </header>
      {children}
    </section>
  );
}

// ---- reads ----

function PostRow({ p }: { p: PostSummary }) {
  return (
    <li className="chat-post">
      <span className="chat-post-score" title="Score">
        {p.score}
      </span>
      <div className="chat-post-main">
        <a href={threadPath(p.id)} onClick={linkClick} className="chat-post-title">
          {p.title}
        </a>
        <span className="chat-post-meta">
          {p.community ? `#${p.community} · ` : ""}
          {p.author} · {timeAgo(p.createdAt)} · {count(p.comments, "comment")}
        </span>
      </div>
    </li>
  );
}

function ReadCard({ result }: { result: ReadResult | undefined }) {
  if (!result) {
    return (
      <div className="chat-card chat-card-loading" role="status">
        <Spinner label="Reading from the network" /> Reading from the network…
      </div>
    );
  }
  if (result.kind === "error") {
    return (
      <div className="chat-card chat-card-error" role="alert">
        {result.message}
      </div>
    );
  }
  if (result.kind === "feed") {
    return (
      <CardFrame tool="get_feed">
        <p className="chat-card-sub">
          {result.sort} · {result.community ? `#${result.community}` : "all communities"}
        </p>
        {result.posts.length === 0 ? (
          <p className="chat-card-empty">No posts here yet. Ask me to post something.</p>
        ) : (
          <ol className="chat-posts">
            {result.posts.map((p) => (
              <PostRow key={p.id} p={p} />
            ))}
          </ol>
        )}
      </CardFrame>
    );
  }
  if (result.kind === "thread") {
    return (
      <CardFrame tool="get_thread">
        <ol className="chat-posts">
          <PostRow p={result.post} />
        </ol>
        {result.body ? <p className="chat-card-body">{result.body}</p> : null}
        {result.comments.map((c, i) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: a fixed preview list
          <p key={i} className="chat-comment">
            <strong>{c.author}</strong> {c.body}
          </p>
        ))}
      </CardFrame>
    );
  }
  return (
    <CardFrame tool="get_profile">
      <p className="chat-card-title">
        {result.name} {result.agent ? <span className="badge">Agent</span> : null}
      </p>
      {result.bio ? <p className="chat-card-body">{result.bio}</p> : null}
      <a href={`/u/${result.name.replace(/^@/, "")}`} onClick={linkClick}>
        Open profile
      </a>
    </CardFrame>
  );
}

// ---- DM (hand-over) ----

function DmCard({ args }: { args: Args }) {
  const to = String(args.to ?? "");
  return (
    <CardFrame tool="send_dm">
      <p className="chat-card-title">To {to}</p>
      <blockquote className="chat-card-quote">{String(args.text ?? "")}</blockquote>
      <p className="chat-card-hint">
        Direct messages are end-to-end encrypted in Messages, not signed here.{" "}
        <a href={`/messages/${to.replace(/^@/, "")}`} onClick={linkClick}>
          Open the conversation
        </a>
      </p>
    </CardFrame>
  );
}

// ---- writes ----

function Stars({
  value,
  onChange,
  disabled,
}: {
  value: number;
  onChange: (n: number) => void;
  disabled: boolean;
}) {
  return (
    <div className="chat-stars" role="radiogroup" aria-label="Stars">
      {[1, 2, 3, 4, 5].map((n) => (
        // biome-ignore lint/a11y/useSemanticElements: a star row reads better as buttons with radio semantics
        <button
          key={n}
          type="button"
          role="radio"
          aria-checked={value === n}
          aria-label={`${n} star${n > 1 ? "s" : ""}`}
          className={`chat-star${n <= value ? " on" : ""}`}
          disabled={disabled}
          onClick={() => onChange(n)}
        >
          ★
        </button>
      ))}
    </div>
  );
}

function Field({ label, children }: { label: string; children: (id: string) => React.ReactNode }) {
  const id = useId();
  return (
    <div className="chat-field">
      <label htmlFor={id} className="field-label">
        {label}
      </label>
      {children(id)}
    </div>
  );
}

/** A labelled one-line text input of a tool card. */
function TextField(props: {
  label: string;
  value: string;
  placeholder?: string;
  disabled: boolean;
  onChange: (value: string) => void;
}) {
  return (
    <Field label={props.label}>
      {(id) => (
        <input
          id={id}
          className="input"
          value={props.value}
          placeholder={props.placeholder}
          disabled={props.disabled}
          onChange={(e) => props.onChange(e.target.value)}
        />
      )}
    </Field>
  );
}

function Editor({
  tool,
  draft,
  set,
  busy,
}: {
  tool: string;
  draft: Args;
  set: (k: string, v: unknown) => void;
  busy: boolean;
}) {
  const str = (k: string) => String(draft[k] ?? "");
  switch (tool) {
    case "create_post":
      return (
        <>
          <Field label="Community">
            {(id) => (
              <input
                id={id}
                className="input"
                value={str("community")}
                disabled={busy}
                onChange={(e) => set("community", e.target.value.replace(/^#/, ""))}
              />
            )}
          </Field>
          <Field label="Title">
            {(id) => (
              <input
                id={id}
                className="input"
                value={str("title")}
                disabled={busy}
                maxLength={300}
                onChange={(e) => set("title", e.target.value)}
              />
            )}
          </Field>
          <Field label="Body (optional)">
            {(id) => (
              <textarea
                id={id}
                className="input"
                rows={3}
                value={str("body")}
                disabled={busy}
                onChange={(e) => set("body", e.target.value)}
              />
            )}
          </Field>
        </>
      );
    case "vote":
      return (
        <div className="chat-choices" role="radiogroup" aria-label="Direction">
          {(["up", "down"] as const).map((d) => (
            <label key={d} className={`chat-choice${draft.direction === d ? " on" : ""}`}>
              <input
                type="radio"
                name="dir"
                checked={draft.direction === d}
                disabled={busy}
                onChange={() => set("direction", d)}
              />
              {d === "up" ? "▲ Upvote" : "▼ Downvote"} {str("targetId")}
            </label>
          ))}
        </div>
      );
    case "vote_proposal":
      return (
        <div
          className="chat-choices"
          role="radiogroup"
          aria-label={`Your vote on proposal ${str("proposalId")}`}
        >
          {(["yes", "no", "abstain", "no_with_veto"] as ProposalOption[]).map((o) => (
            <label key={o} className={`chat-choice${draft.option === o ? " on" : ""}`}>
              <input
                type="radio"
                name="opt"
                checked={draft.option === o}
                disabled={busy}
                onChange={() => set("option", o)}
              />
              {o === "no_with_veto" ? "No with veto" : o.charAt(0).toUpperCase() + o.slice(1)}
            </label>
          ))}
        </div>
      );
    case "follow":
      return <p className="chat-card-title">{str("target")}</p>;
    case "rate":
      return (
        <>
          <p className="chat-card-title">{str("subject")}</p>
          <Stars value={Number(draft.stars ?? 5)} disabled={busy} onChange={(n) => set("stars", n)} />
          <label className="chat-check">
            <input
              type="checkbox"
              checked={Boolean(draft.helped)}
              disabled={busy}
              onChange={(e) => set("helped", e.target.checked)}
            />{" "}
            They helped me
          </label>
          <Field label="Note (optional)">
            {(id) => (
              <input
                id={id}
                className="input"
                value={str("comment")}
                disabled={busy}
                maxLength={280}
                onChange={(e) => set("comment", e.target.value)}
              />
            )}
          </Field>
        </>
      );
    case "create_bounty":
      return (
        <>
          <TextField label="Task" value={str("title")} disabled={busy} onChange={(v) => set("title", v)} />
          <div className="chat-row">
            <TextField
              label="Reward"
              value={str("amount")}
              disabled={busy}
              onChange={(v) => set("amount", v)}
            />
            <TextField
              label="Reserved for"
              placeholder="anyone"
              value={str("assignee")}
              disabled={busy}
              onChange={(v) => set("assignee", v)}
            />
          </div>
        </>
      );
    default:
      return null;
  }
}

function Committed({ r }: { r: Extract<WriteResult, { status: "committed" }> }) {
  const { config } = useSession();
  return (
    <div className="chat-committed" data-testid="chat-committed">
      <p className="chat-committed-line">
        <span className="chat-ok" aria-hidden="true">
          ✓
        </span>{" "}
        {r.summary} · block <strong data-testid="chat-height">{r.height}</strong>
      </p>
      <p className="chat-tx">
        tx{" "}
        <code
          title={r.txHash}
          data-testid="chat-txhash"
        >{`${r.txHash.slice(0, 10)}…${r.txHash.slice(-6)}`}</code>
        {" · "}
        <a href={proofUrl(config.api, r.txHash)} target="_blank" rel="noreferrer">
          Inclusion proof
        </a>
        {r.postId ? (
          <>
            {" · "}
            <a href={threadPath(r.postId)} onClick={linkClick}>
              View post
            </a>
          </>
        ) : null}
      </p>
    </div>
  );
}

function WriteCard(props: ToolCallMessagePartProps) {
  const { toolName, addResult } = props;
  const { api, config, signer, active } = useSession();
  const result = props.result as (WriteResult & { args?: Args }) | undefined;
  const [draft, setDraft] = useState<Args>(() => ({ ...(props.args as Args) }));
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState("");
  const set = (k: string, v: unknown) => setDraft((d) => ({ ...d, [k]: v }));

  if (result?.status === "committed") {
    return (
      <CardFrame tool={toolName} tone="chat-card-done">
        <Summary tool={toolName} args={result.args ?? (props.args as Args)} />
        <Committed r={result} />
      </CardFrame>
    );
  }
  if (result?.status === "cancelled") {
    return (
      <CardFrame tool={toolName} tone="chat-card-cancelled">
        <p className="chat-card-hint">Dismissed: nothing was signed.</p>
      </CardFrame>
    );
  }

  async function confirm() {
    setBusy(true);
    setError("");
    try {
      const s = await signer();
      const r = await runWrite(api, config, s, { toolName, args: draft } as unknown as ToolCallSpec);
      addResult({ ...r, args: draft });
    } catch (err) {
      setError(messageOf(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <CardFrame tool={toolName}>
      <Editor tool={toolName} draft={draft} set={set} busy={busy} />
      {error ? (
        <p className="field-error" role="alert">
          {error}
        </p>
      ) : null}
      <div className="chat-card-actions">
        <span className="chat-card-hint">Signed in this browser as {active.name}</span>
        <button
          type="button"
          className="btn btn-ghost"
          disabled={busy}
          onClick={() => addResult({ status: "cancelled", summary: "" })}
        >
          Dismiss
        </button>
        <button
          type="button"
          className="btn btn-primary"
          disabled={busy || !active.hasKey}
          onClick={() => void confirm()}
        >
          {busy ? <Spinner label="Signing" /> : null}
          {busy ? "Signing…" : error ? "Try again" : "Confirm and sign"}
        </button>
      </div>
    </CardFrame>
  );
}

function Summary({ tool, args }: { tool: string; args: Args }) {
  const s = (k: string) => String(args[k] ?? "");
  switch (tool) {
    case "create_post":
      return (
        <div className="chat-preview">
          <span className="chat-post-meta">#{s("community")}</span>
          <p className="chat-card-title">{s("title")}</p>
          {s("body") ? <p className="chat-card-body">{s("body")}</p> : null}
        </div>
      );
    case "rate":
      return (
        <p className="chat-card-title">
          {s("subject")} <span className="chat-stars-static">{"★".repeat(Number(args.stars ?? 0))}</span>
        </p>
      );
    case "create_bounty":
      return (
        <p className="chat-card-title">
          {s("title")} · {s("amount")}
          {s("assignee") ? ` · for ${s("assignee")}` : ""}
        </p>
      );
    default:
      return null;
  }
}
