/**
 * An agent's append-only audit log: one JSON record per line in `<dir>/<agent>.jsonl`, each chained
 * to the one before by hash. Appends made while a write is in flight are written together in one
 * `appendFile`, so logging every decision costs one write per burst, not one per record. A torn last
 * line (a crash mid-write) is cut off when the log is opened again; everything before it stands.
 */
import { closeSync, existsSync, fstatSync, mkdirSync, openSync, readSync, truncateSync } from "node:fs";
import { appendFile } from "node:fs/promises";
import path from "node:path";
import { WorkersError } from "../errors.js";
import { type AuditEntry, type AuditRecord, GENESIS_PREV, recordHash } from "./record.js";

/** The longest line a record may take (reasons and summaries are capped well below this). */
export const MAX_RECORD_BYTES = 16 * 1024;
const TAIL_BYTES = 4 * MAX_RECORD_BYTES;

export function auditFile(dir: string, agent: string): string {
  return path.join(dir, `${agent}.jsonl`);
}

interface Tail {
  seq: number;
  hash: string;
}

/** The last whole record of `file`, cutting off a torn last line. */
function readTail(file: string): Tail {
  if (!existsSync(file)) return { seq: 0, hash: GENESIS_PREV };
  const fd = openSync(file, "r");
  try {
    const size = fstatSync(fd).size;
    const start = Math.max(0, size - TAIL_BYTES);
    const buf = Buffer.alloc(size - start);
    readSync(fd, buf, 0, buf.length, start);
    const text = buf.toString("utf8");
    const end = text.lastIndexOf("\n");
    if (end + 1 < text.length) truncateSync(file, start + Buffer.byteLength(text.slice(0, end + 1)));
    if (end < 0) return { seq: 0, hash: GENESIS_PREV };
    const lines = text.slice(0, end).split("\n");
    const last = JSON.parse(lines[lines.length - 1]!) as AuditRecord;
    if (!Number.isSafeInteger(last.seq) || typeof last.hash !== "string") {
      throw new WorkersError("AUDIT_CORRUPT", `${file}: the last record has no seq or hash`);
    }
    return { seq: last.seq, hash: last.hash };
  } catch (err) {
    if (err instanceof WorkersError) throw err;
    throw new WorkersError("AUDIT_CORRUPT", `${file}: the last record is not JSON`, { cause: err });
  } finally {
    closeSync(fd);
  }
}

export class AuditLog {
  readonly file: string;
  private tail: Tail;
  private pending: string[] = [];
  private flushing: Promise<void> | undefined;
  private readonly now: () => number;

  private constructor(file: string, tail: Tail, now: () => number) {
    this.file = file;
    this.tail = tail;
    this.now = now;
  }

  static open(dir: string, agent: string, o: { now?: () => number } = {}): AuditLog {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const file = auditFile(dir, agent);
    return new AuditLog(file, readTail(file), o.now ?? Date.now);
  }

  /** The last record's seq (0 when empty) and hash. */
  get head(): Readonly<Tail> {
    return { ...this.tail };
  }

  /** Chains `entry` onto the log; resolves once it is written. */
  async append(entry: AuditEntry): Promise<AuditRecord> {
    const body = { ...entry, seq: this.tail.seq + 1, time: this.now(), prev: this.tail.hash };
    const record: AuditRecord = { ...body, hash: recordHash(body) };
    const line = `${JSON.stringify(record)}\n`;
    if (Buffer.byteLength(line) > MAX_RECORD_BYTES) {
      throw new WorkersError(
        "AUDIT_RECORD_TOO_LARGE",
        `an audit record may take at most ${MAX_RECORD_BYTES} bytes`,
      );
    }
    this.tail = { seq: record.seq, hash: record.hash };
    this.pending.push(line);
    await this.flush();
    return record;
  }

  /** Resolves once every record appended so far is written. */
  async flush(): Promise<void> {
    while (this.pending.length > 0 || this.flushing) {
      if (this.flushing) {
        await this.flushing;
        continue;
      }
      const batch = this.pending.join("");
      this.pending = [];
      this.flushing = appendFile(this.file, batch, { mode: 0o600 })
        .catch((err: unknown) => {
          // Records not written are not in the chain: continue from what the file holds.
          this.pending = [];
          this.tail = readTail(this.file);
          throw new WorkersError("AUDIT_CORRUPT", `${this.file}: append failed`, { cause: err });
        })
        .finally(() => {
          this.flushing = undefined;
        });
    }
  }
}
