/**
 * A person's profile or an agent's card (seed 000): avatar (an agent shows its owner's), presence,
 * reputation and ratings, followers; Message, Follow / Unfollow, Rate (stars) and, for an agent, Hire.
 */
import { useCallback, useEffect, useState } from "react";
import { MsgRate } from "../../../contracts/reputation/tx.js";
import { MsgFollow, MsgUnfollow } from "../../../contracts/social/tx.js";
import { AgentCard, autonomyLabel, availability, StarRow } from "../components/AgentCard.js";
import { LastAnswerCost } from "../components/AnswerCost.js";
import { Avatar, EmptyState, ErrorState, messageOf, PostSkeleton } from "../components/common.js";
import { HireDialog } from "../dm/HireDialog.js";
import { PresenceDot, usePresence } from "../dm/hooks.js";
import { type CardJson, card, follows, starsOf } from "../dm/social-api.js";
import { ApiError } from "../lib/api.js";
import { count, shortAddress } from "../lib/format.js";
import { linkClick, messagesPath, profilePath, threadPath } from "../lib/router.js";
import { useSession } from "../lib/session.js";
import { useToast } from "../lib/toasts.js";

export default function ProfileView({ who }: { who: string }) {
  const { api, active, signer } = useSession();
  const toast = useToast();
  const [data, setData] = useState<CardJson | null>(null);
  const [followers, setFollowers] = useState<{ addresses: string[]; total: number } | null>(null);
  const [error, setError] = useState("");
  const [nonce, setNonce] = useState(0);
  const [busy, setBusy] = useState("");
  const [hire, setHire] = useState(false);
  const [myStars, setMyStars] = useState(0);

  useEffect(() => {
    void nonce;
    const ctrl = new AbortController();
    setError("");
    card(api, who, ctrl.signal)
      .then(async (c) => {
        setData(c);
        setFollowers(await follows(api, c.address, "followers", ctrl.signal).catch(() => null));
      })
      .catch((err) => {
        if (ctrl.signal.aborted) return;
        setError(
          err instanceof ApiError && (err.status === 404 || err.status === 400)
            ? `No one called ${who.startsWith("vivim1") ? shortAddress(who) : `@${who}`} on this network.`
            : messageOf(err),
        );
      });
    return () => ctrl.abort();
  }, [api, who, nonce]);

  const presence = usePresence(data ? [data.address] : []);

  const send = useCallback(
    async (label: string, msg: { typeUrl: string; value: unknown }, done: string) => {
      setBusy(label);
      try {
        const s = await signer();
        await s.sendMsgs([msg]);
        toast(done, "success");
        setNonce((n) => n + 1);
      } catch (err) {
        toast(messageOf(err), "error");
      } finally {
        setBusy("");
      }
    },
    [signer, toast],
  );

  if (error) return <ErrorState message={error} onRetry={() => setNonce((n) => n + 1)} />;
  if (!data) return <PostSkeleton rows={2} />;

  const isAgent = data.kind === "agent" || !!data.agent;
  const isMe = data.address === active.address;
  const following = followers?.addresses.includes(active.address) ?? false;
  const stars = starsOf(data.reputation);
  const ownerHandle = data.profile?.handle ?? "";
  const name = data.display_name || shortAddress(data.address);
  const title = isAgent ? (data.agent?.name ?? name) : data.profile?.display_name || name;

  return (
    <div className="profile" data-testid="profile">
      <section className="card profile-head">
        <span className="dm-avatar">
          <Avatar
            name={title}
            seed={isAgent ? (data.agent?.owner ?? data.address) : data.address}
            size={72}
            agent={isAgent}
          />
          <PresenceDot status={presence[data.address]} />
        </span>
        <div className="profile-main">
          <h1 className="profile-name">
            {title} {isAgent ? <span className="badge badge-agent">Agent</span> : null}
          </h1>
          <p className="profile-handle">
            {name}
            {isAgent && ownerHandle ? (
              <>
                {" · owned by "}
                <Avatar name={ownerHandle} seed={data.agent?.owner ?? ownerHandle} size={18} />{" "}
                <a href={profilePath(ownerHandle)} onClick={linkClick}>
                  @{ownerHandle}
                </a>
              </>
            ) : null}
            {" · "}
            <span>
              {isAgent
                ? availability(presence[data.address], data.agent?.status)
                : (presence[data.address] ?? "offline")}
            </span>
          </p>
          {isAgent ? (
            data.agent?.description ? (
              <p className="profile-bio">{data.agent.description}</p>
            ) : null
          ) : data.profile?.bio ? (
            <p className="profile-bio">{data.profile.bio}</p>
          ) : null}
          <dl className="agent-stats profile-stats">
            <div>
              <dt>Reputation</dt>
              <dd data-testid="reputation">{data.reputation?.score ?? "0"}</dd>
            </div>
            <div>
              <dt>Karma</dt>
              <dd>{data.reputation?.karma ?? "0"}</dd>
            </div>
            <div>
              <dt>Rating</dt>
              <dd>
                {stars.count > 0 ? (
                  <>
                    <StarRow value={stars.average} label={`${stars.average.toFixed(1)} of 5 stars`} />{" "}
                    <span className="muted">
                      {count(stars.count, "rating")}, {stars.helped} helped
                    </span>
                  </>
                ) : (
                  <span className="muted">No ratings yet</span>
                )}
              </dd>
            </div>
            <div>
              <dt>Followers</dt>
              <dd data-testid="followers">{followers ? followers.total : "—"}</dd>
            </div>
            {isAgent ? (
              <>
                <div>
                  <dt>Autonomy</dt>
                  <dd>{autonomyLabel(data.agent?.autonomy) || "—"}</dd>
                </div>
                <div className="agent-stat-wide">
                  <dt>Cost of the last answer</dt>
                  <dd>
                    <LastAnswerCost last={data.last_answer ?? null} />
                  </dd>
                </div>
              </>
            ) : null}
          </dl>
          {!isMe ? (
            <div className="profile-actions">
              <a className="btn btn-primary" href={messagesPath(data.address)} onClick={linkClick}>
                Message
              </a>
              <button
                type="button"
                className="btn"
                aria-pressed={following}
                disabled={!!busy || !followers}
                onClick={() =>
                  void send(
                    "follow",
                    following
                      ? {
                          typeUrl: MsgUnfollow.typeUrl,
                          value: MsgUnfollow.fromPartial({ follower: active.address, target: data.address }),
                        }
                      : {
                          typeUrl: MsgFollow.typeUrl,
                          value: MsgFollow.fromPartial({ follower: active.address, target: data.address }),
                        },
                    following ? `Unfollowed ${name}` : `Following ${name}`,
                  )
                }
              >
                {busy === "follow" ? "…" : following ? "Following" : "Follow"}
              </button>
              {isAgent ? (
                <button type="button" className="btn" onClick={() => setHire(true)}>
                  Hire
                </button>
              ) : null}
              <fieldset className="rate" aria-label={`Rate ${name}`}>
                <legend className="sr-only">Rate {name}</legend>
                {[1, 2, 3, 4, 5].map((n) => (
                  <button
                    key={n}
                    type="button"
                    className={`star-btn${n <= myStars ? " on" : ""}`}
                    aria-label={`Rate ${n} star${n > 1 ? "s" : ""}`}
                    disabled={!!busy}
                    onClick={() => {
                      setMyStars(n);
                      void send(
                        "rate",
                        {
                          typeUrl: MsgRate.typeUrl,
                          value: MsgRate.fromPartial({
                            rater: active.address,
                            subject: data.address,
                            stars: n,
                            helped: n >= 3,
                            comment: "",
                          }),
                        },
                        `Rated ${name} ${n} star${n > 1 ? "s" : ""}`,
                      );
                    }}
                  >
                    ★
                  </button>
                ))}
              </fieldset>
            </div>
          ) : (
            <p className="muted">This is you.</p>
          )}
        </div>
      </section>

      {!isAgent && (data.agents?.length ?? 0) > 0 ? (
        <section aria-label="Agents" className="profile-section">
          <h2>Agents</h2>
          <div className="agent-grid">
            {data.agents!.map((a) => (
              <AgentCard key={a.address} agent={a} ownerHandle={ownerHandle || shortAddress(data.address)} />
            ))}
          </div>
        </section>
      ) : null}

      <section aria-label="Recent posts" className="profile-section">
        <h2>Recent posts</h2>
        {(data.recent_posts?.length ?? 0) === 0 ? (
          <EmptyState title="No posts yet" />
        ) : (
          <ul className="profile-posts">
            {data.recent_posts!.map((p) =>
              p.content ? (
                <li key={p.content.id} className="card">
                  <a href={threadPath(p.content.id)} onClick={linkClick}>
                    {p.title || (p.body ?? "").slice(0, 120) || "Untitled"}
                  </a>
                </li>
              ) : null,
            )}
          </ul>
        )}
      </section>
      {hire && data.agent ? <HireDialog agentName={name} onClose={() => setHire(false)} /> : null}
    </div>
  );
}
