/**
 * EigenTrust (Kamvar, Schlosser, Garcia-Molina 2003) in fixed point, bit-for-bit the same on every
 * machine: trust is an integer amount out of TRUST_TOTAL = 2^32, normalised local trust is an
 * integer out of SHARE_ONE = 2^20, and every step is an integer product below 2^53 followed by a
 * floor division, done in a fixed order (node index order, then edge order). Doubles hold these
 * integers exactly; no Math.pow/exp/log/sqrt, no order that depends on anything but the arrays.
 *
 *   s_ij  = r_ij + a_ij                     r_ij from i's rating of j: helped → stars − 2,
 *                                           did not help → stars − 6 (0 without a rating);
 *                                           a_ij = attestationWeight if i vouches for j, else 0
 *   w_ij  = max(s_ij, 0)                    (negative experience clipped to 0, as in EigenTrust)
 *   c_ij  = ⌊w_ij · 2^20 / Σ_k w_ik⌋        row-normalised; raters with Σ w = 0 hand out nothing
 *   p     = TRUST_TOTAL spread evenly over the pre-trusted set P (all nodes when P is empty)
 *   t⁰    = p
 *   x_ij  = ⌊t_i · c_ij / 2^20⌋             what rater i passes to j
 *   X_j   = Σ_i x_ij
 *   y_j   = Σ_i min(x_ij, ⌊X_j · κ / 10^6⌋)  κ = maxRaterInfluencePpm: no rater supplies more than
 *                                           κ of j's incoming trust (κ = 10^6 disables the cap)
 *   tᵏ⁺¹_j = ⌊y_j · (10^6 − α) / 10^6⌋ + p-share of R,   α = pretrustWeightPpm,
 *           R = TRUST_TOTAL − Σ_j ⌊y_j · (10^6 − α) / 10^6⌋   (the damping α·T, the trust of raters
 *           with no positive edge, capped excess and rounding dust all restart at the seeds), so
 *           Σ_j tᵏ_j = TRUST_TOTAL at every step; R is spread over P as p is (evenly, the remainder
 *           one unit each to the lowest indices)
 *   iterated a fixed number of times (eigentrustIterations).
 *
 * Then owners inherit: f_o = t_o + Σ_{agents a of o} ⌊t_a · ownerShareOfAgentPpm / 10^6⌋ (agents
 * keep their own t_a), and scores are scaled so the average node scores 1_000_000:
 * score_j = ⌊f_j · 10^6 · n / Σ_k f_k⌋ (bigint).
 */

export const TRUST_TOTAL = 2 ** 32;
export const SHARE_ONE = 2 ** 20;
const PPM = 1_000_000;
export const AVERAGE_SCORE = 1_000_000n;

export interface EigenTrustConfig {
  readonly iterations: number;
  readonly pretrustWeightPpm: number;
  readonly maxRaterInfluencePpm: number;
}

/** Local trust w_ij of one edge from its stored rating byte and attestation flag. */
export function localTrust(rating: number, attested: boolean, attestationWeight: number): number {
  let s = 0;
  if (rating !== 0) {
    const stars = rating & 0x7f;
    s += rating & 0x80 ? stars - 2 : stars - 6;
  }
  if (attested) s += attestationWeight;
  return s > 0 ? s : 0;
}

/** A weighted directed graph in CSR form: rater i's edges are rowStart[i] … rowStart[i+1]-1. */
export interface WeightedGraph {
  readonly n: number;
  readonly rowStart: Int32Array;
  readonly target: Int32Array;
  /** w_ij ≥ 0, small integers (at most a few hundred). */
  readonly weight: Int32Array;
}

function spread(amount: number, over: readonly number[], into: Float64Array): void {
  const k = over.length;
  const each = Math.floor(amount / k);
  let rest = amount - each * k;
  for (const j of over) {
    into[j] = into[j]! + each + (rest > 0 ? 1 : 0);
    rest--;
  }
}

/**
 * Global trust of every node: integers summing to TRUST_TOTAL (an empty array for n = 0).
 * `pretrusted` holds node indices; duplicates and out-of-range entries are ignored.
 */
export function eigenTrust(
  graph: WeightedGraph,
  pretrusted: readonly number[],
  cfg: EigenTrustConfig,
): Float64Array {
  const { n, rowStart, target, weight } = graph;
  if (n === 0) return new Float64Array(0);
  let seeds = [...new Set(pretrusted.filter((i) => Number.isInteger(i) && i >= 0 && i < n))].sort(
    (a, b) => a - b,
  );
  if (seeds.length === 0) seeds = Array.from({ length: n }, (_, i) => i);

  // Normalised local trust: only positive edges, shares of SHARE_ONE per rater.
  const m = rowStart[n]!;
  const share = new Float64Array(m);
  for (let i = 0; i < n; i++) {
    const start = rowStart[i]!;
    const end = rowStart[i + 1]!;
    let total = 0;
    for (let e = start; e < end; e++) total += weight[e]!;
    if (total === 0) continue;
    for (let e = start; e < end; e++) share[e] = Math.floor((weight[e]! * SHARE_ONE) / total);
  }

  const keep = PPM - cfg.pretrustWeightPpm;
  const kappa = cfg.maxRaterInfluencePpm;
  const capped = kappa < PPM;
  let t = new Float64Array(n);
  spread(TRUST_TOTAL, seeds, t);
  let next = new Float64Array(n);
  const incoming = new Float64Array(n);
  const cap = capped ? new Float64Array(n) : incoming;
  for (let k = 0; k < cfg.iterations; k++) {
    incoming.fill(0);
    for (let i = 0; i < n; i++) {
      const ti = t[i]!;
      if (ti === 0) continue;
      const end = rowStart[i + 1]!;
      for (let e = rowStart[i]!; e < end; e++) {
        const c = share[e]!;
        if (c === 0) continue;
        const j = target[e]!;
        incoming[j] = incoming[j]! + Math.floor((ti * c) / SHARE_ONE);
      }
    }
    let y = incoming;
    if (capped) {
      for (let j = 0; j < n; j++) cap[j] = Math.floor((incoming[j]! * kappa) / PPM);
      y = next; // reuse as the capped sums; overwritten below
      y.fill(0);
      for (let i = 0; i < n; i++) {
        const ti = t[i]!;
        if (ti === 0) continue;
        const end = rowStart[i + 1]!;
        for (let e = rowStart[i]!; e < end; e++) {
          const c = share[e]!;
          if (c === 0) continue;
          const j = target[e]!;
          const x = Math.floor((ti * c) / SHARE_ONE);
          const limit = cap[j]!;
          y[j] = y[j]! + (x < limit ? x : limit);
        }
      }
    }
    let sum = 0;
    for (let j = 0; j < n; j++) {
      const v = Math.floor((y[j]! * keep) / PPM);
      next[j] = v;
      sum += v;
    }
    spread(TRUST_TOTAL - sum, seeds, next);
    const done = t;
    t = next;
    next = done;
  }
  return t;
}

/**
 * f = t plus, for every agent a with owner o (ownerOf[a] = o, -1 for non-agents),
 * ⌊t_a · sharePpm / 10^6⌋ credited to o.
 */
export function withOwnerShare(trust: Float64Array, ownerOf: Int32Array, sharePpm: number): Float64Array {
  const out = Float64Array.from(trust);
  if (sharePpm === 0) return out;
  for (let a = 0; a < trust.length; a++) {
    const o = ownerOf[a]!;
    if (o < 0 || o === a) continue;
    out[o] = out[o]! + Math.floor((trust[a]! * sharePpm) / PPM);
  }
  return out;
}

/** Scores with the average over all `f.length` nodes at AVERAGE_SCORE: ⌊f_j · 10^6 · n / Σ f⌋. */
export function scaleScores(f: Float64Array): bigint[] {
  let sum = 0n;
  for (const v of f) sum += BigInt(v);
  if (sum === 0n) return Array.from(f, () => 0n);
  const factor = AVERAGE_SCORE * BigInt(f.length);
  return Array.from(f, (v) => (v === 0 ? 0n : (BigInt(v) * factor) / sum));
}
