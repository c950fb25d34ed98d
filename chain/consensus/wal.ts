/**
 * The consensus write-ahead log (CometBFT's cs.wal): every consensus input is appended here before it
 * is processed, so after a crash the engine can replay the current height and re-send exactly what
 * it signed.
 *
 * Frame: `[u32 BE crc32(body)][u32 BE body length][body]`, body = `[u8 kind][u64 BE height][payload]`.
 * The checksum is zlib's CRC-32 (IEEE), not CometBFT's CRC-32C: node:zlib has it built in, and the
 * format only has to be read by this code.
 *
 * The log is two files in one directory: `wal` (the head, appended to) and `wal.1` (the previous
 * segment). When an EndHeight marker leaves the head at or above `rotateAtBytes`, the head is fsynced
 * and renamed over `wal.1` and a new head is started, so the log stays under about two segments plus
 * one height. Reads treat `wal.1` followed by `wal` as one log. The first torn frame, or frame with a
 * bad length, checksum or kind, ends the log: it is reported, and the files are truncated there so new
 * frames never follow garbage.
 */
import {
  closeSync,
  fstatSync,
  fsync,
  fsyncSync,
  ftruncateSync,
  mkdirSync,
  openSync,
  readSync,
  renameSync,
  writeSync,
} from "node:fs";
import path from "node:path";
import { crc32 } from "node:zlib";

export enum WalRecordKind {
  /** A proposal, block or vote received from a peer. */
  Message = 1,
  /** A proposal or vote this node signed. */
  OwnMessage = 2,
  /** A consensus timeout that fired. */
  Timeout = 3,
  /** Height `height` is committed; written only by `endHeight()`. */
  EndHeight = 4,
}

/** The kinds a caller appends; EndHeight goes through `endHeight()`, which also rotates. */
export type WalInputKind = Exclude<WalRecordKind, WalRecordKind.EndHeight>;

export interface WalRecord {
  readonly kind: WalInputKind;
  readonly height: bigint;
  readonly payload: Uint8Array;
}

/** Where the log was cut because of a torn or corrupt frame. */
export interface WalCorruption {
  /** The segment file holding the first bad frame. */
  readonly file: string;
  /** Byte offset of that frame in `file`; the file now ends there. */
  readonly offset: number;
  /** Bytes removed from the log: the rest of `file` plus any later segment. */
  readonly droppedBytes: number;
  readonly reason: string;
}

export interface WalReplay {
  /** Records of the height after the last EndHeight(height - 1), in the order they were appended. */
  readonly records: WalRecord[];
  /** An EndHeight(height) marker follows them: the height was already committed. */
  readonly heightEnded: boolean;
  /** Damage found by `open()` or by this read; the log was truncated at it. */
  readonly corruption: WalCorruption | undefined;
}

export interface WalOptions {
  /** Largest payload accepted on append and on read (default 4 MiB). */
  readonly maxPayloadBytes?: number;
  /** Head size at which an EndHeight marker rotates the log (default 16 MiB). */
  readonly rotateAtBytes?: number;
  /** Buffered records are written and fsynced at least this often (default 2000 ms; 0: only on demand). */
  readonly flushIntervalMs?: number;
  /** Buffered bytes at which `append()` writes them to the file at once (default 64 KiB). */
  readonly maxBufferedBytes?: number;
}

export type WalErrorCode =
  | "WAL_RECORD_TOO_LARGE"
  | "WAL_INVALID_RECORD"
  | "WAL_NOT_OPEN"
  | "WAL_ALREADY_OPEN"
  | "WAL_IO";

export class WalError extends Error {
  constructor(
    readonly code: WalErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = "WalError";
  }
}

export const WAL_HEAD_FILE = "wal";
export const WAL_PREVIOUS_FILE = "wal.1";
/** crc32 + body length. */
export const WAL_FRAME_HEADER_BYTES = 8;
/** kind + height. */
export const WAL_BODY_HEADER_BYTES = 9;

const DEFAULT_MAX_PAYLOAD_BYTES = 4 * 1024 * 1024;
const DEFAULT_ROTATE_AT_BYTES = 16 * 1024 * 1024;
const DEFAULT_FLUSH_INTERVAL_MS = 2000;
const DEFAULT_MAX_BUFFERED_BYTES = 64 * 1024;
const MAX_HEIGHT = (1n << 64n) - 1n;
const READ_CHUNK_BYTES = 1024 * 1024;
const EMPTY = new Uint8Array(0);

function isRecordKind(kind: number): kind is WalRecordKind {
  return kind >= WalRecordKind.Message && kind <= WalRecordKind.EndHeight;
}

/** One frame, ready to write. */
export function encodeWalFrame(kind: WalRecordKind, height: bigint, payload: Uint8Array): Buffer {
  const bodyLength = WAL_BODY_HEADER_BYTES + payload.length;
  const frame = Buffer.allocUnsafe(WAL_FRAME_HEADER_BYTES + bodyLength);
  frame.writeUInt32BE(bodyLength, 4);
  frame[8] = kind;
  frame.writeBigUInt64BE(height, 9);
  frame.set(payload, WAL_FRAME_HEADER_BYTES + WAL_BODY_HEADER_BYTES);
  frame.writeUInt32BE(crc32(frame.subarray(WAL_FRAME_HEADER_BYTES)), 0);
  return frame;
}

interface SegmentScan {
  readonly fileBytes: number;
  /** Bytes up to the end of the last good frame. */
  readonly goodBytes: number;
  /** Why the frame at `goodBytes` is bad, if the file does not end there. */
  readonly damage: string | undefined;
}

/**
 * Reads a segment frame by frame in 1 MiB chunks, calling `visit` with each good record (its payload
 * is a view into the read buffer: copy it to keep it), and stops at the first bad frame.
 */
function scanSegment(
  file: string,
  maxBodyBytes: number,
  visit: (kind: WalRecordKind, height: bigint, payload: Uint8Array) => void,
): SegmentScan {
  let fd: number;
  try {
    fd = openSync(file, "r");
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT")
      return { fileBytes: 0, goodBytes: 0, damage: undefined };
    throw ioError(`cannot open ${file}`, err);
  }
  try {
    const fileBytes = fstatSync(fd).size;
    let window = Buffer.alloc(0);
    let windowStart = 0;
    // Makes bytes [offset, offset + length) readable in `window`; false when the file ends first.
    const load = (offset: number, length: number): boolean => {
      if (offset + length <= windowStart + window.length) return true;
      if (offset + length > fileBytes) return false;
      const size = Math.min(Math.max(length, READ_CHUNK_BYTES), fileBytes - offset);
      window = Buffer.allocUnsafe(size);
      windowStart = offset;
      let filled = 0;
      while (filled < size) {
        const n = readSync(fd, window, filled, size - filled, offset + filled);
        if (n === 0) return false;
        filled += n;
      }
      return true;
    };
    let offset = 0;
    while (offset < fileBytes) {
      const bad = (damage: string): SegmentScan => ({ fileBytes, goodBytes: offset, damage });
      if (!load(offset, WAL_FRAME_HEADER_BYTES))
        return bad(`torn frame header (${fileBytes - offset} of ${WAL_FRAME_HEADER_BYTES} bytes)`);
      const at = offset - windowStart;
      const checksum = window.readUInt32BE(at);
      const bodyLength = window.readUInt32BE(at + 4);
      if (bodyLength < WAL_BODY_HEADER_BYTES || bodyLength > maxBodyBytes)
        return bad(`frame length ${bodyLength} outside ${WAL_BODY_HEADER_BYTES}..${maxBodyBytes}`);
      if (!load(offset, WAL_FRAME_HEADER_BYTES + bodyLength)) {
        const present = fileBytes - offset - WAL_FRAME_HEADER_BYTES;
        return bad(`torn frame (${present} of ${bodyLength} body bytes)`);
      }
      const bodyStart = offset - windowStart + WAL_FRAME_HEADER_BYTES;
      const body = window.subarray(bodyStart, bodyStart + bodyLength);
      if (crc32(body) !== checksum) return bad("checksum mismatch");
      const kind = body[0]!;
      if (!isRecordKind(kind)) return bad(`unknown record kind ${kind}`);
      visit(kind, body.readBigUInt64BE(1), body.subarray(WAL_BODY_HEADER_BYTES));
      offset += WAL_FRAME_HEADER_BYTES + bodyLength;
    }
    return { fileBytes, goodBytes: offset, damage: undefined };
  } catch (err) {
    throw ioError(`cannot read ${file}`, err);
  } finally {
    closeSync(fd);
  }
}

function ioError(what: string, cause: unknown): WalError {
  return new WalError("WAL_IO", `consensus WAL: ${what}: ${(cause as Error).message}`, { cause });
}

/** A copy that does not pin the 1 MiB read buffer (faster than `new Uint8Array(view)`). */
function copyOf(view: Uint8Array): Uint8Array {
  const copy = new Uint8Array(view.length);
  copy.set(view);
  return copy;
}

function writeAll(fd: number, bytes: Buffer): void {
  let written = 0;
  while (written < bytes.length) written += writeSync(fd, bytes, written, bytes.length - written);
}

function fsyncAsync(fd: number): Promise<void> {
  return new Promise((resolve, reject) => fsync(fd, (err) => (err ? reject(err) : resolve())));
}

/** Makes a file's creation or rename durable. */
function fsyncDirectory(dir: string): void {
  const fd = openSync(dir, "r");
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/**
 * Records reach the file in call order: every method buffers or writes before its first `await`, so
 * the order holds even when the caller does not wait. Writes are synchronous (they only reach the page
 * cache, microseconds); fsyncs run in the I/O pool so the event loop keeps going, one at a time, and
 * callers waiting together share one fsync. After any I/O failure the log refuses all further use:
 * once an fsync has failed the kernel may have dropped the pages, so nothing written can be trusted.
 */
export class ConsensusWal {
  readonly headFile: string;
  readonly previousFile: string;
  private readonly maxPayloadBytes: number;
  private readonly rotateAtBytes: number;
  private readonly flushIntervalMs: number;
  private readonly maxBufferedBytes: number;

  private fd: number | undefined;
  private accepting = false;
  private timer: NodeJS.Timeout | undefined;
  private failure: WalError | undefined;
  private repairedAtOpen: WalCorruption | undefined;
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  private headBytes = 0;
  /** Counts writes to the head; an fsync that starts after write n makes writes 1..n durable. */
  private writes = 0;
  private syncedWrites = 0;
  /** fsyncs and rotations, one at a time, in order. */
  private syncQueue: Promise<void> = Promise.resolve();

  constructor(
    readonly dir: string,
    options: WalOptions = {},
  ) {
    this.headFile = path.join(dir, WAL_HEAD_FILE);
    this.previousFile = path.join(dir, WAL_PREVIOUS_FILE);
    this.maxPayloadBytes = options.maxPayloadBytes ?? DEFAULT_MAX_PAYLOAD_BYTES;
    this.rotateAtBytes = options.rotateAtBytes ?? DEFAULT_ROTATE_AT_BYTES;
    this.flushIntervalMs = options.flushIntervalMs ?? DEFAULT_FLUSH_INTERVAL_MS;
    this.maxBufferedBytes = options.maxBufferedBytes ?? DEFAULT_MAX_BUFFERED_BYTES;
    // The body length is a u32.
    if (
      !Number.isSafeInteger(this.maxPayloadBytes) ||
      this.maxPayloadBytes < 0 ||
      this.maxPayloadBytes > 0xffff_0000
    )
      throw new RangeError(`maxPayloadBytes must be an integer in 0..${0xffff_0000}`);
  }

  get isOpen(): boolean {
    return this.accepting;
  }

  /** Creates the directory, cuts off any torn or corrupt tail (reported by `readForHeight`), opens the head. */
  async open(): Promise<void> {
    if (this.fd !== undefined) throw new WalError("WAL_ALREADY_OPEN", "consensus WAL is already open");
    this.failure = undefined;
    this.pending = [];
    this.pendingBytes = 0;
    this.writes = 0;
    this.syncedWrites = 0;
    this.syncQueue = Promise.resolve();
    try {
      mkdirSync(this.dir, { recursive: true });
      this.repairedAtOpen = this.scanLog(() => {});
      this.fd = openSync(this.headFile, "a", 0o600);
      this.headBytes = fstatSync(this.fd).size;
      fsyncDirectory(this.dir);
    } catch (err) {
      if (this.fd !== undefined) closeSync(this.fd);
      this.fd = undefined;
      throw err instanceof WalError ? err : ioError("cannot open", err);
    }
    this.accepting = true;
    if (this.flushIntervalMs > 0) {
      // A failure is kept in `failure` and thrown to the next caller.
      this.timer = setInterval(() => this.flushAndSync().catch(() => {}), this.flushIntervalMs);
      this.timer.unref();
    }
  }

  /** Writes and fsyncs everything buffered, then closes. Throws if the log had failed. */
  async close(): Promise<void> {
    if (!this.accepting) return;
    this.accepting = false;
    clearInterval(this.timer);
    this.timer = undefined;
    try {
      if (!this.failure) {
        this.writePending();
        await this.syncWritten();
      }
      await this.syncQueue;
    } finally {
      if (this.fd !== undefined) closeSync(this.fd);
      this.fd = undefined;
    }
    if (this.failure) throw this.failure;
  }

  /**
   * Buffers a record (a peer's message, a timeout). It reaches the file on `flush()`, on any synced
   * write, when the buffer passes `maxBufferedBytes`, or from the flush timer.
   */
  append(kind: WalInputKind, height: bigint, payload: Uint8Array): void {
    this.assertUsable();
    this.buffer(this.frame(kind, height, payload, true));
    if (this.pendingBytes >= this.maxBufferedBytes) this.writePending();
  }

  /** Appends a record and resolves once it and everything before it is on stable storage. */
  async appendSync(kind: WalInputKind, height: bigint, payload: Uint8Array): Promise<void> {
    this.assertUsable();
    this.buffer(this.frame(kind, height, payload, true));
    this.writePending();
    return this.syncWritten();
  }

  /**
   * Records that `height` is committed: the marker is written before this returns, so it precedes
   * every later record; the promise resolves once it is durable and, if the head has reached
   * `rotateAtBytes`, the head has become `wal.1` and a new head has started. Write it after the block
   * is durable in the block store.
   */
  async endHeight(height: bigint): Promise<void> {
    this.assertUsable();
    this.buffer(this.frame(WalRecordKind.EndHeight, height, EMPTY, false));
    this.writePending();
    await this.syncWritten();
    await this.exclusively(() => {
      if (this.fd !== undefined && this.headBytes >= this.rotateAtBytes) this.rotate();
    });
  }

  /** Writes buffered records to the file: they survive a crash of this process, not of the machine. */
  flush(): void {
    this.assertUsable();
    this.writePending();
  }

  /** Writes buffered records and resolves once everything appended so far is on stable storage. */
  async flushAndSync(): Promise<void> {
    this.assertUsable();
    this.writePending();
    return this.syncWritten();
  }

  /**
   * The records to replay for `height`: those of `height` after the last EndHeight(height - 1)
   * marker, or all of them if there is none. Stops at the first torn or corrupt frame, truncates the
   * log there and reports it.
   */
  readForHeight(height: bigint): WalReplay {
    this.assertUsable();
    this.writePending();
    let records: WalRecord[] = [];
    let heightEnded = false;
    const found = this.scanLog((kind, recordHeight, payload) => {
      if (kind === WalRecordKind.EndHeight) {
        if (recordHeight === height - 1n) {
          records = [];
          heightEnded = false;
        } else if (recordHeight === height) {
          heightEnded = true;
        }
      } else if (recordHeight === height) {
        records.push({ kind, height: recordHeight, payload: copyOf(payload) });
      }
    });
    return { records, heightEnded, corruption: found ?? this.repairedAtOpen };
  }

  private frame(kind: WalRecordKind, height: bigint, payload: Uint8Array, input: boolean): Buffer {
    if (input && (!isRecordKind(kind) || kind === WalRecordKind.EndHeight))
      throw new WalError("WAL_INVALID_RECORD", `cannot append record kind ${String(kind)}`);
    if (typeof height !== "bigint" || height < 0n || height > MAX_HEIGHT)
      throw new WalError("WAL_INVALID_RECORD", `height ${String(height)} is not a u64`);
    if (payload.length > this.maxPayloadBytes)
      throw new WalError(
        "WAL_RECORD_TOO_LARGE",
        `record payload of ${payload.length} bytes exceeds the ${this.maxPayloadBytes}-byte limit`,
      );
    return encodeWalFrame(kind, height, payload);
  }

  private assertUsable(): void {
    if (this.failure) throw this.failure;
    if (!this.accepting) throw new WalError("WAL_NOT_OPEN", "consensus WAL is not open");
  }

  private buffer(frame: Buffer): void {
    this.pending.push(frame);
    this.pendingBytes += frame.length;
  }

  private fail(what: string, cause: unknown): WalError {
    this.failure ??= cause instanceof WalError ? cause : ioError(what, cause);
    return this.failure;
  }

  private writePending(): void {
    if (this.pendingBytes === 0) return;
    const bytes =
      this.pending.length === 1 ? this.pending[0]! : Buffer.concat(this.pending, this.pendingBytes);
    this.pending = [];
    this.pendingBytes = 0;
    try {
      writeAll(this.fd!, bytes);
    } catch (err) {
      // A partial frame may now end the file; the next open() cuts it off.
      throw this.fail("write failed", err);
    }
    this.headBytes += bytes.length;
    this.writes++;
  }

  /** Resolves once every write made so far is durable; an fsync already covering it is reused. */
  private syncWritten(): Promise<void> {
    const target = this.writes;
    return this.exclusively(async () => {
      if (this.syncedWrites >= target || this.fd === undefined) return;
      const covered = this.writes;
      try {
        await fsyncAsync(this.fd!);
      } catch (err) {
        throw this.fail("fsync failed", err);
      }
      this.syncedWrites = Math.max(this.syncedWrites, covered);
    });
  }

  private exclusively(step: () => void | Promise<void>): Promise<void> {
    const run = this.syncQueue.then(() => {
      if (this.failure) throw this.failure;
      return step();
    });
    this.syncQueue = run.catch(() => {});
    return run;
  }

  /** Synchronous, so no write lands between the final fsync of the old head and the rename. */
  private rotate(): void {
    try {
      this.writePending();
      fsyncSync(this.fd!);
      closeSync(this.fd!);
      this.fd = undefined;
      renameSync(this.headFile, this.previousFile);
      this.fd = openSync(this.headFile, "a", 0o600);
      fsyncDirectory(this.dir);
    } catch (err) {
      throw this.fail("rotation failed", err);
    }
    this.headBytes = 0;
    this.syncedWrites = this.writes;
  }

  /** Reads `wal.1` then `wal` as one log; at the first bad frame, truncates there and drops the rest. */
  private scanLog(
    visit: (kind: WalRecordKind, height: bigint, payload: Uint8Array) => void,
  ): WalCorruption | undefined {
    const maxBodyBytes = WAL_BODY_HEADER_BYTES + this.maxPayloadBytes;
    const segments = [this.previousFile, this.headFile];
    for (let i = 0; i < segments.length; i++) {
      const file = segments[i]!;
      const scan = scanSegment(file, maxBodyBytes, visit);
      if (scan.damage === undefined) continue;
      let droppedBytes = scan.fileBytes - scan.goodBytes;
      this.truncate(file, scan.goodBytes);
      for (const later of segments.slice(i + 1)) droppedBytes += this.truncate(later, 0);
      return { file, offset: scan.goodBytes, droppedBytes, reason: scan.damage };
    }
    return undefined;
  }

  /** Cuts `file` to `length` durably; returns how many bytes it removed. */
  private truncate(file: string, length: number): number {
    const own = file === this.headFile ? this.fd : undefined;
    let fd: number;
    try {
      fd = own ?? openSync(file, "r+");
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === "ENOENT") return 0;
      throw this.fail(`cannot open ${file} to repair it`, err);
    }
    try {
      const before = fstatSync(fd).size;
      ftruncateSync(fd, length);
      fsyncSync(fd);
      if (own !== undefined) this.headBytes = length;
      return before - length;
    } catch (err) {
      throw this.fail(`cannot truncate ${file}`, err);
    } finally {
      if (own === undefined) closeSync(fd);
    }
  }
}
