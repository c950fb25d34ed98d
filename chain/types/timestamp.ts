import type { Timestamp } from "../../contracts/types.js";

export type { Timestamp };

export const ZERO_TIME: Timestamp = Object.freeze({ seconds: 0n, nanos: 0 });

export function timestampFromMs(ms: number): Timestamp {
  const whole = Math.floor(ms);
  return { seconds: BigInt(Math.floor(whole / 1000)), nanos: (whole % 1000) * 1_000_000 };
}

export function timestampToMs(t: Timestamp): number {
  return Number(t.seconds) * 1000 + Math.floor(t.nanos / 1_000_000);
}

export function compareTimestamps(a: Timestamp, b: Timestamp): number {
  if (a.seconds !== b.seconds) return a.seconds < b.seconds ? -1 : 1;
  return a.nanos - b.nanos;
}

/** RFC3339 with nine fractional digits, the form CometBFT emits and cosmjs parses. */
export function timestampToRfc3339(t: Timestamp): string {
  const iso = new Date(Number(t.seconds) * 1000).toISOString(); // 2025-01-01T00:00:00.000Z
  return `${iso.slice(0, 19)}.${String(t.nanos).padStart(9, "0")}Z`;
}

const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(Z|[+-]\d{2}:\d{2})$/;

/** Parses an RFC3339 time; returns undefined for anything else (callers turn that into a coded error). */
export function timestampFromRfc3339(text: string): Timestamp | undefined {
  const m = RFC3339.exec(text);
  if (!m) return undefined;
  const ms = Date.parse(`${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}${m[8]}`);
  if (Number.isNaN(ms)) return undefined;
  const nanos = Number((m[7] ?? "").padEnd(9, "0"));
  return { seconds: BigInt(ms / 1000), nanos };
}
