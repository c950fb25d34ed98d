/** A post with its nested comments, votes on each, and comment/reply boxes; live over the thread topic. */
import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import { Composer } from "../components/Composer.js";
import { EmptyState, ErrorState, messageOf, PostSkeleton } from "../components/common.js";
import { Byline } from "../components/PostCard.js";
import type { Communities } from "../components/Shell.js";
import { VoteControl } from "../components/Vote.js";
import { ApiError, type ContentView, score } from "../lib/api.js";
import { count, safeHttpUrl } from "../lib/format.js";
import { feedPath, linkClick } from "../lib/router.js";
import { useSession } from "../lib/session.js";

function Body({ text }: { text: string }) {
  const paragraphs = text.split(/\n{2,}/).filter((p) => p.trim());
  return (
    <div className="body-text">
      {paragraphs.map((p, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: paragraphs of one immutable text
        <p key={i}>{p}</p>
      ))}
    </div>
  );
}

interface Tree {
  readonly byParent: Map<string, ContentView[]>;
}

function buildTree(comments: ContentView[]): Tree {
  const byParent = new Map<string, ContentView[]>();
  for (const c of comments) {
    const list = byParent.get(c.content.parent_id) ?? [];
    list.push(c);
    byParent.set(c.content.parent_id, list);
  }
  for (const list of byParent.values()) {
    list.sort(
      (a, b) =>
        score(b.content) - score(a.content) ||
        Number(a.content.created_at) - Number(b.content.created_at) ||
        Number(a.content.id) - Number(b.content.id),
    );
  }
  return { byParent };
}

function Comment({
  view,
  tree,
  onUpdated,
  onPosted,
}: {
  view: ContentView;
  tree: Tree;
  onUpdated: (v: ContentView) => void;
  onPosted: () => void;
}) {
  const [replying, setReplying] = useState(false);
  const [collapsed, setCollapsed] = useState(false);
  const children = tree.byParent.get(view.content.id) ?? [];
  return (
    <li className="comment" data-comment={view.content.id}>
      <div className="comment-row">
        <VoteControl view={view} onUpdated={onUpdated} compact />
        <div className="comment-main">
          <Byline view={view} slug={undefined} />
          {view.content.deleted ? (
            <p className="comment-deleted">This comment was deleted.</p>
          ) : view.hidden ? (
            <p className="post-hidden">Hidden by a label you chose not to see.</p>
          ) : (
            <Body text={view.body} />
          )}
          <div className="comment-actions">
            <button
              type="button"
              className="link-button"
              onClick={() => setReplying((r) => !r)}
              aria-expanded={replying}
            >
              Reply
            </button>
            {children.length ? (
              <button
                type="button"
                className="link-button"
                onClick={() => setCollapsed((c) => !c)}
                aria-expanded={!collapsed}
              >
                {collapsed ? `Show ${count(children.length, "reply", "replies")}` : "Hide replies"}
              </button>
            ) : null}
          </div>
          {replying ? (
            <Composer
              parentId={view.content.id}
              label={`Reply to ${view.author_name}`}
              placeholder={`Reply to ${view.author_name}`}
              autoFocus
              onPosted={() => {
                setReplying(false);
                onPosted();
              }}
              onCancel={() => setReplying(false)}
            />
          ) : null}
        </div>
      </div>
      {children.length && !collapsed ? (
        <ul className="comment-children">
          {children.map((c) => (
            <Comment key={c.content.id} view={c} tree={tree} onUpdated={onUpdated} onPosted={onPosted} />
          ))}
        </ul>
      ) : null}
    </li>
  );
}

export default function ThreadView({ postId, communities }: { postId: string; communities: Communities }) {
  const { api, stream } = useSession();
  const [data, setData] = useState<{ post: ContentView; comments: ContentView[] } | null>(null);
  const [error, setError] = useState<{ message: string; missing: boolean } | null>(null);
  const [nonce, setNonce] = useState(0);
  const reload = useCallback(() => setNonce((n) => n + 1), []);
  const first = useRef(true);

  useEffect(() => {
    void nonce;
    const ctrl = new AbortController();
    api
      .thread(postId, ctrl.signal)
      .then((d) => {
        if (ctrl.signal.aborted) return;
        setData(d);
        setError(null);
        if (first.current) {
          first.current = false;
          document.title = `${d.post.title || "Post"} · VIVIM`;
        }
      })
      .catch((err) => {
        if (ctrl.signal.aborted) return;
        setError({ message: messageOf(err), missing: err instanceof ApiError && err.status === 404 });
      });
    return () => ctrl.abort();
  }, [api, postId, nonce]);

  useEffect(
    () => () => {
      document.title = "VIVIM";
    },
    [],
  );

  // Live: anything in this thread (comments, votes, edits) refreshes it, at most every 200 ms.
  useEffect(() => {
    if (!stream) return;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const off = stream.subscribe({ kind: "thread", post: postId }, () => {
      clearTimeout(timer);
      timer = setTimeout(reload, 200);
    });
    return () => {
      clearTimeout(timer);
      off();
    };
  }, [stream, postId, reload]);

  const tree = useMemo(() => buildTree(data?.comments ?? []), [data]);
  const onUpdated = useCallback((v: ContentView) => {
    setData((d) => {
      if (!d) return d;
      if (d.post.content.id === v.content.id) return { ...d, post: v };
      return { ...d, comments: d.comments.map((c) => (c.content.id === v.content.id ? v : c)) };
    });
  }, []);

  if (error?.missing) {
    return (
      <EmptyState title="This post does not exist">
        It may never have been posted.{" "}
        <a href="/" onClick={linkClick}>
          Back to the feed
        </a>
      </EmptyState>
    );
  }
  if (error && !data) return <ErrorState message={error.message} onRetry={reload} />;
  if (!data) return <PostSkeleton rows={2} />;

  const { post } = data;
  const slug = communities.list?.find((c) => c.community.id === post.content.community_id)?.community.slug;
  const top = tree.byParent.get(post.content.id) ?? [];
  const link = post.link ? safeHttpUrl(post.link) : null;
  return (
    <article className="thread" aria-labelledby="thread-title">
      <nav className="crumbs" aria-label="Breadcrumb">
        <a href={feedPath("hot", slug)} onClick={linkClick}>
          ← {slug ? `#${slug}` : "Feed"}
        </a>
      </nav>
      <div className="card thread-post">
        <VoteControl view={post} onUpdated={onUpdated} />
        <div className="post-main">
          <Byline view={post} slug={slug} />
          <h1 className="thread-title" id="thread-title">
            {post.title || "(untitled)"}
          </h1>
          {post.hidden ? (
            <p className="post-hidden">Hidden by a label you chose not to see.</p>
          ) : (
            <Body text={post.body} />
          )}
          {link ? (
            <a className="post-link" href={link} target="_blank" rel="noopener noreferrer nofollow">
              {link}
            </a>
          ) : null}
        </div>
      </div>
      <section className="card comments" aria-labelledby="comments-title">
        <h2 id="comments-title">{count(Number(post.content.comment_count), "comment")}</h2>
        <Composer parentId={post.content.id} label="Add a comment" onPosted={reload} />
        {top.length === 0 ? (
          <p className="comments-empty">No comments yet. Start the conversation.</p>
        ) : (
          <ul className="comment-list" data-testid="comments">
            {top.map((c) => (
              <Comment key={c.content.id} view={c} tree={tree} onUpdated={onUpdated} onPosted={reload} />
            ))}
          </ul>
        )}
      </section>
    </article>
  );
}
