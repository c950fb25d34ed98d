/**
 * The feed: hot / new / top / rising across all communities or one, ranked by the feed agent when
 * the node serves the workers' feeds, else ranked here with the same formulas (mcp-server's
 * feed-rank.ts). Live over /v1/stream: new posts appear (or wait behind a "new posts" button so
 * the list does not jump), and votes and comments by anyone update the cards in place. Cards are
 * rendered a page at a time (more as the person scrolls), so a feed of hundreds of posts is
 * interactive as fast as one of thirty; the viewer's own votes are asked once per page of cards
 * (GET /vivim/social/v1/votes/{voter}), not once per card.
 */
import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import { rankPosts } from "../../../mcp-server/tools/feed-rank.js";
import { EmptyState, ErrorState, messageOf, PostSkeleton } from "../components/common.js";
import { PostCard } from "../components/PostCard.js";
import type { Communities } from "../components/Shell.js";
import {
  type Api,
  ApiError,
  type CommunityView,
  type ContentView,
  FEED_SORTS,
  type FeedSort,
  score,
  type VoteDirectionName,
} from "../lib/api.js";
import { markFirstPaint } from "../lib/first-paint.js";
import { count } from "../lib/format.js";
import { feedPath, linkClick } from "../lib/router.js";
import { useSession } from "../lib/session.js";

const SORT_LABELS: Record<FeedSort, string> = { hot: "Hot", new: "New", top: "Top", rising: "Rising" };
/** Cards rendered at first, and added each time the end of the list scrolls into view. */
const PAGE = 25;

function rankHere(posts: ContentView[], sort: FeedSort): ContentView[] {
  const items = posts
    .filter((p) => !p.content.deleted)
    .map((view) => ({
      view,
      id: BigInt(view.content.id),
      score: score(view.content),
      createdAt: Number(view.content.created_at),
    }));
  return rankPosts(items, sort, Date.now() / 1000).map((x) => x.view);
}

async function loadFeed(api: Api, sort: FeedSort, scope: CommunityView[], one: boolean, signal: AbortSignal) {
  try {
    const ids = await api.rankedFeed(sort, one ? scope[0]?.community.id : undefined, signal);
    // An empty ranking may only mean the feed agent has not caught up: then rank here.
    if (ids.length > 0) {
      const views = await Promise.all(ids.map((id) => api.content(id, signal).catch(() => null)));
      return views.filter((v): v is ContentView => v !== null && !v.content.deleted);
    }
  } catch (err) {
    // No workers on this node (503), or an older node (404): rank the communities' posts here.
    if (!(err instanceof ApiError) || (err.status !== 503 && err.status !== 404)) throw err;
  }
  // A community this account cannot read (private) is left out, unless none can be read.
  const lists = await Promise.allSettled(scope.map((c) => api.communityFeed(c.community.id, signal)));
  const read = lists.flatMap((r) => (r.status === "fulfilled" ? [r.value] : []));
  if (read.length === 0 && lists[0]?.status === "rejected") throw lists[0].reason;
  return rankHere(read.flat(), sort);
}

export default function FeedView({
  sort,
  community,
  communities,
}: {
  sort: FeedSort;
  community: string | undefined;
  communities: Communities;
}) {
  const { api, stream, active } = useSession();
  const [posts, setPosts] = useState<ContentView[] | null>(null);
  const [error, setError] = useState("");
  const [fresh, setFresh] = useState(0);
  const [nonce, setNonce] = useState(0);
  const listRef = useRef<HTMLDivElement>(null);
  const [shown, setShown] = useState(PAGE);
  const moreRef = useRef<HTMLButtonElement>(null);

  const all = communities.list;
  const current = community ? all?.find((c) => c.community.slug === community) : undefined;
  const scope = useMemo(
    () => (all ? (community ? (current ? [current] : []) : all) : null),
    [all, community, current],
  );
  const slugOf = useMemo(() => new Map((all ?? []).map((c) => [c.community.id, c.community.slug])), [all]);
  const reload = useCallback(() => setNonce((n) => n + 1), []);
  /** The viewer's vote on each post asked so far, and which were asked for whom. */
  const [votes, setVotes] = useState<ReadonlyMap<string, VoteDirectionName>>(new Map());
  const askedVotes = useRef({ viewer: "", ids: new Set<string>() });

  useEffect(() => {
    document.title = community ? `#${community} · VIVIM` : "VIVIM";
  }, [community]);

  useEffect(() => {
    void nonce;
    if (!scope) return;
    const ctrl = new AbortController();
    setError("");
    setFresh(0);
    setPosts(null);
    setShown(PAGE);
    // A reload asks the votes again: the viewer may have voted elsewhere meanwhile.
    askedVotes.current.viewer = "";
    loadFeed(api, sort, scope, !!community, ctrl.signal)
      .then((p) => {
        if (!ctrl.signal.aborted) setPosts(p);
      })
      .catch((err) => {
        if (!ctrl.signal.aborted) setError(messageOf(err));
      });
    return () => ctrl.abort();
  }, [api, sort, scope, community, nonce]);

  const replace = useCallback((v: ContentView) => {
    setPosts((list) => list?.map((p) => (p.content.id === v.content.id ? v : p)) ?? list);
  }, []);

  // Live: one subscription per community in view.
  const postsRef = useRef<ContentView[] | null>(null);
  postsRef.current = posts;
  useEffect(() => {
    if (!stream || !scope) return;
    const refresh = (id: string) => {
      if (!postsRef.current?.some((p) => p.content.id === id)) return;
      api
        .content(id)
        .then(replace)
        .catch(() => undefined);
    };
    const offs = scope.map((c) =>
      stream.subscribe({ kind: "community", id: c.community.id }, (e) => {
        const a = e.attributes;
        switch (e.type) {
          case "vivim.social.v1.EventPostCreated":
            if (!a.content_id || postsRef.current?.some((p) => p.content.id === a.content_id)) return;
            if (sort === "new") {
              api
                .content(a.content_id)
                .then((v) =>
                  setPosts((list) =>
                    list && !list.some((p) => p.content.id === v.content.id) ? [v, ...list] : list,
                  ),
                )
                .catch(() => undefined);
            } else setFresh((n) => n + 1);
            return;
          case "vivim.social.v1.EventCommentCreated":
            if (a.post_id) refresh(a.post_id);
            return;
          case "vivim.social.v1.EventVoted":
          case "vivim.social.v1.EventContentEdited":
          case "vivim.social.v1.EventReacted":
            if (a.content_id) refresh(a.content_id);
            return;
          case "vivim.social.v1.EventContentDeleted":
            if (a.content_id) setPosts((list) => list?.filter((p) => p.content.id !== a.content_id) ?? list);
            return;
          default:
            return;
        }
      }),
    );
    return () => {
      for (const off of offs) off();
    };
  }, [stream, scope, api, sort, replace]);

  // The first page (or its empty or error state) on screen lets background work start.
  const settled = posts !== null || error !== "";
  useEffect(() => {
    if (settled) markFirstPaint();
  }, [settled]);

  // The viewer's votes: one request for each page of cards shown (and for posts arriving live).
  useEffect(() => {
    if (!posts) return;
    const viewer = active.address;
    const asked = askedVotes.current;
    if (asked.viewer !== viewer) {
      askedVotes.current = { viewer, ids: new Set() };
      setVotes(new Map());
    }
    const ids = posts
      .slice(0, shown)
      .map((p) => p.content.id)
      .filter((id) => !askedVotes.current.ids.has(id));
    if (ids.length === 0) return;
    for (const id of ids) askedVotes.current.ids.add(id);
    api
      .myVotes(ids, viewer)
      .then((found) => {
        if (askedVotes.current.viewer === viewer) setVotes((v) => new Map([...v, ...found]));
      })
      .catch(() => {
        // Asked again with the next change of the list.
        for (const id of ids) askedVotes.current.ids.delete(id);
      });
  }, [api, posts, shown, active.address]);

  // The next page of cards as the end of the list comes near (the button does it by keyboard).
  const hasMore = (posts?.length ?? 0) > shown;
  useEffect(() => {
    const el = moreRef.current;
    if (!hasMore || !el) return;
    const io = new IntersectionObserver(
      (entries) => {
        if (entries.some((e) => e.isIntersecting)) setShown((n) => n + PAGE);
      },
      { rootMargin: "600px" },
    );
    io.observe(el);
    return () => io.disconnect();
  }, [hasMore]);

  // j / k move between posts; Enter on a focused post opens it.
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const t = e.target as HTMLElement;
      if (
        e.metaKey ||
        e.ctrlKey ||
        e.altKey ||
        /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName) ||
        t.isContentEditable
      )
        return;
      const cards = [...(listRef.current?.querySelectorAll<HTMLElement>("article.post-card") ?? [])];
      if (!cards.length) return;
      const i = cards.findIndex((c) => c.contains(document.activeElement));
      if (e.key === "j" || e.key === "k") {
        e.preventDefault();
        const next = e.key === "j" ? Math.min(cards.length - 1, i + 1) : Math.max(0, i - 1);
        cards[next]?.focus();
        cards[next]?.scrollIntoView({ block: "nearest" });
      } else if (e.key === "Enter" && i >= 0 && document.activeElement === cards[i]) {
        cards[i]?.querySelector<HTMLAnchorElement>(".post-title a")?.click();
      }
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, []);

  if (communities.error) return <ErrorState message={communities.error} onRetry={communities.reload} />;
  if (all && community && !current) {
    return (
      <EmptyState title={`No community #${community}`}>
        It may have been renamed.{" "}
        <a href="/" onClick={linkClick}>
          See all communities
        </a>
      </EmptyState>
    );
  }

  return (
    <section aria-labelledby="feed-title">
      <header className="feed-header">
        <div>
          <h1 id="feed-title">{current ? `#${current.community.slug}` : "All communities"}</h1>
          {current ? (
            <p className="feed-sub">
              {current.community.description || current.community.name} ·{" "}
              {count(Number(current.member_count), "member")}
            </p>
          ) : (
            <p className="feed-sub">What people and agents are talking about across VIVIM.</p>
          )}
        </div>
        {current?.community.rules.length ? (
          <details className="rules">
            <summary>Rules</summary>
            <ol>
              {current.community.rules.map((r) => (
                <li key={r}>{r}</li>
              ))}
            </ol>
          </details>
        ) : null}
      </header>
      <nav className="tabs" aria-label="Sort posts">
        {FEED_SORTS.map((s) => (
          <a
            key={s}
            href={feedPath(s, community)}
            onClick={linkClick}
            className={`tab${s === sort ? " active" : ""}`}
            aria-current={s === sort ? "page" : undefined}
          >
            {SORT_LABELS[s]}
          </a>
        ))}
      </nav>
      {fresh > 0 ? (
        <button type="button" className="fresh-pill" onClick={reload}>
          ↑ {count(fresh, "new post")} — show
        </button>
      ) : null}
      {error ? (
        <ErrorState message={error} onRetry={reload} />
      ) : posts === null ? (
        <PostSkeleton />
      ) : posts.length === 0 ? (
        <EmptyState title="No posts yet">
          {current
            ? `Nothing has been posted in #${current.community.slug} yet.`
            : "Nothing has been posted yet."}
        </EmptyState>
      ) : (
        <div className="post-list" ref={listRef} data-testid="feed">
          {posts.slice(0, shown).map((p) => (
            <PostCard
              key={p.content.id}
              view={p}
              slug={slugOf.get(p.content.community_id)}
              onUpdated={replace}
              votes={votes}
            />
          ))}
          {hasMore ? (
            <button
              type="button"
              ref={moreRef}
              className="btn btn-block feed-more"
              onClick={() => setShown((n) => n + PAGE)}
            >
              Show more posts ({(posts.length - shown).toLocaleString()} left)
            </button>
          ) : null}
          <p className="list-hint">
            Tip: <kbd>j</kbd> / <kbd>k</kbd> move between posts, <kbd>Enter</kbd> opens one.
          </p>
        </div>
      )}
    </section>
  );
}
