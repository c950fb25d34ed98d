/** Stateless field checks: sizes in UTF-8 bytes, links, slugs, reactions. */
import { describe, expect, it } from "vitest";
import { CodedError } from "../../chain/errors/codes.js";
import { SocialErrors } from "./errors.js";
import { checkLink, checkSlug, checkText, isValidReaction } from "./validation.js";

function codeOf(fn: () => void): number | undefined {
  try {
    fn();
    return undefined;
  } catch (err) {
    if (err instanceof CodedError) return err.code;
    throw err;
  }
}

describe("text", () => {
  it("counts UTF-8 bytes, not characters", () => {
    expect(codeOf(() => checkText("é".repeat(150), "title", { maxBytes: 300 }))).toBeUndefined();
    expect(codeOf(() => checkText("é".repeat(151), "title", { maxBytes: 300 }))).toBe(
      SocialErrors.FieldTooLong.code,
    );
    expect(codeOf(() => checkText("😀".repeat(75), "title", { maxBytes: 300 }))).toBeUndefined();
    expect(codeOf(() => checkText("😀".repeat(76), "title", { maxBytes: 300 }))).toBe(
      SocialErrors.FieldTooLong.code,
    );
  });

  it("refuses control characters; multiline text keeps newlines and tabs", () => {
    expect(codeOf(() => checkText("a\nb", "title", { maxBytes: 10 }))).toBe(SocialErrors.InvalidField.code);
    expect(codeOf(() => checkText("a\n\tb\r\n", "body", { maxBytes: 10, multiline: true }))).toBeUndefined();
    expect(codeOf(() => checkText("a\u0000b", "body", { maxBytes: 10, multiline: true }))).toBe(
      SocialErrors.InvalidField.code,
    );
    expect(codeOf(() => checkText(" \n ", "title", { maxBytes: 10, required: true, multiline: true }))).toBe(
      SocialErrors.InvalidField.code,
    );
  });
});

describe("links", () => {
  it("accepts http(s) URLs in printable ASCII", () => {
    for (const ok of [
      "https://vivim.dev",
      "http://a.b/c?d=e#f",
      "https://x.io:8443/p",
      "https://[::1]/x",
      "",
    ])
      expect(
        codeOf(() => checkLink(ok, 2048)),
        ok,
      ).toBeUndefined();
  });

  it("refuses other schemes, user info, spaces and non-ASCII", () => {
    for (const bad of [
      "javascript:alert(1)",
      "ftp://x.io",
      "https://user:pw@x.io/",
      "https://x.io/a b",
      "https://exämple.com",
      "https://",
      "https://-x.io",
    ])
      expect(
        codeOf(() => checkLink(bad, 2048)),
        bad,
      ).toBe(SocialErrors.InvalidField.code);
    expect(codeOf(() => checkLink(`https://x.io/${"a".repeat(2048)}`, 2048))).toBe(
      SocialErrors.FieldTooLong.code,
    );
  });
});

describe("slugs", () => {
  it("are [a-z0-9_-]{2,32}", () => {
    for (const ok of ["ab", "general", "ai_agents-2", "x".repeat(32)])
      expect(codeOf(() => checkSlug(ok))).toBeUndefined();
    for (const bad of ["a", "General", "with space", "x".repeat(33), "émoji"])
      expect(codeOf(() => checkSlug(bad))).toBe(SocialErrors.InvalidField.code);
  });
});

describe("reactions", () => {
  it("accept one emoji, including ZWJ sequences, skin tones, flags, keycaps and tag flags", () => {
    for (const ok of [
      "🔥",
      "👍🏽",
      "❤️",
      "👩‍💻",
      "👨‍👩‍👧‍👦",
      "🇫🇷",
      "1️⃣",
      "#⃣",
      "🏴󠁧󠁢󠁳󠁣󠁴󠁿",
      ":rocket:",
      ":+1:",
      ":thumbs_up-2:",
    ])
      expect(isValidReaction(ok, 32), ok).toBe(true);
  });

  it("refuse text, two emoji, loose modifiers and long shortcodes", () => {
    for (const bad of [
      "",
      "a",
      "ok",
      "🔥🔥",
      "🔥 ",
      "🇫",
      "🏽",
      "👩‍",
      ":Rocket:",
      "::",
      `:${"a".repeat(31)}:`,
      "🔥a",
    ])
      expect(isValidReaction(bad, 32), bad).toBe(false);
    expect(isValidReaction("👨‍👩‍👧‍👦", 10)).toBe(false);
  });
});
