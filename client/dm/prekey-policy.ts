/**
 * When a DM identity's signed prekey is replaced, and how long its private prekeys are kept — pure
 * decisions on the kept prekeys and the time (Unix seconds), which DmAccount carries out (it makes
 * the keys, saves them and talks to the node). No clock, no I/O, no randomness of its own.
 */
import type { KeptPrekey } from "./state.js";

const DAY = 86_400;
/** A published prekey is valid this long... */
export const PREKEY_LIFETIME_SECONDS = 7 * DAY;
/** ...and replaced by a new one when less than this is left. */
export const PREKEY_ROTATE_BEFORE_SECONDS = 2 * DAY;
/**
 * A private prekey is deleted this long after it expired: messages sent just before the expiry
 * can still be opened meanwhile. Shorter is stronger forward secrecy.
 */
export const PREKEY_GRACE_SECONDS = 7 * DAY;

/** The private prekeys still kept at `now`: those not past their expiry plus the grace period. */
export function keptPrekeys(prekeys: readonly KeptPrekey[], now: number): KeptPrekey[] {
  return prekeys.filter((p) => p.expiresAt + PREKEY_GRACE_SECONDS > now);
}

/** The prekey that expires last (the first of equals): the one to have published. */
export function latestPrekey(prekeys: readonly KeptPrekey[]): KeptPrekey | undefined {
  return prekeys.reduce<KeptPrekey | undefined>(
    (a, p) => (!a || p.expiresAt > a.expiresAt ? p : a),
    undefined,
  );
}

/** What to do about the prekeys at `now`. */
export type PrekeyPlan =
  /** Keep `keep`, and publish `current`, which stays. */
  | { readonly keep: KeptPrekey[]; readonly current: KeptPrekey; readonly next?: undefined }
  /** Keep `keep`, make a new prekey with `next`'s id and expiry, keep it too, and publish it. */
  | {
      readonly keep: KeptPrekey[];
      readonly current?: undefined;
      readonly next: { readonly id: number; readonly expiresAt: number };
    };

/**
 * The plan for `prekeys` at `now`: drop those past their grace period; make a new prekey when there
 * is none or the latest has less than PREKEY_ROTATE_BEFORE_SECONDS left, numbered after the latest
 * (u32, wrapping) or `firstId()` for the very first.
 */
export function planPrekeys(
  prekeys: readonly KeptPrekey[],
  now: number,
  firstId: () => number = () => Math.floor(Math.random() * 0x7fff_ffff),
): PrekeyPlan {
  const keep = keptPrekeys(prekeys, now);
  const latest = latestPrekey(keep);
  if (!latest || latest.expiresAt - now < PREKEY_ROTATE_BEFORE_SECONDS) {
    return {
      keep,
      next: { id: latest ? (latest.id + 1) >>> 0 : firstId(), expiresAt: now + PREKEY_LIFETIME_SECONDS },
    };
  }
  return { keep, current: latest };
}

/** Whether the bundle the node holds (if any) is `current`'s: else `current` is published again. */
export function nodeHoldsPrekey(
  held: { readonly prekeyId: number; readonly prekey: Uint8Array } | undefined,
  current: KeptPrekey,
): boolean {
  return (
    !!held && held.prekeyId === current.id && Buffer.from(held.prekey).toString("hex") === current.publicKey
  );
}
