/**
 * Up/down voting on a post or comment: shows the account's own vote, signs MsgVote in the browser,
 * shows the expected score while the tx commits, then the committed one.
 */
import { useEffect, useState } from "react";
import { type ContentView, score, type VoteDirectionName } from "../lib/api.js";
import { useSession } from "../lib/session.js";
import { useToast } from "../lib/toasts.js";
import { messageOf } from "./common.js";

const weight = (d: VoteDirectionName) =>
  d === "VOTE_DIRECTION_UP" ? 1 : d === "VOTE_DIRECTION_DOWN" ? -1 : 0;

export function VoteControl({
  view,
  onUpdated,
  compact = false,
  votes,
}: {
  view: ContentView;
  onUpdated: (v: ContentView) => void;
  compact?: boolean;
  /** The viewer's votes as the feed asked them for a page of cards at once; without it, asked here. */
  votes?: ReadonlyMap<string, VoteDirectionName>;
}) {
  const { api, active, signer } = useSession();
  const toast = useToast();
  const id = view.content.id;
  const [mine, setMine] = useState<VoteDirectionName>("VOTE_DIRECTION_NONE");
  const [pending, setPending] = useState<{ direction: VoteDirectionName; score: number } | null>(null);
  const batched = votes !== undefined;
  const asked = votes?.get(id);

  useEffect(() => {
    setMine(asked ?? "VOTE_DIRECTION_NONE");
    if (batched) return;
    const ctrl = new AbortController();
    api
      .myVote(id, active.address, ctrl.signal)
      .then(setMine)
      .catch(() => undefined);
    return () => ctrl.abort();
  }, [api, id, active.address, batched, asked]);

  async function vote(dir: "up" | "down") {
    if (pending) return;
    const asked: VoteDirectionName = dir === "up" ? "VOTE_DIRECTION_UP" : "VOTE_DIRECTION_DOWN";
    const next: VoteDirectionName = mine === asked ? "VOTE_DIRECTION_NONE" : asked;
    const before = mine;
    setPending({ direction: next, score: score(view.content) - weight(mine) + weight(next) });
    try {
      const s = await signer();
      const { height } = await s.vote(id, dir);
      const [fresh, dirNow] = await Promise.all([api.content(id), api.myVote(id, active.address)]);
      setMine(dirNow);
      onUpdated(fresh);
      toast(
        next === "VOTE_DIRECTION_NONE"
          ? `Vote removed (block ${height})`
          : `Vote recorded in block ${height}`,
        "success",
      );
    } catch (err) {
      setMine(before);
      toast(messageOf(err), "error");
    } finally {
      setPending(null);
    }
  }

  const shown = pending ? pending.score : score(view.content);
  const dir = pending ? pending.direction : mine;
  const what = view.content.kind === "CONTENT_KIND_COMMENT" ? "comment" : "post";
  return (
    <div className={`vote${compact ? " vote-compact" : ""}${pending ? " is-pending" : ""}`}>
      <button
        type="button"
        className={`vote-btn up${dir === "VOTE_DIRECTION_UP" ? " on" : ""}`}
        aria-pressed={dir === "VOTE_DIRECTION_UP"}
        aria-label={`Upvote ${what}`}
        disabled={!!pending}
        onClick={() => void vote("up")}
      >
        ▲
      </button>
      <span className="vote-score" data-testid={`score-${id}`} aria-live="polite">
        {shown}
      </span>
      <button
        type="button"
        className={`vote-btn down${dir === "VOTE_DIRECTION_DOWN" ? " on" : ""}`}
        aria-pressed={dir === "VOTE_DIRECTION_DOWN"}
        aria-label={`Downvote ${what}`}
        disabled={!!pending}
        onClick={() => void vote("down")}
      >
        ▼
      </button>
    </div>
  );
}
