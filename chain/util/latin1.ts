/**
 * Bytes as a latin1 string, one char per byte: how byte keys and hashes become Map keys and
 * compare with ===. In Node, Buffer's native latin1 slice is called on the view itself, because
 * wrapping the view in a Buffer first (`Buffer.from(buf, off, len).toString("latin1")`) allocates
 * an object per call and doubles the cost; state keys are turned into strings several times per
 * tx. The app's browser bundle reaches this module through the contracts' Msg modules and has no
 * global Buffer, so the lookup must not throw when the module loads.
 */
type Latin1Slice = (this: Uint8Array, start: number, end: number) => string;
const nativeLatin1Slice: Latin1Slice | undefined =
  typeof Buffer === "function"
    ? (Buffer.prototype as unknown as { latin1Slice?: Latin1Slice }).latin1Slice
    : undefined;

type Latin1Write = (this: Uint8Array, s: string, offset: number, length: number) => number;
const nativeLatin1Write: Latin1Write | undefined =
  typeof Buffer === "function"
    ? (Buffer.prototype as unknown as { latin1Write?: Latin1Write }).latin1Write
    : undefined;

/** bytes[start, end) as a latin1 string. */
export const latin1Range: (bytes: Uint8Array, start: number, end: number) => string =
  typeof nativeLatin1Slice === "function"
    ? (bytes, start, end) => nativeLatin1Slice.call(bytes, start, end)
    : (bytes, start, end) =>
        Buffer.from(bytes.buffer, bytes.byteOffset + start, end - start).toString("latin1");

export const latin1String = (bytes: Uint8Array): string => latin1Range(bytes, 0, bytes.byteLength);

/**
 * Writes the latin1 string `s` into `bytes` at `offset` (all of it: the caller sized the room), with
 * Buffer's native latin1 write called on the view, as above: `Buffer.write(s, o, n, "latin1")`
 * resolves its encoding argument on every call before it gets there.
 */
export const writeLatin1: (bytes: Uint8Array, s: string, offset: number) => void =
  typeof nativeLatin1Write === "function"
    ? (bytes, s, offset) => {
        nativeLatin1Write.call(bytes, s, offset, s.length);
      }
    : (bytes, s, offset) => {
        Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).write(s, offset, s.length, "latin1");
      };

/**
 * The bytes `latin1String` turned into `s`, as a fresh plain Uint8Array: one allocation (on V8's
 * heap for a key-sized string), where `Buffer.from(s, "latin1")` takes a view of a shared pool that
 * the caller would have to copy out of anyway.
 */
export function latin1Bytes(s: string): Uint8Array {
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
  return out;
}
