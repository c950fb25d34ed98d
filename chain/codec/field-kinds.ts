/**
 * What every part of a message definition needs to know about a field's kind: its wire type, its
 * default, and how 64-bit varints are read. Shared by the compiled and the interpreted codecs
 * (compiled-message.ts, interpreted-message.ts) and by BinaryWriter encoding (proto-message.ts).
 */
import type { BinaryReader } from "cosmjs-types/binary";
import type { ScalarKind } from "./schema.js";
import type { SizedWriter } from "./sized-writer.js";

/** A field's kind as the codecs see it: a scalar, or a nested message. */
export type CodecKind = ScalarKind | "message";

/** The functions a message's encodings go through, besides BinaryWriter's `encode`. */
export interface FieldCodec<T> {
  defaults(): T;
  decode(input: Uint8Array | BinaryReader, length?: number): T;
  /** The length `writeSized` writes, or -1 when a value needs BinaryWriter. */
  sizedLength(message: T): number;
  writeSized(writer: SizedWriter, message: T): void;
  fromPartial(object: unknown): T;
}

/** The per-field facts the codecs need (a subset of proto-message.ts' FieldDef). */
export interface CodecField {
  readonly no: number;
  readonly name: string;
  readonly kind: CodecKind;
  readonly repeated?: boolean;
  /** For `message` fields: the nested message (resolved on use, so it may be defined later). */
  readonly type?: () => Omit<FieldCodec<unknown>, "defaults">;
}

export const WIRE_VARINT = 0;
export const WIRE_FIXED64 = 1;
export const WIRE_LEN = 2;
export const WIRE_FIXED32 = 5;

export function wireType(kind: CodecKind): number {
  switch (kind) {
    case "fixed32":
      return WIRE_FIXED32;
    case "fixed64":
      return WIRE_FIXED64;
    case "string":
    case "bytes":
    case "message":
      return WIRE_LEN;
    default:
      return WIRE_VARINT;
  }
}

/** Numeric kinds: not length-delimited, so packed when repeated. */
export const isNumeric = (kind: CodecKind) => wireType(kind) !== WIRE_LEN;

export const is64 = (kind: CodecKind) => kind === "uint64" || kind === "int64" || kind === "fixed64";

export function isDefault(field: CodecField, value: unknown): boolean {
  if (is64(field.kind)) return value === 0n;
  switch (field.kind) {
    case "bool":
      return value === false;
    case "string":
      return value === "";
    case "bytes":
      return (value as Uint8Array).length === 0;
    case "message":
      return value === undefined;
    default:
      return value === 0;
  }
}

/**
 * What a field contributes to an encoding: a repeated field's list when it is not empty, a
 * singular field's value when it is not the default; otherwise undefined (the field is omitted).
 */
export function encodedValue(field: CodecField, value: unknown): unknown {
  if (field.repeated) return (value as unknown[] | undefined)?.length ? value : undefined;
  return value === undefined || isDefault(field, value) ? undefined : value;
}

/**
 * A varint as an unsigned 64-bit bigint, read straight from the buffer (cosmjs goes through a
 * decimal string): small values, the common case, never touch bigint arithmetic until the end.
 */
export function readVarint64(r: BinaryReader): bigint {
  const buf = r.buf;
  let pos = r.pos;
  let low = 0;
  for (let shift = 0; shift < 28; shift += 7) {
    if (pos >= r.len) throw new RangeError("varint runs past the end");
    const b = buf[pos++]!;
    low |= (b & 0x7f) << shift;
    if (b < 0x80) {
      r.pos = pos;
      return BigInt(low >>> 0);
    }
  }
  let result = BigInt(low >>> 0);
  for (let shift = 28n; shift < 70n; shift += 7n) {
    if (pos >= r.len) throw new RangeError("varint runs past the end");
    const b = buf[pos++]!;
    result |= BigInt(b & 0x7f) << shift;
    if (b < 0x80) {
      r.pos = pos;
      return BigInt.asUintN(64, result);
    }
  }
  throw new RangeError("varint longer than 10 bytes");
}
