/**
 * The node's store of direct messages: opaque, end-to-end encrypted envelopes (the node holds no
 * key that opens them), in a LevelDB of its own (`<home>/data/dm`), apart from the chain's state —
 * DMs are never on chain. Each message is kept until its retention tier's expiry, then deleted by
 * `gc`, which also compacts the deleted range so the ciphertext is gone from the files on disk.
 *
 * Keys (one-byte prefix each):
 * - `01 | id(32)` → the record (`encodeRecord`);
 * - `02 | conversation(32) | sentAt(8) | id(32)` → `expiresAt(8) | kind(1) | sender` (a
 *   conversation's messages in time order; the value lets unread counts skip one's own, expired
 *   and deletion records without reads; kind 1 a message, 3 a sender's deletion);
 * - `03 | expiresAt(8) | id(32)` → "" (what `gc` deletes next);
 * - `04`, `05`: the delivery policy's pairs and blocks (policy.ts);
 * - `06`: the prekey directory (prekeys.ts);
 * - `07`, `08`: each member's conversations and read marks (inbox.ts);
 * - `09 | deleted id(32)` → `sender`: a message its sender deleted (a late copy is refused), kept
 *   while the deletion record is; `0a | deletion id(32)` → the ids it deleted.
 */
import { createHash } from "node:crypto";
import { type BatchOp, Database } from "../db/database.js";
import { DmInbox, type ReadMark } from "./inbox.js";
import { DmPolicy } from "./policy.js";

export const DM_ID_BYTES = 32;
/** The largest envelope a node keeps (the client caps plaintext below this). */
export const MAX_ENVELOPE_BYTES = 96 * 1024;
const MAX_ADDRESS = 100;
export const MAX_LIST = 200;

const SENTINEL_LOW = Uint8Array.of(0x00);
const SENTINEL_HIGH = Uint8Array.of(0xff);
const RECORD = 0x01;
const BY_CONVERSATION = 0x02;
const BY_EXPIRY = 0x03;
const TOMBSTONE = 0x09;
const DELETED_IDS = 0x0a;
const KIND_MESSAGE = 1;
const KIND_DELETION = 3;

export type DmStoreErrorCode = "BAD_RECORD" | "TOO_LARGE" | "NOT_FOUND" | "NOT_SENDER";

export class DmStoreError extends Error {
  override readonly name = "DmStoreError";
  constructor(
    readonly code: DmStoreErrorCode,
    message: string,
  ) {
    super(message);
  }
}

export interface DmRecord {
  /** sha256 of the envelope bytes. */
  readonly id: Uint8Array;
  readonly conversation: Uint8Array;
  /** The signer the node verified (bech32 address). */
  readonly sender: string;
  /** Unix seconds, as the sender stated them (the envelope is signed over them). */
  readonly sentAt: number;
  /** Unix seconds after which the message is deleted everywhere. */
  readonly expiresAt: number;
  readonly envelope: Uint8Array;
}

export function dmId(envelope: Uint8Array): Uint8Array {
  return new Uint8Array(createHash("sha256").update(envelope).digest());
}

const u64 = (n: number): Uint8Array => {
  const b = new Uint8Array(8);
  new DataView(b.buffer).setBigUint64(0, BigInt(n));
  return b;
};
const readU64 = (b: Uint8Array, at: number): number =>
  Number(new DataView(b.buffer, b.byteOffset, b.byteLength).getBigUint64(at));

function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

const key = (prefix: number, ...parts: Uint8Array[]) => concat(Uint8Array.of(prefix), ...parts);

function checkRecord(r: DmRecord): void {
  const seconds = (n: number) => Number.isSafeInteger(n) && n >= 0 && n < 2 ** 40;
  if (r.id.length !== DM_ID_BYTES || r.conversation.length !== DM_ID_BYTES)
    throw new DmStoreError("BAD_RECORD", "id and conversation are 32 bytes");
  if (!r.sender || r.sender.length > MAX_ADDRESS)
    throw new DmStoreError("BAD_RECORD", "sender is not an address");
  if (!seconds(r.sentAt) || !seconds(r.expiresAt) || r.expiresAt < r.sentAt)
    throw new DmStoreError("BAD_RECORD", "sentAt and expiresAt are seconds, expiresAt not before sentAt");
  if (r.envelope.length === 0 || r.envelope.length > MAX_ENVELOPE_BYTES)
    throw new DmStoreError("TOO_LARGE", `an envelope is 1..${MAX_ENVELOPE_BYTES} bytes`);
}

/** `sentAt(8) | expiresAt(8) | senderLen(1) | sender | conversation(32) | envelope`. */
export function encodeRecord(r: DmRecord): Uint8Array {
  const sender = new TextEncoder().encode(r.sender);
  return concat(
    u64(r.sentAt),
    u64(r.expiresAt),
    Uint8Array.of(sender.length),
    sender,
    r.conversation,
    r.envelope,
  );
}

export function decodeRecord(id: Uint8Array, b: Uint8Array): DmRecord {
  const senderLen = b[16] ?? 0;
  const at = 17 + senderLen;
  if (b.length < at + DM_ID_BYTES) throw new DmStoreError("BAD_RECORD", "truncated record");
  return {
    id,
    sentAt: readU64(b, 0),
    expiresAt: readU64(b, 8),
    sender: new TextDecoder().decode(b.subarray(17, at)),
    conversation: b.slice(at, at + DM_ID_BYTES),
    envelope: b.slice(at + DM_ID_BYTES),
  };
}

export class DmStore {
  private readonly db: Database;
  /** Who may message whom (requests, acceptance, blocks), kept in the same database. */
  readonly policy: DmPolicy;
  /** Each member's conversations and read marks. */
  readonly inbox: DmInbox;
  private puts: Promise<unknown> = Promise.resolve();

  constructor(path: string) {
    this.db = new Database(path);
    this.policy = new DmPolicy(this.db);
    this.inbox = new DmInbox(this.db);
  }

  /** The store's database, for the other parts of a node's DM side kept in it (prekeys). */
  get database(): Database {
    return this.db;
  }

  async open(): Promise<void> {
    await this.db.open();
    // LevelDB's manual compaction never rewrites files of the deepest level holding files, and a
    // flush into an empty keyspace lands there; so a deleted message and its tombstone could sit in
    // such a file for good. Two sentinel keys spanning the keyspace keep the deepest level below
    // every flush, and `compact` then always rewrites what it deletes.
    if (!(await this.db.get(SENTINEL_LOW))) {
      await this.db.write(
        [
          { type: "put", key: SENTINEL_LOW, value: Uint8Array.of(1) },
          { type: "put", key: SENTINEL_HIGH, value: Uint8Array.of(1) },
        ],
        { sync: true },
      );
      await this.db.compactRange(SENTINEL_LOW, Uint8Array.of(0xff, 0xff));
    }
  }

  async close(): Promise<void> {
    await this.db.close();
  }

  /**
   * Keeps a verified message and files it in the inbox of each of `members` (its sender and
   * recipients); false when it is already here (relays deliver twice).
   */
  async put(r: DmRecord, members: readonly string[], deletes?: readonly Uint8Array[]): Promise<boolean> {
    checkRecord(r);
    if (deletes?.some((id) => id.length !== DM_ID_BYTES))
      throw new DmStoreError("BAD_RECORD", "deleted ids are 32 bytes");
    // One put at a time: filing in the inboxes reads the latest entry before replacing it.
    const done = this.puts.then(() => this.write(r, members, deletes));
    this.puts = done.catch(() => undefined);
    return done;
  }

  /** Whether `sender` deleted the message `id` (its deletion is still kept). */
  async isDeleted(id: Uint8Array, sender: string): Promise<boolean> {
    const by = await this.db.get(key(TOMBSTONE, id));
    return by !== undefined && new TextDecoder().decode(by) === sender;
  }

  private async write(
    r: DmRecord,
    members: readonly string[],
    deletes?: readonly Uint8Array[],
  ): Promise<boolean> {
    if (await this.db.get(key(RECORD, r.id))) return false;
    const sender = new TextEncoder().encode(r.sender);
    const deletion: BatchOp[] = deletes
      ? [
          { type: "put", key: key(DELETED_IDS, r.id), value: concat(...deletes) },
          ...deletes.map((id): BatchOp => ({ type: "put", key: key(TOMBSTONE, id), value: sender })),
        ]
      : [];
    await this.db.write(
      [
        { type: "put", key: key(RECORD, r.id), value: encodeRecord(r) },
        {
          type: "put",
          key: key(BY_CONVERSATION, r.conversation, u64(r.sentAt), r.id),
          value: concat(u64(r.expiresAt), Uint8Array.of(deletes ? KIND_DELETION : KIND_MESSAGE), sender),
        },
        { type: "put", key: key(BY_EXPIRY, u64(r.expiresAt), r.id), value: new Uint8Array() },
        ...deletion,
        ...(await this.inbox.fileOps(r, members)),
      ],
      { sync: true },
    );
    return true;
  }

  /**
   * How many of a conversation's messages after `mark` (all, without one) are from someone other
   * than `reader` and not expired at `now`; counting stops at `cap`.
   */
  async countUnread(
    conversation: Uint8Array,
    reader: string,
    mark: ReadMark | undefined,
    o: { now: number; cap: number },
  ): Promise<number> {
    const own = Buffer.from(reader);
    const end = key(BY_CONVERSATION, conversation, u64(2 ** 40));
    let from: { gt: Uint8Array } | { gte: Uint8Array } = mark
      ? { gt: key(BY_CONVERSATION, conversation, u64(mark.sentAt), mark.id) }
      : { gte: key(BY_CONVERSATION, conversation) };
    let n = 0;
    for (;;) {
      const page = await this.db.range({ ...from, lt: end, limit: 256 });
      for (const [, value] of page) {
        if (readU64(value, 0) <= o.now || value[8] === KIND_DELETION || own.equals(value.subarray(9)))
          continue;
        if (++n >= o.cap) return n;
      }
      if (page.length < 256) return n;
      from = { gt: page[page.length - 1]![0] };
    }
  }

  async get(id: Uint8Array): Promise<DmRecord | undefined> {
    const b = await this.db.get(key(RECORD, id));
    return b ? decodeRecord(id, b) : undefined;
  }

  /**
   * A conversation's messages in time order, after `after` (the last id of the previous page), not
   * expired at `now`; at most `limit` (≤ MAX_LIST).
   */
  async list(
    conversation: Uint8Array,
    o: { now: number; limit: number; after?: DmRecord },
  ): Promise<DmRecord[]> {
    const limit = Math.min(Math.max(1, o.limit), MAX_LIST);
    const start = key(BY_CONVERSATION, conversation);
    const end = key(BY_CONVERSATION, conversation, u64(2 ** 40));
    const out: DmRecord[] = [];
    let gt = o.after ? key(BY_CONVERSATION, conversation, u64(o.after.sentAt), o.after.id) : undefined;
    while (out.length < limit) {
      const keys = await this.db.keys({
        ...(gt ? { gt } : { gte: start }),
        lt: end,
        limit: limit - out.length,
      });
      if (keys.length === 0) break;
      for (const k of keys) {
        const r = await this.get(k.subarray(1 + DM_ID_BYTES + 8));
        if (r && r.expiresAt > o.now) out.push(r);
      }
      gt = keys[keys.length - 1];
    }
    return out;
  }

  /** The sender's own deletion (the caller verified the sender's signed request). */
  async deleteBySender(id: Uint8Array, sender: string): Promise<void> {
    const r = await this.get(id);
    if (!r) throw new DmStoreError("NOT_FOUND", "no such message here");
    if (r.sender !== sender) throw new DmStoreError("NOT_SENDER", "only its sender may delete a message");
    await this.remove([r]);
    await this.compact([r]);
  }

  /**
   * Deletes every message expired at `now` (at most `max` per call) and compacts what it deleted,
   * so the ciphertext is gone from disk, not just unreachable. Returns how many it deleted.
   */
  async gc(now: number, max = 10_000): Promise<number> {
    const keys = await this.db.keys({ gte: key(BY_EXPIRY), lt: key(BY_EXPIRY, u64(now + 1)), limit: max });
    const expired: DmRecord[] = [];
    for (const k of keys) {
      const r = await this.get(k.subarray(1 + 8));
      if (r) expired.push(r);
      else await this.db.write([{ type: "del", key: k }], { sync: false });
    }
    if (expired.length === 0) return 0;
    await this.remove(expired);
    await this.compact(expired);
    return expired.length;
  }

  private async remove(records: readonly DmRecord[]): Promise<void> {
    const ops: BatchOp[] = [];
    for (const r of records) {
      ops.push(
        { type: "del", key: key(RECORD, r.id) },
        { type: "del", key: key(BY_CONVERSATION, r.conversation, u64(r.sentAt), r.id) },
        { type: "del", key: key(BY_EXPIRY, u64(r.expiresAt), r.id) },
      );
      // A deletion record takes its tombstones with it.
      const deleted = await this.db.get(key(DELETED_IDS, r.id));
      if (!deleted) continue;
      ops.push({ type: "del", key: key(DELETED_IDS, r.id) });
      for (let at = 0; at + DM_ID_BYTES <= deleted.length; at += DM_ID_BYTES)
        ops.push({ type: "del", key: key(TOMBSTONE, deleted.subarray(at, at + DM_ID_BYTES)) });
    }
    await this.db.write(ops, { sync: true });
  }

  /** Compacts the record range the deleted ids span (ids are hashes: one range per call). */
  private async compact(records: readonly DmRecord[]): Promise<void> {
    const ids = records.map((r) => Buffer.from(r.id)).sort(Buffer.compare);
    const last = ids[ids.length - 1]!;
    await this.db.compactRange(key(RECORD, ids[0]!), key(RECORD, last, Uint8Array.of(0)));
  }
}
