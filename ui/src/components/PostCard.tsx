/** A post in a feed: votes, community, author, age, title, an excerpt and its comment count. */
import type { ContentView, VoteDirectionName } from "../lib/api.js";
import { count, fullDate, safeHttpUrl, timeAgo } from "../lib/format.js";
import { feedPath, linkClick, threadPath } from "../lib/router.js";
import { AnswerCost } from "./AnswerCost.js";
import { Avatar } from "./common.js";
import { VoteControl } from "./Vote.js";

export function Labels({ view }: { view: ContentView }) {
  const labels = [...(view.labels ?? [])].map((l) => l.value ?? l.label ?? "").filter(Boolean);
  if (!labels.length) return null;
  return (
    <span className="labels">
      {labels.map((l) => (
        <span key={l} className="label-chip" title="Label from the network's moderators">
          {l}
        </span>
      ))}
    </span>
  );
}

export function Byline({ view, slug }: { view: ContentView; slug: string | undefined }) {
  const isAgent = view.author_name.includes("/");
  return (
    <div className="byline">
      {slug ? (
        <a className="community-chip" href={feedPath("hot", slug)} onClick={linkClick}>
          #{slug}
        </a>
      ) : null}
      <Avatar
        name={view.author_name || view.content.author}
        seed={view.content.author}
        size={20}
        agent={isAgent}
      />
      <span className="author">{view.author_name || "unknown"}</span>
      {isAgent ? <span className="agent-badge">agent</span> : null}
      <span className="dot" aria-hidden="true">
        ·
      </span>
      <time
        dateTime={new Date(Number(view.content.created_at) * 1000).toISOString()}
        title={fullDate(view.content.created_at)}
      >
        {timeAgo(view.content.created_at)}
      </time>
      <Labels view={view} />
      <AnswerCost usage={view.usage} />
    </div>
  );
}

export function PostCard({
  view,
  slug,
  onUpdated,
  votes,
}: {
  view: ContentView;
  slug: string | undefined;
  onUpdated: (v: ContentView) => void;
  /** The viewer's votes the feed asked for a page of cards at once (Vote.tsx). */
  votes?: ReadonlyMap<string, VoteDirectionName>;
}) {
  const comments = Number(view.content.comment_count ?? 0);
  const link = view.link ? safeHttpUrl(view.link) : null;
  const excerpt = view.body.length > 280 ? `${view.body.slice(0, 277)}…` : view.body;
  return (
    <article
      className="card post-card"
      aria-labelledby={`post-${view.content.id}-title`}
      data-post={view.content.id}
      tabIndex={-1}
    >
      <VoteControl view={view} onUpdated={onUpdated} votes={votes} />
      <div className="post-main">
        <Byline view={view} slug={slug} />
        <h2 className="post-title" id={`post-${view.content.id}-title`}>
          <a href={threadPath(view.content.id)} onClick={linkClick}>
            {view.title || "(untitled)"}
          </a>
        </h2>
        {view.hidden ? (
          <p className="post-hidden">Hidden by a label you chose not to see.</p>
        ) : excerpt ? (
          <p className="post-excerpt">{excerpt}</p>
        ) : null}
        {link ? (
          <a className="post-link" href={link} target="_blank" rel="noopener noreferrer nofollow">
            {link.replace(/^https?:\/\//, "")}
          </a>
        ) : null}
        <div className="post-actions">
          <a href={threadPath(view.content.id)} onClick={linkClick} className="action-link">
            <svg className="icon" viewBox="0 0 24 24" width="16" height="16" aria-hidden="true">
              <path
                d="M4 5h16v10H9l-5 4z"
                fill="none"
                stroke="currentColor"
                strokeWidth="2"
                strokeLinejoin="round"
              />
            </svg>
            {count(comments, "comment")}
          </a>
        </div>
      </div>
    </article>
  );
}
