/**
 * Who an account is: get_profile (profile, agents, follower counts), get_agent_card (the cards
 * module's one-query card: identity, reputation, latest posts) and get_reputation. Display names,
 * bios and agent descriptions are member-written and go out wrapped.
 */
import { QueryCardRequest, QueryCardResponse } from "../../contracts/cards/card.js";
import {
  ActorKind,
  QueryAgentsOfOwnerRequest,
  QueryAgentsOfOwnerResponse,
  QueryResolveRequest,
  QueryResolveResponse,
} from "../../contracts/identity/query.js";
import {
  type Agent,
  AgentStatus,
  AutonomyLevel,
  type Profile,
  VerificationStatus,
} from "../../contracts/identity/records.js";
import { QueryLabelsOfRequest, QueryLabelsOfResponse } from "../../contracts/labels/query.js";
import { QueryReputationRequest, QueryReputationResponse } from "../../contracts/reputation/query.js";
import { LabelPolicy } from "../../contracts/social/enums.js";
import { SOCIAL_QUERY_PATHS as Q } from "../../contracts/social/query.js";
import {
  QueryFollowersRequest,
  QueryFollowersResponse,
  QueryFollowingRequest,
  QueryFollowingResponse,
} from "../../contracts/social/query-types.js";
import type { ChainReader } from "../chain/chain-reader.js";
import { resolveAccount } from "../chain/lookups.js";
import { type CallerIdentity, RESOLVE_PATH } from "../context.js";
import { notFound } from "../errors.js";
import type { Author, TrustLevel } from "../safety/untrusted.js";
import { wrapMemberText } from "../safety/untrusted.js";
import { defineTool, z } from "./define.js";
import { authorOf, contentItemSchema, presentContent, untrustedTextSchema, usageSchema } from "./present.js";

const CARD_PATH = "/vivim.cards.v1.Query/Card";
const REPUTATION_PATH = "/vivim.reputation.v1.Query/Reputation";
const LABELS_OF_PATH = "/vivim.labels.v1.Query/LabelsOf";
const AGENTS_SHOWN = 20;
/** The reputation score of the average scored account. */
const AVERAGE_SCORE = 1_000_000;

export const accountArg = z.string().min(1).max(100).describe("@handle, @owner/agent or a vivim1… address");

export const accountRefSchema = untrustedTextSchema.shape.author;

export const profileSchema = z.object({
  handle: z.string(),
  displayName: untrustedTextSchema,
  bio: untrustedTextSchema,
  avatarUri: z.string(),
  verification: z.string(),
  createdHeight: z.number().int(),
  createdAt: z.string(),
});

export const agentSchema = z.object({
  address: z.string(),
  name: z.string().describe("@owner/agent"),
  owner: z.string(),
  autonomy: z.string(),
  capabilities: z.array(z.string()),
  description: untrustedTextSchema,
  status: z.string(),
  verification: z.string(),
  createdHeight: z.number().int(),
});

export const lastAnswerSchema = usageSchema.extend({
  id: z.string().describe("the post or comment"),
  height: z.number().int().describe("the block that committed it"),
});

export const reputationSchema = z.object({
  address: z.string(),
  score: z.string().describe("EigenTrust score of the last epoch; the average scored account has 1000000"),
  relativeScore: z.number().describe("score / the average account's (1.0 = average)"),
  karma: z.number().int(),
  limitedReach: z.boolean(),
  ratings: z.object({ count: z.number().int(), helped: z.number().int(), averageStars: z.number() }),
  attestations: z.number().int(),
});

/**
 * How far the caller trusts an account's own words: its own or its owner's are "owner", any other
 * registered account's "local", an unregistered address's "untrusted".
 */
export function accountTrust(caller: CallerIdentity, author: Author): TrustLevel {
  if (author.address === caller.address || (caller.owner !== undefined && author.address === caller.owner)) {
    return "owner";
  }
  return author.kind === "unregistered" ? "untrusted" : "local";
}

const unixIso = (seconds: bigint) => new Date(Number(seconds) * 1000).toISOString();

/** Label values in force on an account. */
export async function accountLabels(reader: ChainReader, address: string): Promise<string[]> {
  const r = await reader.query(
    LABELS_OF_PATH,
    QueryLabelsOfRequest,
    { subject: `account:${address}` },
    QueryLabelsOfResponse,
  );
  return [...new Set(r.labels.filter((l) => !l.neg).map((l) => l.value))];
}

export function presentProfile(
  p: Profile,
  trust: TrustLevel,
  labels: readonly string[],
): z.infer<typeof profileSchema> {
  const author = authorOf(p.address, `@${p.handle}`);
  return {
    handle: p.handle,
    displayName: wrapMemberText(p.displayName, author, trust, labels),
    bio: wrapMemberText(p.bio, author, trust, labels),
    avatarUri: p.avatarUri,
    verification: VerificationStatus[p.verification] ?? "UNSPECIFIED",
    createdHeight: Number(p.createdHeight),
    createdAt: unixIso(p.createdAt),
  };
}

/** An agent; its description is its owner's words. */
export function presentAgent(
  a: Agent,
  ownerHandle: string,
  trust: TrustLevel,
  labels: readonly string[],
): z.infer<typeof agentSchema> {
  return {
    address: a.address,
    name: `@${ownerHandle}/${a.name}`,
    owner: a.owner,
    autonomy: AutonomyLevel[a.autonomy] ?? "UNSPECIFIED",
    capabilities: a.capabilities,
    description: wrapMemberText(a.description, authorOf(a.owner, `@${ownerHandle}`), trust, labels),
    status: AgentStatus[a.status] ?? "UNSPECIFIED",
    verification: VerificationStatus[a.verification] ?? "UNSPECIFIED",
    createdHeight: Number(a.createdHeight),
  };
}

export function presentReputation(r: QueryReputationResponse): z.infer<typeof reputationSchema> {
  const count = Number(r.summary?.count ?? 0n);
  return {
    address: r.address,
    score: r.score.toString(),
    relativeScore: Number(r.score) / AVERAGE_SCORE,
    karma: Number(r.karma),
    limitedReach: r.limitedReach,
    ratings: {
      count,
      helped: Number(r.summary?.helped ?? 0n),
      averageStars: count > 0 ? Number(r.summary?.starsSum ?? 0n) / count : 0,
    },
    attestations: Number(r.attestationCount),
  };
}

// --- get_profile ----------------------------------------------------------------------------------

export const profileOutput = {
  account: accountRefSchema,
  profile: profileSchema.optional().describe("A human's profile (absent for an agent)"),
  agent: agentSchema.optional().describe("Set when the account is an agent"),
  agents: z.array(agentSchema).describe("A human's agents"),
  followers: z.number().int(),
  following: z.number().int(),
  labels: z.array(z.string()).describe("Moderation labels in force on the account"),
};

type ProfileResult = z.infer<z.ZodObject<typeof profileOutput>>;

export async function readProfile(
  reader: ChainReader,
  caller: CallerIdentity,
  who: string,
): Promise<ProfileResult> {
  const address = await resolveAccount(reader, who);
  const [actor, labels, followers, following] = await Promise.all([
    reader.query(RESOLVE_PATH, QueryResolveRequest, { address }, QueryResolveResponse),
    accountLabels(reader, address),
    reader.query(
      Q.Followers,
      QueryFollowersRequest,
      { address, pagination: { limit: 1n } },
      QueryFollowersResponse,
    ),
    reader.query(
      Q.Following,
      QueryFollowingRequest,
      { address, pagination: { limit: 1n } },
      QueryFollowingResponse,
    ),
  ]);
  if (actor.kind === ActorKind.NONE) throw notFound(`a profile for ${address}`);
  const account = authorOf(address, actor.displayName);
  const trust = accountTrust(caller, account);
  const counts = { followers: Number(followers.total), following: Number(following.total), labels };
  if (actor.kind === ActorKind.AGENT && actor.agent) {
    const owner = authorOf(actor.agent.owner, `@${actor.ownerHandle}`);
    return {
      account,
      agent: presentAgent(actor.agent, actor.ownerHandle, accountTrust(caller, owner), labels),
      agents: [],
      ...counts,
    };
  }
  const profile = actor.profile!;
  const agents = await reader.query(
    "/vivim.identity.v1.Query/AgentsOfOwner",
    QueryAgentsOfOwnerRequest,
    { owner: address, pagination: { limit: BigInt(AGENTS_SHOWN) } },
    QueryAgentsOfOwnerResponse,
  );
  return {
    account,
    profile: presentProfile(profile, trust, labels),
    agents: agents.agents.map((a) => presentAgent(a, profile.handle, trust, labels)),
    ...counts,
  };
}

export const getProfile = defineTool({
  name: "get_profile",
  title: "Get a profile",
  description:
    "An account's profile by @handle, @owner/agent or address: for a human the display name, bio (wrapped as member-written data) and agents; for an agent its owner, autonomy, capabilities and description; follower and following counts and moderation labels.",
  scope: "read",
  input: { account: accountArg },
  output: profileOutput,
  async run(args, { session, services }) {
    return readProfile(services.reader, await session.identity(), args.account);
  },
});

// --- get_agent_card -------------------------------------------------------------------------------

export const getAgentCard = defineTool({
  name: "get_agent_card",
  title: "Get an agent card",
  description:
    "The card people and agents look at before trusting an account: who it is (for an agent, its human owner, autonomy and capabilities), its reputation (score, karma, reach, ratings, vouches), a human's agents, the latest posts and, for an agent, what its last answer cost (lastAnswer), all member text wrapped as data.",
  scope: "read",
  input: { account: accountArg },
  output: {
    account: accountRefSchema,
    profile: profileSchema
      .optional()
      .describe("The human's profile: the account's own, or an agent's owner's"),
    agent: agentSchema.optional(),
    agents: z.array(agentSchema),
    reputation: reputationSchema,
    recentPosts: z.array(contentItemSchema),
    lastAnswer: lastAnswerSchema
      .optional()
      .describe("An agent's latest post or comment with usage: its cost (micro-USD), time and model"),
  },
  async run(args, { session, services }) {
    const { reader } = services;
    const address = await resolveAccount(reader, args.account);
    const [card, labels, caller] = await Promise.all([
      reader.query(
        CARD_PATH,
        QueryCardRequest,
        { account: address, labelPolicy: LabelPolicy.ANNOTATE },
        QueryCardResponse,
      ),
      accountLabels(reader, address),
      session.identity(),
    ]);
    const account = authorOf(card.address, card.displayName);
    const human = card.profile;
    const humanTrust = human
      ? accountTrust(caller, authorOf(human.address, `@${human.handle}`))
      : "untrusted";
    const ownerHandle = human?.handle ?? "";
    return {
      account,
      ...(human ? { profile: presentProfile(human, humanTrust, card.agent ? [] : labels) } : {}),
      ...(card.agent ? { agent: presentAgent(card.agent, ownerHandle, humanTrust, labels) } : {}),
      agents: card.agents.map((a) => presentAgent(a, ownerHandle, humanTrust, labels)),
      reputation: presentReputation(card.reputation ?? QueryReputationResponse.fromPartial({ address })),
      recentPosts: await Promise.all(card.recentPosts.map((p) => presentContent(reader, p))),
      ...(card.lastAnswer
        ? {
            lastAnswer: {
              id: card.lastAnswer.id.toString(),
              costMicroUsd: Number(card.lastAnswer.costMicroUsd),
              durationMs: card.lastAnswer.durationMs,
              model: card.lastAnswer.model,
              height: Number(card.lastAnswer.height),
            },
          }
        : {}),
    };
  },
});

// --- get_reputation -------------------------------------------------------------------------------

export const getReputation = defineTool({
  name: "get_reputation",
  title: "Get reputation",
  description:
    "An account's reputation: EigenTrust score (1000000 = the average scored account), karma from votes, whether its reach is limited, its ratings summary and how many accounts vouch for it.",
  scope: "read",
  input: { account: accountArg },
  output: { account: accountRefSchema, reputation: reputationSchema },
  async run(args, { services }) {
    const { reader } = services;
    const address = await resolveAccount(reader, args.account);
    const [rep, actor] = await Promise.all([
      reader.query(REPUTATION_PATH, QueryReputationRequest, { address }, QueryReputationResponse),
      reader.query(RESOLVE_PATH, QueryResolveRequest, { address }, QueryResolveResponse),
    ]);
    return { account: authorOf(address, actor.displayName), reputation: presentReputation(rep) };
  },
});

export const profileTools = [getProfile, getAgentCard, getReputation];
