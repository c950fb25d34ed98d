import { mkdtemp, readFile, rm, stat } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { inspect } from "node:util";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { KeyVault } from "./vault.js";

const SECRET = "vault-test-SUPERSECRET-0123456789abcdef";
const SECRET2 = "vault-test-ROTATED-fedcba9876543210";
const PASS = "correct horse battery";

let home: string;
const lines: string[] = [];
const logger = pino({ level: "trace" }, { write: (l: string) => void lines.push(l) });
let now = Date.parse("2026-05-10T12:00:00Z");
const make = (passphrase = PASS) => new KeyVault({ home, passphrase, logger, now: () => now });

beforeAll(async () => {
  home = await mkdtemp(path.join(os.tmpdir(), "vivim-vault-"));
});
afterAll(async () => {
  await rm(home, { recursive: true, force: true });
});

describe("KeyVault", () => {
  const seen: unknown[] = [];
  const errors: string[] = [];
  let id = "";

  it("adds a key to a 0600 file without the secret in it", async () => {
    const v = make();
    const info = await v.add({
      label: "main",
      provider: "openai",
      secret: SECRET,
      dailyBudgetMicroUsd: 1000,
      rateLimitPerMinute: 2,
    });
    seen.push(info);
    id = info.id;
    expect(info).toMatchObject({
      label: "main",
      provider: "openai",
      rotatedAt: null,
      revokedAt: null,
      dailyBudgetMicroUsd: 1000,
    });
    const file = await readFile(v.file, "utf8");
    expect(file).not.toContain(SECRET);
    expect((await stat(v.file)).mode & 0o777).toBe(0o600);
    expect((await stat(path.dirname(v.file))).mode & 0o777).toBe(0o700);
  });

  it("hands the secret out only through reserve(), as a redacted Secret", async () => {
    const r = await make().reserve(id, 10);
    seen.push(r, r.info);
    expect(r.secret.reveal()).toBe(SECRET);
    expect(String(r.secret)).toBe("[redacted]");
    expect(JSON.stringify(r)).not.toContain(SECRET);
    expect(inspect(r, { depth: 5 })).not.toContain(SECRET);
  });

  it("refuses with a code before a call: rate limit, then budget", async () => {
    const v = make();
    await v.reserve(id, 10);
    await expect(v.reserve(id, 10)).rejects.toMatchObject({ code: "RATE_LIMITED" });
    now += 61_000;
    seen.push(await v.recordSpend(id, 995));
    await expect(v.reserve(id, 10)).rejects.toMatchObject({ code: "BUDGET_DAILY_EXHAUSTED" });
    const ok = await v.reserve(id, 5);
    expect(ok.info.spend.calls).toBe(3); // refused calls are not counted
    const [rep] = await v.report();
    seen.push(rep);
    expect(rep).toMatchObject({ id, dayMicroUsd: 995, totalMicroUsd: 995, calls: 3 });
  });

  it("rejects a wrong passphrase", async () => {
    await expect(make("wrong passphrase!").reserve(id, 0)).rejects.toMatchObject({
      code: "WRONG_PASSPHRASE",
    });
  });

  it("rotates (same id and spend, new secret) and revokes", async () => {
    now += 86_400_000;
    const v = make();
    const rot = await v.rotate(id, SECRET2);
    seen.push(rot);
    expect(rot.id).toBe(id);
    expect(rot.rotatedAt).not.toBeNull();
    expect(rot.spend.totalMicroUsd).toBe(995);
    expect((await v.reserve(id, 1)).secret.reveal()).toBe(SECRET2);
    seen.push(await v.revoke(id));
    await expect(v.reserve(id, 0)).rejects.toMatchObject({ code: "KEY_REVOKED" });
    await expect(v.rotate(id, SECRET)).rejects.toMatchObject({ code: "KEY_REVOKED" });
    expect(await readFile(v.file, "utf8")).not.toContain(SECRET2);
  });

  it("validates input without echoing the secret", async () => {
    const v = make();
    for (const bad of [
      v.add({ label: "x", provider: "openai", secret: `${SECRET} with spaces` }),
      v.add({ label: "", provider: "openai", secret: SECRET }),
      v.add({ label: "x", provider: "nope" as "openai", secret: SECRET }),
      v.add({ label: "x", provider: "openai", secret: SECRET, baseUrl: `http://u:${SECRET}@h/` }),
      v.reserve("aik_ffffffffffffffff", 0),
    ]) {
      const err = await bad.then(
        () => undefined,
        (e: Error) => e,
      );
      expect(err).toBeInstanceOf(Error);
      errors.push(String(err?.message), inspect(err));
    }
  });

  it("never leaks a secret into logs, returned objects or errors", () => {
    expect(lines.length).toBeGreaterThan(3);
    const all = [...lines, ...errors, JSON.stringify(seen), inspect(seen, { depth: 8 })].join("\n");
    for (const s of [SECRET, SECRET2]) {
      expect(all).not.toContain(s);
      expect(all).not.toContain(s.slice(8, 24));
    }
  });
});
