/**
 * A modal form dialog: focus on its first field when it opens, Escape or Cancel closes it, an
 * error line, and Cancel / submit buttons.
 */
import { type ReactNode, useEffect, useRef } from "react";

export function useDialog<T extends HTMLElement = HTMLInputElement>(onClose: () => void) {
  const first = useRef<T>(null);
  useEffect(() => {
    first.current?.focus();
    const onKey = (e: KeyboardEvent) => e.key === "Escape" && onClose();
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [onClose]);
  return first;
}

export function ModalForm(props: {
  /** The heading's id (the dialog's accessible name). */
  titleId: string;
  title: string;
  testId?: string;
  error: string;
  submitLabel: string;
  canSubmit: boolean;
  onSubmit: (e: React.FormEvent) => void;
  onClose: () => void;
  children: ReactNode;
}) {
  return (
    <div className="modal-backdrop" role="presentation">
      <form
        className="modal card"
        role="dialog"
        aria-modal="true"
        aria-labelledby={props.titleId}
        onSubmit={props.onSubmit}
        data-testid={props.testId}
      >
        <h2 id={props.titleId}>{props.title}</h2>
        {props.children}
        {props.error ? (
          <p className="form-error" role="alert">
            {props.error}
          </p>
        ) : null}
        <div className="modal-actions">
          <button type="button" className="btn" onClick={props.onClose}>
            Cancel
          </button>
          <button type="submit" className="btn btn-primary" disabled={!props.canSubmit}>
            {props.submitLabel}
          </button>
        </div>
      </form>
    </div>
  );
}
