/**
 * A message's codec as loops over its field table: what runs where code generation is refused
 * (a browser page whose Content-Security-Policy has no 'unsafe-eval', such as the app's). The
 * Node services use the generated codec (compiled-message.ts), which gives the same results:
 * compiled-message.spec.ts checks the two against each other.
 */
import type { BinaryReader } from "cosmjs-types/binary";
import {
  type CodecField,
  type CodecKind,
  encodedValue,
  type FieldCodec,
  isNumeric,
  readVarint64,
  WIRE_LEN,
  wireType,
} from "./field-kinds.js";
import { type SizedWriter, utf8Size, varintSize } from "./sized-writer.js";
import { viewReader } from "./view-reader.js";

const MAX_SAFE_U64 = BigInt(Number.MAX_SAFE_INTEGER);

function defaultOf(field: CodecField): unknown {
  if (field.repeated) return [];
  switch (field.kind) {
    case "uint64":
    case "int64":
    case "fixed64":
      return 0n;
    case "bool":
      return false;
    case "string":
      return "";
    case "bytes":
      return new Uint8Array();
    case "message":
      return undefined;
    default:
      return 0;
  }
}

/**
 * Payload bytes of a scalar on the sized path (a string's or bytes' content, without its length),
 * or -1 for a value only BinaryWriter writes as protobuf requires.
 */
function sizedScalarLength(kind: CodecKind, value: unknown): number {
  switch (kind) {
    case "uint32":
      return Number.isInteger(value) && (value as number) >= 0 && (value as number) <= 0xffff_ffff
        ? varintSize(value as number)
        : -1;
    case "int32":
    case "enum":
      return Number.isInteger(value) && (value as number) >= 0 && (value as number) <= 0x7fff_ffff
        ? varintSize(value as number)
        : -1;
    case "uint64":
    case "int64":
      return typeof value === "bigint" && value >= 0n && value <= MAX_SAFE_U64
        ? varintSize(Number(value))
        : -1;
    case "bool":
      return typeof value === "boolean" ? 1 : -1;
    case "string":
      return typeof value === "string" ? utf8Size(value) : -1;
    case "bytes":
      return value instanceof Uint8Array ? value.length : -1;
    default:
      return -1;
  }
}

/** Writes a scalar measured by `sizedScalarLength` (`length` is what it returned). */
function writeSizedScalar(w: SizedWriter, kind: CodecKind, value: unknown, length: number): void {
  switch (kind) {
    case "uint64":
    case "int64":
      w.varint(Number(value as bigint));
      return;
    case "bool":
      w.varint(value ? 1 : 0);
      return;
    case "string":
      w.varint(length).utf8(value as string, length);
      return;
    case "bytes":
      w.varint(length).raw(value as Uint8Array);
      return;
    default:
      w.varint(value as number);
  }
}

function readScalar(r: BinaryReader, kind: CodecKind): unknown {
  switch (kind) {
    case "uint32":
      return r.uint32();
    case "int32":
    case "enum":
      return r.int32();
    case "fixed32":
      return r.fixed32();
    case "uint64":
      return readVarint64(r);
    case "int64":
      return BigInt.asIntN(64, readVarint64(r));
    case "fixed64":
      return r.fixed64();
    case "bool":
      return r.bool();
    case "string":
      return r.string();
    default:
      return r.bytes();
  }
}

/** A length-delimited field's bytes: tag, length, payload. */
const delimitedSize = (tagSize: number, length: number) => tagSize + varintSize(length) + length;

/** `fields` in number order. */
export function interpretMessage<T>(fields: readonly CodecField[]): FieldCodec<T> {
  const byNo: Array<CodecField | undefined> = [];
  for (const f of fields) byNo[f.no] = f;
  // Each field's tag as written: packed repeated numbers, like every string, bytes and message
  // field, are length-delimited.
  const tags = fields.map((f) => (f.no << 3) | (f.repeated ? WIRE_LEN : wireType(f.kind)));
  const tagSizes = tags.map(varintSize);
  const type = (f: CodecField) => f.type!();

  /** A repeated numeric field's packed payload length, or -1. */
  const packedLength = (kind: CodecKind, list: readonly unknown[]): number => {
    let length = 0;
    for (const item of list) {
      const n = sizedScalarLength(kind, item);
      if (n < 0) return -1;
      length += n;
    }
    return length;
  };

  const codec: FieldCodec<T> = {
    defaults() {
      const m: Record<string, unknown> = {};
      for (const f of fields) m[f.name] = defaultOf(f);
      return m as T;
    },
    decode(input, length) {
      const r = input instanceof Uint8Array ? viewReader(input) : input;
      const end = length === undefined ? r.len : r.pos + length;
      const m = codec.defaults() as Record<string, unknown>;
      while (r.pos < end) {
        const tag = r.uint32();
        const f = byNo[tag >>> 3];
        const wire = tag & 7;
        if (f === undefined) {
          r.skipType(wire);
          continue;
        }
        if (f.kind === "message") {
          if (wire !== WIRE_LEN) {
            r.skipType(wire);
            continue;
          }
          const value = type(f).decode(r, r.uint32());
          if (f.repeated) (m[f.name] as unknown[]).push(value);
          else m[f.name] = value;
        } else if (f.repeated && isNumeric(f.kind) && wire === WIRE_LEN) {
          const stop = r.uint32() + r.pos;
          while (r.pos < stop) (m[f.name] as unknown[]).push(readScalar(r, f.kind));
        } else if (wire !== wireType(f.kind)) {
          r.skipType(wire);
        } else if (f.repeated) {
          (m[f.name] as unknown[]).push(readScalar(r, f.kind));
        } else {
          m[f.name] = readScalar(r, f.kind);
        }
      }
      return m as T;
    },
    sizedLength(msg) {
      const m = msg as Record<string, unknown>;
      let size = 0;
      for (let i = 0; i < fields.length; i++) {
        const f = fields[i]!;
        const value = encodedValue(f, m[f.name]);
        if (value === undefined) continue;
        if (f.repeated) {
          const list = value as unknown[];
          if (f.kind === "message") {
            for (const item of list) {
              const n = type(f).sizedLength(item);
              if (n < 0) return -1;
              size += delimitedSize(tagSizes[i]!, n);
            }
          } else if (isNumeric(f.kind)) {
            const n = packedLength(f.kind, list);
            if (n < 0) return -1;
            size += delimitedSize(tagSizes[i]!, n);
          } else {
            for (const item of list) {
              const n = sizedScalarLength(f.kind, item);
              if (n < 0) return -1;
              size += delimitedSize(tagSizes[i]!, n);
            }
          }
          continue;
        }
        const n = f.kind === "message" ? type(f).sizedLength(value) : sizedScalarLength(f.kind, value);
        if (n < 0) return -1;
        size += isNumeric(f.kind) ? tagSizes[i]! + n : delimitedSize(tagSizes[i]!, n);
      }
      return size;
    },
    writeSized(w, msg) {
      const m = msg as Record<string, unknown>;
      for (let i = 0; i < fields.length; i++) {
        const f = fields[i]!;
        const value = encodedValue(f, m[f.name]);
        if (value === undefined) continue;
        const tag = tags[i]!;
        if (f.repeated) {
          const list = value as unknown[];
          if (f.kind === "message") {
            for (const item of list)
              type(f).writeSized(w.varint(tag).varint(type(f).sizedLength(item)), item);
          } else if (isNumeric(f.kind)) {
            w.varint(tag).varint(packedLength(f.kind, list));
            for (const item of list) writeSizedScalar(w, f.kind, item, 0);
          } else {
            for (const item of list)
              writeSizedScalar(w.varint(tag), f.kind, item, sizedScalarLength(f.kind, item));
          }
          continue;
        }
        if (f.kind === "message") {
          type(f).writeSized(w.varint(tag).varint(type(f).sizedLength(value)), value);
        } else {
          writeSizedScalar(w.varint(tag), f.kind, value, sizedScalarLength(f.kind, value));
        }
      }
    },
    fromPartial(object) {
      const m = codec.defaults() as Record<string, unknown>;
      const o = object as Record<string, unknown>;
      for (const f of fields) {
        const value = o[f.name];
        if (value === undefined || value === null) continue;
        if (f.kind === "message") {
          m[f.name] = f.repeated
            ? (value as unknown[]).map((v) => type(f).fromPartial(v))
            : type(f).fromPartial(value);
        } else {
          m[f.name] = f.repeated ? [...(value as unknown[])] : value;
        }
      }
      return m as T;
    },
  };
  return codec;
}
