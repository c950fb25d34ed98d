/**
 * The AI-provider key vault: `<home>/ai-keys/vault.json` (mode 0600, directory 0700), written
 * atomically (temp file + rename). Each key's secret is sealed with AES-256-GCM under a key derived
 * by scrypt from the vault passphrase, bound to its id and provider. Records carry the key's limits
 * (calls/minute, daily and monthly budgets in µUSD) and spend counters; `reserve()` enforces them
 * BEFORE a call and `recordSpend()` adds the call's cost after it. Nothing this module returns, logs
 * or throws holds a secret: it is handed out only as a `Secret`, whose every printable form is "[redacted]".
 */
import { randomBytes } from "node:crypto";
import { chmod, mkdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import type { Logger } from "pino";
import {
  deriveKey,
  type Kdf,
  newKdf,
  open,
  type Sealed,
  seal,
  validKdf,
  validSealed,
} from "../../chain/crypto/sealed-box.js";
import {
  addCost,
  checkAllowance,
  emptySpend,
  type Limits,
  type Refusal,
  rollSpend,
  type Spend,
  startCall,
} from "./budget.js";
import { VaultError } from "./errors.js";
import { Secret } from "./secret.js";

export const AI_PROVIDERS = ["openai", "anthropic", "ollama"] as const;
export type AiProviderKind = (typeof AI_PROVIDERS)[number];

export const DEFAULT_LIMITS: Limits = {
  rateLimitPerMinute: 60,
  dailyBudgetMicroUsd: 1_000_000,
  monthlyBudgetMicroUsd: 20_000_000,
};

/** A key's public record: everything but the secret. */
export interface AiKeyInfo extends Limits {
  id: string;
  label: string;
  provider: AiProviderKind;
  baseUrl?: string;
  model?: string;
  created: string;
  rotatedAt: string | null;
  revokedAt: string | null;
  spend: Spend;
}

interface KeyRecord extends AiKeyInfo {
  sealed: Sealed;
}

interface VaultFile {
  version: 1;
  crypto: Kdf & { check: Sealed };
  keys: KeyRecord[];
}

export interface AddKeyInput extends Partial<Limits> {
  label: string;
  provider: AiProviderKind;
  secret: string;
  baseUrl?: string;
  model?: string;
}

export interface KeyVaultOptions {
  home: string;
  passphrase: string | (() => string | Promise<string>);
  logger?: Logger;
  now?: () => number;
}

export interface Reservation {
  info: AiKeyInfo;
  secret: Secret;
}

const MAX_FILE = 1 << 20;
const MAX_SECRET = 4096;
const MAX_KEYS = 256;
const MIN_PASSPHRASE = 8;
const LABEL = /^[\p{L}\p{N} ._-]{1,64}$/u;
const MODEL = /^[A-Za-z0-9._:/@-]{1,128}$/;
const ID = /^aik_[0-9a-f]{16}$/;
const CHECK = "vivim-ai-vault-v1";
const aadOf = (r: Pick<AiKeyInfo, "id" | "provider">) => `vivim-ai-vault-v1\n${r.id}\n${r.provider}`;

const bad = (msg: string) => new VaultError("INVALID_INPUT", msg);

function checkLimit(name: string, v: number | undefined, dflt: number): number {
  if (v === undefined) return dflt;
  if (!Number.isSafeInteger(v) || v < 0) throw bad(`${name} must be a non-negative integer`);
  return v;
}

function checkSecret(secret: unknown): string {
  if (typeof secret !== "string") throw bad("the key's secret must be a string");
  const s = secret.trim();
  if (s.length === 0 || s.length > MAX_SECRET || !/^[!-~]+$/.test(s))
    throw bad(`the key's secret must be 1 to ${MAX_SECRET} printable ASCII characters without spaces`);
  return s;
}

export function checkBaseUrl(u: string | undefined): string | undefined {
  if (u === undefined) return undefined;
  let p: URL;
  try {
    p = new URL(u);
  } catch {
    throw bad("base URL is not a URL");
  }
  if ((p.protocol !== "http:" && p.protocol !== "https:") || u.length > 512 || p.username || p.password)
    throw bad("base URL must be an http(s) URL of at most 512 characters without credentials");
  return u;
}

const publicOf = ({ sealed: _s, ...info }: KeyRecord): AiKeyInfo => structuredClone(info);

export class KeyVault {
  readonly file: string;
  private readonly passphraseSource: KeyVaultOptions["passphrase"];
  private readonly log: Logger | undefined;
  private readonly now: () => number;
  private key: Buffer | undefined;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(opts: KeyVaultOptions) {
    this.file = path.join(opts.home, "ai-keys", "vault.json");
    this.passphraseSource = opts.passphrase;
    this.log = opts.logger?.child({ component: "ai-key-vault" });
    this.now = opts.now ?? Date.now;
  }

  /** Runs `fn` after every earlier vault operation of this process, so read-modify-write never interleaves. */
  private serial<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.queue.then(fn, fn);
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async load(): Promise<VaultFile | undefined> {
    let text: string;
    try {
      text = await readFile(this.file, "utf8");
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === "ENOENT") return undefined;
      throw err;
    }
    if (text.length > MAX_FILE) throw new VaultError("CORRUPT_VAULT", "vault file is too large");
    let v: VaultFile;
    try {
      v = JSON.parse(text) as VaultFile;
    } catch {
      throw new VaultError("CORRUPT_VAULT", "vault file is not JSON");
    }
    if (v?.version !== 1 || !validKdf(v.crypto) || !validSealed(v.crypto.check) || !Array.isArray(v.keys))
      throw new VaultError("CORRUPT_VAULT", "vault file has a wrong version or bad encryption parameters");
    for (const k of v.keys) {
      if (
        !ID.test(String(k?.id)) ||
        !AI_PROVIDERS.includes(k.provider) ||
        !validSealed(k.sealed) ||
        typeof k.spend !== "object"
      )
        throw new VaultError("CORRUPT_VAULT", "vault file has a malformed key record");
    }
    return v;
  }

  private async save(v: VaultFile): Promise<void> {
    const dir = path.dirname(this.file);
    await mkdir(dir, { recursive: true, mode: 0o700 });
    const tmp = `${this.file}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`;
    try {
      await writeFile(tmp, `${JSON.stringify(v, null, 1)}\n`, { mode: 0o600, flag: "wx" });
      await chmod(tmp, 0o600);
      await rename(tmp, this.file);
    } catch (err) {
      await rm(tmp, { force: true });
      throw err;
    }
  }

  private async passphrase(): Promise<string> {
    const src = this.passphraseSource;
    const p = typeof src === "function" ? await src() : src;
    if (typeof p !== "string" || p.length === 0)
      throw new VaultError("PASSPHRASE_REQUIRED", "the key vault needs a passphrase");
    return p;
  }

  /** The vault's AES key, derived once; a new vault is created on first write. */
  private async unlock(v: VaultFile | undefined): Promise<{ v: VaultFile; key: Buffer }> {
    if (v && this.key) return { v, key: this.key };
    const pass = await this.passphrase();
    if (!v) {
      if (pass.length < MIN_PASSPHRASE)
        throw new VaultError(
          "WEAK_PASSPHRASE",
          `the vault passphrase must be at least ${MIN_PASSPHRASE} characters`,
        );
      const kdf = newKdf();
      const key = await deriveKey(pass, kdf);
      this.key = key;
      return { v: { version: 1, crypto: { ...kdf, check: seal(key, CHECK, CHECK) }, keys: [] }, key };
    }
    const key = await deriveKey(pass, v.crypto);
    if (open(key, v.crypto.check, CHECK) !== CHECK)
      throw new VaultError("WRONG_PASSPHRASE", "wrong vault passphrase (or the vault file was altered)");
    this.key = key;
    return { v, key };
  }

  private find(v: VaultFile | undefined, id: string): KeyRecord {
    const r = v?.keys.find((k) => k.id === id);
    if (!r)
      throw new VaultError("KEY_NOT_FOUND", `no AI key with id ${JSON.stringify(String(id).slice(0, 64))}`);
    return r;
  }

  add(input: AddKeyInput): Promise<AiKeyInfo> {
    return this.serial(async () => {
      const label = String(input.label ?? "").trim();
      if (!LABEL.test(label)) throw bad("label must be 1 to 64 letters, digits, spaces, '.', '_' or '-'");
      if (!AI_PROVIDERS.includes(input.provider))
        throw bad(`provider must be one of ${AI_PROVIDERS.join(", ")}`);
      if (input.model !== undefined && !MODEL.test(input.model))
        throw bad("model must be 1 to 128 of [A-Za-z0-9._:/@-]");
      const secret = checkSecret(input.secret);
      const limits: Limits = {
        rateLimitPerMinute: checkLimit(
          "rate limit",
          input.rateLimitPerMinute,
          DEFAULT_LIMITS.rateLimitPerMinute,
        ),
        dailyBudgetMicroUsd: checkLimit(
          "daily budget",
          input.dailyBudgetMicroUsd,
          DEFAULT_LIMITS.dailyBudgetMicroUsd,
        ),
        monthlyBudgetMicroUsd: checkLimit(
          "monthly budget",
          input.monthlyBudgetMicroUsd,
          DEFAULT_LIMITS.monthlyBudgetMicroUsd,
        ),
      };
      const { v, key } = await this.unlock(await this.load());
      if (v.keys.length >= MAX_KEYS) throw bad(`the vault holds at most ${MAX_KEYS} keys`);
      const now = this.now();
      const id = `aik_${randomBytes(8).toString("hex")}`;
      const baseUrl = checkBaseUrl(input.baseUrl);
      const rec: KeyRecord = {
        id,
        label,
        provider: input.provider,
        ...(baseUrl ? { baseUrl } : {}),
        ...(input.model ? { model: input.model } : {}),
        created: new Date(now).toISOString(),
        rotatedAt: null,
        revokedAt: null,
        ...limits,
        spend: emptySpend(now),
        sealed: seal(key, secret, aadOf({ id, provider: input.provider })),
      };
      v.keys.push(rec);
      await this.save(v);
      this.log?.info({ keyId: id, provider: rec.provider }, "ai key added");
      return publicOf(rec);
    });
  }

  /** Public records only; needs no passphrase. */
  async list(): Promise<AiKeyInfo[]> {
    const v = await this.load();
    const now = this.now();
    return (v?.keys ?? []).map((k) => ({ ...publicOf(k), spend: rollSpend(k.spend, now) }));
  }

  async get(id: string): Promise<AiKeyInfo> {
    const k = this.find(await this.load(), id);
    return { ...publicOf(k), spend: rollSpend(k.spend, this.now()) };
  }

  /** A new secret for the same id, limits and spend. */
  rotate(id: string, newSecret: string): Promise<AiKeyInfo> {
    return this.serial(async () => {
      const secret = checkSecret(newSecret);
      const { v, key } = await this.unlock(await this.load());
      const rec = this.find(v, id);
      if (rec.revokedAt) throw new VaultError("KEY_REVOKED", `AI key ${id} is revoked`);
      rec.sealed = seal(key, secret, aadOf(rec));
      rec.rotatedAt = new Date(this.now()).toISOString();
      await this.save(v);
      this.log?.info({ keyId: id }, "ai key rotated");
      return publicOf(rec);
    });
  }

  /** Marks the key revoked and drops its secret for good. */
  revoke(id: string): Promise<AiKeyInfo> {
    return this.serial(async () => {
      const v = await this.load();
      const rec = this.find(v, id);
      if (!rec.revokedAt) {
        rec.revokedAt = new Date(this.now()).toISOString();
        rec.sealed = { iv: "", ciphertext: "", tag: "" };
        await this.save(v as VaultFile);
        this.log?.info({ keyId: id }, "ai key revoked");
      }
      return publicOf(rec);
    });
  }

  /**
   * Checks the key's state, rate limit and budgets for a call that may cost up to `estimateMicroUsd`,
   * counts the call, and hands out the secret. A refusal is a VaultError with the refusal's code.
   */
  reserve(id: string, estimateMicroUsd: number): Promise<Reservation> {
    return this.serial(async () => {
      const loaded = await this.load();
      const rec = this.find(loaded, id);
      const now = this.now();
      const refusal = this.refusal(rec, now, estimateMicroUsd);
      if (refusal) {
        this.log?.info({ keyId: id, code: refusal.code }, "ai key call refused");
        throw new VaultError(refusal.code, `AI key ${id}: ${refusal.reason}`);
      }
      const { v, key } = await this.unlock(loaded);
      const plain = open(key, rec.sealed, aadOf(rec));
      if (plain === undefined)
        throw new VaultError("WRONG_PASSPHRASE", `AI key ${id} cannot be opened with this passphrase`);
      rec.spend = startCall(rollSpend(rec.spend, now), now);
      await this.save(v);
      return { info: publicOf(rec), secret: new Secret(plain) };
    });
  }

  private refusal(rec: KeyRecord, now: number, estimate: number): Refusal | undefined {
    if (rec.revokedAt) return { ok: false, code: "KEY_REVOKED", reason: `revoked at ${rec.revokedAt}` };
    const a = checkAllowance(rollSpend(rec.spend, now), rec, Math.max(0, Math.ceil(estimate)));
    return a.ok ? undefined : a;
  }

  /** Adds a finished call's cost to the key's counters. */
  recordSpend(id: string, costMicroUsd: number): Promise<AiKeyInfo> {
    return this.serial(async () => {
      const v = await this.load();
      const rec = this.find(v, id);
      rec.spend = addCost(rec.spend, this.now(), costMicroUsd);
      await this.save(v as VaultFile);
      this.log?.info({ keyId: id, costMicroUsd: Math.ceil(costMicroUsd) }, "ai key spend recorded");
      return publicOf(rec);
    });
  }

  /** Spend per key, for `vivim ai-keys report`. */
  async report(): Promise<
    Array<
      Pick<
        AiKeyInfo,
        "id" | "label" | "provider" | "revokedAt" | "dailyBudgetMicroUsd" | "monthlyBudgetMicroUsd"
      > &
        Omit<Spend, "recent">
    >
  > {
    return (await this.list()).map((k) => {
      const { recent: _r, ...spend } = k.spend;
      return {
        id: k.id,
        label: k.label,
        provider: k.provider,
        revokedAt: k.revokedAt,
        dailyBudgetMicroUsd: k.dailyBudgetMicroUsd,
        monthlyBudgetMicroUsd: k.monthlyBudgetMicroUsd,
        ...spend,
      };
    });
  }
}
