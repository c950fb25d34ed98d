/**
 * Each member's list of conversations and their read marks, kept beside the DM store so a client
 * can show an inbox with unread counts without opening anything: the node knows who takes part in
 * a conversation (the envelope header names them) and when it last moved, never what was said.
 *
 * Keys:
 * - `07 | member | 00 | conversation(32)` → `lastSentAt(8) | lastExpiresAt(8) | lastId(32) |
 *   n(1) | n × (len(1) | address)` — the conversation's latest message and its members;
 * - `08 | conversation(32) | reader` → `sentAt(8) | id(32) | at(8)` — the reader has read every
 *   message up to and including that one (`at`: when the receipt was signed).
 */
import type { BatchOp, Database } from "../db/database.js";

const ENTRY = 0x07;
const MARK = 0x08;
const ID_BYTES = 32;
/** The most conversations one inbox listing looks at (newest first after sorting). */
export const MAX_INBOX_SCAN = 2_000;

const enc = new TextEncoder();
const dec = new TextDecoder();

export interface ReadMark {
  readonly sentAt: number;
  readonly id: Uint8Array;
  /** When the reader signed the receipt (Unix seconds). */
  readonly at: number;
}

export interface InboxEntry {
  readonly conversation: Uint8Array;
  readonly members: readonly string[];
  readonly lastSentAt: number;
  readonly lastExpiresAt: number;
  readonly lastId: Uint8Array;
}

/** The fields of a stored message the inbox files. */
interface Filed {
  readonly id: Uint8Array;
  readonly conversation: Uint8Array;
  readonly sentAt: number;
  readonly expiresAt: number;
}

function u64(n: number): Uint8Array {
  const b = new Uint8Array(8);
  new DataView(b.buffer).setBigUint64(0, BigInt(n));
  return b;
}
const readU64 = (b: Uint8Array, at: number): number =>
  Number(new DataView(b.buffer, b.byteOffset, b.byteLength).getBigUint64(at));

const entryKey = (member: string, conversation: Uint8Array) =>
  Uint8Array.from([ENTRY, ...enc.encode(member), 0, ...conversation]);
const markKey = (conversation: Uint8Array, reader: string) =>
  Uint8Array.from([MARK, ...conversation, ...enc.encode(reader)]);

function encodeEntry(m: Filed, members: readonly string[]): Uint8Array {
  const parts = members.flatMap((a) => {
    const b = enc.encode(a);
    return [b.length, ...b];
  });
  return Uint8Array.from([...u64(m.sentAt), ...u64(m.expiresAt), ...m.id, members.length, ...parts]);
}

function decodeEntry(conversation: Uint8Array, b: Uint8Array): InboxEntry {
  const members: string[] = [];
  let at = 16 + ID_BYTES + 1;
  for (let i = 0; i < (b[16 + ID_BYTES] ?? 0); i++) {
    const len = b[at] ?? 0;
    members.push(dec.decode(b.subarray(at + 1, at + 1 + len)));
    at += 1 + len;
  }
  return {
    conversation,
    members,
    lastSentAt: readU64(b, 0),
    lastExpiresAt: readU64(b, 8),
    lastId: Uint8Array.from(b.subarray(16, 16 + ID_BYTES)),
  };
}

/** A read mark is later than another by (sentAt, id), the conversation index's order. */
export function isAfter(
  a: { sentAt: number; id: Uint8Array },
  b: { sentAt: number; id: Uint8Array },
): boolean {
  if (a.sentAt !== b.sentAt) return a.sentAt > b.sentAt;
  return Buffer.compare(a.id, b.id) > 0;
}

export class DmInbox {
  constructor(private readonly db: Database) {}

  /** The writes that file a new message in its members' inboxes (kept only if it is the latest). */
  async fileOps(m: Filed, members: readonly string[]): Promise<BatchOp[]> {
    const sorted = [...new Set(members)].sort();
    const ops: BatchOp[] = [];
    for (const member of sorted) {
      const k = entryKey(member, m.conversation);
      const held = await this.db.get(k);
      if (held && !isAfter(m, { sentAt: readU64(held, 0), id: held.subarray(16, 16 + ID_BYTES) })) continue;
      ops.push({ type: "put", key: k, value: encodeEntry(m, sorted) });
    }
    return ops;
  }

  /** The member's conversations whose latest message has not expired at `now`, newest first. */
  async entries(member: string, now: number, limit: number): Promise<InboxEntry[]> {
    const prefix = Uint8Array.from([ENTRY, ...enc.encode(member), 0]);
    const rows = await this.db.range({
      gte: prefix,
      lt: Uint8Array.from([ENTRY, ...enc.encode(member), 1]),
      limit: MAX_INBOX_SCAN,
    });
    return rows
      .map(([k, v]) => decodeEntry(Uint8Array.from(k.subarray(prefix.length)), v))
      .filter((e) => e.lastExpiresAt > now)
      .sort((a, b) => b.lastSentAt - a.lastSentAt)
      .slice(0, limit);
  }

  async readMark(conversation: Uint8Array, reader: string): Promise<ReadMark | undefined> {
    const b = await this.db.get(markKey(conversation, reader));
    return b
      ? {
          sentAt: readU64(b, 0),
          id: Uint8Array.from(b.subarray(8, 8 + ID_BYTES)),
          at: readU64(b, 8 + ID_BYTES),
        }
      : undefined;
  }

  /** Moves the reader's mark forward to `mark`; false when it is not after the held one. */
  async markRead(conversation: Uint8Array, reader: string, mark: ReadMark): Promise<boolean> {
    const held = await this.readMark(conversation, reader);
    if (held && !isAfter(mark, held)) return false;
    await this.db.write(
      [
        {
          type: "put",
          key: markKey(conversation, reader),
          value: Uint8Array.from([...u64(mark.sentAt), ...mark.id, ...u64(mark.at)]),
        },
      ],
      { sync: true },
    );
    return true;
  }

  /** Every member's read mark of a conversation. */
  async readMarks(conversation: Uint8Array, members: readonly string[]): Promise<Map<string, ReadMark>> {
    const out = new Map<string, ReadMark>();
    for (const m of members) {
      const mark = await this.readMark(conversation, m);
      if (mark) out.set(m, mark);
    }
    return out;
  }
}
