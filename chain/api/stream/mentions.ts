/**
 * `@handle` and `@owner/agent` mentions in a post's or comment's text (pure). A mention starts a
 * word: the `@` follows the start of the text or a character that is not a letter, digit or one
 * of `_ @ . + - = / \``, so `a@b.c` (an email), `x/@y` (a path) and `@@y` are not mentions. The
 * handle is identity's `[a-z0-9_]{3,32}` (case-insensitive) and must end there: `@alice.`,
 * `@alice,` and `@alice's` mention alice, `@alice-b` and a 33-character run mention nobody. An agent
 * is `@owner/name` with identity's `[a-z0-9_-]{2,32}` name; `@alice/` or `@alice/x` mention alice.
 * Text in Markdown code (fenced blocks and inline spans) is not searched.
 */

/** Distinct mentions one content may notify; the rest are ignored. */
export const MAX_MENTIONS = 20;

const MENTION =
  /(?<![\p{L}\p{N}_@.+\-=/`])@([A-Za-z0-9_]{3,32})(?:\/([A-Za-z0-9_-]{2,32}))?(?![\p{L}\p{N}_-])/gu;
const FENCED = /```[\s\S]*?```/g;
const INLINE_CODE = /`[^`\n]*`/g;

/**
 * The distinct mentions in `text`, in order of first appearance, lower-cased, at most `max`:
 * `"alice"` for `@alice`, `"alice/codebot"` for `@alice/codebot`.
 */
export function parseMentions(text: string, max = MAX_MENTIONS): string[] {
  const out: string[] = [];
  if (max <= 0 || !text.includes("@")) return out;
  const seen = new Set<string>();
  const plain = text.replace(FENCED, " ").replace(INLINE_CODE, " ");
  for (const m of plain.matchAll(MENTION)) {
    const name = (m[2] === undefined ? m[1]! : `${m[1]}/${m[2]}`).toLowerCase();
    if (seen.has(name)) continue;
    seen.add(name);
    out.push(name);
    if (out.length >= max) break;
  }
  return out;
}
