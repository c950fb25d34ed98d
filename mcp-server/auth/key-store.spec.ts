import { mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { McpKeyStore } from "./key-store.js";
import { parseScopes } from "./scopes.js";

const homes: string[] = [];
function store(): McpKeyStore {
  const home = mkdtempSync(path.join(tmpdir(), "vivim-keys-"));
  homes.push(home);
  return new McpKeyStore(home);
}
afterEach(() => {
  for (const h of homes.splice(0)) rmSync(h, { recursive: true, force: true });
});

const fields = {
  label: "alice",
  address: "vivim1alice",
  owner: "vivim1alice",
  keyName: "alice",
  scopes: parseScopes("social"),
};

describe("McpKeyStore", () => {
  it("stores only a hash, verifies the key, and never returns the secret again", () => {
    const s = store();
    const { key, info } = s.create(fields);
    expect(key).toMatch(/^vmcp_[0-9a-f]{16}_[A-Za-z0-9_-]{43}$/);
    const onDisk = readFileSync(s.file, "utf8");
    // The secret is base64url, which may itself hold "_": everything after "vmcp_<16 hex>_".
    expect(onDisk).not.toContain(key.slice("vmcp_".length + 17));
    expect(statSync(s.file).mode & 0o777).toBe(0o600);
    expect(s.verify(key)).toEqual(info);
    expect(JSON.stringify(s.list())).not.toContain("hash");
  });

  it("rejects a forged secret with a real id, malformed keys, and revoked keys", () => {
    const s = store();
    const { key, info } = s.create(fields);
    const forged = `${key.slice(0, 22)}${"A".repeat(43)}`;
    expect(s.verify(forged)).toBeUndefined();
    expect(s.verify("Bearer nonsense")).toBeUndefined();
    expect(s.verify(`${key}x`)).toBeUndefined();
    expect(s.isActive(info.id)).toBe(true);
    expect(s.revoke(info.id)?.revokedAt).toBeDefined();
    expect(s.verify(key)).toBeUndefined();
    expect(s.isActive(info.id)).toBe(false);
    expect(s.revoke(info.id)).toBeUndefined();
  });

  it("sees a revocation written by another process (another store on the same file)", () => {
    const a = store();
    const { key, info } = a.create(fields);
    expect(a.verify(key)).toBeDefined();
    const b = new McpKeyStore(path.dirname(path.dirname(a.file)));
    b.revoke(info.label);
    expect(a.verify(key)).toBeUndefined();
  });
});

describe("parseScopes", () => {
  it("always includes read, accepts read-only, refuses unknown scopes", () => {
    expect(parseScopes("read-only")).toEqual(["read"]);
    expect(parseScopes("governance, social")).toEqual(["read", "social", "governance"]);
    expect(() => parseScopes("social,admin")).toThrow(/unknown scope "admin"/);
  });
});
