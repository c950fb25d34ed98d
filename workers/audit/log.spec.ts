import { appendFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { AuditLog, auditFile } from "./log.js";
import { type AuditEntry, type AuditRecord, GENESIS_PREV, recordHash } from "./record.js";

const entry = (n: number): AuditEntry => ({
  agent: "moderation",
  height: n,
  subject: `content:${n}`,
  inputsHash: "ab".repeat(32),
  ai: null,
  action: null,
  outcome: "no-action",
  reason: "rules: clean",
});

const dirs: string[] = [];
const tempDir = () => {
  const d = mkdtempSync(path.join(tmpdir(), "vivim-audit-"));
  dirs.push(d);
  return d;
};
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const lines = (file: string) =>
  readFileSync(file, "utf8")
    .split("\n")
    .filter(Boolean)
    .map((l) => JSON.parse(l) as AuditRecord);

describe("audit log", () => {
  it("chains records by hash, in seq order, also across concurrent appends", async () => {
    const dir = tempDir();
    const log = AuditLog.open(dir, "moderation", { now: () => 1_000 });
    await Promise.all([1, 2, 3, 4, 5].map((n) => log.append(entry(n))));
    const records = lines(auditFile(dir, "moderation"));
    expect(records.map((r) => r.seq)).toEqual([1, 2, 3, 4, 5]);
    expect(records[0]!.prev).toBe(GENESIS_PREV);
    for (const [i, r] of records.entries()) {
      const { hash, ...body } = r;
      expect(hash).toBe(recordHash(body));
      if (i > 0) expect(r.prev).toBe(records[i - 1]!.hash);
    }
    expect(log.head).toEqual({ seq: 5, hash: records[4]!.hash });
  });

  it("continues the chain after reopening, and cuts off a torn last line", async () => {
    const dir = tempDir();
    const first = AuditLog.open(dir, "health");
    await first.append(entry(1));
    const r2 = await first.append(entry(2));
    appendFileSync(auditFile(dir, "health"), '{"seq":3,"torn');
    const again = AuditLog.open(dir, "health");
    expect(again.head).toEqual({ seq: 2, hash: r2.hash });
    const r3 = await again.append(entry(3));
    expect(r3.prev).toBe(r2.hash);
    expect(lines(auditFile(dir, "health")).map((r) => r.seq)).toEqual([1, 2, 3]);
  });

  it("refuses to continue a log whose last record is not a record", () => {
    const dir = tempDir();
    writeFileSync(auditFile(dir, "feed"), "not json\n");
    expect(() => AuditLog.open(dir, "feed")).toThrow(/not JSON/);
  });

  it("refuses oversized records", async () => {
    const log = AuditLog.open(tempDir(), "moderation");
    await expect(log.append({ ...entry(1), reason: "x".repeat(20_000) })).rejects.toMatchObject({
      code: "AUDIT_RECORD_TOO_LARGE",
    });
    expect(log.head.seq).toBe(0);
  });
});
