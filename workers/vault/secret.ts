/**
 * A secret that only `reveal()` gives out: its string, JSON and inspect forms are all "[redacted]",
 * and the value sits in a private field, so logging or serialising the holder never shows it.
 */
import { inspect } from "node:util";

const REDACTED = "[redacted]";

export class Secret {
  readonly #value: string;
  constructor(value: string) {
    this.#value = value;
  }
  reveal(): string {
    return this.#value;
  }
  toString(): string {
    return REDACTED;
  }
  toJSON(): string {
    return REDACTED;
  }
  [inspect.custom](): string {
    return REDACTED;
  }
}

/** Replaces every occurrence of the secret (and of its first half, in case a server echoes a prefix). */
export function scrub(text: string, secret: Secret | undefined): string {
  if (!secret) return text;
  const value = secret.reveal();
  let out = text;
  for (const needle of [value, value.slice(0, Math.ceil(value.length / 2))]) {
    if (needle.length >= 4) out = out.split(needle).join(REDACTED);
  }
  return out;
}
