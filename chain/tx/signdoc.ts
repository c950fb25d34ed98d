/**
 * SIGN_MODE_DIRECT sign bytes: cosmos.tx.v1beta1.SignDoc{body_bytes=1, auth_info_bytes=2,
 * chain_id=3, account_number=4} in proto3 canonical form (fields in order, defaults omitted), built
 * from the body/auth-info bytes exactly as received. This is byte-for-byte what cosmjs's
 * makeSignDoc + SignDoc.encode produce, written by hand because it runs for every tx.
 */

const MAX_UINT64 = (1n << 64n) - 1n;

function varintSize(v: bigint): number {
  let n = 1;
  for (let x = v >> 7n; x > 0n; x >>= 7n) n++;
  return n;
}

function lenSize(n: number): number {
  let s = 1;
  for (let x = n >>> 7; x > 0; x >>>= 7) s++;
  return s;
}

function writeLen(out: Uint8Array, pos: number, n: number): number {
  let p = pos;
  let x = n;
  while (x >= 0x80) {
    out[p++] = (x & 0x7f) | 0x80;
    x >>>= 7;
  }
  out[p++] = x;
  return p;
}

function writeUint64(out: Uint8Array, pos: number, v: bigint): number {
  let p = pos;
  let x = v;
  while (x >= 0x80n) {
    out[p++] = Number(x & 0x7fn) | 0x80;
    x >>= 7n;
  }
  out[p++] = Number(x);
  return p;
}

export function signDocBytes(
  bodyBytes: Uint8Array,
  authInfoBytes: Uint8Array,
  chainId: string,
  accountNumber: bigint,
): Uint8Array {
  if (accountNumber < 0n || accountNumber > MAX_UINT64)
    throw new RangeError("accountNumber must be a uint64");
  const chain = Buffer.from(chainId, "utf8");
  let size = 0;
  if (bodyBytes.length > 0) size += 1 + lenSize(bodyBytes.length) + bodyBytes.length;
  if (authInfoBytes.length > 0) size += 1 + lenSize(authInfoBytes.length) + authInfoBytes.length;
  if (chain.length > 0) size += 1 + lenSize(chain.length) + chain.length;
  if (accountNumber !== 0n) size += 1 + varintSize(accountNumber);

  const out = new Uint8Array(size);
  let p = 0;
  if (bodyBytes.length > 0) {
    out[p++] = 0x0a; // field 1, length-delimited
    p = writeLen(out, p, bodyBytes.length);
    out.set(bodyBytes, p);
    p += bodyBytes.length;
  }
  if (authInfoBytes.length > 0) {
    out[p++] = 0x12; // field 2, length-delimited
    p = writeLen(out, p, authInfoBytes.length);
    out.set(authInfoBytes, p);
    p += authInfoBytes.length;
  }
  if (chain.length > 0) {
    out[p++] = 0x1a; // field 3, length-delimited
    p = writeLen(out, p, chain.length);
    out.set(chain, p);
    p += chain.length;
  }
  if (accountNumber !== 0n) {
    out[p++] = 0x20; // field 4, varint
    p = writeUint64(out, p, accountNumber);
  }
  return out;
}
