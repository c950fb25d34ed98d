/**
 * The reputation agent's detectors: pure functions over a small rating graph (the part of the
 * chain's ratings, vouches and agent ownership the agent read around the accounts a block touched).
 *
 * - Rating rings: cycles of 2..4 accounts where every edge is a high rating (≥ 4 stars and
 *   "helped"): mutual five-star pairs, triangles, squares.
 * - Self-dealing: a favourable rating (≥ 4 stars or "helped") or a vouch within one owner: an
 *   owner rating its own agent, an agent rating its owner (both a direct ownership link: high
 *   confidence), or an agent rating a sibling agent of the same owner (low). The chain refuses
 *   these when they are made; they appear when an agent is transferred to the owner of an account
 *   it rated or that rated it.
 * - Sybil clusters: at least `minCluster` raters that each are suspect (an agent sharing its owner
 *   with another rater of the cluster, or an account both young and low in reputation) whose high
 *   ratings all go to the cluster's common targets (subjects at least `minCluster` of them rate)
 *   or to each other.
 */

/** What the graph knows of an account (from the identity and reputation queries). */
export interface AccountInfo {
  readonly address: string;
  /** `@handle`, `@owner/agent`, or "" when the account has no identity. */
  readonly name: string;
  readonly kind: "human" | "agent" | "none";
  /** An agent's owner ("" otherwise). */
  readonly owner: string;
  /** Unix seconds the profile or agent was registered (0: unknown). */
  readonly createdAt: number;
  /** EigenTrust score of the last epoch (the average scored account has 1_000_000); -1: unknown. */
  readonly score: number;
}

export interface GraphRating {
  readonly rater: string;
  readonly subject: string;
  readonly stars: number;
  readonly helped: boolean;
  readonly seq: number;
}

export interface GraphVouch {
  readonly attester: string;
  readonly subject: string;
}

export interface RatingGraph {
  readonly accounts: ReadonlyMap<string, AccountInfo>;
  /** rater → subject → rating. */
  readonly out: ReadonlyMap<string, ReadonlyMap<string, GraphRating>>;
  /** subject → rater → rating. */
  readonly in: ReadonlyMap<string, ReadonlyMap<string, GraphRating>>;
  readonly vouches: readonly GraphVouch[];
}

export function buildGraph(
  accounts: Iterable<AccountInfo>,
  ratings: Iterable<GraphRating>,
  vouches: Iterable<GraphVouch> = [],
): RatingGraph {
  const out = new Map<string, Map<string, GraphRating>>();
  const inn = new Map<string, Map<string, GraphRating>>();
  for (const r of ratings) {
    if (r.rater === r.subject) continue;
    const o = out.get(r.rater) ?? new Map<string, GraphRating>();
    const prev = o.get(r.subject);
    if (prev && prev.seq >= r.seq) continue;
    o.set(r.subject, r);
    out.set(r.rater, o);
    const i = inn.get(r.subject) ?? new Map<string, GraphRating>();
    i.set(r.rater, r);
    inn.set(r.subject, i);
  }
  const seen = new Set<string>();
  const vs: GraphVouch[] = [];
  for (const v of vouches) {
    const k = `${v.attester}>${v.subject}`;
    if (v.attester === v.subject || seen.has(k)) continue;
    seen.add(k);
    vs.push(v);
  }
  return { accounts: new Map([...accounts].map((a) => [a.address, a])), out, in: inn, vouches: vs };
}

export interface DetectorParams {
  /** Longest rating cycle looked for (2..4). */
  readonly maxCycle: number;
  /** Fewest raters that make a sybil cluster. */
  readonly minCluster: number;
  /** An account registered less than this long before the block is young. */
  readonly youngSeconds: number;
  /** A score below this (and unknown scores of young accounts) is low. */
  readonly lowScore: number;
  /** At most this many edges followed out of one account, and findings of one kind per call. */
  readonly maxDegree: number;
  readonly maxFindings: number;
}

export const DEFAULT_DETECTOR_PARAMS: DetectorParams = {
  maxCycle: 4,
  minCluster: 3,
  youngSeconds: 7 * 86_400,
  lowScore: 500_000,
  maxDegree: 64,
  maxFindings: 32,
};

/** A high rating: what rings and sybil clusters are made of. */
export const isHigh = (r: GraphRating): boolean => r.stars >= 4 && r.helped;
/** A favourable rating: what self-dealing is about (a low rating of one's own agent boosts nothing). */
export const isFavourable = (r: GraphRating): boolean => r.stars >= 4 || r.helped;

export interface RingFinding {
  readonly rule: "rating-ring";
  /** The cycle, starting at its smallest address, in rating direction. */
  readonly members: readonly string[];
  readonly edges: readonly GraphRating[];
}

export type SelfDealingKind = "owner-rates-agent" | "agent-rates-owner" | "agent-rates-sibling";

export interface SelfDealingFinding {
  readonly rule: "self-dealing";
  readonly kind: SelfDealingKind;
  readonly via: "rating" | "vouch";
  readonly rater: string;
  readonly subject: string;
  readonly owner: string;
  /** The rating's stars (0 for a vouch). */
  readonly stars: number;
  /** A direct owner ↔ agent link. */
  readonly direct: boolean;
}

export interface SybilFinding {
  readonly rule: "sybil-cluster";
  /** Sorted. */
  readonly members: readonly string[];
  /** The subjects at least `minCluster` members rate high, sorted. */
  readonly targets: readonly string[];
  /** Why each member is suspect, by address: "shared-owner" or "young-low". */
  readonly why: Readonly<Record<string, "shared-owner" | "young-low">>;
  readonly edges: readonly GraphRating[];
}

export type Finding = RingFinding | SelfDealingFinding | SybilFinding;

const sorted = <T>(xs: Iterable<T>) => [...xs].sort();

function highOut(g: RatingGraph, a: string, maxDegree: number): GraphRating[] {
  const o = g.out.get(a);
  if (!o) return [];
  return [...o.values()]
    .filter(isHigh)
    .sort((x, y) => (x.subject < y.subject ? -1 : x.subject > y.subject ? 1 : 0))
    .slice(0, maxDegree);
}

/** Every rating cycle of 2..maxCycle accounts through one of `from`, each once. */
export function findRings(
  g: RatingGraph,
  from: readonly string[],
  p: DetectorParams = DEFAULT_DETECTOR_PARAMS,
): RingFinding[] {
  const maxCycle = Math.min(Math.max(p.maxCycle, 2), 4);
  const found = new Map<string, RingFinding>();
  for (const start of sorted(new Set(from))) {
    const path: string[] = [start];
    const edges: GraphRating[] = [];
    const walk = () => {
      if (found.size >= p.maxFindings) return;
      const here = path[path.length - 1]!;
      for (const e of highOut(g, here, p.maxDegree)) {
        if (e.subject === start) {
          if (path.length < 2) continue;
          const all = [...edges, e];
          const i = path.indexOf(sorted(path)[0]!);
          const members = [...path.slice(i), ...path.slice(0, i)];
          const key = members.join(">");
          if (!found.has(key)) {
            const order = [...all.slice(i), ...all.slice(0, i)];
            found.set(key, { rule: "rating-ring", members, edges: order });
          }
        } else if (path.length < maxCycle && !path.includes(e.subject)) {
          path.push(e.subject);
          edges.push(e);
          walk();
          path.pop();
          edges.pop();
        }
      }
    };
    walk();
  }
  return [...found.values()].sort((a, b) => (a.members.join() < b.members.join() ? -1 : 1));
}

/** Whom `a` answers to: itself, or its owner. */
function principal(g: RatingGraph, a: string): string {
  const info = g.accounts.get(a);
  return info?.kind === "agent" && info.owner ? info.owner : a;
}

function selfDealing(
  g: RatingGraph,
  rater: string,
  subject: string,
  via: "rating" | "vouch",
  stars: number,
): SelfDealingFinding | undefined {
  const r = g.accounts.get(rater);
  const s = g.accounts.get(subject);
  if (!r || !s || r.kind === "none" || s.kind === "none") return undefined;
  const owner = principal(g, rater);
  if (owner !== principal(g, subject)) return undefined;
  const kind: SelfDealingKind =
    r.kind === "human"
      ? "owner-rates-agent"
      : s.kind === "human"
        ? "agent-rates-owner"
        : "agent-rates-sibling";
  return {
    rule: "self-dealing",
    kind,
    via,
    rater,
    subject,
    owner,
    stars,
    direct: kind !== "agent-rates-sibling",
  };
}

/** Favourable ratings and vouches into or out of one of `from` that stay within one owner. */
export function findSelfDealing(
  g: RatingGraph,
  from: readonly string[],
  p: DetectorParams = DEFAULT_DETECTOR_PARAMS,
): SelfDealingFinding[] {
  const found = new Map<string, SelfDealingFinding>();
  const add = (f: SelfDealingFinding | undefined) => {
    if (f && found.size < p.maxFindings) found.set(`${f.via}:${f.rater}>${f.subject}`, f);
  };
  const starts = new Set(from);
  for (const a of sorted(starts)) {
    for (const r of g.out.get(a)?.values() ?? [])
      if (isFavourable(r)) add(selfDealing(g, a, r.subject, "rating", r.stars));
    for (const r of g.in.get(a)?.values() ?? [])
      if (isFavourable(r)) add(selfDealing(g, r.rater, a, "rating", r.stars));
  }
  for (const v of g.vouches)
    if (starts.has(v.attester) || starts.has(v.subject))
      add(selfDealing(g, v.attester, v.subject, "vouch", 0));
  return [...found.values()].sort((x, y) =>
    `${x.via}:${x.rater}>${x.subject}` < `${y.via}:${y.rater}>${y.subject}` ? -1 : 1,
  );
}

function youngAndLow(info: AccountInfo | undefined, now: number, p: DetectorParams): boolean {
  if (!info || info.kind === "none" || info.createdAt <= 0) return false;
  const young = now - info.createdAt < p.youngSeconds;
  const low = info.score >= 0 ? info.score < p.lowScore : true;
  return young && low;
}

/** Sybil clusters among the high raters of each of `targets` (at time `now`, unix seconds). */
export function findSybilClusters(
  g: RatingGraph,
  targets: readonly string[],
  now: number,
  p: DetectorParams = DEFAULT_DETECTOR_PARAMS,
): SybilFinding[] {
  const found = new Map<string, SybilFinding>();
  for (const target of sorted(new Set(targets))) {
    if (found.size >= p.maxFindings) break;
    const raters = [...(g.in.get(target)?.values() ?? [])].filter(isHigh).map((r) => r.rater);
    let cluster = new Set(raters.slice(0, p.maxDegree * 4));
    let why: Record<string, "shared-owner" | "young-low"> = {};
    let common = new Set<string>();
    for (let round = 0; round < 16; round++) {
      // Suspect: shares its owner with another member, or young and low in reputation.
      const owners = new Map<string, number>();
      for (const m of cluster) {
        const info = g.accounts.get(m);
        if (info?.kind === "agent" && info.owner) owners.set(info.owner, (owners.get(info.owner) ?? 0) + 1);
      }
      why = {};
      for (const m of cluster) {
        const info = g.accounts.get(m);
        if (info?.kind === "agent" && info.owner && (owners.get(info.owner) ?? 0) >= 2)
          why[m] = "shared-owner";
        else if (youngAndLow(info, now, p)) why[m] = "young-low";
      }
      const suspects = new Set([...cluster].filter((m) => why[m] !== undefined));
      // Common targets: rated high by at least minCluster suspects.
      const counts = new Map<string, number>();
      for (const m of suspects)
        for (const r of g.out.get(m)?.values() ?? [])
          if (isHigh(r)) counts.set(r.subject, (counts.get(r.subject) ?? 0) + 1);
      common = new Set([...counts].filter(([, n]) => n >= p.minCluster).map(([s]) => s));
      // Focused: every high rating of a member goes to a common target or another member.
      const next = new Set(
        [...suspects].filter((m) =>
          [...(g.out.get(m)?.values() ?? [])]
            .filter(isHigh)
            .every((r) => common.has(r.subject) || suspects.has(r.subject)),
        ),
      );
      const stable = next.size === cluster.size;
      cluster = next;
      if (stable || cluster.size < p.minCluster) break;
    }
    if (cluster.size < p.minCluster || !common.has(target)) continue;
    const members = sorted(cluster);
    const key = members.join(",");
    if (found.has(key)) continue;
    const edges = members.flatMap((m) =>
      [...(g.out.get(m)?.values() ?? [])].filter(
        (r) => isHigh(r) && (common.has(r.subject) || cluster.has(r.subject)),
      ),
    );
    found.set(key, {
      rule: "sybil-cluster",
      members,
      targets: sorted(common),
      why: Object.fromEntries(members.map((m) => [m, why[m]!])),
      edges,
    });
  }
  return [...found.values()];
}

/** Every finding around `from` (the accounts a block touched). */
export function detect(
  g: RatingGraph,
  from: readonly string[],
  now: number,
  p: DetectorParams = DEFAULT_DETECTOR_PARAMS,
): Finding[] {
  const targets = new Set(from);
  for (const a of from) for (const r of g.out.get(a)?.values() ?? []) if (isHigh(r)) targets.add(r.subject);
  return [
    ...findRings(g, from, p),
    ...findSelfDealing(g, from, p),
    ...findSybilClusters(g, [...targets], now, p),
  ];
}
