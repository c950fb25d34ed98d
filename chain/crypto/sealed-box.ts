/**
 * Secrets at rest: AES-256-GCM under a scrypt-derived key, bound to associated data naming what is
 * sealed. Used by the keyring's `file` backend (one salt per key) and the AI-key vault (one salt per
 * vault, so its key is derived once per process).
 */
import { createCipheriv, createDecipheriv, randomBytes, scrypt } from "node:crypto";

// scrypt N=2^15, r=8 needs 128·N·r = 32 MiB; Node's default maxmem is exactly 32 MiB, hence the headroom.
export const SCRYPT = { N: 1 << 15, r: 8, p: 1, maxmem: 64 << 20 } as const;

export interface Kdf {
  kdf: "scrypt";
  n: number;
  r: number;
  p: number;
  salt: string;
}

export interface Sealed {
  iv: string;
  ciphertext: string;
  tag: string;
}

export const newKdf = (): Kdf => ({
  kdf: "scrypt",
  n: SCRYPT.N,
  r: SCRYPT.r,
  p: SCRYPT.p,
  salt: randomBytes(32).toString("base64"),
});

export function validKdf(k: unknown): k is Kdf {
  const c = k as Partial<Kdf> | null;
  return (
    typeof c === "object" &&
    c !== null &&
    c.kdf === "scrypt" &&
    [c.n, c.r, c.p].every((x) => Number.isSafeInteger(x) && (x as number) > 0) &&
    (c.n as number) <= 1 << 20 &&
    (c.r as number) <= 32 &&
    (c.p as number) <= 16 &&
    typeof c.salt === "string"
  );
}

export function validSealed(s: unknown): s is Sealed {
  const c = s as Partial<Sealed> | null;
  return (
    typeof c === "object" && c !== null && [c.iv, c.ciphertext, c.tag].every((x) => typeof x === "string")
  );
}

export function deriveKey(passphrase: string, k: Kdf): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scrypt(
      passphrase,
      Buffer.from(k.salt, "base64"),
      32,
      { N: k.n, r: k.r, p: k.p, maxmem: SCRYPT.maxmem },
      (err, key) => (err ? reject(err) : resolve(key)),
    ),
  );
}

export function seal(key: Buffer, plaintext: string, aad: string): Sealed {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", key, iv).setAAD(Buffer.from(aad));
  const ciphertext = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
  return {
    iv: iv.toString("base64"),
    ciphertext: ciphertext.toString("base64"),
    tag: cipher.getAuthTag().toString("base64"),
  };
}

/** Undefined when the key or the associated data do not match (wrong passphrase or altered file). */
export function open(key: Buffer, s: Sealed, aad: string): string | undefined {
  try {
    const d = createDecipheriv("aes-256-gcm", key, Buffer.from(s.iv, "base64")).setAAD(Buffer.from(aad));
    d.setAuthTag(Buffer.from(s.tag, "base64"));
    return Buffer.concat([d.update(Buffer.from(s.ciphertext, "base64")), d.final()]).toString("utf8");
  } catch {
    return undefined;
  }
}
