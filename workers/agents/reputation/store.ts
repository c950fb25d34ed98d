/**
 * The rating graph in Redis: a cache of the chain's ratings, vouches and identities that the
 * reputation agent reads its neighbourhoods from (the chain remakes it: `hydrate` in chain.ts reads
 * an account's edges the first time the agent looks at it, and `clearGraph` empties it).
 *
 * Keys live under `vivim:reputation:graph:` (beside BullMQ's `vivim:reputation:<job>` keys of the
 * queue, which never contain ":graph:"):
 * - `out:<rater>` hash subject → "seq:stars:helped"; `in:<subject>` hash rater → the same;
 * - `vout:<attester>` / `vin:<subject>` hashes: the other side → version (negative once revoked);
 * - `acct:<address>` hash: kind, owner, name, createdAt, score, readAt (height read), version;
 * - `edges:<address>`: the height at which the account's edges were read from the chain.
 *
 * Every write is a Lua script that applies only when newer (a rating's seq, an event's
 * `height * EVENT_SLOTS + index`, a chain read's height): replaying a job changes nothing.
 */
import type { Redis } from "ioredis";
import { EVENT_SLOTS } from "../feed/plan.js";
import type { AccountInfo, GraphRating, GraphVouch } from "./detect.js";
import type { OwnerChange, RatingEdge, VouchEdge } from "./plan.js";

export const GRAPH_KEY_PREFIX = "vivim:reputation:graph:";

export const graphKeys = {
  out: (a: string) => `${GRAPH_KEY_PREFIX}out:${a}`,
  in: (a: string) => `${GRAPH_KEY_PREFIX}in:${a}`,
  vout: (a: string) => `${GRAPH_KEY_PREFIX}vout:${a}`,
  vin: (a: string) => `${GRAPH_KEY_PREFIX}vin:${a}`,
  account: (a: string) => `${GRAPH_KEY_PREFIX}acct:${a}`,
  edges: (a: string) => `${GRAPH_KEY_PREFIX}edges:${a}`,
};

/** The version of something read from the chain at `height`: newer than every event of that block. */
export const readVersion = (height: number) => height * EVENT_SLOTS + (EVENT_SLOTS - 1);

// KEYS: out:<rater>, in:<subject>; ARGV: rater, subject, seq, value
const SET_RATING = `
local old = redis.call('HGET', KEYS[1], ARGV[2])
local seq = old and tonumber(string.match(old, '^(%d+)'))
if seq and seq >= tonumber(ARGV[3]) then return 0 end
redis.call('HSET', KEYS[1], ARGV[2], ARGV[4])
redis.call('HSET', KEYS[2], ARGV[1], ARGV[4])
return 1`;

// KEYS: vout:<attester>, vin:<subject>; ARGV: attester, subject, signed version
const SET_VOUCH = `
local old = tonumber(redis.call('HGET', KEYS[1], ARGV[2]) or '0')
local new = tonumber(ARGV[3])
if math.abs(new) <= math.abs(old) then return 0 end
redis.call('HSET', KEYS[1], ARGV[2], ARGV[3])
redis.call('HSET', KEYS[2], ARGV[1], ARGV[3])
return 1`;

// KEYS: acct:<address>; ARGV: version, field, value, ...
const SET_ACCOUNT = `
local v = tonumber(redis.call('HGET', KEYS[1], 'version') or '-1')
if tonumber(ARGV[1]) <= v then return 0 end
redis.call('HSET', KEYS[1], 'version', ARGV[1], unpack(ARGV, 2))
return 1`;

interface GraphCommands {
  repSetRating(k1: string, k2: string, ...argv: string[]): Promise<number>;
  repSetVouch(k1: string, k2: string, ...argv: string[]): Promise<number>;
  repSetAccount(k1: string, ...argv: string[]): Promise<number>;
}

const defined = new WeakSet<Redis>();

function withScripts(redis: Redis): Redis & GraphCommands {
  if (!defined.has(redis)) {
    redis.defineCommand("repSetRating", { numberOfKeys: 2, lua: SET_RATING });
    redis.defineCommand("repSetVouch", { numberOfKeys: 2, lua: SET_VOUCH });
    redis.defineCommand("repSetAccount", { numberOfKeys: 1, lua: SET_ACCOUNT });
    defined.add(redis);
  }
  return redis as Redis & GraphCommands;
}

export async function setRating(redis: Redis, r: RatingEdge): Promise<boolean> {
  const value = `${r.seq}:${r.stars}:${r.helped ? 1 : 0}`;
  const n = await withScripts(redis).repSetRating(
    graphKeys.out(r.rater),
    graphKeys.in(r.subject),
    r.rater,
    r.subject,
    String(r.seq),
    value,
  );
  return n === 1;
}

export async function setVouch(redis: Redis, v: VouchEdge): Promise<boolean> {
  const n = await withScripts(redis).repSetVouch(
    graphKeys.vout(v.attester),
    graphKeys.vin(v.subject),
    v.attester,
    v.subject,
    String(v.active ? v.version : -v.version),
  );
  return n === 1;
}

/** What is known of an account, as of `version`; fields left out keep their stored value. */
export interface AccountWrite {
  readonly kind?: AccountInfo["kind"];
  readonly owner?: string;
  readonly name?: string;
  readonly createdAt?: number;
  readonly score?: number;
  readonly readAt?: number;
  readonly retired?: boolean;
}

export async function setAccount(
  redis: Redis,
  address: string,
  version: number,
  w: AccountWrite,
): Promise<boolean> {
  const fields: string[] = [];
  for (const [k, v] of Object.entries(w)) if (v !== undefined) fields.push(k, String(v));
  if (fields.length === 0) return false;
  const n = await withScripts(redis).repSetAccount(graphKeys.account(address), String(version), ...fields);
  return n === 1;
}

/** An agent registered, transferred or retired (from the block's identity event). */
export async function setOwner(redis: Redis, c: OwnerChange): Promise<boolean> {
  return setAccount(redis, c.agent, c.version, {
    kind: "agent",
    owner: c.owner,
    retired: c.retired,
    ...(c.handle ? { name: `@${c.handle}` } : {}),
  });
}

export interface StoredAccount extends AccountInfo {
  /** The height the account was last read from the chain at (0: never). */
  readonly readAt: number;
}

const num = (s: string | undefined, fallback: number) => {
  const n = Number(s);
  return s !== undefined && s !== "" && Number.isFinite(n) ? n : fallback;
};

export async function getAccount(redis: Redis, address: string): Promise<StoredAccount | undefined> {
  const h = await redis.hgetall(graphKeys.account(address));
  if (!h.version) return undefined;
  const kind = h.kind === "human" || h.kind === "agent" ? h.kind : "none";
  return {
    address,
    kind,
    owner: h.owner ?? "",
    name: h.name ?? "",
    createdAt: num(h.createdAt, 0),
    score: num(h.score, -1),
    readAt: num(h.readAt, 0),
  };
}

function parseRating(rater: string, subject: string, v: string): GraphRating | undefined {
  const m = /^(\d{1,16}):([1-5]):([01])$/.exec(v);
  if (!m) return undefined;
  return { rater, subject, seq: Number(m[1]), stars: Number(m[2]), helped: m[3] === "1" };
}

/** The ratings out of and into `address`. */
export async function getRatings(
  redis: Redis,
  address: string,
): Promise<{ out: GraphRating[]; in: GraphRating[] }> {
  const [o, i] = await Promise.all([
    redis.hgetall(graphKeys.out(address)),
    redis.hgetall(graphKeys.in(address)),
  ]);
  const out: GraphRating[] = [];
  const inn: GraphRating[] = [];
  for (const [subject, v] of Object.entries(o)) {
    const r = parseRating(address, subject, v);
    if (r) out.push(r);
  }
  for (const [rater, v] of Object.entries(i)) {
    const r = parseRating(rater, address, v);
    if (r) inn.push(r);
  }
  return { out, in: inn };
}

/** The active vouches out of and into `address`. */
export async function getVouches(redis: Redis, address: string): Promise<GraphVouch[]> {
  const [o, i] = await Promise.all([
    redis.hgetall(graphKeys.vout(address)),
    redis.hgetall(graphKeys.vin(address)),
  ]);
  const out: GraphVouch[] = [];
  for (const [subject, v] of Object.entries(o)) if (Number(v) > 0) out.push({ attester: address, subject });
  for (const [attester, v] of Object.entries(i)) if (Number(v) > 0) out.push({ attester, subject: address });
  return out;
}

/** The height `address`'s edges were read from the chain at, or 0. */
export async function edgesReadAt(redis: Redis, address: string): Promise<number> {
  return num((await redis.get(graphKeys.edges(address))) ?? undefined, 0);
}

export async function markEdgesRead(redis: Redis, address: string, height: number): Promise<void> {
  await redis.set(graphKeys.edges(address), String(height));
}

/** Empties the graph (not the queue): the agent reads it back from the chain as it looks around. */
export async function clearGraph(redis: Redis): Promise<number> {
  let cursor = "0";
  let n = 0;
  do {
    const [next, found] = await redis.scan(cursor, "MATCH", `${GRAPH_KEY_PREFIX}*`, "COUNT", 1000);
    cursor = next;
    if (found.length > 0) n += await redis.unlink(...found);
  } while (cursor !== "0");
  return n;
}
