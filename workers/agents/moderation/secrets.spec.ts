import { Bip39, EnglishMnemonic } from "@cosmjs/crypto";
import { describe, expect, it } from "vitest";
import { hasMnemonic, scanSecrets, validMnemonicIndexes } from "./secrets.js";

// Every key-shaped fixture is assembled at run time, so the repository holds no string a secret
// scanner would take for a committed credential.
const alnum = (n: number, seed = 7) =>
  Array.from({ length: n }, (_, i) => "aB3dE5gH7jK9mN2pQ4sT6vW8yZ"[(i * seed + 3) % 26]).join("");
const upper = (n: number) =>
  Array.from({ length: n }, (_, i) => "ABCDEFGHJKLMNPQRSTUVWXYZ234567"[(i * 11) % 30]).join("");
const b64url = (o: unknown) => Buffer.from(JSON.stringify(o)).toString("base64url");

const fixtures: Record<string, string> = {
  "openai-api-key": ["sk", "proj", alnum(40)].join("-"),
  "anthropic-api-key": ["sk", "ant", "api03", alnum(60)].join("-"),
  "aws-access-key": ["AK", "IA", upper(16)].join(""),
  "aws-secret-key": `aws_secret_access_key = ${alnum(40)}`,
  "github-token": ["gh", "p_", alnum(36)].join(""),
  "slack-token": ["xo", "xb-", "123456789012-", alnum(24)].join(""),
  "google-api-key": ["AI", "za", alnum(35)].join(""),
  "stripe-secret-key": ["sk", "live", alnum(24)].join("_"),
  jwt: [b64url({ alg: "HS256", typ: "JWT" }), b64url({ sub: "alice", iat: 1 }), alnum(43)].join("."),
  "vivim-mcp-key": ["vmcp", "0123456789abcdef", alnum(32)].join("_"),
  "pem-private-key": ["-----BEGIN ", "RSA ", "PRIVATE", " KEY-----\nMIIEow\n-----END"].join(""),
  "hex-private-key": `my private key: ${"1f".repeat(32)}`,
};

const mnemonic = (bytes: number, fill: number) => Bip39.encode(new Uint8Array(bytes).fill(fill)).toString();

describe("scanSecrets", () => {
  it("finds each kind of secret by itself, and reports the kind only", () => {
    for (const [kind, secret] of Object.entries(fixtures)) {
      const found = scanSecrets(`look at this: ${secret} (oops)`);
      expect(found, kind).toEqual([kind]);
      expect(JSON.stringify(found)).not.toContain(secret.slice(4, 20));
    }
  });

  it("reports several kinds once each, in a fixed order", () => {
    const text = [fixtures["github-token"], fixtures["aws-access-key"], fixtures["github-token"]].join(
      " and ",
    );
    expect(scanSecrets(text)).toEqual(["aws-access-key", "github-token"]);
  });

  it("leaves ordinary text, hashes and ids alone", () => {
    for (const text of [
      "Shipping v2 today! Thanks to everyone who tested the beta.",
      `tx ${"AB12".repeat(16)} committed at height 42`,
      `commit ${"3f2a9c1d".repeat(5)} fixed the skeleton key bug`,
      `${["ask", "me", "anything"].join("-")} thread: skills, tasks and ${["risk", "taking"].join("-")}`,
      "The private key never leaves the hardware wallet, that is the point.",
      // Labelled but not a secp256k1 scalar (zero, and above the group order).
      `private key: ${"00".repeat(32)}`,
      `private key: ${"ff".repeat(32)}`,
      "abandon ability able about above absent absorb abstract absurd abuse access accident",
    ]) {
      expect(scanSecrets(text), text).toEqual([]);
    }
  });

  it("finds BIP-39 mnemonics of every length, also numbered or on lines", () => {
    for (const [bytes, words] of [
      [16, 12],
      [20, 15],
      [24, 18],
      [28, 21],
      [32, 24],
    ] as const) {
      const m = mnemonic(bytes, 0x5a + bytes);
      expect(m.split(" ")).toHaveLength(words);
      expect(scanSecrets(`my wallet words: ${m}. keep safe`)).toEqual(["mnemonic"]);
    }
    const words = mnemonic(16, 0x33).split(" ");
    expect(hasMnemonic(words.map((w, i) => `${i + 1}. ${w}`).join("\n"))).toBe(true);
    expect(hasMnemonic(words.join(", ").toUpperCase())).toBe(true);
  });

  it("needs the checksum and unbroken runs", () => {
    const words = mnemonic(16, 0x44).split(" ");
    // The same words with another last word whose checksum fails.
    const wrong = EnglishMnemonic.wordlist.find((w) => {
      try {
        new EnglishMnemonic([...words.slice(0, 11), w].join(" "));
        return false;
      } catch {
        return true;
      }
    })!;
    expect(hasMnemonic([...words.slice(0, 11), wrong].join(" "))).toBe(false);
    // Split by a word outside the list: two runs of six.
    expect(hasMnemonic([...words.slice(0, 6), "the", ...words.slice(6)].join(" "))).toBe(false);
    // Eleven words are not a mnemonic.
    expect(hasMnemonic(words.slice(0, 11).join(" "))).toBe(false);
  });

  it("checks the checksum exactly as BIP-39 does", () => {
    const list = EnglishMnemonic.wordlist;
    let valid = 0;
    for (let t = 0; t < 600; t++) {
      const n = [12, 15, 18, 21, 24][t % 5]!;
      const idx = Array.from({ length: n }, (_, i) => (t * 7919 + i * 104_729 + ((t * i) % 13)) % 2048);
      let expected: boolean;
      try {
        new EnglishMnemonic(idx.map((i) => list[i]).join(" "));
        expected = true;
      } catch {
        expected = false;
      }
      if (expected) valid += 1;
      expect(validMnemonicIndexes(idx), idx.join(",")).toBe(expected);
    }
    // Some of the windows are valid by chance (a 12-word checksum is 4 bits), most are not.
    expect(valid).toBeGreaterThan(5);
    expect(validMnemonicIndexes([1, 2, 3])).toBe(false);
  });

  it("bounds its work on long runs of wordlist words", () => {
    const list = EnglishMnemonic.wordlist;
    const long = Array.from({ length: 5000 }, (_, i) => list[(i * 31) % 2048]).join(" ");
    const t0 = performance.now();
    hasMnemonic(long);
    expect(performance.now() - t0).toBeLessThan(500);
  });
});
