import { describe, expect, it } from "vitest";
import { MAX_MENTIONS, parseMentions } from "./mentions.js";

describe("parseMentions", () => {
  it("finds handles at word starts, lower-cased", () => {
    expect(parseMentions("@alice hi")).toEqual(["alice"]);
    expect(parseMentions("hi @Bob_2, and (@carol) and @dave!")).toEqual(["bob_2", "carol", "dave"]);
    expect(parseMentions("line\n@erin\t@frank")).toEqual(["erin", "frank"]);
    expect(parseMentions("thanks @alice.")).toEqual(["alice"]);
    expect(parseMentions("@alice's post")).toEqual(["alice"]);
    expect(parseMentions("«@alice» ¿@bob?")).toEqual(["alice", "bob"]);
  });

  it("finds agents as owner/name", () => {
    expect(parseMentions("ask @Alice/Code-Bot please")).toEqual(["alice/code-bot"]);
    expect(parseMentions("@alice/codebot/extra")).toEqual(["alice/codebot"]);
    // Not an agent name: the handle alone.
    expect(parseMentions("@alice/ and @bob/x")).toEqual(["alice", "bob"]);
  });

  it("ignores emails, paths and anything that is not a whole handle", () => {
    expect(parseMentions("write to a@b.c or alice@example.com")).toEqual([]);
    expect(parseMentions("see https://x.org/@alice and foo.@bob and x+@carol and @@dave")).toEqual([]);
    expect(parseMentions("é@alice 1@bob _@carol")).toEqual([]);
    expect(parseMentions("@ab is too short, @")).toEqual([]);
    expect(parseMentions(`@${"a".repeat(33)}`)).toEqual([]);
    expect(parseMentions(`@${"a".repeat(32)}`)).toEqual(["a".repeat(32)]);
    expect(parseMentions("@alice-bob @aliceé")).toEqual([]);
  });

  it("skips Markdown code", () => {
    expect(parseMentions("run `@alice` then\n```\n@bob\n```\n@carol")).toEqual(["carol"]);
  });

  it("dedupes and caps", () => {
    expect(parseMentions("@alice @ALICE @bob @alice/bot @alice/BOT")).toEqual(["alice", "bob", "alice/bot"]);
    const many = Array.from({ length: 30 }, (_, i) => `@user${i}`).join(" ");
    const got = parseMentions(many);
    expect(got).toHaveLength(MAX_MENTIONS);
    expect(got[0]).toBe("user0");
    expect(got[MAX_MENTIONS - 1]).toBe(`user${MAX_MENTIONS - 1}`);
    expect(parseMentions("@alice @bob", 1)).toEqual(["alice"]);
    expect(parseMentions("@alice", 0)).toEqual([]);
    expect(parseMentions("")).toEqual([]);
  });
});
