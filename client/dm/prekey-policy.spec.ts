/**
 * The prekey policy on plain data: a first prekey, rotation once less than two days are left,
 * numbering, which prekey is current (and so published), how long an old private prekey is kept
 * (through its grace period, then deleted), and when the node's bundle counts as ours. The node
 * side (a bundle published and fetched) is covered by test/e2e/dm-account.test.ts.
 */
import { describe, expect, it } from "vitest";
import {
  keptPrekeys,
  latestPrekey,
  nodeHoldsPrekey,
  PREKEY_GRACE_SECONDS,
  PREKEY_LIFETIME_SECONDS,
  PREKEY_ROTATE_BEFORE_SECONDS,
  planPrekeys,
} from "./prekey-policy.js";
import type { KeptPrekey } from "./state.js";

const DAY = 86_400;
const T0 = 1_800_000_000;

const prekey = (id: number, expiresAt: number): KeptPrekey => ({
  id,
  privateKey: `priv-${id}`,
  publicKey: (id & 0xff).toString(16).padStart(2, "0").repeat(33),
  expiresAt,
});

/** Carries out a plan the way DmAccount does: a new prekey joins the kept ones. */
function apply(prekeys: KeptPrekey[], now: number): KeptPrekey[] {
  const plan = planPrekeys(prekeys, now, () => 42);
  return plan.next ? [...plan.keep, prekey(plan.next.id, plan.next.expiresAt)] : plan.keep;
}

describe("planPrekeys", () => {
  it("makes the first prekey, valid for the lifetime, with the id it is given", () => {
    expect(planPrekeys([], T0, () => 42)).toEqual({
      keep: [],
      next: { id: 42, expiresAt: T0 + PREKEY_LIFETIME_SECONDS },
    });
    // The default first id is a random non-negative u31.
    const ids = Array.from({ length: 20 }, () => planPrekeys([], T0).next!.id);
    for (const id of ids) expect(id >= 0 && id < 0x7fff_ffff && Number.isInteger(id)).toBe(true);
    expect(new Set(ids).size).toBeGreaterThan(1);
  });

  it("keeps the current prekey while more than the rotation margin is left", () => {
    const p = prekey(7, T0 + PREKEY_LIFETIME_SECONDS);
    for (const now of [T0, T0 + 3 * DAY, p.expiresAt - PREKEY_ROTATE_BEFORE_SECONDS]) {
      expect(planPrekeys([p], now)).toEqual({ keep: [p], current: p });
    }
  });

  it("rotates once less than two days are left, or after expiry, numbering after the latest", () => {
    const p = prekey(7, T0 + PREKEY_LIFETIME_SECONDS);
    for (const now of [p.expiresAt - PREKEY_ROTATE_BEFORE_SECONDS + 1, p.expiresAt, p.expiresAt + DAY]) {
      expect(planPrekeys([p], now, () => 42)).toEqual({
        keep: [p],
        next: { id: 8, expiresAt: now + PREKEY_LIFETIME_SECONDS },
      });
    }
    // Ids are u32 and wrap.
    expect(planPrekeys([prekey(0xffff_ffff, T0)], T0).next?.id).toBe(0);
  });

  it("takes the prekey that expires last as current, whatever the order or ids", () => {
    const older = prekey(9, T0 + 3 * DAY);
    const newer = prekey(3, T0 + 9 * DAY);
    expect(planPrekeys([newer, older], T0).current).toBe(newer);
    expect(planPrekeys([older, newer], T0).current).toBe(newer);
    expect(latestPrekey([])).toBeUndefined();
    // Equal expiries: the first kept wins.
    const twin = prekey(4, newer.expiresAt);
    expect(latestPrekey([newer, twin])).toBe(newer);
  });

  it("keeps an old private prekey through its grace period, then drops it", () => {
    const old = prekey(1, T0 + PREKEY_LIFETIME_SECONDS);
    const current = prekey(2, T0 + 6 * DAY + PREKEY_LIFETIME_SECONDS);
    const endOfGrace = old.expiresAt + PREKEY_GRACE_SECONDS;
    expect(keptPrekeys([old, current], endOfGrace - 1)).toEqual([old, current]);
    expect(keptPrekeys([old, current], endOfGrace)).toEqual([current]);
    // A plan keeps what keptPrekeys keeps; the latest is chosen among those.
    expect(planPrekeys([old, current], endOfGrace - 1).keep).toEqual([old, current]);
    expect(planPrekeys([old, current], endOfGrace).keep).toEqual([current]);
  });

  it("does not change the prekeys it is given", () => {
    const list = [prekey(1, T0), prekey(2, T0 + 20 * DAY)];
    const copy = structuredClone(list);
    planPrekeys(list, T0 + 40 * DAY);
    keptPrekeys(list, T0 + 40 * DAY);
    expect(list).toEqual(copy);
  });

  it("over weeks: rotates on day 6, keeps the first until its grace ends, and always has one live", () => {
    let kept = apply([], T0);
    expect(kept.map((p) => [p.id, p.expiresAt])).toEqual([[42, T0 + 7 * DAY]]);
    // Five days in, nothing changes; six days in, less than two are left: a second prekey.
    kept = apply(kept, T0 + 5 * DAY);
    expect(kept.map((p) => p.id)).toEqual([42]);
    kept = apply(kept, T0 + 6 * DAY);
    expect(kept.map((p) => [p.id, p.expiresAt])).toEqual([
      [42, T0 + 7 * DAY],
      [43, T0 + 13 * DAY],
    ]);
    // Day 8: the first has expired but is still kept, so messages sealed to it still open.
    kept = apply(kept, T0 + 8 * DAY);
    expect(kept.map((p) => p.id)).toEqual([42, 43]);
    // Day 11: the second rotates too; the first stays until day 14.
    kept = apply(kept, T0 + 11 * DAY + 1);
    expect(kept.map((p) => p.id)).toEqual([42, 43, 44]);
    kept = apply(kept, T0 + 14 * DAY);
    expect(kept.map((p) => p.id)).toEqual([43, 44]);
    // Whenever the plan is carried out, the current prekey is unexpired for another two days.
    for (let t = T0 + 14 * DAY; t < T0 + 90 * DAY; t += DAY / 4) {
      kept = apply(kept, t);
      expect(latestPrekey(kept)!.expiresAt - t).toBeGreaterThanOrEqual(PREKEY_ROTATE_BEFORE_SECONDS);
      for (const p of kept) expect(p.expiresAt + PREKEY_GRACE_SECONDS).toBeGreaterThan(t);
    }
  });
});

describe("nodeHoldsPrekey", () => {
  const current = prekey(5, T0 + DAY);
  const key = Buffer.from(current.publicKey, "hex");
  it("is true only for the node holding this very prekey", () => {
    expect(nodeHoldsPrekey({ prekeyId: 5, prekey: new Uint8Array(key) }, current)).toBe(true);
    expect(nodeHoldsPrekey(undefined, current)).toBe(false);
    expect(nodeHoldsPrekey({ prekeyId: 6, prekey: new Uint8Array(key) }, current)).toBe(false);
    const other = new Uint8Array(key);
    other[32] = other[32]! ^ 1;
    expect(nodeHoldsPrekey({ prekeyId: 5, prekey: other }, current)).toBe(false);
  });
});
