// The genesis the social benchmarks run on: every bench account has a profile and belongs to the
// communities c0..c3, rate limits are raised (the benchmarks measure the chain, not the policy).
/** Every tier of every action, generous: the benchmark measures the chain, not the policy. */
export function generousRateLimits() {
  const rule = { max: 1_000_000, window_seconds: 1 };
  const tiers = { normal: rule, new_account: rule, agent: rule, limited_reach: rule };
  const actions = ["post", "comment", "vote", "react", "follow", "community_create", "edit"];
  return Object.fromEntries(actions.map((a) => [a, tiers]));
}

export const COMMUNITIES = ["c0", "c1", "c2", "c3"];

export function benchSocialGenesis(addresses) {
  return {
    identity: {
      profiles: addresses.map((address, i) => ({ address, handle: `bench${i}`, display_name: `Bench ${i}` })),
    },
    social: {
      params: { rate_limits: generousRateLimits() },
      communities: COMMUNITIES.map((slug) => ({
        slug,
        name: `Community ${slug}`,
        visibility: "PUBLIC",
        creator: addresses[0],
        members: addresses.slice(1),
      })),
    },
    reputation: {
      params: { rating_rate_max: 10_000, rating_rate_window_seconds: 1 },
      pretrusted: addresses.slice(0, 10),
    },
  };
}
