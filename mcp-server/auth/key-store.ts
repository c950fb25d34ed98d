/**
 * MCP bearer keys, stored hashed under `<home>/mcp/keys.json` (mode 0600).
 *
 * A key is `vmcp_<id>_<secret>`: the id (8 random bytes, hex) finds the record, the SHA-256 of the
 * whole key is what is stored and compared in constant time. The secret is 32 random bytes, so a
 * plain hash is enough (as for GitHub or Stripe tokens); the key itself is shown once, at creation,
 * and never written anywhere by VIVIM.
 *
 * Each key is bound to one chain identity (a human, or one of its agents), names the keyring key
 * that signs for it when the node holds one, and carries scopes. Revocation keeps the record with
 * `revokedAt`, so `list` shows it and a revoked key keeps failing with 401. The server re-reads the
 * file when it changes, so `vivim mcp-keys revoke` takes effect on the next call, with no restart.
 */
import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import { mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { isScope, type Scope } from "./scopes.js";

export interface McpKeyRecord {
  readonly id: string;
  readonly label: string;
  /** The identity the key acts as. */
  readonly address: string;
  /** The human who created it: the identity itself, or the owner of the agent it is bound to. */
  readonly owner: string;
  /** Name of the node keyring's key for `address`; absent = the client signs (unsigned txs). */
  readonly keyName?: string;
  /** Base64 compressed secp256k1 key of `address`, when known: unsigned txs need it in their auth info. */
  readonly pubkey?: string;
  readonly scopes: readonly Scope[];
  readonly createdAt: string;
  readonly revokedAt?: string;
  /** Hex SHA-256 of the whole bearer key. */
  readonly hash: string;
}

/** A record without its hash: what `list` shows and what the server keeps per session. */
export type McpKeyInfo = Omit<McpKeyRecord, "hash">;

interface KeyFile {
  version: 1;
  keys: McpKeyRecord[];
}

const KEY_PATTERN = /^vmcp_([0-9a-f]{16})_([A-Za-z0-9_-]{43})$/;
const MAX_FILE_BYTES = 4 * 1024 * 1024;

export class McpKeyStoreError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "McpKeyStoreError";
  }
}

function sha256Hex(text: string): string {
  return createHash("sha256").update(text).digest("hex");
}

function publicInfo(r: McpKeyRecord): McpKeyInfo {
  const { hash: _hash, ...info } = r;
  return info;
}

export class McpKeyStore {
  readonly file: string;
  private cached: { mtimeMs: number; size: number; keys: McpKeyRecord[] } | undefined;

  constructor(home: string) {
    this.file = path.join(home, "mcp", "keys.json");
  }

  /** Creates a key; returns the bearer key (shown once) and its public record. */
  create(
    fields: Omit<McpKeyInfo, "id" | "createdAt" | "revokedAt">,
    now = new Date(),
  ): {
    key: string;
    info: McpKeyInfo;
  } {
    const id = randomBytes(8).toString("hex");
    const key = `vmcp_${id}_${randomBytes(32).toString("base64url")}`;
    const record: McpKeyRecord = { ...fields, id, createdAt: now.toISOString(), hash: sha256Hex(key) };
    this.write([...this.load(), record]);
    return { key, info: publicInfo(record) };
  }

  list(): McpKeyInfo[] {
    return this.load().map(publicInfo);
  }

  /** Marks a key revoked (by id or its label); false when no active key matched. */
  revoke(idOrLabel: string, now = new Date()): McpKeyInfo | undefined {
    const keys = this.load();
    const i = keys.findIndex((k) => !k.revokedAt && (k.id === idOrLabel || k.label === idOrLabel));
    if (i < 0) return undefined;
    const revoked = { ...keys[i]!, revokedAt: now.toISOString() };
    keys[i] = revoked;
    this.write(keys);
    return publicInfo(revoked);
  }

  /** The active key a bearer token names, or undefined (unknown, malformed, or revoked). */
  verify(token: string): McpKeyInfo | undefined {
    const m = KEY_PATTERN.exec(token);
    if (!m) return undefined;
    const record = this.load().find((k) => k.id === m[1]);
    if (!record || record.revokedAt) return undefined;
    const given = Buffer.from(sha256Hex(token), "hex");
    const stored = Buffer.from(record.hash, "hex");
    if (given.length !== stored.length || !timingSafeEqual(given, stored)) return undefined;
    return publicInfo(record);
  }

  /** Whether key `id` exists and is not revoked (re-read when the file changed). */
  isActive(id: string): boolean {
    const record = this.load().find((k) => k.id === id);
    return record !== undefined && !record.revokedAt;
  }

  private load(): McpKeyRecord[] {
    let stat: { mtimeMs: number; size: number };
    try {
      stat = statSync(this.file);
    } catch {
      return [];
    }
    if (this.cached && this.cached.mtimeMs === stat.mtimeMs && this.cached.size === stat.size) {
      return [...this.cached.keys];
    }
    if (stat.size > MAX_FILE_BYTES) throw new McpKeyStoreError(`${this.file} is larger than 4 MiB`);
    const keys = parseKeyFile(readFileSync(this.file, "utf8"), this.file);
    this.cached = { mtimeMs: stat.mtimeMs, size: stat.size, keys };
    return [...keys];
  }

  private write(keys: McpKeyRecord[]): void {
    mkdirSync(path.dirname(this.file), { recursive: true, mode: 0o700 });
    const tmp = `${this.file}.${process.pid}.tmp`;
    const body: KeyFile = { version: 1, keys };
    writeFileSync(tmp, `${JSON.stringify(body, null, 2)}\n`, { mode: 0o600 });
    renameSync(tmp, this.file);
    this.cached = undefined;
  }
}

function parseKeyFile(text: string, file: string): McpKeyRecord[] {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new McpKeyStoreError(`${file} is not valid JSON`);
  }
  const b = body as Partial<KeyFile>;
  if (b?.version !== 1 || !Array.isArray(b.keys))
    throw new McpKeyStoreError(`${file} is not a VIVIM MCP key file`);
  for (const k of b.keys) {
    const ok =
      typeof k?.id === "string" &&
      typeof k.hash === "string" &&
      /^[0-9a-f]{64}$/.test(k.hash) &&
      typeof k.address === "string" &&
      typeof k.owner === "string" &&
      Array.isArray(k.scopes) &&
      k.scopes.every((s: unknown) => typeof s === "string" && isScope(s));
    if (!ok) throw new McpKeyStoreError(`${file} holds a malformed key record`);
  }
  return b.keys;
}
