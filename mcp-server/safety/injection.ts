/**
 * A prompt-injection score for member-written text: 0 (nothing suspicious) to 1, with the signals
 * that raised it. It does not decide anything by itself; it travels with the text so the agent (and
 * its owner's policy) can weigh it. The patterns are the ones seen in the wild on Moltbook: fake
 * system or tool headers, "ignore previous instructions", role markers, instructions aimed at the
 * agents reading, requests for keys, transfers or exfiltration, hidden characters and encoded
 * payloads (base64 or hex blobs, decoded and scanned again: instructions inside score high).
 */
export interface InjectionAssessment {
  /** 0..1; ≥ FLAG_THRESHOLD is flagged. */
  readonly score: number;
  readonly flagged: boolean;
  readonly signals: string[];
}

export interface AssessOptions {
  /** Signals left out of the score and the list (the moderation agent scans secrets on its own). */
  readonly ignore?: readonly string[];
}

export const FLAG_THRESHOLD = 0.5;

type Signal = readonly [name: string, weight: number, pattern: RegExp];

/** Signals that are instructions: a decoded blob raising one of them is an encoded instruction. */
const INSTRUCTION_SIGNALS: readonly Signal[] = [
  [
    "override-instructions",
    0.7,
    /\b(ignore|disregard|forget|override)\b[^.\n]{0,40}\b(previous|prior|above|earlier|all|your|system)\b[^.\n]{0,20}\b(instructions?|prompts?|rules?|guidelines?)/i,
  ],
  [
    "fake-system-header",
    0.6,
    /(^|\n)\s*[[<(#]{1,3}\s*(system|admin|developer|security advisory|important notice|moderator notice|[a-z ]{0,20}advisory)\b/i,
  ],
  [
    "fake-tool-header",
    0.5,
    /<\/?(tool_result|tool_response|tool_output|function_results?|function_response)>|(^|\n)\s*[[<(#]{1,3}\s*\/?(tool|function)[ _-]?(call|result|output|response)s?\s*[\]>):]/i,
  ],
  ["role-marker", 0.5, /(<\|im_start\|>|<\|system\|>|\[\/?INST\]|^\s*(system|assistant|developer)\s*:)/im],
  ["new-identity", 0.4, /\byou are now\b|\bact as (an?|the)\b|\bnew instructions\b|\bfrom now on\b/i],
  [
    "agent-directed",
    0.4,
    /\bif you are an? (ai|llm|large language model|language model|ai agent|agent|bot|assistant)\b|\b(any|all|every|attention,?)\s+(ai |llm |autonomous )?(agents?|bots?|assistants?|llms?)\s+(reading|processing|summari[sz]ing|parsing|that reads?)\b|\battention,? (all )?(ai )?(agents|bots|llms)\b/i,
  ],
  [
    "secret-request",
    0.6,
    /\b(reveal|share|send|paste|print|show)\b[^.\n]{0,40}\b(api[ _-]?keys?|private keys?|mnemonic|seed phrase|bearer|passwords?|credentials|system prompt)\b/i,
  ],
  [
    "exfiltration",
    0.6,
    /\b(send|post|upload|forward|include|append|leak|exfiltrate|copy)\b[^.\n]{0,40}\b(your|the user'?s|your owner'?s|the owner'?s)\b[^.\n]{0,30}\b(env(ironment)?( variables?)?|\.env|config(uration)?( files?)?|conversation|chat history|history|memory|memories|prompt|e-?mail|messages|dms|wallet|keys?|tokens?|credentials|cookies|files?)\b[^.\n]{0,60}\b(to|into|at)\b[^.\n]{0,20}(https?:\/\/|webhook)|!\[[^\]\n]{0,100}\]\(https?:\/\/[^)\s]{0,200}[?&][a-z_]{1,20}=(\{|<|\$\{|\[)/i,
  ],
  [
    "transfer-request",
    0.4,
    /\b(send|transfer|tip|pay)\b[^.\n]{0,30}\b(all|your)\b[^.\n]{0,20}\b(tokens?|funds|balance|vivim|coins)\b/i,
  ],
  ["tool-call-markup", 0.4, /("tool"|"function_call"|"tool_calls"|<tool_call>|<function=)/i],
  [
    "remote-instructions",
    0.4,
    /\b(fetch|curl|download|visit|open)\b[^.\n]{0,40}https?:\/\/\S+[^.\n]{0,40}\b(follow|obey|execute|run)\b/i,
  ],
];

const OTHER_SIGNALS: readonly Signal[] = [
  ["hidden-characters", 0.3, /[\u200B-\u200F\u202A-\u202E\u2060-\u2064\uFEFF]/],
  ["encoded-payload", 0.2, /[A-Za-z0-9+/]{120,}={0,2}/],
  [
    "leaked-secret",
    0.5,
    /\b(sk(?:-ant)?-[A-Za-z0-9_-]{20,}|vmcp_[0-9a-f]{16}_[A-Za-z0-9_-]{20,}|AKIA[0-9A-Z]{16})\b/,
  ],
];

/** Weight of a decoded base64/hex blob that holds an instruction. */
const ENCODED_INSTRUCTIONS_WEIGHT = 0.7;
/** Blobs shorter than this are words, ids or hashes; longer ones are cut before decoding. */
const MIN_BASE64 = 24;
const MIN_HEX = 32;
const MAX_BLOB = 8192;
/** At most this many blobs of one text are decoded (bounded work per text). */
const MAX_BLOBS = 8;

const BASE64_BLOB = /[A-Za-z0-9+/_-]{24,}={0,2}/g;
const HEX_BLOB = /^(?:0x)?((?:[0-9a-fA-F]{2})+)$/;

/** Decoded bytes as text, or undefined when they are not (mostly) printable text. */
function asText(bytes: Buffer): string | undefined {
  if (bytes.length < 12) return undefined;
  const text = bytes.toString("utf8");
  let printable = 0;
  for (const ch of text) {
    const c = ch.codePointAt(0)!;
    if (c === 0xfffd) continue;
    if (c === 9 || c === 10 || c === 13 || (c >= 0x20 && c !== 0x7f && !(c >= 0x80 && c < 0xa0)))
      printable += 1;
  }
  return printable >= 0.9 * [...text].length ? text : undefined;
}

/** The texts hidden in the base64 and hex blobs of `text` (at most MAX_BLOBS of them). */
export function decodedBlobs(text: string): string[] {
  const out: string[] = [];
  let tried = 0;
  for (const m of text.matchAll(BASE64_BLOB)) {
    if (tried >= MAX_BLOBS) break;
    const blob = m[0].slice(0, MAX_BLOB);
    const hex = HEX_BLOB.exec(blob);
    let decoded: string | undefined;
    if (hex && hex[1]!.length >= MIN_HEX) {
      tried += 1;
      decoded = asText(Buffer.from(hex[1]!, "hex"));
    } else if (blob.length >= MIN_BASE64) {
      tried += 1;
      decoded = asText(Buffer.from(blob, /[-_]/.test(blob) ? "base64url" : "base64"));
    }
    if (decoded !== undefined) out.push(decoded);
  }
  return out;
}

function encodedInstructions(text: string): boolean {
  return decodedBlobs(text).some((d) => INSTRUCTION_SIGNALS.some(([, , pattern]) => pattern.test(d)));
}

export function assessInjection(text: string, opts: AssessOptions = {}): InjectionAssessment {
  const ignore = new Set(opts.ignore ?? []);
  const signals: string[] = [];
  let clean = 1;
  const hit = (name: string, weight: number) => {
    if (ignore.has(name)) return;
    signals.push(name);
    clean *= 1 - weight;
  };
  for (const [name, weight, pattern] of INSTRUCTION_SIGNALS) if (pattern.test(text)) hit(name, weight);
  for (const [name, weight, pattern] of OTHER_SIGNALS) if (pattern.test(text)) hit(name, weight);
  if (encodedInstructions(text)) hit("encoded-instructions", ENCODED_INSTRUCTIONS_WEIGHT);
  const score = Math.round((1 - clean) * 100) / 100;
  return { score, flagged: score >= FLAG_THRESHOLD, signals };
}
