/**
 * cosmjs-types reads and writes protobuf strings with JavaScript UTF-8 loops: ~1 µs to read a
 * 43-char address and ~3-4 µs for a 200-byte post body, paid for every string of every Msg,
 * record and event encoded or decoded. In Node this swaps in Buffer's native UTF-8 codec
 * (~0.1 µs for the address), keeping the exact bytes and strings of the JavaScript codec:
 *
 * - writing: only well-formed strings take the native path (for them both codecs produce
 *   standard UTF-8); a string with a lone surrogate is written by cosmjs' loop as before;
 * - reading: the native decoder replaces invalid UTF-8 with U+FFFD, so a result holding U+FFFD is
 *   decoded again by cosmjs' loop, whatever it makes of those bytes.
 *
 * Installed for its side effect (with writer-alloc.ts) before anything encodes. The app's browser
 * bundle has no global Buffer and keeps cosmjs' codec.
 */
import { BinaryReader, BinaryWriter } from "cosmjs-types/binary";

interface NativeUtf8 {
  utf8Slice(this: Uint8Array, start: number, end: number): string;
  utf8Write(this: Uint8Array, value: string, offset: number, length: number): number;
}

const native: Partial<NativeUtf8> | undefined =
  typeof Buffer === "function" ? (Buffer.prototype as unknown as Partial<NativeUtf8>) : undefined;
const REPLACEMENT_CHAR = "\ufffd";

if (typeof native?.utf8Slice === "function" && typeof native.utf8Write === "function") {
  const { utf8Slice, utf8Write } = native as NativeUtf8;
  const jsRead = BinaryReader.prototype.string;
  const jsWrite = BinaryWriter.prototype.string;
  const writeUtf8 = (value: string, buf: Uint8Array, pos: number): void => {
    utf8Write.call(buf, value, pos, buf.length - pos);
  };

  BinaryReader.prototype.string = function (this: BinaryReader): string {
    const start = this.pos;
    const len = this.uint32();
    const from = this.pos;
    const end = from + len;
    if (end > this.len) throw new RangeError("premature EOF");
    const value = utf8Slice.call(this.buf, from, end);
    if (!value.includes(REPLACEMENT_CHAR)) {
      this.pos = end;
      return value;
    }
    this.pos = start;
    return jsRead.call(this);
  };

  BinaryWriter.prototype.string = function (this: BinaryWriter, value: string): BinaryWriter {
    if (value.length === 0 || !(value as string & { isWellFormed(): boolean }).isWellFormed())
      return jsWrite.call(this, value);
    const len = Buffer.byteLength(value, "utf8");
    const writer = this.uint32(len) as unknown as {
      _push(fn: typeof writeUtf8, len: number, val: string): BinaryWriter;
    };
    return writer._push(writeUtf8, len, value);
  };
}
