/**
 * The moderation agent's secret-leak scanner: which kinds of credential a text holds (API-key shapes
 * of the common providers, bearer JWTs, PEM private keys, hex private keys labelled as such, BIP-39
 * mnemonics with a valid checksum). It returns kinds only, never where or what matched: callers put
 * the kind in a label's reason and nothing else of the secret leaves this function.
 *
 * The patterns are written so that this file itself holds no key-shaped string (a repository-wide
 * `git grep` for key prefixes stays clean).
 */
import { createHash } from "node:crypto";
import { EnglishMnemonic } from "@cosmjs/crypto";

export type SecretKind =
  | "openai-api-key"
  | "anthropic-api-key"
  | "aws-access-key"
  | "aws-secret-key"
  | "github-token"
  | "slack-token"
  | "google-api-key"
  | "stripe-secret-key"
  | "jwt"
  | "vivim-mcp-key"
  | "pem-private-key"
  | "hex-private-key"
  | "mnemonic";

/** Texts are scanned up to this many characters (a post body is far below it). */
export const MAX_SCAN_CHARS = 256 * 1024;

const SHAPES: ReadonlyArray<readonly [SecretKind, RegExp]> = [
  ["anthropic-api-key", /\bsk[-]ant-[A-Za-z0-9_-]{20,}/],
  // Legacy keys, project keys (proj-), service-account and admin keys; not Anthropic's.
  ["openai-api-key", /\bsk[-](?!ant-)(?:proj-|svcacct-|admin-)?[A-Za-z0-9_-]{20,}/],
  ["aws-access-key", /\b(?:AKIA|ASIA|ABIA|ACCA)[0-9A-Z]{16}\b/],
  [
    "aws-secret-key",
    /\baws[_ -]?secret[_ -]?(?:access[_ -]?)?key\b[^\n]{0,20}?[=:]\s*["']?[A-Za-z0-9/+]{40}(?![A-Za-z0-9/+])/i,
  ],
  ["github-token", /\b(?:gh[pousr]_[A-Za-z0-9]{36,}|github_pat_[A-Za-z0-9_]{22,})/],
  ["slack-token", /\bxox[abposre]-[A-Za-z0-9-]{10,}/],
  ["google-api-key", /\bAIza[0-9A-Za-z_-]{35}/],
  ["stripe-secret-key", /\b[rs]k_live_[0-9A-Za-z]{20,}/],
  ["jwt", /\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{16,}/],
  ["vivim-mcp-key", /\bvmcp_[0-9a-f]{16}_[A-Za-z0-9_-]{20,}/],
  [
    "pem-private-key",
    /-----BEGIN (?:RSA |EC |DSA |OPENSSH |ENCRYPTED |PGP )?PRIVATE[\x20]KEY(?: BLOCK)?-----/,
  ],
];

/** A 64-hex-digit secret said to be a private key (within 40 characters before it). */
const HEX_KEY =
  /\b(?:priv(?:ate)?[ _-]?key|privkey|secret[ _-]?key|signing[ _-]?key|secp256k1)\b[^\n]{0,40}?\b(?:0x)?([0-9a-fA-F]{64})\b/gi;
/** The order of secp256k1: a private key is in 1..N-1. */
const SECP256K1_N = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n;

const MNEMONIC_LENGTHS = [24, 21, 18, 15, 12] as const;
/** Word → its 11-bit index in the BIP-39 English list. */
const WORDS = new Map(EnglishMnemonic.wordlist.map((w, i) => [w, i]));
const WORD = /[A-Za-z]+/g;
/** Between two words of a mnemonic: spaces, commas, numbering ("1." "2)"), line breaks. */
const MAX_SEPARATOR = 8;
const SEPARATOR_CHARS = new Set([..." \t\r\n,;.:)(-0123456789"].map((c) => c.charCodeAt(0)));

function joins(text: string, from: number, to: number): boolean {
  if (to - from < 1 || to - from > MAX_SEPARATOR) return false;
  for (let i = from; i < to; i++) if (!SEPARATOR_CHARS.has(text.charCodeAt(i))) return false;
  return true;
}

/** At most this many windows of one text are checksummed (bounded work: a few ms). */
const MAX_WINDOWS = 2048;

function hasHexKey(text: string): boolean {
  for (const m of text.matchAll(HEX_KEY)) {
    const k = BigInt(`0x${m[1]!}`);
    if (k > 0n && k < SECP256K1_N) return true;
  }
  return false;
}

/**
 * Whether the words with these wordlist indexes are a BIP-39 mnemonic: 12/15/18/21/24 words whose
 * last bits are the first bits of sha256 of the rest (the entropy).
 */
export function validMnemonicIndexes(idx: readonly number[]): boolean {
  const n = idx.length;
  if (!(MNEMONIC_LENGTHS as readonly number[]).includes(n)) return false;
  const entBits = (n * 11 * 32) / 33;
  const csBits = entBits / 32;
  const entropy = new Uint8Array(entBits / 8);
  let acc = 0;
  let accBits = 0;
  let out = 0;
  for (const v of idx) {
    acc = (acc << 11) | v;
    accBits += 11;
    while (accBits >= 8 && out < entropy.length) {
      accBits -= 8;
      entropy[out++] = (acc >>> accBits) & 0xff;
      acc &= (1 << accBits) - 1;
    }
  }
  // What is left (csBits of them) is the checksum.
  if (accBits !== csBits) return false;
  const first = createHash("sha256").update(entropy).digest()[0]!;
  return first >>> (8 - csBits) === acc;
}

/** True when some run of 12/15/18/21/24 wordlist words in `text` has a valid BIP-39 checksum. */
export function hasMnemonic(text: string): boolean {
  let run: number[] = [];
  let lastEnd = -1;
  let budget = MAX_WINDOWS;
  const check = (): boolean => {
    for (const n of MNEMONIC_LENGTHS) {
      for (let i = 0; i + n <= run.length; i++) {
        if (budget-- <= 0) return false;
        if (validMnemonicIndexes(run.slice(i, i + n))) return true;
      }
    }
    return false;
  };
  for (const m of text.matchAll(WORD)) {
    const index = WORDS.get(m[0].toLowerCase());
    const joined = lastEnd >= 0 && joins(text, lastEnd, m.index);
    if (!joined || index === undefined) {
      if (run.length >= 12 && check()) return true;
      run = [];
    }
    if (index !== undefined) run.push(index);
    lastEnd = m.index + m[0].length;
  }
  return run.length >= 12 && check();
}

/** The kinds of secret `text` holds, in a fixed order, each once. */
export function scanSecrets(text: string): SecretKind[] {
  const t = text.length > MAX_SCAN_CHARS ? text.slice(0, MAX_SCAN_CHARS) : text;
  const kinds: SecretKind[] = [];
  for (const [kind, pattern] of SHAPES) if (pattern.test(t)) kinds.push(kind);
  if (hasHexKey(t)) kinds.push("hex-private-key");
  if (hasMnemonic(t)) kinds.push("mnemonic");
  return kinds;
}
