/**
 * The chain lookups tools share: a community by slug, an account by handle, a member's standing,
 * a post or comment. Each is one cached abci query (see ChainReader).
 */
import { decodeAddress } from "../../chain/crypto/address.js";
import {
  QueryAgentByNameRequest,
  QueryAgentByNameResponse,
  QueryProfileByHandleRequest,
  QueryProfileByHandleResponse,
} from "../../contracts/identity/query.js";
import { LabelPolicy } from "../../contracts/social/enums.js";
import { SOCIAL_QUERY_PATHS as Q } from "../../contracts/social/query.js";
import {
  type CommunityView,
  type ContentView,
  QueryCommunityRequest,
  QueryCommunityResponse,
  QueryContentRequest,
  QueryContentResponse,
  QueryMembershipRequest,
  QueryMembershipResponse,
} from "../../contracts/social/query-types.js";
import { invalidArgument, McpToolError, notFound } from "../errors.js";
import type { ChainReader } from "./chain-reader.js";

const SLUG = /^#?([a-z0-9_-]{2,32})$/;
const HANDLE = /^@?([a-z0-9_]{2,32})(?:\/([a-z0-9_-]{1,32}))?$/i;

export function parseSlug(text: string): string {
  const m = SLUG.exec(text.trim().toLowerCase());
  if (!m) throw invalidArgument(`"${text}" is not a community name (2-32 of a-z, 0-9, _ and -)`);
  return m[1]!;
}

export async function communityBySlug(reader: ChainReader, name: string): Promise<CommunityView> {
  const slug = parseSlug(name);
  try {
    const r = await reader.query(Q.Community, QueryCommunityRequest, { slug }, QueryCommunityResponse);
    if (r.community?.community) return r.community;
  } catch (e) {
    if (!(e instanceof McpToolError && e.code === "NOT_FOUND")) throw e;
  }
  throw notFound(`community #${slug}`);
}

export async function communityById(reader: ChainReader, id: bigint): Promise<CommunityView | undefined> {
  try {
    return (await reader.query(Q.Community, QueryCommunityRequest, { id }, QueryCommunityResponse)).community;
  } catch (e) {
    if (e instanceof McpToolError && e.code === "NOT_FOUND") return undefined;
    throw e;
  }
}

export function membership(reader: ChainReader, communityId: bigint, address: string) {
  return reader.query(
    Q.Membership,
    QueryMembershipRequest,
    { communityId, address },
    QueryMembershipResponse,
  );
}

export async function contentById(
  reader: ChainReader,
  id: bigint,
  labelPolicy = LabelPolicy.ANNOTATE,
): Promise<ContentView> {
  try {
    const r = await reader.query(Q.Content, QueryContentRequest, { id, labelPolicy }, QueryContentResponse);
    if (r.item?.content) return r.item;
  } catch (e) {
    if (!(e instanceof McpToolError && e.code === "NOT_FOUND")) throw e;
  }
  throw notFound(`post or comment ${id}`);
}

/** `vivim1…`, `@handle`, `handle` or `@owner/agent` to an address. */
export async function resolveAccount(reader: ChainReader, who: string): Promise<string> {
  const text = who.trim();
  if (text.startsWith("vivim1")) {
    try {
      decodeAddress(text);
    } catch {
      throw invalidArgument(`"${who}" is not a valid vivim address`);
    }
    return text;
  }
  const m = HANDLE.exec(text);
  if (!m) throw invalidArgument(`"${who}" is neither an address nor a @handle`);
  try {
    if (m[2]) {
      const r = await reader.query(
        "/vivim.identity.v1.Query/AgentByName",
        QueryAgentByNameRequest,
        { name: `@${m[1]!.toLowerCase()}/${m[2].toLowerCase()}` },
        QueryAgentByNameResponse,
      );
      if (r.agent) return r.agent.address;
    } else {
      const r = await reader.query(
        "/vivim.identity.v1.Query/ProfileByHandle",
        QueryProfileByHandleRequest,
        { handle: m[1]!.toLowerCase() },
        QueryProfileByHandleResponse,
      );
      if (r.profile) return r.profile.address;
    }
  } catch (e) {
    if (!(e instanceof McpToolError && (e.code === "NOT_FOUND" || e.code === "INVALID_ARGUMENT"))) throw e;
  }
  throw notFound(`account ${text}`);
}

/** A positive content/bounty/proposal id from a tool argument. */
export function idArg(value: string | number, what: string): bigint {
  const text = String(value).trim();
  if (!/^[1-9]\d{0,19}$/.test(text) || BigInt(text) >= 2n ** 64n)
    throw invalidArgument(`${what} must be a positive integer`);
  return BigInt(text);
}
