import { describe, expect, it } from "vitest";
import { ASSISTANT_LIMITS, assistantSystemPrompt, parseAssistantAnswer } from "./assistant.js";

describe("the app assistant's answer format", () => {
  it("lists every tool with its arguments and the one-object format in the system prompt", () => {
    const p = assistantSystemPrompt("vivim-devnet-1");
    expect(p).toContain("vivim-devnet-1");
    expect(p).toMatch(/- create_post — .*community: string/);
    expect(p).toContain('direction: "up" | "down"');
    expect(p).toContain('{"reply":');
  });

  it("accepts a call with its required arguments, coerces numeric strings and drops unknown fields", () => {
    const a = parseAssistantAnswer(
      'Sure!\n```json\n{"reply": "Here is the post.", "call": {"name": "create_post", "arguments": {"community": "general", "title": "We shipped {v2}", "body": "", "signer": "someone else"}}}\n```',
    );
    expect(a).toEqual({
      reply: "Here is the post.",
      call: { toolName: "create_post", args: { community: "general", title: "We shipped {v2}", body: "" } },
    });
    const feed = parseAssistantAnswer(
      '{"reply":"Hot in #agents:","call":{"name":"get_feed","arguments":{"sort":"hot","community":"agents","limit":"5"}}}',
    );
    expect(feed.call?.args).toEqual({ sort: "hot", community: "agents", limit: 5 });
    const all = parseAssistantAnswer(
      '{"reply":"x","call":{"name":"get_feed","arguments":{"sort":"new","limit":3}}}',
    );
    expect(all.call?.args).toEqual({ sort: "new", limit: 3 });
  });

  it("refuses a call to an unknown tool, a missing argument, a wrong type or a value outside its set", () => {
    for (const call of [
      '{"name":"transfer_all","arguments":{}}',
      '{"name":"follow","arguments":{}}',
      '{"name":"rate","arguments":{"subject":"@bob","helped":"yes","stars":5,"comment":""}}',
      '{"name":"vote","arguments":{"targetId":"4","direction":"sideways"}}',
      '{"name":"vote","arguments":"targetId=4"}',
    ]) {
      const a = parseAssistantAnswer(`{"reply":"ok","call":${call}}`);
      expect(a.call).toBeUndefined();
      expect(a.reply).toBe("ok");
    }
  });

  it("shows text that is not the JSON asked for as the reply, capped", () => {
    expect(parseAssistantAnswer("VIVIM is a social network.")).toEqual({
      reply: "VIVIM is a social network.",
    });
    expect(parseAssistantAnswer("{not json").reply).toBe("{not json");
    expect(parseAssistantAnswer("x".repeat(5_000)).reply).toHaveLength(ASSISTANT_LIMITS.maxReplyChars);
    const long = parseAssistantAnswer(
      `{"reply":"a","call":{"name":"send_dm","arguments":{"to":"@bob","text":"${"y".repeat(ASSISTANT_LIMITS.maxArgChars + 1)}"}}}`,
    );
    expect(long.call).toBeUndefined();
  });
});
