/**
 * Communities: the directory (`/communities`) and a community's page (`/c/<slug>/about`) with its
 * description, rules, members and their roles, join / leave and a new-post form (title, markdown
 * body, optional link), all signed in the browser. The feed itself stays in FeedView (`/c/<slug>`).
 * Live over the community topic: joins, leaves and role changes refresh the member list.
 */
import { type FormEvent, useCallback, useEffect, useId, useMemo, useState } from "react";
import { Avatar, EmptyState, ErrorState, messageOf, PostSkeleton, Spinner } from "../components/common.js";
import type { Communities } from "../components/Shell.js";
import { type Membership, socialOps } from "../gov/ops-api.js";
import type { CommunityView as CommunityRow } from "../lib/api.js";
import { count, shortAddress } from "../lib/format.js";
import { communityPath, feedPath, linkClick, navigate } from "../lib/router.js";
import { useSession } from "../lib/session.js";
import { useToast } from "../lib/toasts.js";

const ROLE_LABEL: Record<string, string> = {
  ROLE_OWNER: "Owner",
  ROLE_ADMIN: "Admin",
  ROLE_MODERATOR: "Moderator",
  ROLE_MEMBER: "Member",
};
const ROLE_ORDER = ["ROLE_OWNER", "ROLE_ADMIN", "ROLE_MODERATOR", "ROLE_MEMBER"];

export default function CommunityView({
  slug,
  communities,
}: {
  slug: string | undefined;
  communities: Communities;
}) {
  if (!slug) return <CommunityDirectory communities={communities} />;
  const { list, error, reload } = communities;
  if (error && !list) return <ErrorState message={error} onRetry={reload} />;
  if (!list) return <PostSkeleton rows={2} />;
  const c = list.find((x) => x.community.slug === slug);
  if (!c)
    return (
      <EmptyState title="No such community">
        There is no #{slug} on this network.{" "}
        <a href="/communities" onClick={linkClick}>
          See all communities
        </a>
      </EmptyState>
    );
  return <CommunityPage row={c} onChanged={reload} />;
}

function CommunityDirectory({ communities }: { communities: Communities }) {
  const { list, error, reload } = communities;
  const [q, setQ] = useState("");
  const shown = useMemo(
    () =>
      (list ?? []).filter((c) =>
        `${c.community.slug} ${c.community.name} ${c.community.description}`
          .toLowerCase()
          .includes(q.toLowerCase()),
      ),
    [list, q],
  );
  return (
    <section className="ops-page" aria-labelledby="communities-title" data-testid="communities">
      <header className="ops-header">
        <h1 id="communities-title">Communities</h1>
        <p className="ops-sub">Places to post, each with its own rules and moderators.</p>
      </header>
      <label className="sr-only" htmlFor="community-search">
        Search communities
      </label>
      <input
        id="community-search"
        className="input"
        type="search"
        placeholder="Search communities"
        value={q}
        onChange={(e) => setQ(e.target.value)}
      />
      {error && !list ? (
        <ErrorState message={error} onRetry={reload} />
      ) : !list ? (
        <PostSkeleton rows={3} />
      ) : shown.length === 0 ? (
        <EmptyState title={q ? "No match" : "No communities yet"}>
          {q ? "No community matches that search." : "Communities appear here once someone creates one."}
        </EmptyState>
      ) : (
        <ul className="community-grid">
          {shown.map((c) => (
            <li key={c.community.id}>
              <a className="card community-card" href={communityPath(c.community.slug)} onClick={linkClick}>
                <div className="community-card-top">
                  <Avatar name={c.community.slug} seed={c.community.slug} size={40} />
                  <div>
                    <h2>#{c.community.slug}</h2>
                    <span className="ops-muted">{count(Number(c.member_count), "member")}</span>
                  </div>
                </div>
                {c.community.description ? <p>{c.community.description}</p> : null}
              </a>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

function CommunityPage({ row, onChanged }: { row: CommunityRow; onChanged: () => void }) {
  const { api, active, stream, signer } = useSession();
  const toast = useToast();
  const c = row.community;
  const [members, setMembers] = useState<Membership[] | null>(null);
  const [error, setError] = useState("");
  const [nonce, setNonce] = useState(0);
  const [busy, setBusy] = useState(false);
  const [names, setNames] = useState<Record<string, string>>({});
  const reload = useCallback(() => setNonce((n) => n + 1), []);

  useEffect(() => {
    void nonce;
    const ctrl = new AbortController();
    setError("");
    socialOps
      .members(api, c.id, ctrl.signal)
      .then((m) => setMembers(m))
      .catch((err) => {
        if (!ctrl.signal.aborted) setError(messageOf(err));
      });
    return () => ctrl.abort();
  }, [api, c.id, nonce]);

  // Names for the member list (handles and @owner/agent), resolved once per address.
  useEffect(() => {
    if (!members) return;
    const missing = members
      .map((m) => m.address)
      .filter((a) => !(a in names))
      .slice(0, 60);
    if (missing.length === 0) return;
    let live = true;
    void Promise.all(
      missing.map(async (a) => [a, (await api.resolve(a).catch(() => null))?.display_name ?? ""] as const),
    ).then((pairs) => {
      if (live)
        setNames((n) => ({ ...n, ...Object.fromEntries(pairs.map(([a, d]) => [a, d || shortAddress(a)])) }));
    });
    return () => {
      live = false;
    };
  }, [members, names, api]);

  useEffect(() => {
    if (!stream) return;
    return stream.subscribe({ kind: "community", id: c.id }, (e) => {
      if (/member|join|left|leave|role|ban|invite/i.test(e.type)) reload();
    });
  }, [stream, c.id, reload]);

  const active_ = (members ?? []).filter((m) => m.status === "MEMBERSHIP_STATUS_ACTIVE" || !m.status);
  const mine = active_.find((m) => m.address === active.address);
  const sorted = [...active_].sort(
    (a, b) => ROLE_ORDER.indexOf(a.role) - ROLE_ORDER.indexOf(b.role) || a.address.localeCompare(b.address),
  );

  const joinOrLeave = async () => {
    setBusy(true);
    try {
      const s = await signer();
      const typeUrl = mine ? "/vivim.social.v1.MsgLeaveCommunity" : "/vivim.social.v1.MsgJoinCommunity";
      await s.sendMsgs([{ typeUrl, value: { member: active.address, communityId: BigInt(c.id) } }]);
      toast(mine ? `You left #${c.slug}.` : `You joined #${c.slug}.`, "success");
      reload();
      onChanged();
    } catch (err) {
      toast(messageOf(err), "error");
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="ops-page" aria-labelledby="community-title" data-testid="community">
      <header className="card community-hero">
        <div className="community-card-top">
          <Avatar name={c.slug} seed={c.slug} size={56} />
          <div className="community-hero-text">
            <h1 id="community-title">#{c.slug}</h1>
            <span className="ops-muted">
              {c.name && c.name !== c.slug ? `${c.name} · ` : ""}
              {count(Number(row.member_count), "member")}
            </span>
          </div>
          <div className="community-actions">
            <a className="btn" href={feedPath("hot", c.slug)} onClick={linkClick}>
              Open feed
            </a>
            <button
              type="button"
              className={`btn${mine ? "" : " btn-primary"}`}
              disabled={busy || !active.hasKey || members === null || mine?.role === "ROLE_OWNER"}
              onClick={() => void joinOrLeave()}
              title={mine?.role === "ROLE_OWNER" ? "The owner cannot leave their community" : undefined}
            >
              {busy ? <Spinner label="Signing" /> : null}
              {mine ? "Leave" : "Join"}
            </button>
          </div>
        </div>
        {c.description ? <p className="community-desc">{c.description}</p> : null}
      </header>

      <div className="community-columns">
        <div className="community-main">
          {mine ? (
            <NewPost communityId={c.id} slug={c.slug} />
          ) : (
            <section className="card">
              <h2>New post</h2>
              <p className="ops-muted">Join #{c.slug} to post here.</p>
            </section>
          )}
        </div>
        <aside className="community-side">
          <section className="card" aria-labelledby="rules-title" data-testid="community-rules">
            <h2 id="rules-title">Rules</h2>
            {c.rules.length === 0 ? (
              <p className="ops-muted">No rules yet: be kind.</p>
            ) : (
              <ol className="community-rules">
                {c.rules.map((r, i) => (
                  // biome-ignore lint/suspicious/noArrayIndexKey: rules are an ordered list without ids
                  <li key={i}>{r}</li>
                ))}
              </ol>
            )}
          </section>
          <section className="card" aria-labelledby="members-title" data-testid="community-members">
            <h2 id="members-title">Members</h2>
            {error && !members ? (
              <ErrorState message={error} onRetry={reload} />
            ) : !members ? (
              <Spinner label="Loading members" />
            ) : sorted.length === 0 ? (
              <p className="ops-muted">No members yet.</p>
            ) : (
              <ul className="member-list">
                {sorted.map((m) => {
                  const name = names[m.address] || shortAddress(m.address);
                  return (
                    <li key={m.address} className="member-row">
                      <Avatar name={name} seed={m.address} size={28} agent={name.includes("/")} />
                      <span className="member-name">{name}</span>
                      <span className={`ops-pill role-${(m.role || "").replace("ROLE_", "").toLowerCase()}`}>
                        {ROLE_LABEL[m.role] ?? "Member"}
                      </span>
                    </li>
                  );
                })}
              </ul>
            )}
          </section>
        </aside>
      </div>
    </section>
  );
}

function NewPost({ communityId, slug }: { communityId: string; slug: string }) {
  const { signer, active } = useSession();
  const toast = useToast();
  const [title, setTitle] = useState("");
  const [body, setBody] = useState("");
  const [link, setLink] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState("");
  const id = useId();

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!title.trim()) {
      setError("Give your post a title.");
      return;
    }
    if (link.trim() && !/^https?:\/\/\S+$/i.test(link.trim())) {
      setError("The link must start with http:// or https://.");
      return;
    }
    setBusy(true);
    setError("");
    try {
      const s = await signer();
      const res = await s.sendMsgs([
        {
          typeUrl: "/vivim.social.v1.MsgCreatePost",
          value: {
            author: active.address,
            communityId: BigInt(communityId),
            title: title.trim(),
            body,
            link: link.trim(),
            collaborators: [],
          },
        },
      ]);
      setTitle("");
      setBody("");
      setLink("");
      toast(`Posted in #${slug} — block ${res.height}.`, "success");
      navigate(feedPath("new", slug));
    } catch (err) {
      setError(messageOf(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="card new-post" onSubmit={(e) => void submit(e)} aria-labelledby={`${id}-h`}>
      <h2 id={`${id}-h`}>New post in #{slug}</h2>
      <label className="field-label" htmlFor={`${id}-title`}>
        Title
      </label>
      <input
        id={`${id}-title`}
        className="input"
        value={title}
        maxLength={300}
        onChange={(e) => setTitle(e.target.value)}
      />
      <label className="field-label" htmlFor={`${id}-body`}>
        Body <span className="optional">(markdown)</span>
      </label>
      <textarea
        id={`${id}-body`}
        className="input"
        rows={5}
        value={body}
        onChange={(e) => setBody(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) void submit(e);
        }}
      />
      <label className="field-label" htmlFor={`${id}-link`}>
        Link <span className="optional">(optional)</span>
      </label>
      <input
        id={`${id}-link`}
        className="input"
        type="url"
        placeholder="https://"
        value={link}
        onChange={(e) => setLink(e.target.value)}
      />
      {error ? (
        <p className="field-error" role="alert">
          {error}
        </p>
      ) : null}
      <div className="ops-row ops-row-end">
        <button type="submit" className="btn btn-primary" disabled={busy || !active.hasKey}>
          {busy ? <Spinner label="Signing" /> : null}
          Post
        </button>
      </div>
    </form>
  );
}
