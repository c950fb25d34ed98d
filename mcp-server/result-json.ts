/**
 * The JSON text of recent tool results, kept beside the results themselves. A feed page or thread
 * is the same result for every session within a block (tools/result-cache.ts), but the SDK copies
 * each result on its way out (it validates it into a new object) and the response is serialized
 * per call: ~140 µs for a 20-post feed page, a fifth of the server's time per read. The text part of
 * a result already is the JSON of its structured part (define.ts `toolResult`), so the whole
 * result's JSON is made once here and found again by that text — the same string instance for every
 * session, which makes the lookup a pointer comparison.
 */
const MAX_ENTRIES = 512;

const byText = new Map<string, string>();

/** Records the JSON of `{ content: [{ type: "text", text }], structuredContent }` where `text` is the structured part's JSON. */
export function rememberResultJson(text: string): void {
  if (byText.has(text)) return;
  if (byText.size >= MAX_ENTRIES) byText.delete(byText.keys().next().value as string);
  byText.set(
    text,
    `{"content":[{"type":"text","text":${JSON.stringify(text)}}],"structuredContent":${text}}`,
  );
}

/**
 * The JSON of `result` when it is exactly a remembered tool result (same two fields, one text part
 * carrying the structured part's JSON); undefined for anything else, which is serialized as usual.
 */
export function resultJson(result: unknown): string | undefined {
  if (typeof result !== "object" || result === null) return undefined;
  const r = result as { content?: unknown; structuredContent?: unknown };
  if (!Array.isArray(r.content) || r.content.length !== 1 || typeof r.structuredContent !== "object")
    return undefined;
  if (Object.keys(r).length !== 2) return undefined;
  const part = r.content[0] as { type?: unknown; text?: unknown };
  if (part.type !== "text" || typeof part.text !== "string" || Object.keys(part).length !== 2)
    return undefined;
  return byText.get(part.text);
}
