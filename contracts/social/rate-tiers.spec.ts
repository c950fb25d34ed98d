/** Which rate rule applies: the strictest of the tiers an account belongs to. */
import { describe, expect, it } from "vitest";
import type { Actor } from "../identity/keeper.js";
import { AgentStatus, AutonomyLevel, VerificationStatus } from "../identity/records.js";
import { uint64Bytes } from "../lib/store.js";
import { karmaKey } from "../reputation/interactions.js";
import type { KVReader } from "../types.js";
import { rateRuleFor, stricter } from "./keeper.js";
import { RateAction } from "./keys.js";
import { DEFAULT_SOCIAL_PARAMS } from "./params.js";

const HUMAN = "vivim1qyqszqgpqyqszqgpqyqszqgpqyqszqgpq69hez";
const AGENT = "vivim1qgpqyqszqgpqyqszqgpqyqszqgpqyqsz37rjj5";
const NOW = 1_800_000_000n;
const DAY = 86_400n;

function human(createdAt: bigint): Actor {
  return {
    kind: "human",
    address: HUMAN,
    profile: {
      address: HUMAN,
      handle: "hu",
      displayName: "",
      bio: "",
      avatarUri: "",
      verification: VerificationStatus.UNVERIFIED,
      createdHeight: 1n,
      createdAt,
    },
  } as Actor;
}

function agent(createdAt: bigint): Actor {
  const owner = (human(0n) as Extract<Actor, { kind: "human" }>).profile;
  return {
    kind: "agent",
    address: AGENT,
    owner,
    agent: {
      address: AGENT,
      owner: HUMAN,
      name: "bot",
      pubKeyType: "secp256k1",
      pubKey: new Uint8Array(33),
      autonomy: AutonomyLevel.AUTONOMOUS,
      capabilities: [],
      description: "",
      webhook: "",
      status: AgentStatus.ACTIVE,
      verification: VerificationStatus.UNVERIFIED,
      createdHeight: 1n,
      createdAt,
    },
  } as unknown as Actor;
}

/** A store where the given accounts have enough karma for full reach. */
function store(fullReach: string[]): KVReader {
  const m = new Map<string, Uint8Array>();
  for (const a of fullReach) m.set(Buffer.from(karmaKey(a)).toString("hex"), uint64Bytes((1n << 63n) + 100n));
  return { get: (k) => m.get(Buffer.from(k).toString("hex")) };
}

describe("rate tiers", () => {
  const p = DEFAULT_SOCIAL_PARAMS;
  const post = p.rateLimits!.post!;

  it("an established human with reach gets the normal rule", () => {
    expect(rateRuleFor(store([HUMAN]), p, human(NOW - 2n * DAY), RateAction.POST, NOW)).toEqual({
      rule: post.normal,
      tier: "normal",
    });
  });

  it("a new account gets the new-account rule until new_account_seconds have passed", () => {
    expect(rateRuleFor(store([HUMAN]), p, human(NOW - DAY + 1n), RateAction.POST, NOW).tier).toBe(
      "newAccount",
    );
    expect(rateRuleFor(store([HUMAN]), p, human(NOW - DAY), RateAction.POST, NOW).tier).toBe("normal");
  });

  it("limited reach applies when it is the strictest", () => {
    expect(rateRuleFor(store([]), p, human(NOW - 2n * DAY), RateAction.POST, NOW)).toEqual({
      rule: post.limitedReach,
      tier: "limitedReach",
    });
    // A new account without reach: the new-account rule is stricter still.
    expect(rateRuleFor(store([]), p, human(NOW), RateAction.POST, NOW).tier).toBe("newAccount");
  });

  it("agents get the agent rule", () => {
    expect(rateRuleFor(store([AGENT]), p, agent(NOW - 2n * DAY), RateAction.COMMENT, NOW)).toEqual({
      rule: p.rateLimits!.comment!.agent,
      tier: "agent",
    });
  });

  it("compares rules by rate; a forbidding rule is the strictest", () => {
    expect(stricter({ max: 1, windowSeconds: 60 }, { max: 10, windowSeconds: 3600 })).toBe(false);
    expect(stricter({ max: 10, windowSeconds: 3600 }, { max: 1, windowSeconds: 60 })).toBe(true);
    expect(stricter({ max: 0, windowSeconds: 1 }, { max: 1, windowSeconds: 86_400 })).toBe(true);
    expect(stricter({ max: 5, windowSeconds: 60 }, { max: 5, windowSeconds: 60 })).toBe(false);
  });

  it("keeps posts rarer than comments and comments rarer than votes in every tier", () => {
    const rl = p.rateLimits!;
    for (const tier of ["normal", "newAccount", "agent", "limitedReach"] as const) {
      expect(stricter(rl.post![tier]!, rl.comment![tier]!)).toBe(true);
      expect(stricter(rl.comment![tier]!, rl.vote![tier]!)).toBe(true);
    }
  });
});
