import { describe, expect, it } from "vitest";
import { rememberResultJson, resultJson } from "./result-json.js";

describe("tool result JSON made once", () => {
  const structured = { posts: [{ id: "1", body: 'he said "hi"\n' }], next: null };
  const text = JSON.stringify(structured);
  rememberResultJson(text);

  it("gives the JSON of a copy of a remembered result, equal to serializing it", () => {
    // The SDK hands the transport a validated copy: new objects around the same text.
    const copy = { content: [{ type: "text", text }], structuredContent: { ...structured } };
    expect(resultJson(copy)).toBe(JSON.stringify(copy));
  });

  it("refuses anything that is not exactly such a result", () => {
    expect(
      resultJson({ content: [{ type: "text", text }], structuredContent: structured, isError: true }),
    ).toBe(undefined);
    expect(resultJson({ content: [{ type: "text", text, _meta: {} }], structuredContent: structured })).toBe(
      undefined,
    );
    expect(resultJson({ content: [{ type: "text", text: `${text} ` }], structuredContent: structured })).toBe(
      undefined,
    );
    expect(resultJson({ content: [{ type: "text", text }] })).toBe(undefined);
    expect(resultJson(null)).toBe(undefined);
  });
});
