/**
 * Protobuf bytes written in two passes, size first, then straight into one exactly-sized array.
 * cosmjs' BinaryWriter queues an operation object per field (and per fork of a nested message)
 * and walks them on `finish()`: for the dozen events every tx emits, encoded at each block,
 * that queue costs more than the bytes. Callers size their message with `varintSize`/`utf8Size`,
 * then write it in field order; `finish()` checks the two passes agreed.
 *
 * Strings: `utf8Size` returns -1 for a string with a lone surrogate, whose bytes the JavaScript
 * codec and the native one spell differently; callers fall back to BinaryWriter for those, so
 * the output is byte-for-byte what BinaryWriter writes.
 */

interface NativeStringWrite {
  utf8Write(this: Uint8Array, value: string, offset: number, length: number): number;
  latin1Write(this: Uint8Array, value: string, offset: number, length: number): number;
}
const nativeWrite: Partial<NativeStringWrite> =
  typeof Buffer === "function" ? (Buffer.prototype as unknown as Partial<NativeStringWrite>) : {};
const nativeUtf8Write = nativeWrite.utf8Write;
const nativeLatin1Write = nativeWrite.latin1Write;
const encoder = new TextEncoder();

/**
 * From this length on, Buffer's native codec measures and writes a string faster than a
 * charCodeAt loop: the loop costs ~3-4 ns a char, a native call ~40-70 ns flat (a 200-char post
 * body: ~600 ns to measure and ~875 ns to write by loop, ~70 ns each natively).
 */
const NATIVE_MIN_CHARS = 20;

/** Bytes of `n`'s varint; `n` a non-negative safe integer. */
export function varintSize(n: number): number {
  let size = 1;
  while (n >= 128) {
    n = Math.floor(n / 128);
    size++;
  }
  return size;
}

/** UTF-8 length of `s`, or -1 if `s` is not well-formed (a lone surrogate). */
export function utf8Size(s: string): number {
  if (s.length >= NATIVE_MIN_CHARS && typeof Buffer === "function") {
    // Every char past ASCII takes 2+ bytes (a lone surrogate 3, as U+FFFD), so equal lengths
    // mean ASCII, which is always well-formed.
    const n = Buffer.byteLength(s, "utf8");
    return n === s.length || (s as string & { isWellFormed(): boolean }).isWellFormed() ? n : -1;
  }
  for (let i = 0; i < s.length; i++) {
    if (s.charCodeAt(i) >= 0x80) {
      if (!(s as string & { isWellFormed(): boolean }).isWellFormed()) return -1;
      return typeof Buffer === "function" ? Buffer.byteLength(s, "utf8") : encoder.encode(s).length;
    }
  }
  return s.length;
}

/** Size of a length-delimited field holding `len` bytes, for field numbers 1-15 (one tag byte). */
export function lenFieldSize(len: number): number {
  return 1 + varintSize(len) + len;
}

export class SizedWriter {
  readonly buf: Uint8Array;
  private pos = 0;

  /** A fresh array of `size` bytes, or `target` (a caller's scratch view) to fill exactly. */
  constructor(sizeOrTarget: number | Uint8Array) {
    this.buf = typeof sizeOrTarget === "number" ? new Uint8Array(sizeOrTarget) : sizeOrTarget;
  }

  /** A non-negative safe integer as a varint (a tag, a length, a uint32 or a non-negative int64). */
  varint(n: number): this {
    const buf = this.buf;
    while (n >= 128) {
      buf[this.pos++] = (n % 128) | 128;
      n = Math.floor(n / 128);
    }
    buf[this.pos++] = n;
    return this;
  }

  /** `s`'s UTF-8 bytes, `byteLength` of them as `utf8Size` counted (no length prefix). */
  utf8(s: string, byteLength: number): this {
    if (byteLength === s.length && byteLength >= NATIVE_MIN_CHARS && nativeLatin1Write) {
      // ASCII, whose latin1 bytes are its UTF-8 bytes.
      nativeLatin1Write.call(this.buf, s, this.pos, byteLength);
      this.pos += byteLength;
    } else if (byteLength === s.length) {
      // ASCII: one byte per char.
      const buf = this.buf;
      let pos = this.pos;
      for (let i = 0; i < s.length; i++) buf[pos++] = s.charCodeAt(i);
      this.pos = pos;
    } else if (nativeUtf8Write) {
      nativeUtf8Write.call(this.buf, s, this.pos, byteLength);
      this.pos += byteLength;
    } else {
      encoder.encodeInto(s, this.buf.subarray(this.pos, this.pos + byteLength));
      this.pos += byteLength;
    }
    return this;
  }

  /** A string field (tag, length, bytes); `byteLength` from `utf8Size`. */
  stringField(tag: number, s: string, byteLength: number): this {
    return this.varint(tag).varint(byteLength).utf8(s, byteLength);
  }

  raw(bytes: Uint8Array): this {
    this.buf.set(bytes, this.pos);
    this.pos += bytes.length;
    return this;
  }

  finish(): Uint8Array {
    if (this.pos !== this.buf.length) {
      throw new Error(`sized writer wrote ${this.pos} bytes into ${this.buf.length}`);
    }
    return this.buf;
  }
}
