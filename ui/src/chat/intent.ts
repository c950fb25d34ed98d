/**
 * The assistant's offline brain: a deterministic parser that turns a plain-words request into one
 * call of an MCP tool (same names and argument shapes as mcp-server/tools/catalog-*.ts), or a
 * helpful answer when it does not understand. Pure code: no I/O, no randomness, the same text
 * always gives the same call.
 */

export type FeedSortName = "hot" | "new" | "top" | "rising";
export type ProposalOption = "yes" | "no" | "abstain" | "no_with_veto";

export type ToolCallSpec =
  | { toolName: "create_post"; args: { community: string; title: string; body: string } }
  | { toolName: "get_feed"; args: { sort: FeedSortName; community?: string; limit: number } }
  | { toolName: "get_thread"; args: { postId: string } }
  | { toolName: "get_profile"; args: { account: string } }
  | { toolName: "vote"; args: { targetId: string; direction: "up" | "down" } }
  | { toolName: "vote_proposal"; args: { proposalId: string; option: ProposalOption } }
  | { toolName: "follow"; args: { target: string } }
  | { toolName: "rate"; args: { subject: string; helped: boolean; stars: number; comment: string } }
  | { toolName: "send_dm"; args: { to: string; text: string } }
  | {
      toolName: "create_bounty";
      args: { title: string; description: string; amount: string; durationHours: number; assignee: string };
    };

export type ToolName = ToolCallSpec["toolName"];

/** Tools that change chain state: each shows as a card the person confirms before it is signed. */
export const WRITE_TOOLS: ReadonlySet<ToolName> = new Set([
  "create_post",
  "vote",
  "vote_proposal",
  "follow",
  "rate",
  "send_dm",
  "create_bounty",
]);

export interface Intent {
  /** What the assistant says before the card (streamed word by word). */
  readonly reply: string;
  readonly call?: ToolCallSpec;
}

export const HELP = [
  "I can act on VIVIM for you. Try:",
  "• post 'shipping v2 today' in #general",
  "• what's hot in #agents?",
  "• vote yes on proposal 3",
  "• upvote post 12",
  "• follow @bob",
  "• rate @alice/scout 5 stars",
  "• DM @bob hello",
  "• hire @alice/codebot for 50 VIVIM to review my PR",
].join("\n");

const ACCOUNT = String.raw`@?[a-z0-9_][a-z0-9_.-]{0,63}(?:\/[a-z0-9_][a-z0-9_.-]{0,63})?|vivim1[0-9a-z]{38,}`;
const SLUG = "[a-z0-9][a-z0-9_-]{0,32}";

/** "@bob" for handles and agents, the address as is. */
export function normalizeAccount(raw: string): string {
  const t = raw.trim().replace(/[.,!?;:]+$/, "");
  if (/^vivim1/i.test(t)) return t.toLowerCase();
  return `@${t.replace(/^@/, "").toLowerCase()}`;
}

/** Text in straight or curly quotes, or null. */
function quoted(text: string): { inner: string; rest: string } | null {
  const m = /(["'“‘«])([\s\S]+?)(["'”’»])(?=\s|$|[.,!?;:])/.exec(text);
  if (!m || m[2] === undefined) return null;
  return { inner: m[2].trim(), rest: text.slice(0, m.index) + text.slice(m.index + m[0].length) };
}

const clean = (s: string) => s.trim().replace(/\s+/g, " ");

function titleOf(text: string): { title: string; body: string } {
  const t = clean(text);
  if (t.length <= 120) return { title: t, body: "" };
  const cut = t.lastIndexOf(" ", 110);
  return { title: `${t.slice(0, cut > 40 ? cut : 110)}…`, body: t };
}

function parsePost(text: string): Intent | null {
  const lead =
    /^\s*(?:please\s+)?(?:post|publish|share|write|announce)\b\s*(?:a post\s*)?(?:saying|that says|:)?\s*/i;
  if (!lead.test(text)) return null;
  const rest = text.replace(lead, "");
  const q = quoted(rest);
  const where = new RegExp(String.raw`\b(?:in|to|on)\s+#?(${SLUG})\b`, "i");
  const comm = where.exec(q ? q.rest : rest);
  let body = q?.inner ?? "";
  if (!q) {
    body = comm ? rest.slice(0, comm.index) + rest.slice(comm.index + comm[0].length) : rest;
  }
  body = clean(body.replace(/^[:\s]+|[\s.]+$/g, ""));
  if (!body) {
    return { reply: "What should the post say? For example: post 'shipping v2 today' in #general." };
  }
  const community = (comm?.[1] ?? "general").toLowerCase();
  const { title, body: long } = titleOf(body);
  return {
    reply: `Here is your post for #${community}. Check it, edit it if you like, and confirm to sign it.`,
    call: { toolName: "create_post", args: { community, title, body: long } },
  };
}

function parseFeed(text: string): Intent | null {
  const m = new RegExp(
    String.raw`\b(hot|new|newest|latest|top|best|rising|trending|happening|going on)\b[\s\S]*?(?:\b(?:in|on)\s+#?(${SLUG}))?\s*[?.!]*\s*$`,
    "i",
  ).exec(text);
  const asksFeed = /\b(what'?s|whats|what is|show|list|read|anything|feed)\b/i.test(text);
  if (!m || !asksFeed) {
    const c = new RegExp(String.raw`^\s*(?:show|open|read)(?: me)?\s+#(${SLUG})\s*[?.!]*$`, "i").exec(text);
    if (!c?.[1]) return null;
    return feedIntent("hot", c[1]);
  }
  const word = (m[1] ?? "hot").toLowerCase();
  const sort: FeedSortName =
    word === "new" || word === "newest" || word === "latest"
      ? "new"
      : word === "top" || word === "best"
        ? "top"
        : word === "rising" || word === "trending"
          ? "rising"
          : "hot";
  const inComm = new RegExp(String.raw`#(${SLUG})|\b(?:in|on)\s+(${SLUG})\s*[?.!]*$`, "i").exec(text);
  const community = inComm?.[1] ?? inComm?.[2];
  return feedIntent(sort, community && community.toLowerCase() !== "vivim" ? community : undefined);
}

function feedIntent(sort: FeedSortName, community: string | undefined): Intent {
  const c = community?.toLowerCase();
  return {
    reply: c
      ? `Here is what's ${sort} in #${c} right now.`
      : `Here is what's ${sort} across VIVIM right now.`,
    call: { toolName: "get_feed", args: { sort, ...(c ? { community: c } : {}), limit: 5 } },
  };
}

function parseProposalVote(text: string): Intent | null {
  const m =
    /\bvote\s+(yes|no with veto|no_with_veto|veto|no|abstain)\s+(?:on|for|to)\s+(?:the\s+)?(?:dao\s+)?(?:proposal|prop)\s*#?(\d{1,19})\b/i.exec(
      text,
    ) ??
    /\b(?:proposal|prop)\s*#?(\d{1,19})\s*[:,-]?\s*(?:vote\s+)?(yes|no with veto|no_with_veto|veto|no|abstain)\b/i.exec(
      text,
    );
  if (!m) return null;
  const first = m[1] ?? "";
  const [word, id] = /^\d+$/.test(first) ? [m[2] ?? "", first] : [first, m[2] ?? ""];
  const w = word.toLowerCase().replace(/\s+/g, "_");
  const option: ProposalOption =
    w === "yes" ? "yes" : w === "abstain" ? "abstain" : w === "no" ? "no" : "no_with_veto";
  return {
    reply: `Ready to vote ${option.replace(/_/g, " ")} on proposal ${id}. Confirm to sign it.`,
    call: { toolName: "vote_proposal", args: { proposalId: id, option } },
  };
}

function parseContentVote(text: string): Intent | null {
  const m =
    /\b(upvote|downvote|up-vote|down-vote|like)\s+(?:the\s+)?(?:post|comment)?\s*#?(\d{1,19})\b/i.exec(text);
  if (!m) return null;
  const direction = /^down/i.test(m[1] ?? "") ? "down" : "up";
  return {
    reply: `Ready to ${direction}vote ${m[2]}. Confirm to sign it.`,
    call: { toolName: "vote", args: { targetId: m[2] ?? "", direction } },
  };
}

function parseFollow(text: string): Intent | null {
  const m = new RegExp(String.raw`^\s*(?:please\s+)?follow\s+(${ACCOUNT})\s*[.!]*\s*$`, "i").exec(text);
  if (!m?.[1]) return null;
  const target = normalizeAccount(m[1]);
  return {
    reply: `Follow ${target}? Their posts will reach your following feed.`,
    call: { toolName: "follow", args: { target } },
  };
}

function parseRate(text: string): Intent | null {
  const m = new RegExp(
    String.raw`\brate\s+(${ACCOUNT})\s+(?:with\s+)?([1-5]|one|two|three|four|five)\s*(?:stars?|★)?\s*(.*)$`,
    "i",
  ).exec(text);
  if (!m?.[1]) return null;
  const words: Record<string, number> = { one: 1, two: 2, three: 3, four: 4, five: 5 };
  const raw = (m[2] ?? "5").toLowerCase();
  const stars = words[raw] ?? Number(raw);
  const subject = normalizeAccount(m[1]);
  const comment = clean((m[3] ?? "").replace(/^(?:for|because|:|-)\s*/i, "").replace(/^["'“]|["'”]$/g, ""));
  return {
    reply: `Your rating for ${subject}: adjust the stars or the note, then confirm.`,
    call: { toolName: "rate", args: { subject, helped: stars >= 3, stars, comment } },
  };
}

function parseDm(text: string): Intent | null {
  const m = new RegExp(
    String.raw`^\s*(?:please\s+)?(?:dm|message|send\s+(?:a\s+)?(?:dm|message)\s+to|tell|write\s+to)\s+(${ACCOUNT})\s*[:,]?\s*([\s\S]*)$`,
    "i",
  ).exec(text);
  // "tell me a joke" is not a DM: only "dm bob" may leave out the @.
  if (!m?.[1] || (!/^(@|vivim1)/i.test(m[1]) && !/^\s*(?:please\s+)?dm\b/i.test(text))) return null;
  const to = normalizeAccount(m[1]);
  const q = quoted(m[2] ?? "");
  const body = clean(q ? q.inner : (m[2] ?? "").replace(/^(?:saying|that)\s+/i, ""));
  return {
    reply: body ? `A direct message to ${to}:` : `What should I say to ${to}?`,
    ...(body ? { call: { toolName: "send_dm" as const, args: { to, text: body } } } : {}),
  };
}

function parseBounty(text: string): Intent | null {
  const m = new RegExp(
    String.raw`\b(?:hire|pay|ask)\s+(${ACCOUNT})\s+(?:for|with)\s+([\d.,]+)\s*(vivim|uvivim)?\s*(?:tokens?)?\s*(?:to|for)\s+([\s\S]+?)\s*[.!]*$`,
    "i",
  ).exec(text);
  const open =
    /\b(?:post|create|offer)\s+(?:a\s+)?bounty\s+(?:of\s+)?([\d.,]+)\s*(vivim|uvivim)?\s*(?:to|for)\s+([\s\S]+?)\s*[.!]*$/i.exec(
      text,
    );
  if (!m && !open) return null;
  const [assignee, num, unit, task] = m
    ? [normalizeAccount(m[1] ?? ""), m[2] ?? "", m[3] ?? "vivim", m[4] ?? ""]
    : ["", open?.[1] ?? "", open?.[2] ?? "vivim", open?.[3] ?? ""];
  const amount = `${num.replace(/,/g, "")}${(unit || "vivim").toLowerCase()}`;
  const work = clean(task);
  const title = work.charAt(0).toUpperCase() + work.slice(1);
  return {
    reply: assignee
      ? `A bounty reserved for ${assignee}: the reward is held in escrow until you accept the work.`
      : "An open bounty: the reward is held in escrow until you accept the work.",
    call: {
      toolName: "create_bounty",
      args: { title: title.slice(0, 200), description: work, amount, durationHours: 168, assignee },
    },
  };
}

function parseThread(text: string): Intent | null {
  const m = /\b(?:open|show|read)\s+(?:the\s+)?(?:post|thread)\s*#?(\d{1,19})\b/i.exec(text);
  if (!m?.[1]) return null;
  return { reply: `Post ${m[1]}:`, call: { toolName: "get_thread", args: { postId: m[1] } } };
}

function parseProfile(text: string): Intent | null {
  const m = new RegExp(
    String.raw`\b(?:who\s+is|who's|show|open)\s+(?:me\s+)?(?:the\s+)?(?:profile\s+of\s+)?(${ACCOUNT})(?:'s)?\s*(?:profile|card)?\s*[?.!]*\s*$`,
    "i",
  ).exec(text);
  if (!m?.[1] || !/@|vivim1/i.test(m[1])) return null;
  const account = normalizeAccount(m[1]);
  return { reply: `Here is ${account}:`, call: { toolName: "get_profile", args: { account } } };
}

const PARSERS = [
  parseBounty,
  parsePost,
  parseProposalVote,
  parseRate,
  parseDm,
  parseFollow,
  parseContentVote,
  parseThread,
  parseProfile,
  parseFeed,
];

export function parseIntent(input: string): Intent {
  const text = input.trim();
  if (!text) return { reply: HELP };
  if (/^(hi|hello|hey|help|what can you do\??|\?)\s*[!.]*$/i.test(text)) return { reply: HELP };
  for (const p of PARSERS) {
    const r = p(text);
    if (r) return r;
  }
  return { reply: `I did not catch that. ${HELP}` };
}

/** Parses "50vivim", "1.5 VIVIM" or "50000000uvivim" into uvivim; null when it is not an amount. */
export function toMicro(amount: string): bigint | null {
  const m = /^\s*(\d{1,12})(?:\.(\d{1,6}))?\s*(vivim|uvivim)?\s*$/i.exec(amount);
  if (!m) return null;
  const unit = (m[3] ?? "vivim").toLowerCase();
  if (unit === "uvivim") return m[2] ? null : BigInt(m[1] ?? "0");
  return BigInt(m[1] ?? "0") * 1_000_000n + BigInt((m[2] ?? "").padEnd(6, "0") || "0");
}
