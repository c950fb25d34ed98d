/**
 * A protobuf reader over the given bytes themselves. cosmjs-types' BinaryReader constructor copies
 * its input (`new Uint8Array(buf)`), a copy every decode would pay: a tx, its body and auth info,
 * each Msg, each stored record read by a handler. Decoded `bytes` fields are then views into the
 * input, which is safe because tx bytes and stored values are never mutated once made.
 */
import { BinaryReader } from "cosmjs-types/binary";

export function viewReader(bytes: Uint8Array): BinaryReader {
  const reader = new BinaryReader();
  reader.buf = bytes;
  reader.len = bytes.length;
  return reader;
}
