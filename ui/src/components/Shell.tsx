/** The signed-in frame: header (brand, live status, account), community navigation, and the routed view. */
import { lazy, type ReactNode, Suspense, useCallback, useEffect, useState } from "react";
import type { CommunityView } from "../lib/api.js";
import { afterFirstPaint, markFirstPaint } from "../lib/first-paint.js";
import { feedPath, linkClick, type Route, useRoute } from "../lib/router.js";
import { useSession } from "../lib/session.js";
import { AccountSwitcher } from "./AccountSwitcher.js";
import { EmptyState, ErrorBoundary, messageOf, PostSkeleton } from "./common.js";

const FeedView = lazy(() => import("../views/FeedView.js"));
const ThreadView = lazy(() => import("../views/ThreadView.js"));
// OPS
const CommunityPage = lazy(() => import("../views/CommunityView.js"));
const GovernanceView = lazy(() => import("../views/GovernanceView.js"));
const NetworkView = lazy(() => import("../views/NetworkView.js"));
const WorkersView = lazy(() => import("../views/WorkersView.js"));
// CHAT
const ChatView = lazy(() => import("../views/ChatView.js"));
// SOCIAL
const MessagesView = lazy(() => import("../views/MessagesView.js"));
const ProfileView = lazy(() => import("../views/ProfileView.js"));
const AgentsView = lazy(() => import("../views/AgentsView.js"));

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

/** A sidebar link: its icon, its label, marked as the current page when `active`. */
function NavItem(props: {
  href: string;
  active: boolean;
  icon: string;
  label: string;
  children?: ReactNode;
}) {
  return (
    <a
      href={props.href}
      onClick={linkClick}
      className={`nav-item${props.active ? " active" : ""}`}
      aria-current={props.active ? "page" : undefined}
    >
      <span className="nav-icon" aria-hidden="true">
        {props.icon}
      </span>
      {props.label}
      {props.children}
    </a>
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

  // A first view other than the feed marks the first paint at once (the feed marks it itself).
  // biome-ignore lint/correctness/useExhaustiveDependencies: only the first view counts
  useEffect(() => {
    if (route.name !== "feed") markFirstPaint();
  }, []);

  // SOCIAL: the DM layer (its own chunk) publishes this account's prekey once signed in, after the
  // first view has painted (lib/first-paint.ts: it does not compete with the feed's first data).
  // It also keeps the Messages badge (unread messages plus requests) current.
  const session = useSession();
  const [dmUnread, setDmUnread] = useState(0);
  // biome-ignore lint/correctness/useExhaustiveDependencies: restart per account and stream only
  useEffect(() => {
    setDmUnread(0);
    if (!session.active.hasKey) return;
    let live = true;
    let off: (() => void) | undefined;
    const cancel = afterFirstPaint(() => {
      void import("../dm/service.js")
        .then((m) => {
          if (!live) return;
          const dm = m.dmServiceFor(session);
          dm.start().catch(() => undefined);
          off = dm.watchUnread(setDmUnread);
        })
        .catch(() => undefined);
    });
    return () => {
      live = false;
      cancel();
      off?.();
    };
  }, [session.active.address, session.active.hasKey, session.stream]);

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
          <NavItem
            href={feedPath(route.name === "feed" ? route.sort : "hot", undefined)}
            active={route.name === "feed" && !current}
            icon="⌂"
            label="All communities"
          />
          {/* CHAT */}
          <NavItem href="/chat" active={route.name === "chat"} icon="✦" label="Assistant" />
          {/* SOCIAL */}
          <NavItem href="/messages" active={route.name === "messages"} icon="✉" label="Messages">
            {dmUnread > 0 ? (
              <span className="nav-badge" data-testid="dm-unread-total">
                {dmUnread}
                <span className="sr-only"> unread</span>
              </span>
            ) : null}
          </NavItem>
          <NavItem href="/agents" active={route.name === "agents"} icon="◆" label="Agents" />
          {/* OPS */}
          <NavItem
            href="/communities"
            active={route.name === "communities" || route.name === "community"}
            icon="☷"
            label="Communities"
          />
          <NavItem href="/governance" active={route.name === "governance"} icon="⚖" label="Governance" />
          <NavItem href="/network" active={route.name === "network"} icon="◉" label="Network" />
          <NavItem href="/workers" active={route.name === "workers"} icon="⚙" label="Workers" />
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
    // CHAT
    case "chat":
      return <ChatView />;
    case "messages":
      return <MessagesView peer={route.peer} />;
    case "profile":
      return <ProfileView key={route.who} who={route.who} />;
    case "agents":
      return <AgentsView />;
    // OPS
    case "communities":
      return <CommunityPage slug={undefined} communities={communities} />;
    case "community":
      return <CommunityPage key={route.slug} slug={route.slug} communities={communities} />;
    case "governance":
      return <GovernanceView key={route.proposalId ?? "list"} proposalId={route.proposalId} />;
    case "network":
      return <NetworkView />;
    case "workers":
      return <WorkersView />;
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
