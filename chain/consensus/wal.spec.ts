import {
  existsSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  truncateSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import fc from "fast-check";
import { afterEach, describe, expect, it } from "vitest";
import {
  ConsensusWal,
  encodeWalFrame,
  WAL_BODY_HEADER_BYTES,
  WAL_FRAME_HEADER_BYTES,
  WalError,
  type WalInputKind,
  type WalOptions,
  type WalRecord,
  WalRecordKind,
} from "./wal.js";

const FRAME_OVERHEAD = WAL_FRAME_HEADER_BYTES + WAL_BODY_HEADER_BYTES;
const { Message, OwnMessage, Timeout, EndHeight } = WalRecordKind;

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function walDir(): string {
  const dir = mkdtempSync(path.join(tmpdir(), "vivim-wal-"));
  dirs.push(dir);
  return path.join(dir, "data", "cs.wal");
}

async function openWal(dir: string, options: WalOptions = {}): Promise<ConsensusWal> {
  const wal = new ConsensusWal(dir, { flushIntervalMs: 0, ...options });
  await wal.open();
  return wal;
}

const bytes = (text: string) => new TextEncoder().encode(text);
const record = (kind: WalInputKind, height: bigint, text: string): WalRecord => ({
  kind,
  height,
  payload: bytes(text),
});
const frameBytes = (payloadLength: number) => FRAME_OVERHEAD + payloadLength;
const sizeOf = (file: string) => (existsSync(file) ? statSync(file).size : 0);

describe("ConsensusWal", () => {
  it("round-trips mixed records over several heights with EndHeight markers", async () => {
    const dir = walDir();
    const wal = await openWal(dir);
    const written = new Map<bigint, WalRecord[]>();
    for (let h = 1n; h <= 4n; h++) {
      const height: WalRecord[] = [
        record(Message, h, `proposal ${h}`),
        record(OwnMessage, h, `prevote ${h}`),
        record(Timeout, h, `timeout ${h}`),
        record(Message, h, ""),
        record(OwnMessage, h, `precommit ${h}`),
      ];
      for (const r of height) {
        if (r.kind === OwnMessage) await wal.appendSync(r.kind, r.height, r.payload);
        else wal.append(r.kind, r.height, r.payload);
      }
      written.set(h, height);
      if (h < 4n) await wal.endHeight(h);
    }
    await wal.close();

    const reopened = await openWal(dir);
    for (let h = 1n; h <= 4n; h++) {
      expect(reopened.readForHeight(h)).toEqual({
        records: written.get(h),
        heightEnded: h < 4n,
        corruption: undefined,
      });
    }
    expect(reopened.readForHeight(5n).records).toEqual([]);
    await reopened.close();
  });

  it("replays only the records of the height after the last EndHeight(height - 1)", async () => {
    const wal = await openWal(walDir());
    wal.append(Message, 5n, bytes("early vote for 5, before 4 ended"));
    wal.append(Message, 4n, bytes("precommit 4"));
    await wal.endHeight(4n);
    wal.append(Message, 4n, bytes("late precommit 4"));
    await wal.appendSync(OwnMessage, 5n, bytes("own prevote 5"));
    wal.append(Timeout, 5n, bytes("timeout 5"));
    wal.append(Message, 6n, bytes("vote from the future"));

    expect(wal.readForHeight(5n).records).toEqual([
      record(OwnMessage, 5n, "own prevote 5"),
      record(Timeout, 5n, "timeout 5"),
    ]);
    // With no EndHeight(5) marker, every record of 6 is replayed.
    expect(wal.readForHeight(6n).records).toEqual([record(Message, 6n, "vote from the future")]);
    expect(wal.readForHeight(4n)).toMatchObject({
      records: [record(Message, 4n, "precommit 4"), record(Message, 4n, "late precommit 4")],
      heightEnded: true,
    });
    await wal.close();
  });

  it("cuts a torn last frame off, reports it, and appends cleanly after it", async () => {
    const dir = walDir();
    const wal = await openWal(dir);
    wal.append(Message, 1n, bytes("aaaa"));
    wal.append(Message, 1n, bytes("bbbbbbbb"));
    wal.append(OwnMessage, 1n, bytes("cccccccccccc"));
    await wal.close();
    const good = frameBytes(4) + frameBytes(8);
    truncateSync(wal.headFile, good + frameBytes(12) - 3);

    const reopened = await openWal(dir);
    // The repair happens at open, before anything can be appended after the torn bytes.
    expect(sizeOf(wal.headFile)).toBe(good);
    const replay = reopened.readForHeight(1n);
    expect(replay.records).toEqual([record(Message, 1n, "aaaa"), record(Message, 1n, "bbbbbbbb")]);
    expect(replay.corruption).toEqual({
      file: wal.headFile,
      offset: good,
      droppedBytes: frameBytes(12) - 3,
      reason: "torn frame (18 of 21 body bytes)",
    });
    await reopened.appendSync(OwnMessage, 1n, bytes("after repair"));
    await reopened.close();

    const third = await openWal(dir);
    expect(third.readForHeight(1n)).toEqual({
      records: [
        record(Message, 1n, "aaaa"),
        record(Message, 1n, "bbbbbbbb"),
        record(OwnMessage, 1n, "after repair"),
      ],
      heightEnded: false,
      corruption: undefined,
    });
    await third.close();
  });

  it.each([
    { what: "payload", at: FRAME_OVERHEAD + 2, reason: "checksum mismatch" },
    { what: "checksum", at: 1, reason: "checksum mismatch" },
    { what: "length", at: 4, reason: "frame length 16777231 outside 9..4194313" },
  ])(
    "detects a flipped byte in the $what of a middle frame and drops everything after it",
    async ({ at, reason }) => {
      const dir = walDir();
      const wal = await openWal(dir);
      for (const text of ["first", "second", "third", "fourth"]) wal.append(Message, 2n, bytes(text));
      await wal.close();
      const file = readFileSync(wal.headFile);
      const secondFrame = frameBytes(5);
      file[secondFrame + at]! ^= 0x01;
      writeFileSync(wal.headFile, file);

      const reopened = await openWal(dir);
      expect(reopened.readForHeight(2n)).toEqual({
        records: [record(Message, 2n, "first")],
        heightEnded: false,
        corruption: {
          file: wal.headFile,
          offset: secondFrame,
          droppedBytes: file.length - secondFrame,
          reason,
        },
      });
      expect(sizeOf(wal.headFile)).toBe(secondFrame);
      await reopened.close();
    },
  );

  it("refuses to write or read a record over the size cap", async () => {
    const dir = walDir();
    const wal = await openWal(dir, { maxPayloadBytes: 1024 });
    expect(() => wal.append(Message, 1n, new Uint8Array(1025))).toThrow(
      expect.objectContaining({ name: "WalError", code: "WAL_RECORD_TOO_LARGE" }),
    );
    await expect(wal.appendSync(OwnMessage, 1n, new Uint8Array(1025))).rejects.toMatchObject({
      code: "WAL_RECORD_TOO_LARGE",
    });
    wal.append(Message, 1n, new Uint8Array(1024));
    await wal.close();
    expect(sizeOf(wal.headFile)).toBe(frameBytes(1024));

    // A frame longer than the reader's cap is damage, not a reason to allocate whatever it claims.
    const smaller = await openWal(dir, { maxPayloadBytes: 1000 });
    expect(smaller.readForHeight(1n)).toMatchObject({
      records: [],
      corruption: { offset: 0, reason: "frame length 1033 outside 9..1009" },
    });
    await smaller.close();
  });

  it("rotates at EndHeight to keep the log bounded, and still replays across the rotation", async () => {
    const dir = walDir();
    const rotateAtBytes = 1000;
    const wal = await openWal(dir, { rotateAtBytes });
    const perHeight = 12 * frameBytes(100) + frameBytes(0);
    for (let h = 1n; h <= 6n; h++) {
      for (let i = 0; i < 12; i++) wal.append(Message, h, new Uint8Array(100).fill(Number(h)));
      const ending = wal.endHeight(h);
      // Arrives while the marker is being synced, lands in the head that is about to become wal.1.
      wal.append(Message, h + 1n, bytes(`early ${h + 1n}`));
      wal.flush();
      await ending;
      expect(sizeOf(wal.headFile)).toBe(0);
      expect(sizeOf(wal.previousFile)).toBeLessThanOrEqual(perHeight + frameBytes(7));
    }
    wal.append(Timeout, 7n, bytes("timeout 7"));
    await wal.close();

    const reopened = await openWal(dir, { rotateAtBytes });
    expect(reopened.readForHeight(7n)).toEqual({
      records: [record(Message, 7n, "early 7"), record(Timeout, 7n, "timeout 7")],
      heightEnded: false,
      corruption: undefined,
    });
    // Height 6 is in wal.1 in full; heights 1-5 were rotated away.
    const six = reopened.readForHeight(6n);
    expect(six.records).toHaveLength(12);
    expect(six.heightEnded).toBe(true);
    expect(reopened.readForHeight(5n).records).toEqual([]);
    await reopened.close();
  });

  it("keeps appends in memory until a flush, the buffer cap, the timer or close puts them on disk", async () => {
    const dir = walDir();
    const wal = await openWal(dir, { maxBufferedBytes: 1000 });
    wal.append(Message, 1n, bytes("one"));
    expect(sizeOf(wal.headFile)).toBe(0);
    wal.flush();
    expect(sizeOf(wal.headFile)).toBe(frameBytes(3));
    wal.append(Message, 1n, new Uint8Array(1000));
    expect(sizeOf(wal.headFile)).toBe(frameBytes(3) + frameBytes(1000));
    wal.append(Message, 1n, bytes("two"));
    await wal.close();
    expect(sizeOf(wal.headFile)).toBe(2 * frameBytes(3) + frameBytes(1000));

    const timed = await openWal(dir, { flushIntervalMs: 10 });
    timed.append(Timeout, 1n, bytes("three"));
    const deadline = Date.now() + 5000;
    while (sizeOf(timed.headFile) === 2 * frameBytes(3) + frameBytes(1000) && Date.now() < deadline)
      await new Promise((resolve) => setTimeout(resolve, 5));
    expect(sizeOf(timed.headFile)).toBe(2 * frameBytes(3) + frameBytes(1000) + frameBytes(5));
    expect(timed.readForHeight(1n).records.map((r) => r.payload.length)).toEqual([3, 1000, 3, 5]);
    await timed.close();
  });

  it("keeps call order when synced and buffered appends are not awaited", async () => {
    const dir = walDir();
    const wal = await openWal(dir);
    const syncs: Promise<void>[] = [];
    for (let i = 0; i < 50; i++) {
      if (i % 3 === 0) syncs.push(wal.appendSync(OwnMessage, 1n, bytes(`${i}`)));
      else wal.append(Message, 1n, bytes(`${i}`));
    }
    await Promise.all(syncs);
    await wal.close();
    const reopened = await openWal(dir);
    const texts = reopened.readForHeight(1n).records.map((r) => new TextDecoder().decode(r.payload));
    expect(texts).toEqual(Array.from({ length: 50 }, (_, i) => `${i}`));
    await reopened.close();
  });

  it("answers misuse with a coded WalError", async () => {
    const wal = new ConsensusWal(walDir(), { flushIntervalMs: 0 });
    const code = (c: string) => expect.objectContaining({ code: c });
    expect(() => wal.append(Message, 1n, bytes("x"))).toThrow(code("WAL_NOT_OPEN"));
    await wal.open();
    await expect(wal.open()).rejects.toThrow(WalError);
    expect(() => wal.append(EndHeight as WalInputKind, 1n, bytes(""))).toThrow(code("WAL_INVALID_RECORD"));
    expect(() => wal.append(9 as WalInputKind, 1n, bytes(""))).toThrow(code("WAL_INVALID_RECORD"));
    expect(() => wal.append(Message, -1n, bytes(""))).toThrow(code("WAL_INVALID_RECORD"));
    expect(() => wal.append(Message, 1n << 64n, bytes(""))).toThrow(code("WAL_INVALID_RECORD"));
    await wal.close();
    await wal.close();
    await expect(wal.endHeight(1n)).rejects.toMatchObject({ code: "WAL_NOT_OPEN" });
    expect(() => wal.readForHeight(1n)).toThrow(code("WAL_NOT_OPEN"));
  });

  it("writes the documented frame layout", async () => {
    const wal = await openWal(walDir());
    await wal.appendSync(OwnMessage, 0x0102n, Uint8Array.of(0xaa, 0xbb));
    await wal.close();
    const file = readFileSync(wal.headFile);
    expect(file).toEqual(encodeWalFrame(OwnMessage, 0x0102n, Uint8Array.of(0xaa, 0xbb)));
    expect(file.readUInt32BE(4)).toBe(11);
    expect([...file.subarray(8)]).toEqual([2, 0, 0, 0, 0, 0, 0, 1, 2, 0xaa, 0xbb]);
  });
});

type Op =
  | {
      readonly end: false;
      readonly kind: WalInputKind;
      readonly height: number;
      readonly payload: Uint8Array;
    }
  | { readonly end: true; readonly height: number };

/** What readForHeight must return for `height` if exactly `ops` are in the log. */
function model(ops: readonly Op[], height: number): { records: WalRecord[]; heightEnded: boolean } {
  let records: WalRecord[] = [];
  let heightEnded = false;
  for (const op of ops) {
    if (op.end && op.height === height - 1) {
      records = [];
      heightEnded = false;
    } else if (op.end && op.height === height) {
      heightEnded = true;
    } else if (!op.end && op.height === height) {
      records.push({ kind: op.kind, height: BigInt(op.height), payload: op.payload });
    }
  }
  return { records, heightEnded };
}

describe("ConsensusWal recovery (property)", () => {
  const op: fc.Arbitrary<Op> = fc.oneof(
    fc.record({
      end: fc.constant(false as const),
      kind: fc.constantFrom<WalInputKind>(Message, OwnMessage, Timeout),
      height: fc.integer({ min: 1, max: 4 }),
      payload: fc.uint8Array({ maxLength: 40 }),
    }),
    fc.record({ end: fc.constant(true as const), height: fc.integer({ min: 0, max: 4 }) }),
  );
  const damage = fc.oneof(
    fc.record({ cut: fc.constant(true as const), at: fc.nat() }),
    fc.record({ cut: fc.constant(false as const), at: fc.nat(), xor: fc.integer({ min: 1, max: 255 }) }),
  );

  it("after any truncation of the head or any flipped byte, replays exactly a prefix of what was written", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(op, { maxLength: 30 }),
        damage,
        fc.constantFrom(60, 400, 1 << 20),
        async (ops, hit, rotateAtBytes) => {
          const dir = walDir();
          const wal = await openWal(dir, { rotateAtBytes });
          for (const o of ops) {
            if (o.end) await wal.endHeight(BigInt(o.height));
            else if (o.kind === OwnMessage) await wal.appendSync(o.kind, BigInt(o.height), o.payload);
            else wal.append(o.kind, BigInt(o.height), o.payload);
          }
          await wal.close();

          // Rotation dropped whole frames from the front; the rest are wal.1 then wal.
          const sizes = ops.map((o) => frameBytes(o.end ? 0 : o.payload.length));
          const previousBytes = sizeOf(wal.previousFile);
          const logBytes = previousBytes + sizeOf(wal.headFile);
          let first = 0;
          let rotatedAway = sizes.reduce((a, b) => a + b, 0) - logBytes;
          while (rotatedAway > 0) rotatedAway -= sizes[first++]!;
          expect(rotatedAway).toBe(0);
          const kept = ops.slice(first);
          const ends: number[] = [];
          for (const [i, size] of sizes.slice(first).entries()) ends.push((ends[i - 1] ?? 0) + size);

          // A crash tears the head's tail; bit rot can hit any byte of either file.
          let survivors = kept.length;
          let expectCorruption = false;
          if (hit.cut) {
            const cut = previousBytes + (hit.at % (logBytes - previousBytes + 1));
            truncateSync(wal.headFile, cut - previousBytes);
            survivors = ends.filter((end) => end <= cut).length;
            expectCorruption = cut !== (ends[survivors - 1] ?? 0);
          } else if (logBytes > 0) {
            const at = hit.at % logBytes;
            const file = at < previousBytes ? wal.previousFile : wal.headFile;
            const content = readFileSync(file);
            content[at < previousBytes ? at : at - previousBytes]! ^= hit.xor;
            writeFileSync(file, content);
            survivors = ends.filter((end) => end <= at).length;
            expectCorruption = true;
          }

          const reopened = await openWal(dir, { rotateAtBytes });
          for (let h = 0; h <= 5; h++) {
            const replay = reopened.readForHeight(BigInt(h));
            expect({ records: replay.records, heightEnded: replay.heightEnded }).toEqual(
              model(kept.slice(0, survivors), h),
            );
            expect(replay.corruption !== undefined).toBe(expectCorruption);
          }
          expect(sizeOf(wal.previousFile) + sizeOf(wal.headFile)).toBe(ends[survivors - 1] ?? 0);

          await reopened.appendSync(OwnMessage, 9n, bytes("after recovery"));
          expect(reopened.readForHeight(9n).records.at(-1)).toEqual(record(OwnMessage, 9n, "after recovery"));
          await reopened.close();
        },
      ),
      { numRuns: 150 },
    );
  });
});
