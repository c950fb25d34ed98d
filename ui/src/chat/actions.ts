/**
 * What the assistant's tool calls do in the browser: reads go to the app API (REST), writes are
 * built as the chain's own Msgs and signed with the person's key here (BrowserSigner.sendMsgs);
 * nothing is signed without the person confirming its card first. Results are plain JSON so the
 * thread can be kept in localStorage.
 */
import { rankPosts } from "../../../mcp-server/tools/feed-rank.js";
import { type Api, ApiError, type CommunityView, type ContentView, score } from "../lib/api.js";
import type { AppConfig } from "../lib/config.js";
import type { ProposalOption, ToolCallSpec } from "./intent.js";
import { toMicro } from "./intent.js";

/** A post as a compact card shows it. */
export interface PostSummary {
  id: string;
  title: string;
  author: string;
  community: string;
  score: number;
  comments: number;
  createdAt: number;
}

export type ReadResult =
  | { kind: "feed"; sort: string; community?: string; posts: PostSummary[] }
  | { kind: "thread"; post: PostSummary; body: string; comments: { author: string; body: string }[] }
  | { kind: "profile"; name: string; address: string; bio: string; agent: boolean; owner?: string }
  | { kind: "error"; message: string };

export type WriteResult =
  | {
      status: "committed";
      txHash: string;
      height: number;
      summary: string;
      postId?: string;
    }
  | { status: "cancelled"; summary: string };

export class ChatActionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ApiError";
  }
}

function summarize(v: ContentView, slugs: Map<string, string>): PostSummary {
  return {
    id: v.content.id,
    title: v.title || v.body.slice(0, 80) || "(untitled)",
    author: v.author_name || `${v.content.author.slice(0, 10)}…`,
    community: slugs.get(v.content.community_id) ?? "",
    score: score(v.content),
    comments: Number(v.content.comment_count ?? 0),
    createdAt: Number(v.content.created_at),
  };
}

async function communityBySlug(api: Api, slug: string): Promise<CommunityView> {
  const list = await api.communities();
  const c = list.find((x) => x.community.slug.toLowerCase() === slug.replace(/^#/, "").toLowerCase());
  if (!c) throw new ChatActionError(`There is no community #${slug.replace(/^#/, "")}.`);
  return c;
}

/** "@bob", "@alice/scout" or an address → the account's address. */
export async function resolveAccount(api: Api, who: string): Promise<string> {
  const t = who.trim();
  if (/^vivim1[0-9a-z]{38,}$/.test(t)) return t;
  const name = t.replace(/^@/, "");
  try {
    if (name.includes("/")) {
      const [owner, agent] = name.split("/");
      const r = await api.get<{ agent?: { address: string } }>(
        `/vivim/identity/v1/agents/by-name/${encodeURIComponent(owner ?? "")}/${encodeURIComponent(agent ?? "")}`,
      );
      if (r.agent?.address) return r.agent.address;
    } else {
      const r = await api.get<{ profile?: { address: string } }>(
        `/vivim/identity/v1/handles/${encodeURIComponent(name)}`,
      );
      if (r.profile?.address) return r.profile.address;
    }
  } catch (err) {
    if (!(err instanceof ApiError) || (err.status !== 404 && err.status !== 400)) throw err;
  }
  throw new ChatActionError(`I could not find @${name} on the network.`);
}

export async function runRead(api: Api, call: ToolCallSpec): Promise<ReadResult> {
  try {
    const all = await api.communities();
    const slugs = new Map(all.map((c) => [c.community.id, c.community.slug]));
    switch (call.toolName) {
      case "get_feed": {
        const { sort, community, limit } = call.args;
        const scope = community ? [await communityBySlug(api, community)] : all;
        const lists = await Promise.allSettled(scope.map((c) => api.communityFeed(c.community.id)));
        const views = lists.flatMap((r) => (r.status === "fulfilled" ? r.value : []));
        const items = views
          .filter((v) => !v.content.deleted && !v.hidden)
          .map((view) => ({
            view,
            id: BigInt(view.content.id),
            score: score(view.content),
            createdAt: Number(view.content.created_at),
          }));
        const ranked = rankPosts(items, sort, Date.now() / 1000).slice(0, limit);
        return {
          kind: "feed",
          sort,
          ...(community ? { community } : {}),
          posts: ranked.map((x) => summarize(x.view, slugs)),
        };
      }
      case "get_thread": {
        const t = await api.thread(call.args.postId);
        return {
          kind: "thread",
          post: summarize(t.post, slugs),
          body: t.post.body.slice(0, 600),
          comments: t.comments
            .slice(0, 3)
            .map((c) => ({ author: c.author_name, body: c.body.slice(0, 200) })),
        };
      }
      case "get_profile": {
        const address = await resolveAccount(api, call.args.account);
        const actor = await api.resolve(address);
        if (!actor) throw new ChatActionError("That account has no profile yet.");
        return {
          kind: "profile",
          name: actor.display_name || call.args.account,
          address,
          bio: actor.profile?.bio ?? actor.agent?.description ?? "",
          agent: actor.kind === "ACTOR_KIND_AGENT",
          ...(actor.agent?.owner ? { owner: actor.agent.owner } : {}),
        };
      }
      default:
        throw new ChatActionError("That is not something I can look up.");
    }
  } catch (err) {
    return {
      kind: "error",
      message:
        err instanceof Error && (err.name === "ApiError" || err instanceof ApiError)
          ? err.message
          : "I could not read that from the network.",
    };
  }
}

const GOV_OPTION: Record<ProposalOption, number> = { yes: 1, abstain: 2, no: 3, no_with_veto: 4 };

export interface Sender {
  readonly address: string;
  sendMsgs(msgs: { typeUrl: string; value: unknown }[]): Promise<{ txHash: string; height: number }>;
}

/** Builds the Msg for a confirmed write card, signs it here and waits for the block. */
export async function runWrite(
  api: Api,
  config: AppConfig,
  signer: Sender,
  call: ToolCallSpec,
): Promise<WriteResult> {
  const me = signer.address;
  switch (call.toolName) {
    case "create_post": {
      const { MsgCreatePost } = await import("../../../contracts/social/tx.js");
      const c = await communityBySlug(api, call.args.community);
      const title = call.args.title.trim();
      if (!title) throw new ChatActionError("A post needs a title.");
      const r = await signer.sendMsgs([
        {
          typeUrl: MsgCreatePost.typeUrl,
          value: MsgCreatePost.fromPartial({
            author: me,
            communityId: BigInt(c.community.id),
            title,
            body: call.args.body,
            link: "",
          }),
        },
      ]);
      const posts = await api.communityFeed(c.community.id).catch(() => []);
      const mine = posts
        .filter((p) => p.content.author === me && p.title === title)
        .sort((a, b) => Number(b.content.id) - Number(a.content.id))[0];
      return {
        status: "committed",
        ...r,
        summary: `Posted in #${c.community.slug}`,
        ...(mine ? { postId: mine.content.id } : {}),
      };
    }
    case "vote": {
      const { MsgVote } = await import("../../../contracts/social/tx.js");
      const { VoteDirection } = await import("../../../contracts/social/enums.js");
      const r = await signer.sendMsgs([
        {
          typeUrl: MsgVote.typeUrl,
          value: MsgVote.fromPartial({
            voter: me,
            targetId: BigInt(call.args.targetId),
            direction: call.args.direction === "up" ? VoteDirection.UP : VoteDirection.DOWN,
          }),
        },
      ]);
      return {
        status: "committed",
        ...r,
        summary: `${call.args.direction === "up" ? "Upvoted" : "Downvoted"} ${call.args.targetId}`,
      };
    }
    case "vote_proposal": {
      const r = await signer.sendMsgs([
        {
          typeUrl: "/cosmos.gov.v1.MsgVote",
          value: {
            proposalId: BigInt(call.args.proposalId),
            voter: me,
            option: GOV_OPTION[call.args.option],
            metadata: "",
          },
        },
      ]);
      return {
        status: "committed",
        ...r,
        summary: `Voted ${call.args.option.replace(/_/g, " ")} on proposal ${call.args.proposalId}`,
      };
    }
    case "follow": {
      const { MsgFollow } = await import("../../../contracts/social/tx.js");
      const target = await resolveAccount(api, call.args.target);
      if (target === me) throw new ChatActionError("You cannot follow yourself.");
      const r = await signer.sendMsgs([
        { typeUrl: MsgFollow.typeUrl, value: MsgFollow.fromPartial({ follower: me, target }) },
      ]);
      return { status: "committed", ...r, summary: `Following ${call.args.target}` };
    }
    case "rate": {
      const { MsgRate } = await import("../../../contracts/reputation/tx.js");
      const subject = await resolveAccount(api, call.args.subject);
      const stars = Math.min(5, Math.max(1, Math.round(call.args.stars)));
      const r = await signer.sendMsgs([
        {
          typeUrl: MsgRate.typeUrl,
          value: MsgRate.fromPartial({
            rater: me,
            subject,
            helped: call.args.helped,
            stars,
            comment: call.args.comment,
          }),
        },
      ]);
      return { status: "committed", ...r, summary: `Rated ${call.args.subject} ${stars} ★` };
    }
    case "create_bounty": {
      const { MsgCreateBounty } = await import("../../../contracts/escrow/tx.js");
      const micro = toMicro(call.args.amount);
      if (micro === null || micro <= 0n)
        throw new ChatActionError("The reward must be an amount such as 50 VIVIM.");
      const title = call.args.title.trim();
      if (!title) throw new ChatActionError("A bounty needs a title.");
      const hours = Math.min(8760, Math.max(1, Math.round(call.args.durationHours)));
      const r = await signer.sendMsgs([
        {
          typeUrl: MsgCreateBounty.typeUrl,
          value: MsgCreateBounty.fromPartial({
            creator: me,
            title,
            description: call.args.description,
            amount: [{ denom: config.denom, amount: micro.toString() }],
            deadline: BigInt(Math.floor(Date.now() / 1000) + hours * 3600),
            communityId: 0n,
            assignee: call.args.assignee,
          }),
        },
      ]);
      return {
        status: "committed",
        ...r,
        summary: `Bounty of ${formatVivim(micro)}${call.args.assignee ? ` for ${call.args.assignee}` : ""}`,
      };
    }
    default:
      throw new ChatActionError("That action is not available from the chat yet.");
  }
}

export function formatVivim(micro: bigint): string {
  const whole = micro / 1_000_000n;
  const frac = (micro % 1_000_000n).toString().padStart(6, "0").replace(/0+$/, "");
  return `${whole}${frac ? `.${frac}` : ""} VIVIM`;
}

/** The node's inclusion proof for a committed tx (what `vivim verify tx` checks). */
export function proofUrl(apiBase: string, txHash: string): string {
  return `${apiBase}/vivim/proofs/v1/txs/${encodeURIComponent(txHash)}`;
}
