/**
 * How long a DM identity's kept state lasts — pure decisions on that state and the time (Unix
 * seconds), which DmAccount applies: which kept messages are still shown and kept, which "seen"
 * marks can go, when an envelope is old enough for the read cursor to pass it, when a session is
 * too old to send on, and which idle sessions are deleted. No clock, no I/O; inputs are not changed.
 */
import type { DmState, KeptConversation, KeptMessage, KeptSession } from "./state.js";

const DAY = 86_400;
/** Sending starts a new session (from the peer's current prekey) once ours is this old. */
export const SESSION_MAX_AGE_SECONDS = 7 * DAY;
/** Sessions neither current nor used for this long are deleted. */
export const SESSION_IDLE_SECONDS = 30 * DAY;
/** The most messages kept per conversation (oldest dropped first). */
export const MAX_KEPT_MESSAGES = 1_000;
/** Relays deliver late; envelopes are re-read until they are this old. */
export const SETTLE_SECONDS = 900;

/** The messages still kept at `now`: unexpired, in the order sent (stable), the newest `max`. */
export function retainMessages(
  messages: readonly KeptMessage[],
  now: number,
  max = MAX_KEPT_MESSAGES,
): KeptMessage[] {
  // By time sent, then as they arrived (a stable sort): the order the conversation happened in.
  return messages
    .filter((m) => m.expiresAt > now)
    .sort((a, b) => a.sentAt - b.sentAt)
    .slice(-max);
}

/** The unexpired messages at `now` (in their kept order), the newest `limit`: what is shown. */
export function liveMessages(messages: readonly KeptMessage[], now: number, limit: number): KeptMessage[] {
  return messages.filter((m) => m.expiresAt > now).slice(-limit);
}

/**
 * The "seen" marks still needed: those of envelopes sent at or after the cursor's (earlier ones are
 * never read again); all of them while there is no cursor.
 */
export function retainSeen(
  seen: Readonly<Record<string, number>>,
  cursorSentAt: number | undefined,
): Record<string, number> {
  if (cursorSentAt === undefined) return { ...seen };
  return Object.fromEntries(Object.entries(seen).filter(([, at]) => at >= cursorSentAt));
}

/** A conversation's messages and seen marks after trimming at `now`. */
export function trimConversation(
  c: Pick<KeptConversation, "messages" | "seen" | "cursorSentAt">,
  now: number,
): Pick<KeptConversation, "messages" | "seen"> {
  return { messages: retainMessages(c.messages, now), seen: retainSeen(c.seen, c.cursorSentAt) };
}

/** Whether an envelope sent at `sentAt` is old enough at `now` that the read cursor may pass it. */
export function settled(sentAt: number, now: number): boolean {
  return sentAt <= now - SETTLE_SECONDS;
}

/** Whether a session is too old at `now` to send a new message on (a new one is started). */
export function sessionTooOld(session: Pick<KeptSession, "createdAt">, now: number): boolean {
  return now - session.createdAt > SESSION_MAX_AGE_SECONDS;
}

/** The ids of the sessions to delete at `now`: not any conversation's current one, and idle too long. */
export function idleSessions(state: Pick<DmState, "sessions" | "current">, now: number): string[] {
  const current = new Set(Object.values(state.current));
  return Object.entries(state.sessions)
    .filter(([sid, kept]) => !current.has(sid) && now - kept.usedAt > SESSION_IDLE_SECONDS)
    .map(([sid]) => sid);
}
