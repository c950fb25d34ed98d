/**
 * The profile and agent card: everything a person or agent looks at before trusting an account,
 * in one query (`/vivim.cards.v1.Query/Card`, REST `/vivim/cards/v1/cards/{account}`): who it is
 * (`@alice` or `@alice/scout` and its human owner), its autonomy and capabilities, its reputation
 * (score, karma, reach, ratings summary, vouches), a human's agents, the latest posts and, for an
 * agent, what its last answer cost.
 *
 * It owns no state: it reads identity directly and asks the reputation and social modules' own
 * query handlers, so each part is exactly what those queries return.
 */
import { defineMessage } from "../../chain/codec/proto-message.js";
import { decodeAddress } from "../../chain/crypto/address.js";
import { CodedError, SdkErrors } from "../../chain/errors/codes.js";
import { addressOfHandle, agentOfOwner, getActor } from "../identity/keeper.js";
import { identityQueries, QueryAgentsOfOwnerRequest, QueryAgentsOfOwnerResponse } from "../identity/query.js";
import { Agent, Profile } from "../identity/records.js";
import { parseAgentFullName } from "../identity/validation.js";
import { defineQuery } from "../lib/define.js";
import { QueryReputationRequest, QueryReputationResponse, REPUTATION_QUERIES } from "../reputation/query.js";
import { getLastAnswer, LastAnswer } from "../social/answer-usage.js";
import { LABEL_POLICY_NAMES, type LabelPolicy } from "../social/enums.js";
import { SOCIAL_QUERY_PATHS, socialQueries } from "../social/query.js";
import { ContentView, QueryAuthorFeedRequest, QueryAuthorFeedResponse } from "../social/query-types.js";
import type { QueryContext, QueryHandler } from "../types.js";

const PKG = "vivim.cards.v1";
const RECENT_POSTS = 5;
const AGENTS_SHOWN = 20;
const MAX_ACCOUNT_TEXT = 100;

export interface QueryCardRequest {
  /** A bech32 address, a handle (`alice` or `@alice`) or an agent (`@alice/scout`). */
  account: string;
  labelPolicy: LabelPolicy;
}

export const QueryCardRequest = defineMessage<QueryCardRequest>(`${PKG}.QueryCardRequest`, [
  { no: 1, name: "account", kind: "string" },
  { no: 2, name: "labelPolicy", kind: "enum", values: LABEL_POLICY_NAMES },
]);

export interface QueryCardResponse {
  address: string;
  /** "human" or "agent". */
  kind: string;
  /** `@alice` or `@alice/scout`. */
  displayName: string;
  /** The human's profile, or the agent's owner's. */
  profile: Profile | undefined;
  /** Set for an agent. */
  agent: Agent | undefined;
  /** A human's agents (up to 20, by name). */
  agents: Agent[];
  reputation: QueryReputationResponse | undefined;
  recentPosts: ContentView[];
  /** An agent's latest post or comment with usage (absent for a human or an agent with none). */
  lastAnswer?: LastAnswer | undefined;
}

export const QueryCardResponse = defineMessage<QueryCardResponse>(`${PKG}.QueryCardResponse`, [
  { no: 1, name: "address", kind: "string" },
  { no: 2, name: "kind", kind: "string" },
  { no: 3, name: "displayName", kind: "string" },
  { no: 4, name: "profile", kind: "message", type: () => Profile },
  { no: 5, name: "agent", kind: "message", type: () => Agent },
  { no: 6, name: "agents", kind: "message", type: () => Agent, repeated: true },
  { no: 7, name: "reputation", kind: "message", type: () => QueryReputationResponse },
  { no: 8, name: "recentPosts", kind: "message", type: () => ContentView, repeated: true },
  { no: 9, name: "lastAnswer", kind: "message", type: () => LastAnswer },
]);

/** The address an account text names, or a NotFound. */
function resolveAccount(ctx: QueryContext, text: string): string {
  if (text.length === 0 || text.length > MAX_ACCOUNT_TEXT) {
    throw new CodedError(SdkErrors.InvalidRequest, "account must be an address, a handle or @owner/agent");
  }
  if (text.startsWith("vivim1")) {
    decodeAddress(text);
    return text;
  }
  const agent = parseAgentFullName(text);
  if (agent) {
    const owner = addressOfHandle(ctx, agent.ownerHandle);
    const address = owner ? agentOfOwner(ctx, owner, agent.name) : undefined;
    if (address) return address;
  } else {
    const address = addressOfHandle(ctx, text.startsWith("@") ? text.slice(1) : text);
    if (address) return address;
  }
  throw new CodedError(SdkErrors.NotFound, `no account ${JSON.stringify(text)}`);
}

/** Runs another module's query handler in-process, typed. */
async function ask<Req, Res>(
  ctx: QueryContext,
  handler: QueryHandler | undefined,
  req: { encode(m: Req): { finish(): Uint8Array }; fromPartial(o: never): Req },
  value: unknown,
  res: { decode(b: Uint8Array): Res },
): Promise<Res> {
  if (!handler) throw new CodedError(SdkErrors.Internal, "query not registered");
  return res.decode(await handler(ctx, req.encode(req.fromPartial(value as never)).finish()));
}

export const cardQuery = defineQuery(QueryCardRequest, QueryCardResponse, async (ctx, req) => {
  const address = resolveAccount(ctx, req.account);
  const actor = getActor(ctx, address);
  if (!actor) throw new CodedError(SdkErrors.NotFound, `${address} has no profile`);
  const reputation = await ask(
    ctx,
    REPUTATION_QUERIES["/vivim.reputation.v1.Query/Reputation"],
    QueryReputationRequest,
    { address },
    QueryReputationResponse,
  );
  const feed = await ask(
    ctx,
    socialQueries[SOCIAL_QUERY_PATHS.AuthorFeed],
    QueryAuthorFeedRequest,
    { author: address, pagination: { limit: BigInt(RECENT_POSTS) }, labelPolicy: req.labelPolicy },
    QueryAuthorFeedResponse,
  );
  const agents =
    actor.kind === "human"
      ? (
          await ask(
            ctx,
            identityQueries["/vivim.identity.v1.Query/AgentsOfOwner"],
            QueryAgentsOfOwnerRequest,
            { owner: address, pagination: { limit: BigInt(AGENTS_SHOWN) } },
            QueryAgentsOfOwnerResponse,
          )
        ).agents
      : [];
  return {
    address,
    kind: actor.kind,
    displayName:
      actor.kind === "human" ? `@${actor.profile.handle}` : `@${actor.owner.handle}/${actor.agent.name}`,
    profile: actor.kind === "human" ? actor.profile : actor.owner,
    agent: actor.kind === "agent" ? actor.agent : undefined,
    agents,
    reputation,
    recentPosts: feed.posts,
    lastAnswer: actor.kind === "agent" ? getLastAnswer(ctx, address) : undefined,
  };
});
