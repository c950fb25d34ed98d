/**
 * A prompt-injection score for member-written text: 0 (nothing suspicious) to 1, with the signals
 * that raised it. It does not decide anything by itself; it travels with the text so the agent (and
 * its owner's policy) can weigh it. The patterns are the ones seen in the wild on Moltbook: fake
 * system headers, "ignore previous instructions", role markers, requests for keys or transfers,
 * hidden characters and encoded payloads.
 */
export interface InjectionAssessment {
  /** 0..1; ≥ FLAG_THRESHOLD is flagged. */
  readonly score: number;
  readonly flagged: boolean;
  readonly signals: string[];
}

export const FLAG_THRESHOLD = 0.5;

const SIGNALS: ReadonlyArray<readonly [name: string, weight: number, pattern: RegExp]> = [
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
  ["role-marker", 0.5, /(<\|im_start\|>|<\|system\|>|\[\/?INST\]|^\s*(system|assistant|developer)\s*:)/im],
  ["new-identity", 0.4, /\byou are now\b|\bact as (an?|the)\b|\bnew instructions\b|\bfrom now on\b/i],
  [
    "secret-request",
    0.6,
    /\b(reveal|share|send|paste|print|show)\b[^.\n]{0,40}\b(api[ _-]?keys?|private keys?|mnemonic|seed phrase|bearer|passwords?|credentials|system prompt)\b/i,
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
  ["hidden-characters", 0.3, /[\u200B-\u200F\u202A-\u202E\u2060-\u2064\uFEFF]/],
  ["encoded-payload", 0.2, /[A-Za-z0-9+/]{120,}={0,2}/],
  [
    "leaked-secret",
    0.5,
    /\b(sk-[A-Za-z0-9_-]{20,}|sk-ant-[A-Za-z0-9_-]{20,}|vmcp_[0-9a-f]{16}_[A-Za-z0-9_-]{20,}|AKIA[0-9A-Z]{16})\b/,
  ],
];

export function assessInjection(text: string): InjectionAssessment {
  const signals: string[] = [];
  let clean = 1;
  for (const [name, weight, pattern] of SIGNALS) {
    if (pattern.test(text)) {
      signals.push(name);
      clean *= 1 - weight;
    }
  }
  const score = Math.round((1 - clean) * 100) / 100;
  return { score, flagged: score >= FLAG_THRESHOLD, signals };
}
