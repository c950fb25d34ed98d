/**
 * What a member's DM client keeps of a group, and how the group notices members send each other
 * (group-notice.ts) change it — pure decisions that DmAccount carries out. Sender keys are kept as
 * their own distribution bytes (group.ts), the one strict encoding of a key, plus a receiver's
 * skipped message keys.
 *
 * Membership: a key notice carries the sender's member list (bound to its key) and the group's
 * admin (its creator). An unknown group is joined from the first notice naming us, taking its
 * admin; a known group takes the list and name of the latest notice (by its sent time) from its
 * admin only — other members' notices just add their keys; a leave notice removes its sender, and
 * the admin's remove notice removes the member it names (us: we are out). Whenever the list
 * changes, our own sender key no longer matches it and is replaced before the next message
 * (`ownKeyFits`), so a member who left or was removed never receives a later key. Each change is
 * kept as a GroupEvent, which the app shows in the conversation.
 */
import { decodeAddress, toHex } from "./bytes.js";
import { MAX_GROUP_MEMBERS, sortAddresses } from "./envelope.js";
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

/** A membership change, as the conversation shows it: "`by` added / removed `member`", "`member` left". */
export interface GroupEvent {
  readonly kind: "added" | "removed" | "left";
  readonly member: string;
  readonly by: string;
  /** The sent time of the notice that told us (Unix seconds). */
  readonly at: number;
}

export interface KeptGroup {
  name: string;
  /** Who may add and remove members: the creator (absent in groups kept before admins existed). */
  admin?: string;
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
  /** We are out because the admin removed us (`left` is set too). */
  removed?: true;
  /** The latest membership changes, oldest first (at most MAX_GROUP_EVENTS). */
  events?: GroupEvent[];
}

/** How many membership changes a group keeps to show. */
export const MAX_GROUP_EVENTS = 50;

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
      ...(notice.admin ? { admin: notice.admin } : {}),
      members: [...key.members],
      sentTo: [],
      keys: { [ref]: kept },
      updatedAt: opts.sentAt,
    };
  }
  // Only the admin's later notice changes the list (re-adding us included); a member's adds a key.
  const fromAdmin = !!g.admin && opts.from === g.admin && notice.admin === g.admin;
  const later = fromAdmin && opts.sentAt >= g.updatedAt;
  if (g.left && !later) return undefined;
  if (!g.members.includes(opts.from) && !g.left) return undefined;
  const keys = Object.fromEntries(
    [...Object.entries(g.keys), [ref, kept] as const].filter(
      ([, k], i, all) => all.slice(i + 1).filter(([, o]) => o.sender === k.sender).length < KEYS_PER_SENDER,
    ),
  );
  if (!later) return { ...g, keys };
  const { left: _left, removed: _removed, ...rest } = g;
  const members = [...key.members];
  const changes: GroupEvent[] = [
    ...members.filter((m) => !g.members.includes(m)).map((member) => ({ kind: "added" as const, member })),
    ...g.members.filter((m) => !members.includes(m)).map((member) => ({ kind: "removed" as const, member })),
  ].map((e) => ({ ...e, by: opts.from, at: opts.sentAt }));
  return withEvents(
    { ...rest, name: notice.name, members, keys, updatedAt: opts.sentAt },
    g.left ? [] : changes,
  );
}

/** The group after `from` said they left (undefined: ignore it). */
export function applyLeaveNotice(
  g: KeptGroup | undefined,
  from: string,
  sentAt: number,
): KeptGroup | undefined {
  if (!g?.members.includes(from)) return undefined;
  return withEvents(
    { ...g, members: g.members.filter((m) => m !== from), updatedAt: Math.max(g.updatedAt, sentAt) },
    [{ kind: "left", member: from, by: from, at: sentAt }],
  );
}

/** The group after its admin `from` said at `sentAt` that they removed `member` (undefined: ignore it). */
export function applyRemoveNotice(
  g: KeptGroup | undefined,
  opts: { from: string; member: string; self: string; sentAt: number },
): KeptGroup | undefined {
  // An older removal must not undo a later re-adding.
  if (!g?.admin || opts.from !== g.admin || g.left || opts.sentAt < g.updatedAt) return undefined;
  if (!g.members.includes(opts.member)) return undefined;
  const event: GroupEvent = { kind: "removed", member: opts.member, by: opts.from, at: opts.sentAt };
  const members = g.members.filter((m) => m !== opts.member);
  if (opts.member !== opts.self) return withEvents({ ...g, members, updatedAt: opts.sentAt }, [event]);
  // We are out: our key goes, so nothing more is sent to the group from here.
  const { own: _own, ...rest } = g;
  return withEvents({ ...rest, members, left: true, removed: true, updatedAt: opts.sentAt }, [event]);
}

/**
 * The admin's own change: the group with `add` added or `remove` removed at `now`. Only the admin
 * may, while in the group; the list stays within 2–32 members.
 */
export function changeMembers(
  g: KeptGroup,
  change: { self: string; add?: string; remove?: string; now: number },
): KeptGroup {
  if (g.left) fail("NOT_RECIPIENT", "not a member of this group");
  if (g.admin !== change.self) fail("NOT_ADMIN", "only the group's admin changes its members");
  let members = g.members;
  const events: GroupEvent[] = [];
  if (change.add !== undefined) {
    if (members.includes(change.add)) fail("BAD_MEMBER", "already a member");
    if (members.length >= MAX_GROUP_MEMBERS) fail("TOO_LARGE", `at most ${MAX_GROUP_MEMBERS} members`);
    decodeAddress(change.add);
    members = sortAddresses([...members, change.add]);
    events.push({ kind: "added", member: change.add, by: change.self, at: change.now });
  }
  if (change.remove !== undefined) {
    if (change.remove === change.self) fail("BAD_MEMBER", "leave the group instead of removing yourself");
    if (!members.includes(change.remove)) fail("BAD_MEMBER", "not a member");
    if (members.length <= 2) fail("BAD_MEMBER", "a group keeps at least two members");
    members = members.filter((m) => m !== change.remove);
    events.push({ kind: "removed", member: change.remove, by: change.self, at: change.now });
  }
  return withEvents({ ...g, members, updatedAt: Math.max(g.updatedAt, change.now) }, events);
}

/**
 * Whether a group message `sender` sent at `sentAt` is taken: from a member, or from someone who
 * left or was removed only after sending it (their messages from before stay readable).
 */
export function sentWhileMember(g: KeptGroup, sender: string, sentAt: number): boolean {
  if (g.members.includes(sender)) return true;
  const out = g.events?.findLast((e) => e.member === sender && (e.kind === "removed" || e.kind === "left"));
  return !!out && sentAt < out.at;
}

function withEvents(g: KeptGroup, events: readonly GroupEvent[]): KeptGroup {
  if (events.length === 0) return g;
  return { ...g, events: [...(g.events ?? []), ...events].slice(-MAX_GROUP_EVENTS) };
}
