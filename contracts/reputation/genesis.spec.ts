import { describe, expect, it } from "vitest";
import { encodeAddress } from "../../chain/crypto/address.js";
import { INFINITE_GAS, makeExecContext } from "../../chain/execution/context.js";
import { StoreOverlay } from "../../chain/state/overlay.js";
import { setAgent, setProfile } from "../identity/keeper.js";
import { AgentStatus, AutonomyLevel, VerificationStatus } from "../identity/records.js";
import { GenesisFieldError } from "../lib/genesis.js";
import { initReputationGenesis, parseReputationGenesis } from "./genesis.js";
import { getInteraction, InteractionKind } from "./interactions.js";
import { getAttestationCount, getRating, getRatingSummary, ratingCount } from "./keeper.js";
import { getReputationParams } from "./params.js";
import { getScore } from "./reach.js";

const addr = (i: number) => encodeAddress(new Uint8Array(20).fill(i));
const [A, B, C, D] = [addr(1), addr(2), addr(3), addr(4)];

function fieldOf(state: unknown): string {
  try {
    parseReputationGenesis(state);
  } catch (err) {
    if (err instanceof GenesisFieldError) return err.field;
    throw err;
  }
  return "accepted";
}

describe("reputation genesis", () => {
  it("fills defaults and names the bad field", () => {
    const g = parseReputationGenesis(undefined);
    expect(g.params.epochBlocks).toBe(100n);
    expect(g.pretrusted).toEqual([]);
    expect(
      parseReputationGenesis({ params: { epoch_blocks: "7", rating_rate_max: 1 } }).params,
    ).toMatchObject({
      epochBlocks: 7n,
      ratingRateMax: 1,
      eigentrustIterations: 20,
    });
    expect(fieldOf({ extra: 1 })).toBe("app_state.reputation.extra");
    expect(fieldOf({ params: { epoch_blocks: "0" } })).toBe("app_state.reputation.params.epoch_blocks");
    expect(fieldOf({ params: { max_rater_influence_ppm: 2_000_000 } })).toBe(
      "app_state.reputation.params.max_rater_influence_ppm",
    );
    expect(fieldOf({ params: { authority: "nope" } })).toBe("app_state.reputation.params.authority");
    expect(fieldOf({ pretrusted: [A, A] })).toBe("app_state.reputation.pretrusted[1]");
    const interactions = [{ a: A, b: B, kinds: ["DM_THREAD"] }];
    const rating = { rater: A, subject: B, helped: true, stars: 5 };
    expect(fieldOf({ interactions, ratings: [rating] })).toBe("accepted");
    expect(fieldOf({ interactions, ratings: [{ ...rating, stars: 6 }] })).toBe(
      "app_state.reputation.ratings[0].stars",
    );
    expect(fieldOf({ interactions, ratings: [{ ...rating, comment: "x".repeat(501) }] })).toBe(
      "app_state.reputation.ratings[0].comment",
    );
    expect(fieldOf({ ratings: [rating] })).toBe("app_state.reputation.ratings[0]");
    expect(fieldOf({ interactions, ratings: [rating, rating] })).toBe("app_state.reputation.ratings[1]");
    expect(fieldOf({ interactions: [{ a: A, b: B, kinds: ["HUG"] }] })).toBe(
      "app_state.reputation.interactions[0].kinds[0]",
    );
    expect(fieldOf({ attestations: [{ attester: A, subject: A }] })).toBe(
      "app_state.reputation.attestations[0].subject",
    );
  });

  it("seeds params, scores, interactions, ratings and attestations, refusing self dealing", () => {
    const run = (state: unknown) => {
      const store = new StoreOverlay({ get: () => undefined });
      const block = { chainId: "t", height: 0n, time: { seconds: 0n, nanos: 0 } };
      const ctx = makeExecContext(block, store, INFINITE_GAS, { modules: [], msg: () => undefined }, []);
      const profile = (address: string, handle: string) => ({
        address,
        handle,
        displayName: "",
        bio: "",
        avatarUri: "",
        verification: VerificationStatus.UNVERIFIED,
        createdHeight: 0n,
        createdAt: 0n,
      });
      setProfile(store, profile(A, "a"));
      setProfile(store, profile(B, "b"));
      setProfile(store, profile(C, "c"));
      setAgent(store, {
        address: D,
        owner: A,
        name: "d",
        pubKeyType: "secp256k1",
        pubKey: new Uint8Array(33),
        autonomy: AutonomyLevel.RESPONSE_ONLY,
        capabilities: [],
        description: "",
        webhook: "",
        status: AgentStatus.ACTIVE,
        verification: VerificationStatus.UNVERIFIED,
        createdHeight: 0n,
        createdAt: 0n,
      });
      initReputationGenesis(ctx, state);
      return store;
    };
    const store = run({
      params: { epoch_blocks: "10" },
      pretrusted: [A],
      scores: [{ address: A, score: "2000000" }],
      interactions: [
        { a: A, b: B, kinds: ["REPLY", "DM_THREAD"] },
        { a: C, b: B },
      ],
      ratings: [
        { rater: A, subject: B, helped: true, stars: 5, comment: "great" },
        { rater: C, subject: B, helped: false, stars: 2 },
      ],
      attestations: [{ attester: C, subject: A, statement: "real person" }],
    });
    expect(getReputationParams(store).epochBlocks).toBe(10n);
    expect(getScore(store, A)).toBe(2_000_000n);
    expect(getInteraction(store, B, A)).toMatchObject({
      kinds: InteractionKind.REPLY | InteractionKind.DM_THREAD,
      count: 2n,
    });
    expect(getRating(store, A, B)).toMatchObject({ stars: 5, comment: "great", createdHeight: 0n });
    expect(getRatingSummary(store, B)).toEqual({ count: 2n, helped: 1n, starsSum: 7n });
    expect(ratingCount(store)).toBe(2n);
    expect(getAttestationCount(store, A)).toBe(1n);

    // An agent's owner rating it, or an unregistered rater, is refused with the entry's field.
    const refused = (state: unknown) => {
      try {
        run(state);
      } catch (err) {
        return err instanceof GenesisFieldError ? err.field : String(err);
      }
      return "accepted";
    };
    expect(
      refused({
        interactions: [{ a: A, b: D }],
        ratings: [{ rater: A, subject: D, helped: true, stars: 5 }],
      }),
    ).toBe("app_state.reputation.ratings[0]");
    expect(refused({ attestations: [{ attester: addr(9), subject: A }] })).toBe(
      "app_state.reputation.attestations[0]",
    );
  });
});
