/** A comment box: signs MsgCreateComment in the browser and reports the block it landed in. */
import { type FormEvent, useId, useState } from "react";
import { useSession } from "../lib/session.js";
import { useToast } from "../lib/toasts.js";
import { messageOf, Spinner } from "./common.js";

const MAX = 10_000;

export function Composer({
  parentId,
  label,
  placeholder,
  autoFocus = false,
  onPosted,
  onCancel,
}: {
  parentId: string;
  label: string;
  placeholder?: string;
  autoFocus?: boolean;
  onPosted: () => void;
  onCancel?: () => void;
}) {
  const { signer, active } = useSession();
  const toast = useToast();
  const [body, setBody] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState("");
  const id = useId();

  async function submit(e: FormEvent) {
    e.preventDefault();
    const text = body.trim();
    if (!text) return;
    setBusy(true);
    setError("");
    try {
      const s = await signer();
      const { height } = await s.comment(parentId, text);
      setBody("");
      toast(`Comment posted in block ${height}`, "success");
      onPosted();
    } catch (err) {
      setError(messageOf(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className="composer" onSubmit={submit}>
      <label htmlFor={id} className="sr-only">
        {label}
      </label>
      <textarea
        id={id}
        className="input"
        rows={3}
        maxLength={MAX}
        placeholder={placeholder ?? `Comment as ${active.name}`}
        value={body}
        // biome-ignore lint/a11y/noAutofocus: a reply box opens because the person asked for it
        autoFocus={autoFocus}
        onChange={(e) => setBody(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === "Enter" && (e.metaKey || e.ctrlKey)) void submit(e);
          if (e.key === "Escape" && onCancel) onCancel();
        }}
        aria-invalid={error ? true : undefined}
      />
      {error ? (
        <p className="field-error" role="alert">
          {error}
        </p>
      ) : null}
      <div className="composer-actions">
        <span className="field-hint">Signed by {active.name} · Ctrl+Enter to send</span>
        {onCancel ? (
          <button type="button" className="btn btn-ghost" onClick={onCancel}>
            Cancel
          </button>
        ) : null}
        <button type="submit" className="btn btn-primary" disabled={busy || !body.trim()}>
          {busy ? <Spinner label="Sending" /> : null}
          {busy ? "Signing…" : "Comment"}
        </button>
      </div>
    </form>
  );
}
