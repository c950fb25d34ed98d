import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { Database } from "../db/database.js";
import { silentLogger } from "../util/logger.js";
import { DmRetention } from "./retention.js";
import { type DmRecord, DmStore, decodeRecord, dmId, encodeRecord } from "./store.js";

const dirs: string[] = [];
const stores: DmStore[] = [];
async function openStore(): Promise<{ store: DmStore; dir: string }> {
  const dir = mkdtempSync(path.join(tmpdir(), "vivim-dm-"));
  dirs.push(dir);
  const store = new DmStore(dir);
  await store.open();
  stores.push(store);
  return { store, dir };
}
afterEach(async () => {
  for (const s of stores.splice(0)) await s.close().catch(() => undefined);
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const conversation = new Uint8Array(32).fill(7);
const MEMBERS = ["vivim1alice", "vivim1bob"];
/** An envelope with a recognisable marker, to look for it in the database files. */
function record(n: number, o: Partial<DmRecord> = {}): DmRecord {
  const envelope = new TextEncoder().encode(`ciphertext-marker-${n}-${"z".repeat(200)}`);
  return {
    id: dmId(envelope),
    conversation,
    sender: "vivim1alice",
    sentAt: 1_000 + n,
    expiresAt: 10_000 + n,
    envelope,
    ...o,
  };
}

/** Whether any file of the database holds `marker` (log, tables, manifest). */
function onDisk(dir: string, marker: string): boolean {
  return readdirSync(dir).some((f) => readFileSync(path.join(dir, f)).includes(Buffer.from(marker)));
}

describe("DM store", () => {
  it("encodes records losslessly", () => {
    const r = record(1);
    expect(decodeRecord(r.id, encodeRecord(r))).toEqual(r);
  });

  it("keeps a message once, lists a conversation in time order and pages it", async () => {
    const { store } = await openStore();
    const rs = [3, 1, 2, 5, 4].map((n) => record(n));
    for (const r of rs) expect(await store.put(r, MEMBERS)).toBe(true);
    expect(await store.put(rs[0]!, MEMBERS)).toBe(false);
    const first = await store.list(conversation, { now: 2_000, limit: 2 });
    expect(first.map((r) => r.sentAt)).toEqual([1_001, 1_002]);
    const rest = await store.list(conversation, { now: 2_000, limit: 10, after: first[1]! });
    expect(rest.map((r) => r.sentAt)).toEqual([1_003, 1_004, 1_005]);
    expect(await store.list(new Uint8Array(32), { now: 2_000, limit: 10 })).toEqual([]);
  });

  it("refuses malformed and oversized records", async () => {
    const { store } = await openStore();
    await expect(store.put(record(1, { id: new Uint8Array(3) }), MEMBERS)).rejects.toMatchObject({
      code: "BAD_RECORD",
    });
    await expect(store.put(record(1, { expiresAt: 10 }), MEMBERS)).rejects.toMatchObject({
      code: "BAD_RECORD",
    });
    await expect(store.put(record(1, { envelope: new Uint8Array(200_000) }), MEMBERS)).rejects.toMatchObject({
      code: "TOO_LARGE",
    });
  });

  it("lets only the sender delete a message, and the deletion reaches the disk", async () => {
    const { store, dir } = await openStore();
    const r = record(1);
    await store.put(r, MEMBERS);
    await expect(store.deleteBySender(r.id, "vivim1mallory")).rejects.toMatchObject({ code: "NOT_SENDER" });
    await store.deleteBySender(r.id, "vivim1alice");
    expect(await store.get(r.id)).toBeUndefined();
    await expect(store.deleteBySender(r.id, "vivim1alice")).rejects.toMatchObject({ code: "NOT_FOUND" });
    expect(onDisk(dir, "ciphertext-marker-1-")).toBe(false);
  });

  it("removes from disk a message that already sits in the deepest level of a reopened store", async () => {
    const { store, dir } = await openStore();
    const rs = Array.from({ length: 40 }, (_, i) => record(i));
    for (const r of rs) await store.put(r, MEMBERS);
    await store.close();
    // Settle everything as deep as LevelDB puts it, then delete one message from there.
    const raw = new Database(dir);
    await raw.open();
    await raw.compactRange(Uint8Array.of(0), Uint8Array.of(0xff, 0xff));
    await raw.close();
    const again = new DmStore(dir);
    await again.open();
    stores.push(again);
    await again.deleteBySender(rs[17]!.id, "vivim1alice");
    expect(onDisk(dir, "ciphertext-marker-17-")).toBe(false);
    expect(onDisk(dir, "ciphertext-marker-18-")).toBe(true);
  });

  it("deletes expired messages, and their ciphertext is gone from the files", async () => {
    const { store, dir } = await openStore();
    const short = record(1, { expiresAt: 5_000 });
    const long = record(2, { expiresAt: 50_000 });
    await store.put(short, MEMBERS);
    await store.put(long, MEMBERS);
    // Expired messages are not listed even before the GC runs.
    expect((await store.list(conversation, { now: 6_000, limit: 10 })).map((r) => r.sentAt)).toEqual([1_002]);
    const gc = new DmRetention(store, silentLogger(), { now: () => 6_000_000 });
    expect(await gc.runOnce()).toBe(1);
    expect(await store.get(short.id)).toBeUndefined();
    expect(await store.get(long.id)).toBeDefined();
    expect(onDisk(dir, "ciphertext-marker-1-")).toBe(false);
    expect(onDisk(dir, "ciphertext-marker-2-")).toBe(true);
    expect(await gc.runOnce()).toBe(0);
  });
});

describe("DM inbox", () => {
  it("lists a member's conversations newest first and counts what others sent after the read mark", async () => {
    const { store } = await openStore();
    const other = new Uint8Array(32).fill(9);
    const rs = [1, 2, 3].map((n) => record(n));
    for (const r of rs) await store.put(r, MEMBERS);
    // bob answers; his own message is never unread for him
    const reply = record(4, { sender: "vivim1bob" });
    await store.put(reply, MEMBERS);
    await store.put(record(5, { conversation: other, sentAt: 900 }), ["vivim1alice", "vivim1carol"]);

    const bobs = await store.inbox.entries("vivim1bob", 2_000, 10);
    expect(bobs.map((e) => Buffer.from(e.conversation).equals(conversation))).toEqual([true]);
    expect(bobs[0]).toMatchObject({ members: MEMBERS, lastSentAt: 1_004 });
    const alices = await store.inbox.entries("vivim1alice", 2_000, 10);
    expect(alices.map((e) => e.lastSentAt)).toEqual([1_004, 900]);

    const unread = (who: string, mark?: DmRecord) =>
      store.countUnread(conversation, who, mark ? { sentAt: mark.sentAt, id: mark.id, at: 0 } : undefined, {
        now: 2_000,
        cap: 100,
      });
    expect(await unread("vivim1bob")).toBe(3);
    expect(await unread("vivim1bob", rs[1])).toBe(1);
    expect(await unread("vivim1alice")).toBe(1);
    expect(await unread("vivim1alice", reply)).toBe(0);
    // Expired messages are not unread, and a conversation whose last message expired is not listed.
    expect(await store.countUnread(conversation, "vivim1bob", undefined, { now: 10_002, cap: 100 })).toBe(1);
    expect(await store.inbox.entries("vivim1alice", 10_010, 10)).toEqual([]);
  });

  it("moves a read mark only forward", async () => {
    const { store } = await openStore();
    const [a, b] = [record(1), record(2)];
    const mark = (r: DmRecord, at: number) => ({ sentAt: r.sentAt, id: r.id, at });
    expect(await store.inbox.markRead(conversation, "vivim1bob", mark(b, 10))).toBe(true);
    expect(await store.inbox.markRead(conversation, "vivim1bob", mark(a, 11))).toBe(false);
    expect(await store.inbox.markRead(conversation, "vivim1bob", mark(b, 12))).toBe(false);
    expect(await store.inbox.readMark(conversation, "vivim1bob")).toEqual(mark(b, 10));
  });
});
