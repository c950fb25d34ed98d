/**
 * GROUPS: what 1:1 and group conversations share — a message bubble (with the sender's name in a
 * group, a "disappears" label for short-lived tiers, and a delete-everywhere control on our own
 * messages), the per-conversation retention picker, and forgetting view-once texts once shown.
 */
import { useEffect, useRef, useState } from "react";
import { fullDate, timeAgo } from "../lib/format.js";
import { useToast } from "../lib/toasts.js";
import { useWho } from "./hooks.js";
import { type DmService, dmErrorText, type KeptMessage, type RetentionTier } from "./service.js";

const HOUR = 3600;
const DAY = 86_400;

/** The tiers a person may pick for a conversation (docs/dm.md); view-once only between two people. */
export const RETENTION_CHOICES: ReadonlyArray<{ tier: RetentionTier; label: string; direct?: true }> = [
  { tier: "view_once", label: "View once (24 h)", direct: true },
  { tier: "ephemeral", label: "24 hours" },
  { tier: "sessions", label: "30 days" },
  { tier: "channels", label: "90 days" },
  { tier: "threads", label: "1 year" },
];

/** "Disappears in 5 h" for messages kept a day or less; "View once" for view-once ones. */
export function disappearLabel(m: KeptMessage, now = Math.floor(Date.now() / 1000)): string | undefined {
  if (m.viewOnce) return m.text === undefined ? "Viewed" : "View once";
  if (m.expiresAt - m.sentAt > DAY) return undefined;
  const left = Math.max(0, m.expiresAt - now);
  return left >= HOUR
    ? `Disappears in ${Math.floor(left / HOUR)} h`
    : `Disappears in ${Math.ceil(left / 60)} min`;
}

/** The conversation's retention tier, and a setter that keeps it (encrypted with the DM state). */
export function useRetention(dm: DmService, conversation: string | undefined) {
  const toast = useToast();
  const [tier, setTier] = useState<RetentionTier>("sessions");
  useEffect(() => {
    if (!conversation) return;
    let live = true;
    dm.retentionOf(conversation)
      .then((t) => live && setTier(t))
      .catch(() => undefined);
    return () => {
      live = false;
    };
  }, [dm, conversation]);
  const choose = (next: RetentionTier) => {
    if (!conversation) return;
    setTier(next);
    dm.setRetention(conversation, next).catch((e) => toast(dmErrorText(e), "error"));
  };
  return [tier, choose] as const;
}

export function RetentionPicker({
  value,
  onChange,
  direct,
}: {
  value: RetentionTier;
  onChange: (t: RetentionTier) => void;
  direct: boolean;
}) {
  return (
    <label className="dm-retention" title="How long new messages are kept before they disappear">
      <span className="dm-retention-label">Disappear after</span>
      <select
        className="input"
        value={value}
        aria-label="Messages disappear after"
        data-testid="dm-retention"
        onChange={(e) => onChange(e.target.value as RetentionTier)}
      >
        {RETENTION_CHOICES.filter((c) => direct || !c.direct).map((c) => (
          <option key={c.tier} value={c.tier}>
            {c.label}
          </option>
        ))}
      </select>
    </label>
  );
}

/**
 * Forgets the view-once texts that were on screen once the person leaves the conversation (they
 * show "already opened" next time); while they stay, re-reads keep showing them.
 */
export function useForgetViewOnce(dm: DmService, conversation: string | undefined, messages: KeptMessage[]) {
  const shown = useRef(new Set<string>());
  useEffect(() => {
    for (const m of messages)
      if (m.dir === "in" && m.viewOnce && m.text !== undefined) shown.current.add(m.id);
  }, [messages]);
  useEffect(
    () => () => {
      const ids = [...shown.current];
      shown.current = new Set();
      if (conversation && ids.length > 0) void dm.forgetViewOnce(conversation, ids).catch(() => undefined);
    },
    [dm, conversation],
  );
}

/** A small timer, drawn rather than an emoji so every system shows it. */
function TimerIcon() {
  return (
    <svg width={11} height={11} viewBox="0 0 16 16" aria-hidden="true" focusable="false">
      <path
        fill="currentColor"
        d="M6 0h4v1.5H6V0Zm2 2.5a6.75 6.75 0 1 0 0 13.5 6.75 6.75 0 0 0 0-13.5Zm0 1.5a5.25 5.25 0 1 1 0 10.5A5.25 5.25 0 0 1 8 4Zm-.75 1.5v4.06l3.1 1.79.75-1.3-2.35-1.36V5.5h-1.5Z"
      />
    </svg>
  );
}

function SenderName({ address }: { address: string }) {
  const who = useWho(address);
  return <span className="dm-sender">{who?.name ?? "…"}</span>;
}

/** One message: text (or why it cannot be shown), time, labels, and our own message's delete control. */
export function MessageBubble({
  m,
  showSender,
  status,
  onDelete,
}: {
  m: KeptMessage;
  showSender: boolean;
  status?: string;
  onDelete?: (m: KeptMessage) => Promise<void>;
}) {
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const label = disappearLabel(m);
  const remove = async () => {
    if (!onDelete) return;
    setBusy(true);
    try {
      await onDelete(m);
    } finally {
      setBusy(false);
      setConfirming(false);
    }
  };
  return (
    <div className={`dm-msg dm-${m.dir}`} data-testid="dm-message">
      {showSender && m.dir === "in" ? <SenderName address={m.from} /> : null}
      <div className="dm-bubble-row">
        {m.dir === "out" && onDelete ? (
          confirming ? (
            <span className="dm-delete-confirm">
              <button
                type="button"
                className="btn btn-small btn-danger"
                disabled={busy}
                onClick={() => void remove()}
              >
                {busy ? "Deleting…" : "Delete for everyone"}
              </button>
              <button type="button" className="btn btn-small" onClick={() => setConfirming(false)}>
                Cancel
              </button>
            </span>
          ) : (
            <button
              type="button"
              className="dm-delete"
              aria-label="Delete this message for everyone"
              title="Delete for everyone"
              onClick={() => setConfirming(true)}
            >
              ✕
            </button>
          )
        ) : null}
        <div className="dm-bubble">
          {m.text !== undefined ? (
            m.text
          ) : (
            <em className="muted">
              {m.error === "VIEWED"
                ? "View-once message, already opened"
                : m.error === "UNKNOWN_SENDER_KEY"
                  ? "Waiting for this member's key…"
                  : "This message could not be opened"}
            </em>
          )}
        </div>
      </div>
      <div className="dm-meta">
        <time dateTime={new Date(m.sentAt * 1000).toISOString()} title={fullDate(m.sentAt)}>
          {timeAgo(m.sentAt)}
        </time>
        {label ? (
          <span className="dm-disappears" data-testid="dm-disappears">
            {" · "}
            <TimerIcon /> {label}
          </span>
        ) : null}
        {status ? <span data-testid="dm-status">{` · ${status}`}</span> : null}
      </div>
    </div>
  );
}
