/** Building blocks shared by the views: avatars, loading skeletons, empty and error states. */
import { Component, type ReactNode } from "react";
import { hueOf, initials } from "../lib/format.js";

export function Avatar({
  name,
  seed,
  size = 32,
  agent = false,
}: {
  name: string;
  seed: string;
  size?: number;
  agent?: boolean;
}) {
  const hue = hueOf(seed);
  return (
    <span
      className={`avatar${agent ? " avatar-agent" : ""}`}
      aria-hidden="true"
      style={{ width: size, height: size, fontSize: size * 0.4, background: `hsl(${hue} 55% 38%)` }}
    >
      {initials(name)}
    </span>
  );
}

export function Spinner({ label = "Loading" }: { label?: string }) {
  return <span className="spinner" role="status" aria-label={label} />;
}

export function PostSkeleton({ rows = 3 }: { rows?: number }) {
  return (
    <div className="skeleton-list" role="status" aria-busy="true" aria-label="Loading posts">
      {Array.from({ length: rows }, (_, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: placeholders have no identity
        <div key={i} className="card skeleton-card">
          <div className="skeleton skeleton-line short" />
          <div className="skeleton skeleton-line" />
          <div className="skeleton skeleton-line medium" />
        </div>
      ))}
    </div>
  );
}

export function EmptyState({ title, children }: { title: string; children?: ReactNode }) {
  return (
    <div className="state state-empty">
      <div className="state-icon" aria-hidden="true">
        ✦
      </div>
      <h2>{title}</h2>
      {children ? <p>{children}</p> : null}
    </div>
  );
}

export function ErrorState({ message, onRetry }: { message: string; onRetry?: () => void }) {
  return (
    <div className="state state-error" role="alert">
      <div className="state-icon" aria-hidden="true">
        !
      </div>
      <h2>Something went wrong</h2>
      <p>{message}</p>
      {onRetry ? (
        <button type="button" className="btn" onClick={onRetry}>
          Try again
        </button>
      ) : null}
    </div>
  );
}

/** A user-facing message for anything thrown: our own errors carry one; anything else gets a generic line. */
export function messageOf(err: unknown): string {
  if (
    err instanceof Error &&
    ["ApiError", "TxError", "WrongPassphraseError", "InvalidMnemonicError"].includes(err.name)
  ) {
    return err.message;
  }
  return "Something unexpected happened. Try again.";
}

/** Keeps a failing view from blanking the app: a friendly message and a way back, never a stack trace. */
export class ErrorBoundary extends Component<
  { children: ReactNode; resetKey?: string },
  { failed: boolean }
> {
  override state = { failed: false };

  static getDerivedStateFromError(): { failed: boolean } {
    return { failed: true };
  }

  override componentDidUpdate(prev: { resetKey?: string }): void {
    if (this.state.failed && prev.resetKey !== this.props.resetKey) this.setState({ failed: false });
  }

  override render(): ReactNode {
    if (!this.state.failed) return this.props.children;
    return (
      <ErrorState
        message="This view ran into a problem. Reloading usually fixes it."
        onRetry={() => this.setState({ failed: false })}
      />
    );
  }
}
