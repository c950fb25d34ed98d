/**
 * Deterministic binary codec shared by the DM wire forms: big-endian fixed-width integers,
 * length-prefixed byte strings, and a reader that rejects truncation and trailing bytes with
 * BAD_ENVELOPE. Pure (no Node built-ins) so the client code also runs in browsers.
 */
import { fromBech32, toBech32 } from "@cosmjs/encoding";
import { ripemd160 } from "@noble/hashes/legacy.js";
import { sha256 } from "@noble/hashes/sha2.js";
import { DmError, fail } from "./errors.js";

export const ADDRESS_PREFIX = "vivim";
export const ADDRESS_BYTES = 20;
export const PUBKEY_BYTES = 33;
export const SIGNATURE_BYTES = 64;
export const MAX_CHAIN_ID_BYTES = 64;

const enc = new TextEncoder();
const dec = new TextDecoder("utf-8", { fatal: true });

export const utf8 = (s: string): Uint8Array => enc.encode(s);

export function concat(...parts: Uint8Array[]): Uint8Array {
  let n = 0;
  for (const p of parts) n += p.length;
  const out = new Uint8Array(n);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

export function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let d = 0;
  for (let i = 0; i < a.length; i++) d |= a[i]! ^ b[i]!;
  return d === 0;
}

/** Lexicographic byte order (for sorting members deterministically). */
export function compareBytes(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return a.length - b.length;
}

export const toHex = (b: Uint8Array): string =>
  Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("");

/** Cosmos account address bytes of a compressed secp256k1 key: ripemd160(sha256(pk)). */
export const addressBytesOfPubkey = (pubkey: Uint8Array): Uint8Array => ripemd160(sha256(pubkey));

export const encodeAddress = (bytes: Uint8Array, prefix = ADDRESS_PREFIX): string => toBech32(prefix, bytes);

/** bech32 → 20 bytes; BAD_ENVELOPE on a wrong prefix, checksum or length. */
export function decodeAddress(address: string, prefix = ADDRESS_PREFIX): Uint8Array {
  let parsed: { prefix: string; data: Uint8Array };
  try {
    parsed = fromBech32(address, 90);
  } catch {
    throw new DmError("BAD_ENVELOPE", `invalid address ${JSON.stringify(address)}`);
  }
  if (parsed.prefix !== prefix) fail("BAD_ENVELOPE", `address prefix must be ${prefix}`);
  if (parsed.data.length !== ADDRESS_BYTES) fail("BAD_ENVELOPE", `address must be ${ADDRESS_BYTES} bytes`);
  return parsed.data;
}

export class Writer {
  private chunks: Uint8Array[] = [];

  u8(n: number): this {
    if (!Number.isInteger(n) || n < 0 || n > 0xff) fail("BAD_ENVELOPE", `u8 out of range: ${n}`);
    this.chunks.push(Uint8Array.of(n));
    return this;
  }

  u16(n: number): this {
    if (!Number.isInteger(n) || n < 0 || n > 0xffff) fail("BAD_ENVELOPE", `u16 out of range: ${n}`);
    this.chunks.push(Uint8Array.of(n >>> 8, n & 0xff));
    return this;
  }

  u32(n: number): this {
    if (!Number.isInteger(n) || n < 0 || n > 0xffff_ffff) fail("BAD_ENVELOPE", `u32 out of range: ${n}`);
    const b = new Uint8Array(4);
    new DataView(b.buffer, b.byteOffset, b.byteLength).setUint32(0, n);
    this.chunks.push(b);
    return this;
  }

  /** Unsigned 64-bit, restricted to safe integers (seconds since the epoch). */
  u64(n: number): this {
    if (!Number.isSafeInteger(n) || n < 0) fail("BAD_ENVELOPE", `u64 out of range: ${n}`);
    const b = new Uint8Array(8);
    new DataView(b.buffer, b.byteOffset, b.byteLength).setBigUint64(0, BigInt(n));
    this.chunks.push(b);
    return this;
  }

  /** Exactly `len` bytes, no prefix. */
  fixed(bytes: Uint8Array, len: number, what: string): this {
    if (!(bytes instanceof Uint8Array) || bytes.length !== len)
      fail("BAD_ENVELOPE", `${what} must be ${len} bytes`);
    this.chunks.push(bytes);
    return this;
  }

  /** u8 length then bytes. */
  bytes8(bytes: Uint8Array, what: string): this {
    if (bytes.length > 0xff) fail("BAD_ENVELOPE", `${what} too long`);
    return this.u8(bytes.length).raw(bytes);
  }

  /** u32 length then bytes. */
  bytes32(bytes: Uint8Array): this {
    return this.u32(bytes.length).raw(bytes);
  }

  raw(bytes: Uint8Array): this {
    this.chunks.push(bytes);
    return this;
  }

  finish(): Uint8Array {
    return concat(...this.chunks);
  }
}

export class Reader {
  private pos = 0;
  constructor(private readonly buf: Uint8Array) {}

  get offset(): number {
    return this.pos;
  }

  private take(n: number, what: string): Uint8Array {
    if (this.pos + n > this.buf.length) fail("BAD_ENVELOPE", `truncated at ${what}`);
    const out = this.buf.slice(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }

  u8(what: string): number {
    return this.take(1, what)[0]!;
  }

  u16(what: string): number {
    const b = this.take(2, what);
    return (b[0]! << 8) | b[1]!;
  }

  u32(what: string): number {
    const b = this.take(4, what);
    return new DataView(b.buffer, b.byteOffset, b.byteLength).getUint32(0);
  }

  u64(what: string): number {
    const b = this.take(8, what);
    const v = new DataView(b.buffer, b.byteOffset, b.byteLength).getBigUint64(0);
    if (v > BigInt(Number.MAX_SAFE_INTEGER)) fail("BAD_ENVELOPE", `${what} out of range`);
    return Number(v);
  }

  fixed(n: number, what: string): Uint8Array {
    return this.take(n, what);
  }

  bytes8(what: string): Uint8Array {
    return this.take(this.u8(what), what);
  }

  bytes32(what: string, max: number): Uint8Array {
    const n = this.u32(what);
    if (n > max) fail("TOO_LARGE", `${what} is ${n} bytes, max ${max}`);
    return this.take(n, what);
  }

  /** Slice of the input already read, from `start` to the current position. */
  since(start: number): Uint8Array {
    return this.buf.slice(start, this.pos);
  }

  end(): void {
    if (this.pos !== this.buf.length) fail("BAD_ENVELOPE", `${this.buf.length - this.pos} trailing bytes`);
  }
}

export function chainIdBytes(chainId: string): Uint8Array {
  const b = utf8(chainId);
  if (b.length === 0 || b.length > MAX_CHAIN_ID_BYTES) fail("BAD_ENVELOPE", "chain id must be 1..64 bytes");
  return b;
}

export function decodeUtf8(b: Uint8Array, what: string): string {
  try {
    return dec.decode(b);
  } catch {
    throw new DmError("BAD_ENVELOPE", `${what} is not valid UTF-8`);
  }
}
