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

export const latin1String: (bytes: Uint8Array) => string =
  typeof nativeLatin1Slice === "function"
    ? (bytes) => nativeLatin1Slice.call(bytes, 0, bytes.byteLength)
    : (bytes) => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("latin1");

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
