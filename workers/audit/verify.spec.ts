import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import type { AuditAnchor } from "../../contracts/workers/records.js";
import { AuditLog } from "./log.js";
import { auditMerkleRoot } from "./merkle.js";
import { readAuditLog } from "./reader.js";
import { type AuditEntry, type AuditRecord, recordHash } from "./record.js";
import { checkAuditLines } from "./verify.js";

const entry = (n: number): AuditEntry => ({
  agent: "moderation",
  height: n,
  subject: `content:${n}`,
  inputsHash: "ab".repeat(32),
  ai: null,
  action: null,
  outcome: "no-action",
  reason: `rules: clean-${n}`,
});

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

async function writeLog(n: number): Promise<{ file: string; records: AuditRecord[] }> {
  const dir = mkdtempSync(path.join(tmpdir(), "vivim-audit-verify-"));
  dirs.push(dir);
  const log = AuditLog.open(dir, "moderation", { now: () => 1_700_000_000_000 });
  const records: AuditRecord[] = [];
  for (let i = 1; i <= n; i++) records.push(await log.append(entry(i)));
  return { file: log.file, records };
}

const anchorOf = (records: AuditRecord[], from: number, to: number, height = 10): AuditAnchor => ({
  signer: "vivim1x",
  log: "moderation",
  fromSeq: BigInt(from),
  toSeq: BigInt(to),
  root: Buffer.from(auditMerkleRoot(records.slice(from - 1, to).map((r) => r.hash)), "hex"),
  headHash: Buffer.from(records[to - 1]!.hash, "hex"),
  height: BigInt(height),
  time: 0n,
});

const lines = (file: string) => readFileSync(file, "utf8").split("\n").filter(Boolean);
const rewrite = (file: string, ls: string[]) => writeFileSync(file, ls.map((l) => `${l}\n`).join(""));
const check = (file: string, anchors: AuditAnchor[]) =>
  checkAuditLines(readAuditLog(file), anchors, { agent: "moderation" });
const codes = (v: { problems: { seq: number; code: string }[] }) =>
  v.problems.map((p) => `${p.seq} ${p.code}`);

describe("verifying an audit log against its anchors", () => {
  it("passes an intact log, anchored in part", async () => {
    const { file, records } = await writeLog(12);
    const v = await check(file, [anchorOf(records, 1, 5), anchorOf(records, 6, 10, 11)]);
    expect(v).toMatchObject({
      ok: true,
      records: 12,
      lastSeq: 12,
      anchoredThrough: 10,
      problems: [],
      problemCount: 0,
    });
    expect(v.anchors).toEqual([
      expect.objectContaining({ fromSeq: 1, toSeq: 5, height: 10, ok: true }),
      expect.objectContaining({ fromSeq: 6, toSeq: 10, height: 11, ok: true, headHash: records[9]!.hash }),
    ]);
    expect(await check(file, [])).toMatchObject({ ok: true, anchoredThrough: 0, anchors: [] });
  });

  it("reports an edited record at its seq, and the anchor over it", async () => {
    const { file, records } = await writeLog(8);
    const ls = lines(file);
    ls[3] = ls[3]!.replace("clean-4", "clean-X");
    rewrite(file, ls);
    const v = await check(file, [anchorOf(records, 1, 6)]);
    expect(v.ok).toBe(false);
    expect(codes(v)).toEqual(["4 BAD_HASH", "1 ROOT_MISMATCH"]);
    expect(v.anchors[0]!.ok).toBe(false);
  });

  it("reports a re-hashed edit as a broken chain and, once anchored, a root and head mismatch", async () => {
    const { file, records } = await writeLog(6);
    const ls = lines(file);
    const forged = { ...records[5]!, reason: "rules: forged" };
    const { hash: _h, ...body } = forged;
    ls[5] = JSON.stringify({ ...body, hash: recordHash(body) });
    rewrite(file, ls);
    expect(codes(await check(file, []))).toEqual([]);
    expect(codes(await check(file, [anchorOf(records, 1, 6)]))).toEqual([
      "1 ROOT_MISMATCH",
      "6 HEAD_MISMATCH",
    ]);
    ls[2] = JSON.stringify(
      (() => {
        const { hash: _x, ...b } = { ...records[2]!, reason: "rules: forged" };
        return { ...b, hash: recordHash(b) };
      })(),
    );
    rewrite(file, ls);
    expect(codes(await check(file, []))).toEqual(["4 BROKEN_CHAIN"]);
  });

  it("reports a removed record as missing, and a log cut short of its anchors", async () => {
    const { file, records } = await writeLog(9);
    const ls = lines(file);
    rewrite(file, [...ls.slice(0, 4), ...ls.slice(5)]);
    const anchors = [anchorOf(records, 1, 3), anchorOf(records, 4, 9)];
    expect(codes(await check(file, anchors))).toEqual([
      "5 MISSING_RECORDS",
      "6 BROKEN_CHAIN",
      "5 MISSING_RECORDS",
    ]);

    rewrite(file, ls.slice(0, 7));
    const cut = await check(file, anchors);
    expect(codes(cut)).toEqual(["8 MISSING_RECORDS"]);
    expect(cut.problems[0]!.message).toMatch(/2 record\(s\) of anchor 4\.\.9/);
    expect(cut).toMatchObject({ lastSeq: 7, anchoredThrough: 9 });
    expect(cut.anchors.map((a) => a.ok)).toEqual([true, false]);

    rewrite(file, []);
    expect(codes(await check(file, anchors))).toEqual(["1 MISSING_RECORDS", "4 MISSING_RECORDS"]);
  });

  it("reports unreadable lines, repeated seqs and other agents' records", async () => {
    const { file, records } = await writeLog(5);
    const ls = lines(file);
    ls[1] = ls[1]!.slice(0, 20);
    ls.push(ls[4]!);
    rewrite(file, ls);
    const v = await check(file, [anchorOf(records, 1, 4)]);
    expect(codes(v)).toEqual(["2 BAD_RECORD", "2 MISSING_RECORDS", "5 SEQ_ORDER", "5 BROKEN_CHAIN"]);
    expect(v.problems[0]!.line).toBe(2);

    const other = await writeLog(1);
    const o = JSON.parse(lines(other.file)[0]!) as AuditRecord;
    const { hash: _h, ...body } = { ...o, agent: "feed" };
    rewrite(other.file, [JSON.stringify({ ...body, hash: recordHash(body) })]);
    expect(codes(await check(other.file, []))).toEqual(["1 WRONG_AGENT"]);
  });

  it("caps the problems it lists but counts them all", async () => {
    const { file } = await writeLog(3);
    rewrite(
      file,
      Array.from({ length: 1500 }, () => "{"),
    );
    const v = await check(file, []);
    expect(v.problems).toHaveLength(1000);
    expect(v.problemCount).toBe(1500);
  });
});
