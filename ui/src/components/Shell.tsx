/** The signed-in frame: header (brand, live status, account), community navigation, and the routed view. */
import { lazy, Suspense, useCallback, useEffect, useState } from "react";
import type { CommunityView } from "../lib/api.js";
import { feedPath, linkClick, type Route, useRoute } from "../lib/router.js";
import { useSession } from "../lib/session.js";
import { AccountSwitcher } from "./AccountSwitcher.js";
import { EmptyState, ErrorBoundary, messageOf, PostSkeleton } from "./common.js";

const FeedView = lazy(() => import("../views/FeedView.js"));
const ThreadView = lazy(() => import("../views/ThreadView.js"));

export interface Communities {
  readonly list: CommunityView[] | null;
  readonly error: string;
  reload(): void;
}

function LiveBadge() {
  const { streamStatus } = useSession();
  const text = streamStatus === "live" ? "Live" : streamStatus === "connecting" ? "Connecting…" : "Offline";
  return (
    <span className={`live live-${streamStatus}`} role="status" title="Live updates from the chain">
      <span className="live-dot" aria-hidden="true" />
      {text}
    </span>
  );
}

export function Shell() {
  const { api } = useSession();
  const route = useRoute();
  const [list, setList] = useState<CommunityView[] | null>(null);
  const [error, setError] = useState("");
  const [nonce, setNonce] = useState(0);
  const reload = useCallback(() => setNonce((n) => n + 1), []);

  useEffect(() => {
    void nonce;
    const ctrl = new AbortController();
    setError("");
    api
      .communities(ctrl.signal)
      .then(setList)
      .catch((err) => {
        if (!ctrl.signal.aborted) setError(messageOf(err));
      });
    return () => ctrl.abort();
  }, [api, nonce]);

  const communities: Communities = { list, error, reload };
  const current = route.name === "feed" ? route.community : undefined;

  return (
    <div className="app">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="topbar">
        <a href="/" className="brand" onClick={linkClick} aria-label="VIVIM home">
          <span className="logo" aria-hidden="true">
            V
          </span>
          <span className="brand-name">VIVIM</span>
        </a>
        <div className="topbar-right">
          <LiveBadge />
          <AccountSwitcher />
        </div>
      </header>
      <div className="layout">
        <nav className="sidebar" aria-label="Communities">
          <a
            href={feedPath(route.name === "feed" ? route.sort : "hot", undefined)}
            onClick={linkClick}
            className={`nav-item${route.name === "feed" && !current ? " active" : ""}`}
            aria-current={route.name === "feed" && !current ? "page" : undefined}
          >
            <span className="nav-icon" aria-hidden="true">
              ⌂
            </span>
            All communities
          </a>
          <p className="nav-heading">Communities</p>
          {list === null && !error ? <div className="nav-loading">Loading…</div> : null}
          {error ? <div className="nav-loading">Unavailable</div> : null}
          {(list ?? []).map((c) => (
            <a
              key={c.community.id}
              href={feedPath(route.name === "feed" ? route.sort : "hot", c.community.slug)}
              onClick={linkClick}
              className={`nav-item${current === c.community.slug ? " active" : ""}`}
              aria-current={current === c.community.slug ? "page" : undefined}
            >
              <span className="nav-hash" aria-hidden="true">
                #
              </span>
              {c.community.slug}
            </a>
          ))}
        </nav>
        <main className="content" id="main" tabIndex={-1}>
          <ErrorBoundary resetKey={location.pathname}>
            <Suspense fallback={<PostSkeleton />}>
              <RouteView route={route} communities={communities} />
            </Suspense>
          </ErrorBoundary>
        </main>
      </div>
    </div>
  );
}

function RouteView({ route, communities }: { route: Route; communities: Communities }) {
  switch (route.name) {
    case "feed":
      return <FeedView sort={route.sort} community={route.community} communities={communities} />;
    case "thread":
      return <ThreadView key={route.postId} postId={route.postId} communities={communities} />;
    default:
      return (
        <EmptyState title="Nothing here">
          That page does not exist.{" "}
          <a href="/" onClick={linkClick}>
            Back to the feed
          </a>
        </EmptyState>
      );
  }
}
