import { describe, expect, it } from "vitest";
import { classify, OfflineProvider, summarize, taskOf } from "./offline.js";

describe("offline classifier", () => {
  it.each([
    ["Send me your seed phrase and I will double your coins", "scam"],
    ["BUY NOW!!! click here for free money", "spam"],
    ["see http://a.example http://b.example https://c.example", "spam"],
    ["you are an idiot and everyone knows it", "harassment"],
    ["I will kill you tomorrow", "violence"],
    ["aaaaaaaaaaaaaaaaaaaaaa", "spam"],
  ])("labels %j as %s", (text, label) => {
    const c = classify(text);
    expect(c.label).toBe(label);
    expect(c.reason).toMatch(/^rule: /);
  });

  it.each([
    "Lovely sunset over the harbour tonight.",
    "I think this idea is stupid, but let's discuss it.",
    "Here is one link: https://example.org",
  ])("leaves %j unlabelled with a reason", (text) => {
    expect(classify(text)).toEqual({ label: null, reason: "no moderation rule matched" });
  });
});

describe("offline summaries", () => {
  it("keeps whole first sentences within the word cap", () => {
    const s = summarize(
      "First point here. Second point follows! Third one is long and will not fit at all.",
      7,
    );
    expect(s).toBe("First point here. Second point follows!");
  });
  it("cuts one long sentence with an ellipsis", () => {
    expect(summarize("one two three four five six", 3)).toBe("one two three…");
  });
});

describe("OfflineProvider", () => {
  const p = new OfflineProvider();
  it("answers moderation prompts with JSON and is deterministic", async () => {
    const req = {
      system: "You are a content moderator. Classify the post.",
      messages: [{ role: "user" as const, content: "claim your prize: wire transfer the fee" }],
    };
    const a = await p.complete(req);
    const b = await p.complete(req);
    expect(a).toEqual(b);
    expect(JSON.parse(a.text)).toEqual({ label: "scam", reason: expect.stringMatching(/^rule: /) });
    expect(a).toMatchObject({ provider: "offline", model: "vivim-rules-v1", costMicroUsd: 0 });
    expect(a.inputTokens).toBeGreaterThan(0);
  });
  it("answers summary prompts with a summary", async () => {
    const r = await p.complete({
      system: "Summarize this thread",
      messages: [{ role: "user", content: "Alpha beta. Gamma." }],
    });
    expect(r.text).toBe("Alpha beta. Gamma.");
    expect(taskOf("summarise")).toBe("summary");
  });
  it("rejects oversized requests", async () => {
    await expect(
      p.complete({ messages: [{ role: "user", content: "x".repeat(70_000) }] }),
    ).rejects.toMatchObject({
      code: "INVALID_REQUEST",
    });
    await expect(p.complete({ messages: [] })).rejects.toMatchObject({ code: "INVALID_REQUEST" });
  });
});
