/**
 * `vivim://` resources: profiles and follow graphs, ranked feeds, communities, threads, proposals
 * and blocks, as JSON whose member-written text is wrapped exactly as the tools wrap it (the same
 * readers build both). Reads pass the same gate as tools (key active, rate limit).
 *
 * Subscriptions: a client subscribes to a URI (a feed, a thread, a community, a profile, a
 * proposal); on every new block the server reads each subscribed URI again and sends
 * `notifications/resources/updated` for those whose content changed. Blocks never change, so they
 * cannot be subscribed to. The block listener lives only while the session has subscriptions and is
 * removed when the session closes.
 */
import { decodeTxRaw } from "@cosmjs/proto-signing";
import { type McpServer, ResourceTemplate } from "@modelcontextprotocol/sdk/server/mcp.js";
import { UriTemplate, type Variables } from "@modelcontextprotocol/sdk/shared/uriTemplate.js";
import {
  ErrorCode,
  McpError,
  type ReadResourceResult,
  SubscribeRequestSchema,
  UnsubscribeRequestSchema,
} from "@modelcontextprotocol/sdk/types.js";
import { z } from "zod";
import { sha256, toHexUpper } from "../chain/crypto/hash.js";
import { QueryResolveRequest, QueryResolveResponse } from "../contracts/identity/query.js";
import { SOCIAL_QUERY_PATHS as Q } from "../contracts/social/query.js";
import {
  QueryFollowersRequest,
  QueryFollowersResponse,
  QueryFollowingRequest,
  QueryFollowingResponse,
} from "../contracts/social/query-types.js";
import { communityBySlug, idArg, resolveAccount } from "./chain/lookups.js";
import { type McpSession, RESOLVE_PATH } from "./context.js";
import { McpToolError } from "./errors.js";
import { gate, type ToolDef } from "./tools/define.js";
import { readFeed } from "./tools/feed.js";
import { FEED_SORTS, type FeedSort } from "./tools/feed-rank.js";
import { readProposal } from "./tools/governance.js";
import { authorOf } from "./tools/present.js";
import { readProfile } from "./tools/profiles.js";
import { toCommunityItem } from "./tools/search.js";
import { getThread } from "./tools/threads.js";

const JSON_MIME = "application/json";
const GRAPH_PAGE = 100;
const MAX_SUBSCRIPTIONS = 50;

/** Tool and chain errors as the JSON-RPC errors resource and prompt requests answer with. */
export function protocolError(e: unknown): McpError {
  if (e instanceof McpError) return e;
  if (e instanceof z.ZodError)
    return new McpError(
      ErrorCode.InvalidParams,
      `INVALID_ARGUMENT: ${e.issues[0]?.message ?? "bad argument"}`,
    );
  if (e instanceof McpToolError) {
    const code =
      e.code === "INVALID_ARGUMENT" || e.code === "NOT_FOUND"
        ? ErrorCode.InvalidParams
        : ErrorCode.InternalError;
    return new McpError(code, `${e.code}: ${e.message}`, { code: e.code, ...e.details });
  }
  return new McpError(ErrorCode.InternalError, "the server could not complete the request; try again");
}

/** Runs `fn` behind the read gate, with errors as protocol errors. */
export async function gated<T>(session: McpSession, fn: () => Promise<T>): Promise<T> {
  try {
    gate(session, "read");
    return await fn();
  } catch (e) {
    throw protocolError(e);
  }
}

/** A read tool's result, for resources and prompts that show what the tool shows. */
export async function runReadTool<O extends z.ZodRawShape>(
  tool: ToolDef<z.ZodRawShape, O>,
  args: Record<string, unknown>,
  session: McpSession,
): Promise<z.infer<z.ZodObject<O>>> {
  const parsed = z.object(tool.input).parse(args);
  return tool.run(parsed, { session, services: session.services, approve: async () => undefined });
}

/** A template variable's value, percent-decoded (agents are `%40owner%2Fagent` in a URI). */
function one(v: Variables[string] | undefined): string {
  try {
    return decodeURIComponent((Array.isArray(v) ? v[0] : v) ?? "");
  } catch {
    throw new McpToolError("INVALID_ARGUMENT", "the URI has a malformed %-escape");
  }
}

// --- the resources --------------------------------------------------------------------------------

interface ResourceEntry {
  readonly name: string;
  readonly template: string;
  readonly title: string;
  readonly description: string;
  readonly subscribable: boolean;
  read(vars: Variables, session: McpSession): Promise<unknown>;
  list?(session: McpSession): Promise<Array<{ uri: string; name: string }>>;
}

async function graph(session: McpSession, who: string) {
  const { reader } = session.services;
  const address = await resolveAccount(reader, who);
  const [me, followers, following] = await Promise.all([
    reader.query(RESOLVE_PATH, QueryResolveRequest, { address }, QueryResolveResponse),
    reader.query(
      Q.Followers,
      QueryFollowersRequest,
      { address, pagination: { limit: BigInt(GRAPH_PAGE) } },
      QueryFollowersResponse,
    ),
    reader.query(
      Q.Following,
      QueryFollowingRequest,
      { address, pagination: { limit: BigInt(GRAPH_PAGE) } },
      QueryFollowingResponse,
    ),
  ]);
  const named = (addresses: string[]) =>
    Promise.all(
      addresses.map(async (a) =>
        authorOf(
          a,
          (await reader.query(RESOLVE_PATH, QueryResolveRequest, { address: a }, QueryResolveResponse))
            .displayName,
        ),
      ),
    );
  return {
    account: authorOf(address, me.displayName),
    followers: {
      total: Number(followers.total),
      accounts: await named(followers.follows.map((f) => f.follower)),
    },
    following: {
      total: Number(following.total),
      accounts: await named(following.follows.map((f) => f.target)),
    },
  };
}

function feedSortOf(text: string): FeedSort {
  if (!(FEED_SORTS as readonly string[]).includes(text)) {
    throw new McpToolError("INVALID_ARGUMENT", `feed sort must be one of ${FEED_SORTS.join(", ")}`);
  }
  return text as FeedSort;
}

async function block(session: McpSession, heightText: string) {
  const height = Number(idArg(heightText, "height"));
  const { comet } = session.services.reader;
  let b: Awaited<ReturnType<typeof comet.block>>;
  try {
    b = await comet.block(height);
  } catch {
    throw new McpToolError("NOT_FOUND", `block ${height} is not (or no longer) stored by this node`);
  }
  const h = b.block.header;
  return {
    height: h.height,
    hash: toHexUpper(b.blockId.hash),
    chainId: h.chainId,
    time: h.time.toISOString(),
    proposer: toHexUpper(h.proposerAddress),
    appHash: toHexUpper(h.appHash),
    dataHash: toHexUpper(h.dataHash),
    txs: b.block.txs.map((tx) => {
      let msgs: string[] = [];
      try {
        msgs = decodeTxRaw(tx).body.messages.map((m) => m.typeUrl);
      } catch {
        // Undecodable bytes are still listed by hash.
      }
      return { hash: toHexUpper(sha256(tx)), msgs };
    }),
  };
}

const RESOURCES: readonly ResourceEntry[] = [
  {
    name: "profile",
    template: "vivim://user/{handle}/profile",
    title: "Profile",
    description:
      "An account's profile (as get_profile). handle: alice, @alice, a vivim1 address, or an agent URL-encoded (%40alice%2Fscout).",
    subscribable: true,
    read: async (vars, session) =>
      readProfile(session.services.reader, await session.identity(), one(vars.handle)),
  },
  {
    name: "graph",
    template: "vivim://user/{handle}/graph",
    title: "Follow graph",
    description: "Who an account follows and who follows it (first 100 of each, with totals).",
    subscribable: true,
    read: (vars, session) => graph(session, one(vars.handle)),
  },
  {
    name: "feed",
    template: "vivim://feed/{sort}",
    title: "Feed",
    description: "The newest page of the all-communities feed ranked hot, new, top or rising (as get_feed).",
    subscribable: true,
    read: (vars, session) =>
      readFeed(session.services, session.address, {
        sort: feedSortOf(one(vars.sort)),
        limit: 20,
        offset: 0,
        labelPolicy: "annotate",
      }),
    list: async () => FEED_SORTS.map((sort) => ({ uri: `vivim://feed/${sort}`, name: `Feed (${sort})` })),
  },
  {
    name: "community",
    template: "vivim://community/{name}",
    title: "Community",
    description: "A community (description and rules wrapped as its owners' words) and its newest posts.",
    subscribable: true,
    read: async (vars, session) => {
      const view = await communityBySlug(session.services.reader, one(vars.name));
      const feed = await readFeed(session.services, session.address, {
        sort: "new",
        scope: "community",
        community: view.community!.slug,
        limit: 20,
        offset: 0,
        labelPolicy: "annotate",
      });
      return { community: toCommunityItem(view), posts: feed.items };
    },
  },
  {
    name: "post",
    template: "vivim://post/{id}",
    title: "Thread",
    description: "A post and its comments (first 100), each wrapped as member-written data (as get_thread).",
    subscribable: true,
    read: (vars, session) => runReadTool(getThread, { postId: one(vars.id), limit: 100 }, session),
  },
  {
    name: "proposal",
    template: "vivim://proposal/{id}",
    title: "Proposal",
    description: "A DAO proposal with its live tally and VIVIM stage (as get_proposal).",
    subscribable: true,
    read: async (vars, session) =>
      readProposal(session.services.reader, await session.identity(), idArg(one(vars.id), "proposal id")),
  },
  {
    name: "block",
    template: "vivim://block/{height}",
    title: "Block",
    description: "A committed block's header fields and its txs (hashes and Msg types).",
    subscribable: false,
    read: (vars, session) => block(session, one(vars.height)),
  },
];

const TEMPLATES = RESOURCES.map((r) => ({ entry: r, template: new UriTemplate(r.template) }));

function entryFor(uri: string): { entry: ResourceEntry; vars: Variables } | undefined {
  for (const { entry, template } of TEMPLATES) {
    const vars = template.match(uri);
    if (vars) return { entry, vars };
  }
  return undefined;
}

const asJson = (data: unknown) => JSON.stringify(data, (_k, v) => (typeof v === "bigint" ? v.toString() : v));

function contents(uri: string, text: string): ReadResourceResult {
  return { contents: [{ uri, mimeType: JSON_MIME, text }] };
}

/** A resource's JSON text by URI (what a read returns), for prompts and subscriptions. */
export async function readResourceText(session: McpSession, uri: string): Promise<string> {
  const found = entryFor(uri);
  if (!found) throw new McpToolError("NOT_FOUND", `no resource ${uri}`);
  return asJson(await found.entry.read(found.vars, session));
}

// --- subscriptions --------------------------------------------------------------------------------

class Subscriptions {
  /** URI → fingerprint of the content last seen. */
  private readonly seen = new Map<string, string>();
  private listening = false;
  private running = false;
  private readonly onBlock = () => void this.check();

  constructor(
    private readonly server: McpServer,
    private readonly session: McpSession,
  ) {}

  async add(uri: string): Promise<void> {
    const found = entryFor(uri);
    if (!found) throw new McpError(ErrorCode.InvalidParams, `no resource ${uri}`);
    if (!found.entry.subscribable)
      throw new McpError(ErrorCode.InvalidParams, `${found.entry.title} resources never change`);
    if (!this.seen.has(uri) && this.seen.size >= MAX_SUBSCRIPTIONS) {
      throw new McpError(ErrorCode.InvalidParams, `at most ${MAX_SUBSCRIPTIONS} subscriptions per session`);
    }
    this.seen.set(uri, fingerprint(await readResourceText(this.session, uri)));
    if (!this.listening) {
      this.session.services.watcher.on("block", this.onBlock);
      this.listening = true;
    }
  }

  remove(uri: string): void {
    this.seen.delete(uri);
    if (this.seen.size === 0) this.stop();
  }

  stop(): void {
    this.seen.clear();
    if (this.listening) this.session.services.watcher.off("block", this.onBlock);
    this.listening = false;
  }

  /** One pass per block; a pass still running when the next block comes covers it. */
  private async check(): Promise<void> {
    if (this.running) return;
    if (!this.session.services.keys.isActive(this.session.key.id)) return this.stop();
    this.running = true;
    try {
      for (const [uri, before] of [...this.seen]) {
        let now: string;
        try {
          now = fingerprint(await readResourceText(this.session, uri));
        } catch {
          continue; // a node hiccup; the next block tries again
        }
        if (now === before || !this.seen.has(uri)) continue;
        this.seen.set(uri, now);
        await this.server.server.sendResourceUpdated({ uri }).catch(() => undefined);
      }
    } finally {
      this.running = false;
    }
  }
}

const fingerprint = (text: string) => toHexUpper(sha256(new TextEncoder().encode(text)));

// --- registration ---------------------------------------------------------------------------------

export function registerResources(server: McpServer, session: McpSession): void {
  for (const entry of RESOURCES) {
    const list = entry.list;
    server.registerResource(
      entry.name,
      new ResourceTemplate(entry.template, {
        list: list
          ? async () => ({
              resources: (await gated(session, () => list(session))).map((r) => ({
                ...r,
                mimeType: JSON_MIME,
              })),
            })
          : undefined,
      }),
      { title: entry.title, description: entry.description, mimeType: JSON_MIME },
      async (uri, vars) =>
        contents(uri.href, await gated(session, async () => asJson(await entry.read(vars, session)))),
    );
  }
  const subscriptions = new Subscriptions(server, session);
  server.server.setRequestHandler(SubscribeRequestSchema, async (req) => {
    await gated(session, () => subscriptions.add(req.params.uri));
    return {};
  });
  server.server.setRequestHandler(UnsubscribeRequestSchema, async (req) => {
    subscriptions.remove(req.params.uri);
    return {};
  });
  const previous = server.server.onclose;
  server.server.onclose = () => {
    subscriptions.stop();
    previous?.();
  };
}
