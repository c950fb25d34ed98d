import { appendFileSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { AuditLog } from "./log.js";
import { type AuditLine, auditRecordProblem, readAuditLog } from "./reader.js";
import type { AuditEntry } from "./record.js";

const entry = (n: number): AuditEntry => ({
  agent: "moderation",
  height: n,
  subject: `content:${n}`,
  inputsHash: "ab".repeat(32),
  ai: { provider: "offline", model: "rules", inputTokens: 3, outputTokens: 1, costMicroUsd: 0 },
  action:
    n % 2
      ? { id: "cd".repeat(32), tool: "label_content", argsHash: "ef".repeat(32), summary: "label spam" }
      : null,
  outcome: n % 2 ? "executed" : "no-action",
  reason: "rules: spam-link",
  ...(n % 2 ? { txHash: "AB12" } : {}),
});

const dirs: string[] = [];
const tempDir = () => {
  const d = mkdtempSync(path.join(tmpdir(), "vivim-audit-read-"));
  dirs.push(d);
  return d;
};
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

async function all(file: string, o: Parameters<typeof readAuditLog>[1] = {}): Promise<AuditLine[]> {
  const out: AuditLine[] = [];
  for await (const l of readAuditLog(file, o)) out.push(l);
  return out;
}

async function written(n: number): Promise<{ file: string; log: AuditLog }> {
  const log = AuditLog.open(tempDir(), "moderation", { now: () => 5 });
  for (let i = 1; i <= n; i++) await log.append(entry(i));
  return { file: log.file, log };
}

describe("audit log reader", () => {
  it("streams every record with the byte offset where its line ends, and resumes from one", async () => {
    const { file } = await written(5);
    const lines = await all(file);
    expect(lines.map((l) => ("record" in l ? l.record.seq : l.problem))).toEqual([1, 2, 3, 4, 5]);
    expect(lines.map((l) => l.line)).toEqual([1, 2, 3, 4, 5]);
    const size = readFileSync(file).length;
    expect(lines[4]!.end).toBe(size);
    const rest = await all(file, { start: lines[1]!.end, firstLine: 3 });
    expect(rest.map((l) => ("record" in l ? l.record.seq : 0))).toEqual([3, 4, 5]);
    expect(rest.map((l) => l.line)).toEqual([3, 4, 5]);
    expect(rest).toEqual(lines.slice(2));
  });

  it("reads a missing file as empty", async () => {
    expect(await all(path.join(tempDir(), "none.jsonl"))).toEqual([]);
  });

  it("reports bad JSON, bad records and over-long lines by line, and keeps reading", async () => {
    const { file } = await written(2);
    appendFileSync(file, "{not json\n");
    appendFileSync(
      file,
      `${JSON.stringify({ ...entry(3), seq: 3, time: 1, prev: "0".repeat(64), hash: "xyz" })}\n`,
    );
    appendFileSync(file, `${"x".repeat(3000)}\n`);
    appendFileSync(file, "\n");
    const { file: other } = await written(1);
    appendFileSync(file, readFileSync(other));
    const lines = await all(file, { maxLineBytes: 2048 });
    expect(lines.map((l) => ("record" in l ? `seq ${l.record.seq}` : `${l.line} ${l.problem}`))).toEqual([
      "seq 1",
      "seq 2",
      "3 BAD_JSON",
      "4 BAD_RECORD",
      "5 LINE_TOO_LONG",
      "seq 1",
    ]);
    expect(lines[3]).toMatchObject({ message: "hash is not a hex hash" });
    expect(lines[5]!.line).toBe(7);
  });

  it("reads a torn last line, and a huge one without buffering it", async () => {
    const { file } = await written(2);
    appendFileSync(file, '{"seq":3,');
    const torn = await all(file);
    expect(torn.map((l) => ("record" in l ? l.record.seq : l.problem))).toEqual([1, 2, "BAD_JSON"]);
    expect(torn[2]!.end).toBe(readFileSync(file).length);
    appendFileSync(file, "y".repeat(300_000));
    const huge = await all(file);
    expect(huge.map((l) => ("record" in l ? l.record.seq : l.problem))).toEqual([1, 2, "LINE_TOO_LONG"]);
  });

  it("names what is wrong with a record's shape", () => {
    const good = { ...entry(1), seq: 1, time: 0, prev: "0".repeat(64), hash: "1".repeat(64) };
    expect(auditRecordProblem(good)).toBeUndefined();
    expect(
      auditRecordProblem({ ...entry(2), seq: 1, time: 0, prev: "0".repeat(64), hash: "1".repeat(64) }),
    ).toBeUndefined();
    expect(auditRecordProblem([])).toBe("not an object");
    expect(auditRecordProblem({ ...good, seq: 0 })).toMatch(/seq/);
    expect(auditRecordProblem({ ...good, seq: 1.5 })).toMatch(/seq/);
    expect(auditRecordProblem({ ...good, prev: "0" })).toMatch(/prev/);
    expect(auditRecordProblem({ ...good, outcome: "deleted" })).toMatch(/outcome/);
    expect(auditRecordProblem({ ...good, ai: { ...good.ai, inputTokens: -1 } })).toMatch(/ai token/);
    expect(auditRecordProblem({ ...good, action: "x" })).toMatch(/action/);
    expect(auditRecordProblem({ ...good, reason: "r".repeat(5000) })).toMatch(/reason/);
    expect(auditRecordProblem({ ...good, code: 7 })).toMatch(/code/);
  });
});
