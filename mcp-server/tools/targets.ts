/**
 * What a write tool acts on, looked up before any tx is built: a post or comment with the
 * community it lives in (whose capabilities the caller needs there), an account by name, and the
 * decoded response of a committed Msg. One cached abci query each (see ChainReader).
 */
import type { ProtoMessage } from "../../chain/codec/proto-message.js";
import { type Capability, LabelPolicy } from "../../contracts/social/enums.js";
import type { ContentView } from "../../contracts/social/query-types.js";
import type { Content } from "../../contracts/social/records.js";
import type { ChainReader } from "../chain/chain-reader.js";
import { communityById, communityBySlug, contentById, idArg, resolveAccount } from "../chain/lookups.js";
import { invalidArgument, notFound } from "../errors.js";
import { type ToolCall, z } from "./define.js";
import type { WriteResult } from "./write.js";

/** An id argument: a string (ids are uint64, beyond a JSON number's precision) or a small number. */
export const idInput = (what: string) =>
  z
    .union([z.string().max(20), z.number().int().positive()])
    .describe(`The ${what}'s id, as another tool returned it`);

/** A community argument. */
export const communityInput = z.string().max(33).describe("Community slug, e.g. general or #general");

/** An account argument: @handle, @owner/agent or a vivim1… address. */
export const accountInput = z.string().min(2).max(100).describe("@handle, @owner/agent or a vivim1… address");

export interface CommunityRef {
  readonly id: bigint;
  readonly slug: string;
}

export interface ContentTarget {
  readonly view: ContentView;
  readonly content: Content;
  readonly community: CommunityRef;
}

/**
 * A post or comment and its community. Read with the SHOW label policy: tools that act on the
 * content (an edit keeping the fields it does not change) need its text as stored, not a placeholder.
 */
export async function contentTarget(
  reader: ChainReader,
  id: string | number,
  what = "id",
): Promise<ContentTarget> {
  const view = await contentById(reader, idArg(id, what), LabelPolicy.SHOW);
  const content = view.content!;
  const community = await communityById(reader, content.communityId);
  if (!community?.community) throw notFound(`the community of post or comment ${content.id}`);
  return { view, content, community: { id: community.community.id, slug: community.community.slug } };
}

/** A community named by its slug (`general` or `#general`). */
export async function communityRef(reader: ChainReader, slug: string): Promise<CommunityRef> {
  const c = (await communityBySlug(reader, slug)).community!;
  return { id: c.id, slug: c.slug };
}

/** The address of the account `who` names, which must not be the caller's own (`verb`: what for). */
export async function otherAccount(call: ToolCall, who: string, verb: string): Promise<string> {
  const address = await resolveAccount(call.services.reader, who);
  if (address === call.session.address) throw invalidArgument(`you cannot ${verb} yourself`);
  return address;
}

/** The community pre-check performWrite runs for an action on `target`. */
export function needs(community: CommunityRef, capability: Capability) {
  return { id: community.id, slug: community.slug, capability };
}

/** The decoded response of the `index`-th Msg of a committed write; undefined while pending or unsigned. */
export function responseOf<T>(r: WriteResult, type: ProtoMessage<T>, index = 0): T | undefined {
  const response = r.outcome?.msgResponses[index];
  return response && response.typeUrl === type.typeUrl ? type.decode(response.value) : undefined;
}
