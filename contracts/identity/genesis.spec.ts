import { ed25519 } from "@noble/curves/ed25519.js";
import { secp256k1 } from "@noble/curves/secp256k1.js";
import { describe, expect, it } from "vitest";
import { addressOf, encodeAddress } from "../../chain/crypto/address.js";
import { toBase64 } from "../../chain/crypto/hash.js";
import { GenesisFieldError } from "../lib/genesis.js";
import { parseIdentityGenesis } from "./genesis.js";
import { DEFAULT_IDENTITY_PARAMS } from "./keeper.js";
import { AutonomyLevel, VerificationStatus } from "./records.js";

const A = encodeAddress(new Uint8Array(20).fill(1));
const B = encodeAddress(new Uint8Array(20).fill(2));
const ED = ed25519.getPublicKey(new Uint8Array(32).fill(9));
const SECP = secp256k1.getPublicKey(new Uint8Array(32).fill(9));

const profile = (address: string, handle: string) => ({ address, handle, display_name: handle, bio: "" });
const agent = (owner: string, name: string, key = ED, type = "ed25519") => ({
  owner,
  name,
  pub_key_type: type,
  pub_key: toBase64(key),
});

function fieldOf(state: unknown): string {
  try {
    parseIdentityGenesis(state);
  } catch (err) {
    if (err instanceof GenesisFieldError) return err.field;
    throw err;
  }
  return "ok";
}

describe("identity genesis", () => {
  it("is optional, defaults the params and parses a full section", () => {
    expect(parseIdentityGenesis(undefined)).toEqual({
      params: DEFAULT_IDENTITY_PARAMS,
      profiles: [],
      agents: [],
    });
    const g = parseIdentityGenesis({
      params: { max_agents_per_owner: 5, agent_writes_frozen: true },
      profiles: [
        { ...profile(A, "alice"), verification: "VERIFICATION_STATUS_VERIFIED", avatar_uri: "ipfs://x" },
      ],
      agents: [
        {
          ...agent(A, "codebot", SECP, "secp256k1"),
          autonomy: "AUTONOMOUS",
          capabilities: ["moderate", "post"],
          webhook: "https://hooks.example/x",
        },
      ],
    });
    expect(g.params).toEqual({ ...DEFAULT_IDENTITY_PARAMS, maxAgentsPerOwner: 5, agentWritesFrozen: true });
    expect(g.profiles[0]?.verification).toBe(VerificationStatus.VERIFIED);
    expect(g.agents[0]).toMatchObject({
      address: addressOf("secp256k1", SECP),
      autonomy: AutonomyLevel.AUTONOMOUS,
      capabilities: ["post", "moderate"],
      verification: VerificationStatus.UNVERIFIED,
    });
  });

  it("names the bad field", () => {
    const cases: Array<[unknown, string]> = [
      [{ extra: 1 }, "app_state.identity.extra"],
      [{ params: { max_agents_per_owner: 0 } }, "app_state.identity.params"],
      [{ params: { authority: "nope" } }, "app_state.identity.params"],
      [{ profiles: [profile("vivim1bad", "alice")] }, "app_state.identity.profiles[0].address"],
      [{ profiles: [profile(A, "Alice")] }, "app_state.identity.profiles[0].handle"],
      [{ profiles: [profile(A, "alice"), profile(B, "alice")] }, "app_state.identity.profiles[1].handle"],
      [{ profiles: [profile(A, "alice"), profile(A, "alice2")] }, "app_state.identity.profiles[1].address"],
      [{ profiles: [{ ...profile(A, "alice"), bio: "x".repeat(513) }] }, "app_state.identity.profiles[0]"],
      [
        { profiles: [{ ...profile(A, "alice"), verification: "MAYBE" }] },
        "app_state.identity.profiles[0].verification",
      ],
      [{ profiles: [profile(A, "alice")], agents: [agent(B, "bot")] }, "app_state.identity.agents[0].owner"],
      [
        { profiles: [profile(A, "alice")], agents: [agent(A, "bot"), agent(A, "bot", SECP, "secp256k1")] },
        "app_state.identity.agents[1].name",
      ],
      [
        { profiles: [profile(A, "alice")], agents: [agent(A, "bot"), agent(A, "bot2")] },
        "app_state.identity.agents[1].pub_key",
      ],
      [
        { profiles: [profile(A, "alice")], agents: [{ ...agent(A, "bot"), pub_key: toBase64(SECP) }] },
        "app_state.identity.agents[0].pub_key",
      ],
      [
        { profiles: [profile(A, "alice")], agents: [{ ...agent(A, "bot"), capabilities: ["fly"] }] },
        "app_state.identity.agents[0]",
      ],
      [
        { profiles: [profile(A, "alice")], agents: [{ ...agent(A, "bot"), autonomy: "UNSPECIFIED" }] },
        "app_state.identity.agents[0].autonomy",
      ],
      [
        {
          params: { max_agents_per_owner: 1 },
          profiles: [profile(A, "alice")],
          agents: [agent(A, "bot"), agent(A, "bot2", SECP, "secp256k1")],
        },
        "app_state.identity.agents[1].owner",
      ],
      [
        // An agent's key whose address is a profile.
        {
          profiles: [profile(A, "alice"), profile(addressOf("ed25519", ED), "bob")],
          agents: [agent(A, "bot")],
        },
        "app_state.identity.agents[0].pub_key",
      ],
    ];
    for (const [state, field] of cases)
      expect(fieldOf(state), JSON.stringify(state).slice(0, 80)).toBe(field);
  });
});
