/**
 * The visible part of an assistant answer while it streams: the model writes one JSON object
 * (assistant.ts), and this decoder hands out the characters of its top-level `"reply"` string as
 * they arrive, escapes decoded, so a person reads the reply while the rest (the tool call) is
 * still being written. It only shows; parseAssistantAnswer() on the whole text stays the single
 * source of truth, and its reply replaces what was streamed. Text before the object (prose, a
 * ``` fence) and every other field are skipped, as parseAssistantAnswer() skips them. Pure.
 */
import { ASSISTANT_LIMITS } from "./assistant.js";

const ESCAPES: Readonly<Record<string, string>> = {
  '"': '"',
  "\\": "\\",
  "/": "/",
  b: "\b",
  f: "\f",
  n: "\n",
  r: "\r",
  t: "\t",
};

type Mode =
  /** Before the object's `{`. */
  | "outside"
  /** Inside the object, between tokens. */
  | "object"
  /** Inside a string that is not the reply (a key, another value, anything nested). */
  | "string"
  /** Inside the top-level reply string. */
  | "reply"
  /** The object is closed: the rest is ignored. */
  | "done";

export class ReplyStreamDecoder {
  private mode: Mode = "outside";
  private depth = 0;
  /** Pending escape of the current string: "" when none, "\\" after a backslash, "\\uXX…" while reading hex. */
  private escape = "";
  /** At depth 1: whether the next string is a key. */
  private expectKey = false;
  private key = "";
  private lastKey = "";
  /** The characters of the current key (top-level keys only). */
  private collecting = false;
  private shown = 0;

  /** Feeds the next piece of the model's text; returns the reply characters it completes. */
  push(piece: string): string {
    let out = "";
    for (const c of piece) {
      if (this.mode === "done") break;
      if (this.mode === "outside") {
        if (c === "{") this.open();
      } else if (this.mode === "reply" || this.mode === "string") out += this.inString(c);
      else this.inObject(c);
    }
    const room = ASSISTANT_LIMITS.maxReplyChars - this.shown;
    const visible = out.slice(0, Math.max(0, room));
    this.shown += visible.length;
    return visible;
  }

  private open(): void {
    this.mode = "object";
    this.depth = 1;
    this.expectKey = true;
  }

  private inObject(c: string): void {
    if (c === '"') {
      const isKey = this.depth === 1 && this.expectKey;
      const isReply = this.depth === 1 && !this.expectKey && this.lastKey === "reply";
      this.collecting = isKey;
      this.key = "";
      this.mode = isReply ? "reply" : "string";
      if (isKey) this.expectKey = false;
    } else if (c === "{" || c === "[") this.depth += 1;
    else if (c === "}" || c === "]") {
      this.depth -= 1;
      if (this.depth === 0) this.mode = "done";
    } else if (c === "," && this.depth === 1) {
      this.expectKey = true;
      this.lastKey = "";
    }
  }

  /** One character of a string; returns what it decodes to when that string is the reply. */
  private inString(c: string): string {
    let decoded = "";
    if (this.escape === "\\") {
      if (c === "u") this.escape = "\\u";
      else {
        decoded = ESCAPES[c] ?? c;
        this.escape = "";
      }
    } else if (this.escape.startsWith("\\u")) {
      this.escape += c;
      if (this.escape.length === 6) {
        const code = Number.parseInt(this.escape.slice(2), 16);
        decoded = Number.isNaN(code) ? "" : String.fromCharCode(code);
        this.escape = "";
      }
    } else if (c === "\\") this.escape = "\\";
    else if (c === '"') {
      if (this.collecting) this.lastKey = this.key;
      this.collecting = false;
      this.mode = "object";
      return "";
    } else decoded = c;
    if (this.collecting) this.key += decoded;
    return this.mode === "reply" ? decoded : "";
  }
}
