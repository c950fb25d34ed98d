/**
 * The default provider: no network, no key, and its output a pure function of the request. A
 * rule-based classifier answers moderation prompts (label or no label, with the rule as reason, as
 * JSON) and an extractive summariser answers summary prompts; anything else gets a templated reply.
 */
import type { AiProvider, AiRequest, AiResult } from "./types.js";
import { checkRequest } from "./types.js";

export const OFFLINE_MODEL = "vivim-rules-v1";

export type ModerationLabel = "scam" | "spam" | "harassment" | "violence";

export interface Classification {
  label: ModerationLabel | null;
  reason: string;
}

interface Rule {
  label: ModerationLabel;
  name: string;
  test: (t: string, raw: string) => boolean;
}

const any = (words: string[]) => (t: string) => words.some((w) => t.includes(w));

/** In priority order: the first that matches decides. */
const RULES: Rule[] = [
  {
    label: "violence",
    name: "threat of violence",
    test: (t) =>
      /\b(i('| wi)ll|gonna|going to)\s+(kill|hurt|shoot|stab|beat)\s+(you|u|him|her|them)\b/.test(t) ||
      any(["kill yourself", "kys"])(t),
  },
  {
    label: "scam",
    name: "asks for secrets or money with promised returns",
    test: any([
      "seed phrase",
      "recovery phrase",
      "private key",
      "send me your",
      "guaranteed return",
      "double your",
      "wire transfer",
      "send crypto",
      "investment opportunity",
      "claim your prize",
    ]),
  },
  {
    label: "harassment",
    name: "insult aimed at a person",
    test: (t) =>
      /\b(you|u|ur|you're|youre)\s+(are\s+)?(an?\s+)?(idiot|moron|stupid|loser|worthless|pathetic|trash|scum)\b/.test(
        t,
      ),
  },
  {
    label: "spam",
    name: "promotional phrases",
    test: any([
      "buy now",
      "click here",
      "free money",
      "limited offer",
      "act now",
      "100% free",
      "earn $",
      "work from home",
    ]),
  },
  {
    label: "spam",
    name: "three or more links",
    test: (_t, raw) => (raw.match(/https?:\/\//gi) ?? []).length >= 3,
  },
  {
    label: "spam",
    name: "repeated characters or shouting",
    test: (_t, raw) =>
      /(.)\1{9,}/.test(raw) ||
      (raw.length >= 20 && raw.replace(/[^A-Za-z]/g, "").length >= 20 && raw === raw.toUpperCase()),
  },
];

export function classify(text: string): Classification {
  const t = text.toLowerCase().normalize("NFKC");
  for (const r of RULES) {
    if (r.test(t, text)) return { label: r.label, reason: `rule: ${r.name}` };
  }
  return { label: null, reason: "no moderation rule matched" };
}

/** The first sentences of `text`, whole words only, at most `maxWords` words. */
export function summarize(text: string, maxWords = 40): string {
  const clean = text.replace(/\s+/g, " ").trim();
  if (!clean) return "(empty)";
  const sentences = clean.match(/[^.!?]+[.!?]*/g) ?? [clean];
  const out: string[] = [];
  let words = 0;
  for (const s of sentences) {
    const w = s.trim().split(" ");
    if (words + w.length > maxWords) {
      if (out.length === 0) out.push(`${w.slice(0, maxWords).join(" ")}…`);
      break;
    }
    out.push(s.trim());
    words += w.length;
  }
  return out.join(" ");
}

const countTokens = (s: string) => (s.match(/\S+/g) ?? []).length;

export type OfflineTask = "moderation" | "summary" | "echo";

export function taskOf(system: string): OfflineTask {
  const s = system.toLowerCase();
  if (/moderat|classif|label/.test(s)) return "moderation";
  if (/summar/.test(s)) return "summary";
  return "echo";
}

export class OfflineProvider implements AiProvider {
  readonly name = "offline";
  readonly model = OFFLINE_MODEL;

  estimateMaxCostMicroUsd(): number {
    return 0;
  }

  async complete(req: AiRequest): Promise<AiResult> {
    const r = checkRequest(req);
    const input = [...r.messages].reverse().find((m) => m.role === "user")?.content ?? "";
    const task = taskOf(r.system);
    let text: string;
    if (task === "moderation") text = JSON.stringify(classify(input));
    else if (task === "summary") text = summarize(input, Math.min(60, r.maxTokens));
    else text = `offline: ${summarize(input, Math.min(20, r.maxTokens))}`;
    const words = text.split(" ");
    if (words.length > r.maxTokens) text = words.slice(0, r.maxTokens).join(" ");
    return {
      text,
      provider: this.name,
      model: this.model,
      inputTokens: countTokens(r.system) + r.messages.reduce((n, m) => n + countTokens(m.content), 0),
      outputTokens: countTokens(text),
      costMicroUsd: 0,
    };
  }
}
