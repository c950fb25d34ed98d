/**
 * `GET /vivim/social/v1/votes/{voter}?target_ids=1,2,3` — the voter's standing votes on up to 100
 * posts or comments in one query (the social module's `Votes`), so a feed page highlights the
 * viewer's own votes with one request instead of one per card. Answers
 * `{ votes: [{ target_id, direction }] }`, listing only the targets voted on. A bad voter address or
 * a missing, malformed or over-long id list is a 400 (`{ code: 3, message }`).
 */
import { SOCIAL_QUERY_PATHS } from "../../../contracts/social/query.js";
import {
  MAX_VOTE_TARGETS,
  QueryVotesRequest,
  QueryVotesResponse,
} from "../../../contracts/social/query-votes.js";
import { badRequest } from "../http.js";
import { addressParam } from "../params.js";
import type { Route } from "../router.js";
import { moduleQueryRoute } from "./module-query.js";

/** The longest `target_ids` text accepted: 100 ids of up to 20 digits and their commas. */
const MAX_IDS_TEXT = MAX_VOTE_TARGETS * 21;
const ID = /^[1-9]\d{0,19}$/;

/** `target_ids`: 1–100 comma-separated positive uint64 ids. */
export function targetIdsParam(query: URLSearchParams): bigint[] {
  const text = query.get("target_ids") ?? "";
  if (!text) throw badRequest("target_ids is required: comma-separated content ids");
  if (text.length > MAX_IDS_TEXT) throw badRequest(`target_ids names at most ${MAX_VOTE_TARGETS} ids`);
  const parts = text.split(",");
  if (parts.length > MAX_VOTE_TARGETS) throw badRequest(`target_ids names at most ${MAX_VOTE_TARGETS} ids`);
  return parts.map((p) => {
    if (!ID.test(p) || BigInt(p) >= 2n ** 64n) throw badRequest("target_ids must be positive integer ids");
    return BigInt(p);
  });
}

export const socialVotesRoute: Route = moduleQueryRoute({
  name: "social.votes",
  pattern: /^\/vivim\/social\/v1\/votes\/([^/]+)$/,
  path: SOCIAL_QUERY_PATHS.Votes,
  request: QueryVotesRequest,
  response: QueryVotesResponse,
  build: (req) => ({ voter: addressParam(req.params[0] ?? ""), targetIds: targetIdsParam(req.query) }),
});
