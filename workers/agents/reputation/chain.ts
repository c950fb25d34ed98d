/**
 * The reputation agent's chain reads: who an account is (identity Resolve: human or agent, its
 * owner, its handle, when it registered), its EigenTrust score (reputation Reputation), and its
 * rating and vouch edges (RatingsBy, RatingsOf, Attestations), written into the Redis graph
 * (store.ts) at the height they were read. Capped: at most MAX_EDGE_PAGES pages of 100 a list.
 */
import type { Redis } from "ioredis";
import { ActorKind, QueryResolveRequest, QueryResolveResponse } from "../../../contracts/identity/query.js";
import { AgentStatus } from "../../../contracts/identity/records.js";
import {
  QueryAttestationsRequest,
  QueryAttestationsResponse,
  QueryRatingsByRequest,
  QueryRatingsByResponse,
  QueryRatingsOfRequest,
  QueryRatingsOfResponse,
  QueryReputationRequest,
  QueryReputationResponse,
} from "../../../contracts/reputation/query.js";
import type { Rating } from "../../../contracts/reputation/records.js";
import type { ChainQuery } from "../feed/chain.js";
import { markEdgesRead, readVersion, setAccount, setRating, setVouch } from "./store.js";

const PATHS = {
  resolve: "/vivim.identity.v1.Query/Resolve",
  reputation: "/vivim.reputation.v1.Query/Reputation",
  ratingsBy: "/vivim.reputation.v1.Query/RatingsBy",
  ratingsOf: "/vivim.reputation.v1.Query/RatingsOf",
  attestations: "/vivim.reputation.v1.Query/Attestations",
} as const;

const PAGE = 100n;
/** The most pages of one edge list read per account (500 ratings each way). */
export const MAX_EDGE_PAGES = 5;

async function pages(next: (key: Uint8Array) => Promise<Uint8Array | undefined>): Promise<void> {
  let key = new Uint8Array();
  for (let i = 0; i < MAX_EDGE_PAGES; i++) {
    const after = await next(key);
    if (!after || after.length === 0) return;
    key = new Uint8Array(after);
  }
}

const safe = (n: bigint) => (n > BigInt(Number.MAX_SAFE_INTEGER) ? Number.MAX_SAFE_INTEGER : Number(n));

/** Reads who `address` is and its score into the graph; returns the height read at. */
export async function readAccount(redis: Redis, chain: ChainQuery, address: string): Promise<number> {
  const [who, rep] = await Promise.all([
    chain.query(PATHS.resolve, QueryResolveRequest, { address }, QueryResolveResponse),
    chain.query(PATHS.reputation, QueryReputationRequest, { address }, QueryReputationResponse),
  ]);
  const height = Math.min(who.height, rep.height);
  const r = who.value;
  const kind = r.kind === ActorKind.HUMAN ? "human" : r.kind === ActorKind.AGENT ? "agent" : "none";
  const createdAt =
    kind === "human"
      ? safe(r.profile?.createdAt ?? 0n)
      : kind === "agent"
        ? safe(r.agent?.createdAt ?? 0n)
        : 0;
  await setAccount(redis, address, readVersion(height), {
    kind,
    owner: kind === "agent" ? (r.agent?.owner ?? "") : "",
    name: r.displayName.slice(0, 100),
    createdAt,
    score: safe(rep.value.score),
    readAt: height,
    retired: kind === "agent" && r.agent?.status === AgentStatus.RETIRED,
  });
  return height;
}

const edge = (r: Rating) => ({
  rater: r.rater,
  subject: r.subject,
  stars: r.stars,
  helped: r.helped,
  seq: safe(r.seq),
});

/** Reads `address`'s ratings (both ways) and the vouches for it into the graph; returns how many. */
export async function readEdges(redis: Redis, chain: ChainQuery, address: string): Promise<number> {
  let n = 0;
  let height = Number.MAX_SAFE_INTEGER;
  const put = async (ratings: Rating[]) => {
    for (const r of ratings) {
      if (r.rater === r.subject || r.stars < 1 || r.stars > 5 || r.seq < 1n) continue;
      await setRating(redis, edge(r));
      n += 1;
    }
  };
  await pages(async (key) => {
    const r = await chain.query(
      PATHS.ratingsBy,
      QueryRatingsByRequest,
      { rater: address, pagination: { limit: PAGE, key } },
      QueryRatingsByResponse,
    );
    height = Math.min(height, r.height);
    await put(r.value.ratings);
    return r.value.pagination?.nextKey;
  });
  await pages(async (key) => {
    const r = await chain.query(
      PATHS.ratingsOf,
      QueryRatingsOfRequest,
      { subject: address, pagination: { limit: PAGE, key } },
      QueryRatingsOfResponse,
    );
    height = Math.min(height, r.height);
    await put(r.value.ratings);
    return r.value.pagination?.nextKey;
  });
  await pages(async (key) => {
    const r = await chain.query(
      PATHS.attestations,
      QueryAttestationsRequest,
      { subject: address, pagination: { limit: PAGE, key } },
      QueryAttestationsResponse,
    );
    height = Math.min(height, r.height);
    for (const a of r.value.attestations) {
      if (a.attester === a.subject) continue;
      await setVouch(redis, {
        attester: a.attester,
        subject: a.subject,
        active: true,
        version: readVersion(r.height),
      });
      n += 1;
    }
    return r.value.pagination?.nextKey;
  });
  await markEdgesRead(redis, address, height === Number.MAX_SAFE_INTEGER ? 0 : height);
  return n;
}
