/**
 * The JSON text of recent tool results, kept beside the results themselves. A feed page or thread
 * is the same result for every session within a block (tools/result-cache.ts), but the SDK copies
 * each result on its way out (it validates it into a new object) and the response is serialized
 * per call: ~140 µs for a 20-post feed page, a fifth of the server's time per read. The text part of
 * a result already is the JSON of its structured part (define.ts `toolResult`), so the whole
 * result's JSON is made once here and found again by that text — the same string instance for every
 * session, which makes the lookup a pointer comparison.
 */
const MAX_ENTRIES = 256;

/** Texts of recent tool results, with their whole result's JSON once a response needed it. */
const byText = new Map<string, string | undefined>();

/** Records that `text` is the JSON of a tool result's structured part (define.ts `toolResult`). */
export function rememberResultJson(text: string): void {
  if (byText.has(text)) return;
  if (byText.size >= MAX_ENTRIES) byText.delete(byText.keys().next().value as string);
  // The JSON itself is made on first use: results that never take the direct path (stdio, SSE)
  // cost nothing more.
  byText.set(text, undefined);
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
  const text = part.text;
  if (!byText.has(text)) return undefined;
  let json = byText.get(text);
  if (json === undefined) {
    json = `{"content":[{"type":"text","text":${JSON.stringify(text)}}],"structuredContent":${text}}`;
    byText.set(text, json);
  }
  return json;
}
