/**
 * A protobuf reader over the given bytes themselves. cosmjs-types' BinaryReader constructor copies
 * its input (`new Uint8Array(buf)`), a copy every decode would pay: a tx, its body and auth info,
 * each Msg, each stored record read by a handler. Decoded `bytes` fields are then views into the
 * input, which is safe because what is decoded this way (tx bytes, stored values, query requests)
 * is never mutated once made. Consensus messages keep cosmjs' copying reader (consensus/wire.ts).
 */
import { BinaryReader } from "cosmjs-types/binary";

export function viewReader(bytes: Uint8Array): BinaryReader {
  const reader = new BinaryReader();
  reader.buf = bytes;
  reader.len = bytes.length;
  return reader;
}
