import { describe, expect, it } from "vitest";
import { ASSISTANT_LIMITS, parseAssistantAnswer } from "./assistant.js";
import { ReplyStreamDecoder } from "./assistant-stream.js";

/** Feeds `text` in pieces of `size` characters; returns what was shown after each piece. */
function feed(text: string, size: number): string[] {
  const d = new ReplyStreamDecoder();
  const shown: string[] = [];
  let acc = "";
  for (let i = 0; i < text.length; i += size) {
    acc += d.push(text.slice(i, i + size));
    shown.push(acc);
  }
  return shown;
}

const ANSWER = JSON.stringify({
  reply: 'Here is a "launch" post for #general.\nCheck it: {v2} \\ done ✓ 🚀',
  call: {
    name: "create_post",
    arguments: { community: "general", title: "reply", body: '{"reply":"not this"}' },
  },
});

describe("the streamed reply of an assistant answer", () => {
  it("shows exactly the reply string, escapes decoded, however the text is cut", () => {
    const want = parseAssistantAnswer(ANSWER).reply;
    for (const size of [1, 2, 3, 5, 7, 16, ANSWER.length]) {
      const shown = feed(ANSWER, size);
      expect(shown.at(-1)).toBe(want);
      // It grows monotonically: each step extends what was already shown.
      for (let i = 1; i < shown.length; i++) expect(shown[i]!.startsWith(shown[i - 1]!)).toBe(true);
    }
  });

  it("shows part of the reply before the answer is complete", () => {
    const half = ANSWER.indexOf("#general");
    const d = new ReplyStreamDecoder();
    expect(d.push(ANSWER.slice(0, half))).toBe('Here is a "launch" post for ');
    expect(d.push(ANSWER.slice(half))).toBe("#general.\nCheck it: {v2} \\ done ✓ 🚀");
  });

  it("decodes \\u escapes split across pieces, surrogate pairs included", () => {
    const text = '{"reply":"caf\\u00e9 \\ud83d\\ude80"}';
    expect(feed(text, 1).at(-1)).toBe("café 🚀");
    expect(feed(text, 4).at(-1)).toBe(parseAssistantAnswer(text).reply);
  });

  it("skips prose, fences and other fields before the reply, and whatever follows the object", () => {
    const text =
      'Sure!\n```json\n{"call": {"name": "follow", "arguments": {"target": "@bob", "reply": "x"}}, "note": "reply", "reply": "Following @bob."}\n```\n{"reply":"second"}';
    expect(feed(text, 3).at(-1)).toBe("Following @bob.");
    expect(parseAssistantAnswer(text).reply).toBe("Following @bob.");
  });

  it("shows nothing for text that is not the JSON asked for (the final answer replaces it)", () => {
    expect(feed("VIVIM is a social network.", 4).at(-1)).toBe("");
    expect(feed('{"answer":"no reply field"}', 2).at(-1)).toBe("");
    expect(feed('{"reply": 42}', 2).at(-1)).toBe("");
  });

  it("stops at the reply cap", () => {
    const text = `{"reply":"${"y".repeat(ASSISTANT_LIMITS.maxReplyChars + 50)}"}`;
    expect(feed(text, 100).at(-1)).toHaveLength(ASSISTANT_LIMITS.maxReplyChars);
  });
});
