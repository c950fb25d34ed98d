/**
 * The module's genesis section, `app_state.reputation` (every field optional):
 *
 *   {
 *     "params": {                                  // every field optional; defaults in params.ts
 *       "authority": "vivim1...",                  // default: the gov module account
 *       "epoch_blocks": "100",
 *       "pretrust_weight_ppm": 150000,
 *       "eigentrust_iterations": 20,
 *       "max_rater_influence_ppm": 250000,
 *       "owner_share_of_agent_ppm": 200000,
 *       "full_reach_score": "500000",
 *       "full_reach_karma": "10",
 *       "attestation_weight": 2,
 *       "rating_rate_max": 20,
 *       "rating_rate_window_seconds": 3600
 *     },
 *     "pretrusted": ["vivim1..."],                 // EigenTrust's seed set P (distinct addresses)
 *     "scores": [{ "address": "vivim1...", "score": "1000000" }],   // until the first epoch
 *     "interactions": [{ "a": "vivim1...", "b": "vivim1...", "kinds": ["REPLY", "DM_THREAD"] }],
 *     "ratings": [{ "rater": "vivim1...", "subject": "vivim1...", "helped": true, "stars": 5,
 *                   "comment": "..." }],           // each pair must be listed in interactions
 *     "attestations": [{ "attester": "vivim1...", "subject": "vivim1...", "statement": "..." }]
 *   }
 *
 * Ratings and attestations obey the Msg rules (stars 1-5, text limits, one per pair, nobody rates
 * or vouches within one principal); raters, attesters and subjects must have identity profiles
 * (or be agents) when this section is loaded, which identity's genesis, earlier in module order,
 * provides. Seeded records get created_height 0; no events are emitted at genesis.
 */
import { ADDRESS_PREFIX, decodeAddress } from "../../chain/crypto/address.js";
import { isCodedError } from "../../chain/errors/codes.js";
import { getActor } from "../identity/keeper.js";
import { asArray, asObject, asString, asUint, GenesisFieldError, rejectUnknownKeys } from "../lib/genesis.js";
import type { ExecContext } from "../types.js";
import {
  checkNotSelfDealing,
  checkStars,
  checkText,
  MAX_COMMENT_BYTES,
  MAX_STATEMENT_BYTES,
} from "./checks.js";
import { ensureNode, setPretrusted } from "./graph.js";
import { InteractionKind, recordInteraction } from "./interactions.js";
import { putAttestation, putRating, type RatingInput } from "./keeper.js";
import {
  checkReputationParams,
  DEFAULT_REPUTATION_PARAMS,
  type ReputationParams,
  setReputationParams,
} from "./params.js";
import { setScore } from "./reach.js";

const SECTION = "app_state.reputation";
const MAX_ENTRIES = 1_000_000;
const MAX_SEEDED_SCORE = 1_000_000_000_000n;

export interface ReputationGenesis {
  readonly params: ReputationParams;
  readonly pretrusted: readonly string[];
  readonly scores: ReadonlyArray<{ readonly address: string; readonly score: bigint }>;
  readonly interactions: ReadonlyArray<{ readonly a: string; readonly b: string; readonly kinds: number[] }>;
  readonly ratings: readonly RatingInput[];
  readonly attestations: ReadonlyArray<{
    readonly attester: string;
    readonly subject: string;
    readonly statement: string;
  }>;
}

function address(value: unknown, field: string): string {
  const a = asString(value, field);
  try {
    decodeAddress(a);
  } catch {
    throw new GenesisFieldError(field, `not a valid ${ADDRESS_PREFIX} address`);
  }
  return a;
}

/** Runs a Msg-rule check, turning its CodedError into a GenesisFieldError on `field`. */
function rule(field: string, check: () => void): void {
  try {
    check();
  } catch (err) {
    if (isCodedError(err)) throw new GenesisFieldError(field, err.log);
    throw err;
  }
}

const PARAM_FIELDS: ReadonlyArray<[keyof ReputationParams, string, "big" | "num"]> = [
  ["epochBlocks", "epoch_blocks", "big"],
  ["pretrustWeightPpm", "pretrust_weight_ppm", "num"],
  ["eigentrustIterations", "eigentrust_iterations", "num"],
  ["maxRaterInfluencePpm", "max_rater_influence_ppm", "num"],
  ["ownerShareOfAgentPpm", "owner_share_of_agent_ppm", "num"],
  ["fullReachScore", "full_reach_score", "big"],
  ["fullReachKarma", "full_reach_karma", "big"],
  ["attestationWeight", "attestation_weight", "num"],
  ["ratingRateMax", "rating_rate_max", "num"],
  ["ratingRateWindowSeconds", "rating_rate_window_seconds", "num"],
];

function parseParams(value: unknown): ReputationParams {
  const field = `${SECTION}.params`;
  if (value === undefined) return { ...DEFAULT_REPUTATION_PARAMS };
  const p = asObject(value, field);
  rejectUnknownKeys(p, ["authority", ...PARAM_FIELDS.map(([, snake]) => snake)], field);
  const out: Record<string, unknown> = { ...DEFAULT_REPUTATION_PARAMS };
  if (p.authority !== undefined) out.authority = address(p.authority, `${field}.authority`);
  for (const [name, snake, kind] of PARAM_FIELDS) {
    if (p[snake] === undefined) continue;
    const v = asUint(p[snake], `${field}.${snake}`);
    if (kind === "num" && v > 0xffffffffn)
      throw new GenesisFieldError(`${field}.${snake}`, "must fit in 32 bits");
    out[name] = kind === "big" ? v : Number(v);
  }
  const params = out as unknown as ReputationParams;
  const bad = checkReputationParams(params);
  if (bad) throw new GenesisFieldError(`${field}.${bad[0]}`, bad[1]);
  return params;
}

const KIND_NAMES: Record<string, InteractionKind> = {
  REPLY: InteractionKind.REPLY,
  BOUNTY: InteractionKind.BOUNTY,
  DM_THREAD: InteractionKind.DM_THREAD,
};

const pairKey = (a: string, b: string) => (a < b ? `${a}|${b}` : `${b}|${a}`);

export function parseReputationGenesis(state: unknown): ReputationGenesis {
  const g = asObject(state ?? {}, SECTION);
  rejectUnknownKeys(
    g,
    ["params", "pretrusted", "scores", "interactions", "ratings", "attestations"],
    SECTION,
  );
  const params = parseParams(g.params);

  const seenPretrusted = new Set<string>();
  const pretrusted = asArray(g.pretrusted ?? [], `${SECTION}.pretrusted`, 10_000).map((v, i) => {
    const field = `${SECTION}.pretrusted[${i}]`;
    const a = address(v, field);
    if (seenPretrusted.has(a)) throw new GenesisFieldError(field, "duplicates an earlier entry");
    seenPretrusted.add(a);
    return a;
  });

  const seenScores = new Set<string>();
  const scores = asArray(g.scores ?? [], `${SECTION}.scores`, MAX_ENTRIES).map((v, i) => {
    const field = `${SECTION}.scores[${i}]`;
    const o = asObject(v, field);
    rejectUnknownKeys(o, ["address", "score"], field);
    const a = address(o.address, `${field}.address`);
    if (seenScores.has(a)) throw new GenesisFieldError(`${field}.address`, "duplicates an earlier entry");
    seenScores.add(a);
    const score = asUint(o.score, `${field}.score`);
    if (score > MAX_SEEDED_SCORE)
      throw new GenesisFieldError(`${field}.score`, `must be at most ${MAX_SEEDED_SCORE}`);
    return { address: a, score };
  });

  const pairs = new Set<string>();
  const interactions = asArray(g.interactions ?? [], `${SECTION}.interactions`, MAX_ENTRIES).map((v, i) => {
    const field = `${SECTION}.interactions[${i}]`;
    const o = asObject(v, field);
    rejectUnknownKeys(o, ["a", "b", "kinds"], field);
    const a = address(o.a, `${field}.a`);
    const b = address(o.b, `${field}.b`);
    if (a === b) throw new GenesisFieldError(`${field}.b`, "an interaction needs two different accounts");
    const kinds = asArray(o.kinds ?? ["REPLY"], `${field}.kinds`, 3).map((k, j) => {
      const kind = KIND_NAMES[asString(k, `${field}.kinds[${j}]`)];
      if (kind === undefined)
        throw new GenesisFieldError(`${field}.kinds[${j}]`, "must be REPLY, BOUNTY or DM_THREAD");
      return kind;
    });
    if (kinds.length === 0) throw new GenesisFieldError(`${field}.kinds`, "must name at least one kind");
    pairs.add(pairKey(a, b));
    return { a, b, kinds };
  });

  const rated = new Set<string>();
  const ratings = asArray(g.ratings ?? [], `${SECTION}.ratings`, MAX_ENTRIES).map((v, i): RatingInput => {
    const field = `${SECTION}.ratings[${i}]`;
    const o = asObject(v, field);
    rejectUnknownKeys(o, ["rater", "subject", "helped", "stars", "comment"], field);
    const rater = address(o.rater, `${field}.rater`);
    const subject = address(o.subject, `${field}.subject`);
    if (rater === subject) throw new GenesisFieldError(`${field}.subject`, "cannot rate oneself");
    if (typeof o.helped !== "boolean")
      throw new GenesisFieldError(`${field}.helped`, "must be true or false");
    const stars = Number(asUint(o.stars, `${field}.stars`));
    rule(`${field}.stars`, () => checkStars(stars));
    const comment = o.comment === undefined ? "" : asString(o.comment, `${field}.comment`);
    rule(`${field}.comment`, () => checkText(comment, MAX_COMMENT_BYTES, "comment"));
    if (!pairs.has(pairKey(rater, subject)))
      throw new GenesisFieldError(field, "rater and subject must have an interaction listed in interactions");
    const k = `${rater}|${subject}`;
    if (rated.has(k)) throw new GenesisFieldError(field, "duplicates an earlier rating of the same pair");
    rated.add(k);
    return { rater, subject, helped: o.helped, stars, comment };
  });

  const vouched = new Set<string>();
  const attestations = asArray(g.attestations ?? [], `${SECTION}.attestations`, MAX_ENTRIES).map((v, i) => {
    const field = `${SECTION}.attestations[${i}]`;
    const o = asObject(v, field);
    rejectUnknownKeys(o, ["attester", "subject", "statement"], field);
    const attester = address(o.attester, `${field}.attester`);
    const subject = address(o.subject, `${field}.subject`);
    if (attester === subject) throw new GenesisFieldError(`${field}.subject`, "cannot vouch for oneself");
    const statement = o.statement === undefined ? "" : asString(o.statement, `${field}.statement`);
    rule(`${field}.statement`, () => checkText(statement, MAX_STATEMENT_BYTES, "statement"));
    const k = `${attester}|${subject}`;
    if (vouched.has(k))
      throw new GenesisFieldError(field, "duplicates an earlier attestation of the same pair");
    vouched.add(k);
    return { attester, subject, statement };
  });

  return { params, pretrusted, scores, interactions, ratings, attestations };
}

function registeredPair(ctx: ExecContext, from: string, to: string, field: string): void {
  const a = getActor(ctx.store, from);
  const b = getActor(ctx.store, to);
  if (!a) throw new GenesisFieldError(field, `${from} has no identity profile`);
  if (!b) throw new GenesisFieldError(field, `${to} has no identity profile`);
  rule(field, () => checkNotSelfDealing(a, b));
}

export function initReputationGenesis(ctx: ExecContext, state: unknown): void {
  const g = parseReputationGenesis(state);
  const store = ctx.store;
  setReputationParams(store, g.params);
  setPretrusted(store, g.pretrusted);
  for (const s of g.scores) {
    ensureNode(store, decodeAddress(s.address));
    setScore(store, s.address, s.score);
  }
  for (const it of g.interactions) for (const kind of it.kinds) recordInteraction(ctx, it.a, it.b, kind);
  g.ratings.forEach((r, i) => {
    registeredPair(ctx, r.rater, r.subject, `${SECTION}.ratings[${i}]`);
    putRating(store, r, ctx.block.height);
  });
  g.attestations.forEach((a, i) => {
    registeredPair(ctx, a.attester, a.subject, `${SECTION}.attestations[${i}]`);
    putAttestation(store, a, ctx.block.height);
  });
}
