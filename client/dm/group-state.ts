/**
 * What a member's DM client keeps of a group, and how the group notices members send each other
 * (group-notice.ts) change it — pure decisions that DmAccount carries out. Sender keys are kept as
 * their own distribution bytes (group.ts), the one strict encoding of a key, plus a receiver's
 * skipped message keys.
 *
 * Membership: a key notice carries the sender's member list (bound to its key). An unknown group
 * is joined from the first notice naming us; a known group takes the list and name of the latest
 * notice (by its sent time) from a current member; a leave notice removes its sender. Whenever the
 * list changes, our own sender key no longer matches it and is replaced before the next message
 * (`ownKeyFits`), so a member who left never receives a later key.
 */
import { toHex } from "./bytes.js";
import { fail } from "./errors.js";
import {
  acceptSenderKey,
  encodeSenderKeyDistribution,
  type OwnSenderKey,
  type ReceivedSenderKey,
} from "./group.js";
import type { GroupNotice } from "./group-notice.js";

/** Another member's sender key: its distribution (hex) and the counters skipped over. */
export interface KeptSenderKey {
  readonly sender: string;
  readonly distribution: string;
  readonly skipped?: ReadonlyArray<readonly [number, string]>;
}

export interface KeptGroup {
  name: string;
  /** Every member, us included, ascending. */
  members: string[];
  /** Our sender key (hex distribution) for `members`, once made. */
  own?: string;
  /** The members our current key was handed to. */
  sentTo: string[];
  /** Other members' keys, by `${sender}:${key id hex}`. */
  keys: Record<string, KeptSenderKey>;
  /** Sent time of the latest notice applied (later ones win). */
  updatedAt: number;
  /** We left: nothing is sent, and notices sent before `updatedAt` do not bring us back. */
  left?: true;
}

/** How many keys of one sender are kept (older ones only opened messages already kept). */
const KEYS_PER_SENDER = 3;

const fromHex = (h: string): Uint8Array => {
  if (!/^(?:[0-9a-f]{2})*$/.test(h)) fail("BAD_ENVELOPE", "kept key is not hex");
  return Uint8Array.from(h.match(/../g) ?? [], (b) => Number.parseInt(b, 16));
};

export const keyRef = (sender: string, senderKeyId: Uint8Array): string => `${sender}:${toHex(senderKeyId)}`;

export function keepOwnKey(k: OwnSenderKey): string {
  return toHex(encodeSenderKeyDistribution(k));
}

export function ownKeyOf(kept: string, chainId: string, self: string): OwnSenderKey {
  const { recv, ...key } = acceptSenderKey(fromHex(kept), { chainId, from: self, self });
  return { ...key, chainKey: recv.chainKey, counter: recv.counter };
}

export function keepReceivedKey(k: ReceivedSenderKey): KeptSenderKey {
  const { recv, ...key } = k;
  const asOwn: OwnSenderKey = { ...key, chainKey: recv.chainKey, counter: recv.counter };
  return {
    sender: k.sender,
    distribution: toHex(encodeSenderKeyDistribution(asOwn)),
    skipped: [...recv.skipped].map(([n, key]) => [n, toHex(key)] as const),
  };
}

export function receivedKeyOf(kept: KeptSenderKey, chainId: string, self: string): ReceivedSenderKey {
  const r = acceptSenderKey(fromHex(kept.distribution), { chainId, from: kept.sender, self });
  const skipped = new Map((kept.skipped ?? []).map(([n, key]) => [n, fromHex(key)] as const));
  return { ...r, recv: { ...r.recv, skipped } };
}

/** Whether our kept key was made for the group's current member list. */
export function ownKeyFits(g: KeptGroup, chainId: string, self: string): boolean {
  return !!g.own && ownKeyOf(g.own, chainId, self).members.join() === g.members.join();
}

/** The group after a key notice that `from` sent at `sentAt` (undefined: ignore it). */
export function applyKeyNotice(
  g: KeptGroup | undefined,
  notice: Extract<GroupNotice, { kind: "key" }>,
  opts: { chainId: string; from: string; self: string; sentAt: number },
): KeptGroup | undefined {
  const key = acceptSenderKey(notice.distribution, opts);
  if (toHex(key.groupId) !== toHex(notice.groupId)) fail("BAD_ENVELOPE", "the key is for another group");
  const ref = keyRef(key.sender, key.senderKeyId);
  // A key already held keeps its ratchet position: a re-sent copy must not rewind it.
  const kept = g?.keys[ref] ?? keepReceivedKey(key);
  if (!g) {
    return {
      name: notice.name,
      members: [...key.members],
      sentTo: [],
      keys: { [ref]: kept },
      updatedAt: opts.sentAt,
    };
  }
  if (g.left && opts.sentAt <= g.updatedAt) return undefined;
  if (!g.members.includes(opts.from) && !g.left) return undefined;
  const later = opts.sentAt >= g.updatedAt;
  const keys = Object.fromEntries(
    [...Object.entries(g.keys), [ref, kept] as const].filter(
      ([, k], i, all) => all.slice(i + 1).filter(([, o]) => o.sender === k.sender).length < KEYS_PER_SENDER,
    ),
  );
  const { left: _left, ...rest } = g;
  return later
    ? { ...rest, name: notice.name, members: [...key.members], keys, updatedAt: opts.sentAt }
    : { ...g, keys };
}

/** The group after `from` said they left (undefined: ignore it). */
export function applyLeaveNotice(
  g: KeptGroup | undefined,
  from: string,
  sentAt: number,
): KeptGroup | undefined {
  if (!g?.members.includes(from)) return undefined;
  return { ...g, members: g.members.filter((m) => m !== from), updatedAt: Math.max(g.updatedAt, sentAt) };
}
