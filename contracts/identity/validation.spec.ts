import { ed25519 } from "@noble/curves/ed25519.js";
import { secp256k1 } from "@noble/curves/secp256k1.js";
import { describe, expect, it } from "vitest";
import { encodeAddress } from "../../chain/crypto/address.js";
import type { CodedError } from "../../chain/errors/codes.js";
import { IdentityErrors } from "./errors.js";
import { msgRegisterAgent, msgTransferAgent, msgUpdateAgent } from "./msg-agent.js";
import { msgRegisterProfile } from "./msg-profile.js";
import { AutonomyLevel } from "./records.js";
import {
  checkAddress,
  checkAgentKey,
  checkAgentName,
  checkAutonomy,
  checkHandle,
  checkName,
  checkProfileFields,
  checkText,
  checkUri,
  normalizeCapabilities,
  parseAgentFullName,
} from "./validation.js";

function codeOf(fn: () => void): string {
  try {
    fn();
  } catch (err) {
    const e = err as CodedError;
    return `${e.codespace}/${e.code}`;
  }
  return "ok";
}

const code = (e: { codespace: string; code: number }) => `${e.codespace}/${e.code}`;
const ADDR = encodeAddress(new Uint8Array(20).fill(1));

describe("identity field validation", () => {
  it("handles: lowercase [a-z0-9_]{3,32}", () => {
    for (const ok of ["abc", "alice_01", "a".repeat(32), "___"])
      expect(codeOf(() => checkHandle(ok))).toBe("ok");
    for (const bad of ["ab", "a".repeat(33), "Alice", "al-ice", "al ice", "@alice", "ålice", ""])
      expect(
        codeOf(() => checkHandle(bad)),
        bad,
      ).toBe(code(IdentityErrors.InvalidHandle));
  });

  it("agent names: [a-z0-9_-]{2,32}", () => {
    for (const ok of ["ab", "code-bot", "bot_2", "x".repeat(32)])
      expect(codeOf(() => checkAgentName(ok))).toBe("ok");
    for (const bad of ["a", "x".repeat(33), "Bot", "a/b", "a.b", ""])
      expect(
        codeOf(() => checkAgentName(bad)),
        bad,
      ).toBe(code(IdentityErrors.InvalidAgentName));
  });

  it("counts characters as code points and refuses control characters", () => {
    const emoji = "😀".repeat(64); // 128 UTF-16 units, 64 characters
    expect(codeOf(() => checkName(emoji, "display_name", 64))).toBe("ok");
    expect(codeOf(() => checkName(`${emoji}x`, "display_name", 64))).toBe(code(IdentityErrors.InvalidField));
    expect(codeOf(() => checkName("a\nb", "display_name", 64))).toBe(code(IdentityErrors.InvalidField));
    expect(codeOf(() => checkName("evil\u202egnp", "display_name", 64))).toBe(
      code(IdentityErrors.InvalidField),
    );
    expect(codeOf(() => checkText("line one\nline two", "bio", 512))).toBe("ok");
    expect(codeOf(() => checkText("bell\u0007", "bio", 512))).toBe(code(IdentityErrors.InvalidField));
    expect(codeOf(() => checkText("b".repeat(513), "bio", 512))).toBe(code(IdentityErrors.InvalidField));
    expect(codeOf(() => checkProfileFields("A".repeat(65), "", ""))).toBe(code(IdentityErrors.InvalidField));
  });

  it("URIs: https:// or ipfs:// for avatars, https:// for webhooks, printable ASCII, at most 256", () => {
    const avatar = ["https://", "ipfs://"];
    expect(codeOf(() => checkUri("", "avatar_uri", avatar))).toBe("ok");
    expect(codeOf(() => checkUri("ipfs://bafy123", "avatar_uri", avatar))).toBe("ok");
    expect(codeOf(() => checkUri(`https://x.io/${"a".repeat(243)}`, "avatar_uri", avatar))).toBe("ok");
    for (const bad of [
      "http://x.io/a.png",
      "javascript:alert(1)",
      "https://",
      "https://x.io/a b",
      `https://x.io/${"a".repeat(244)}`,
      "HTTPS://x.io",
    ])
      expect(
        codeOf(() => checkUri(bad, "avatar_uri", avatar)),
        bad,
      ).toBe(code(IdentityErrors.InvalidField));
    expect(codeOf(() => checkUri("ipfs://bafy", "webhook", ["https://"]))).toBe(
      code(IdentityErrors.InvalidField),
    );
  });

  it("agent keys: valid compressed secp256k1 points and non-small-order ed25519 points", () => {
    const secp = secp256k1.getPublicKey(secp256k1.utils.randomSecretKey());
    const ed = ed25519.getPublicKey(ed25519.utils.randomSecretKey());
    expect(codeOf(() => checkAgentKey("secp256k1", secp))).toBe("ok");
    expect(codeOf(() => checkAgentKey("ed25519", ed))).toBe("ok");
    const invalid = code(IdentityErrors.InvalidAgentKey);
    expect(codeOf(() => checkAgentKey("ed25519", secp))).toBe(invalid);
    expect(codeOf(() => checkAgentKey("secp256k1", ed))).toBe(invalid);
    expect(codeOf(() => checkAgentKey("sr25519", ed))).toBe(invalid);
    const uncompressed = secp256k1.getPublicKey(secp256k1.utils.randomSecretKey(), false);
    expect(codeOf(() => checkAgentKey("secp256k1", uncompressed))).toBe(invalid);
    const offCurve = new Uint8Array(33);
    offCurve[0] = 2;
    expect(codeOf(() => checkAgentKey("secp256k1", offCurve))).toBe(invalid);
    const identity = new Uint8Array(32);
    identity[0] = 1; // the neutral point: small order
    expect(codeOf(() => checkAgentKey("ed25519", identity))).toBe(invalid);
  });

  it("capabilities: known, unrepeated, stored in canonical order", () => {
    expect(normalizeCapabilities(["vote", "post", "moderate"])).toEqual(["post", "vote", "moderate"]);
    expect(normalizeCapabilities([])).toEqual([]);
    expect(codeOf(() => normalizeCapabilities(["post", "post"]))).toBe(code(IdentityErrors.InvalidField));
    expect(codeOf(() => normalizeCapabilities(["mint"]))).toBe(code(IdentityErrors.InvalidField));
  });

  it("autonomy: 1..4, 0 only where it means default/unchanged", () => {
    expect(codeOf(() => checkAutonomy(AutonomyLevel.AUTONOMOUS, false))).toBe("ok");
    expect(codeOf(() => checkAutonomy(0, true))).toBe("ok");
    expect(codeOf(() => checkAutonomy(0, false))).toBe(code(IdentityErrors.InvalidField));
    expect(codeOf(() => checkAutonomy(5, true))).toBe(code(IdentityErrors.InvalidField));
  });

  it("addresses must be canonical lower-case bech32 with our prefix", () => {
    expect(codeOf(() => checkAddress(ADDR, "creator"))).toBe("ok");
    expect(codeOf(() => checkAddress(ADDR.toUpperCase(), "creator"))).toBe("sdk/7");
    expect(codeOf(() => checkAddress("cosmos1qypqxpq9qcrsszg2pvxq6rs0zqg3yyc5lzv7xu", "creator"))).toBe(
      "sdk/7",
    );
    expect(codeOf(() => checkAddress("", "creator"))).toBe("sdk/7");
  });

  it("parses @owner/agent names", () => {
    expect(parseAgentFullName("@alice/code-bot")).toEqual({ ownerHandle: "alice", name: "code-bot" });
    expect(parseAgentFullName("alice/cb")).toEqual({ ownerHandle: "alice", name: "cb" });
    for (const bad of ["alice", "@al/cb", "@alice/", "@alice/c", "@alice/cb/x", "/cb"])
      expect(parseAgentFullName(bad), bad).toBeUndefined();
  });
});

describe("validateBasic of the Msgs", () => {
  it("refuses what the field checks refuse, before any state is read", () => {
    const key = secp256k1.getPublicKey(secp256k1.utils.randomSecretKey());
    const basic = (def: { validateBasic(m: never): void }, m: unknown) =>
      codeOf(() => def.validateBasic(m as never));
    expect(
      basic(msgRegisterProfile, { creator: ADDR, handle: "alice", displayName: "", bio: "", avatarUri: "" }),
    ).toBe("ok");
    expect(
      basic(msgRegisterProfile, { creator: ADDR, handle: "Al", displayName: "", bio: "", avatarUri: "" }),
    ).toBe(code(IdentityErrors.InvalidHandle));
    const agent = {
      owner: ADDR,
      name: "bot",
      pubKeyType: "secp256k1",
      pubKey: key,
      autonomy: 0,
      capabilities: ["post"],
      description: "",
      webhook: "",
    };
    expect(basic(msgRegisterAgent, agent)).toBe("ok");
    expect(basic(msgRegisterAgent, { ...agent, webhook: "http://x.io" })).toBe(
      code(IdentityErrors.InvalidField),
    );
    expect(basic(msgRegisterAgent, { ...agent, pubKey: key.subarray(1) })).toBe(
      code(IdentityErrors.InvalidAgentKey),
    );
    expect(
      basic(msgUpdateAgent, {
        owner: ADDR,
        agent: ADDR,
        autonomy: 9,
        capabilities: [],
        description: "",
        webhook: "",
      }),
    ).toBe(code(IdentityErrors.InvalidField));
    expect(basic(msgTransferAgent, { owner: ADDR, agent: ADDR, newOwner: ADDR })).toBe(
      code(IdentityErrors.InvalidField),
    );
  });
});
