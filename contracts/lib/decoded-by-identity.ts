/**
 * Decoded store values remembered by the identity of their bytes. Stores hand back the same bytes
 * object they were given or loaded, and hot values (a signer's account, module params) are read by
 * every tx in CheckTx and again in the block, so each stored version is decoded once. Weakly keyed:
 * an entry lives exactly as long as its bytes. Decoded values must be treated as immutable.
 */
export class DecodedByIdentity<T extends object> {
  private readonly values = new WeakMap<Uint8Array, T>();

  constructor(private readonly decodeBytes: (bytes: Uint8Array) => T) {}

  decode(bytes: Uint8Array): T {
    let value = this.values.get(bytes);
    if (!value) {
      value = this.decodeBytes(bytes);
      this.values.set(bytes, value);
    }
    return value;
  }

  /** Records that `bytes` (just encoded by the caller) decode to `value`. */
  remember(bytes: Uint8Array, value: T): Uint8Array {
    this.values.set(bytes, value);
    return bytes;
  }
}
