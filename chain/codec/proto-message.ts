/**
 * Protobuf messages defined once, as a field table, and used everywhere: the same definition gives
 * the encoder, the decoder, `fromPartial` (the shape of cosmjs-types' generated objects, so a
 * definition goes straight into a cosmjs `Registry`) and the `MessageSchema` the strict decoder
 * checks tx bytes against. Hand-written codecs for dozens of social Msgs would drift from their
 * schemas; a table cannot.
 *
 * Encoding is canonical proto3: fields in number order, default values omitted, repeated numeric
 * fields packed. The decoder skips unknown fields (strict checking happens before, on tx bytes)
 * and accepts both packed and unpacked repeated numbers, as protobuf requires.
 */
import { BinaryReader, BinaryWriter } from "cosmjs-types/binary";
import type { FieldSchema, MessageSchema, ScalarKind } from "./schema.js";
import { SizedWriter, utf8Size, varintSize } from "./sized-writer.js";
import { viewReader } from "./view-reader.js";

type NumberKind = "uint32" | "int32" | "fixed32";
type BigKind = "uint64" | "int64" | "fixed64";

/** A field of a message definition; `name` is the camelCase property of the JS object. */
export type FieldDef =
  | { readonly no: number; readonly name: string; readonly kind: NumberKind; readonly repeated?: boolean }
  | {
      readonly no: number;
      readonly name: string;
      readonly kind: "enum";
      /** The enum's value names by number (a TypeScript numeric enum's keys, in order). */
      readonly values?: readonly string[];
      readonly repeated?: boolean;
    }
  | { readonly no: number; readonly name: string; readonly kind: BigKind; readonly repeated?: boolean }
  | {
      readonly no: number;
      readonly name: string;
      readonly kind: "bool" | "string" | "bytes";
      readonly repeated?: boolean;
    }
  | {
      readonly no: number;
      readonly name: string;
      readonly kind: "message";
      readonly type: () => ProtoMessage<unknown>;
      readonly repeated?: boolean;
    };

export interface ProtoMessage<T> {
  /** `/<full protobuf name>`, the Any type URL. */
  readonly typeUrl: string;
  readonly schema: MessageSchema;
  encode(message: T, writer?: BinaryWriter): BinaryWriter;
  /**
   * `encode(message).finish()`, the same bytes, written in two passes (sizes, then the bytes) into
   * one exactly-sized array: BinaryWriter queues an object per field and per nested message, which
   * for the records a handler stores costs more than the bytes. Values that path does not take
   * (negative 32-bit numbers, 64-bit ones past 2^53, fixed-width kinds, strings with a lone
   * surrogate) go through `encode`.
   */
  toBytes(message: T): Uint8Array;
  /** The length `toBytes` writes without BinaryWriter, or -1 when it needs it. */
  sizedLength(message: T): number;
  /** Writes what `sizedLength` measured (only after it returned a length). */
  writeSized(writer: SizedWriter, message: T): void;
  decode(input: Uint8Array | BinaryReader, length?: number): T;
  /** A complete message from any subset of its fields; nested messages are completed too. */
  fromPartial(object: DeepPartial<T>): T;
}

export type DeepPartial<T> = T extends Uint8Array | bigint | string | number | boolean
  ? T
  : T extends readonly (infer U)[]
    ? DeepPartial<U>[]
    : T extends object
      ? { [K in keyof T]?: DeepPartial<T[K]> }
      : T;

const WIRE_VARINT = 0;
const WIRE_FIXED64 = 1;
const WIRE_LEN = 2;
const WIRE_FIXED32 = 5;

function wireType(kind: FieldDef["kind"]): number {
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

function defaultOf(field: FieldDef): unknown {
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

function isDefault(field: FieldDef, value: unknown): boolean {
  switch (field.kind) {
    case "uint64":
    case "int64":
    case "fixed64":
      return value === 0n;
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

function writeScalar(w: BinaryWriter, kind: ScalarKind, value: unknown): void {
  switch (kind) {
    case "uint32":
      w.uint32(value as number);
      return;
    case "int32":
    case "enum":
      w.int32(value as number);
      return;
    case "fixed32":
      w.fixed32(value as number);
      return;
    case "uint64":
    case "int64": {
      // cosmjs converts every 64-bit value through a decimal string; ids, heights and counts fit
      // in 32 bits, whose varint is the same bytes, so they take the fast path.
      const v = value as bigint;
      if (v >= 0n && v <= UINT32_MAX) w.uint32(Number(v));
      else if (kind === "uint64") w.uint64(v);
      else w.int64(v);
      return;
    }
    case "fixed64":
      w.fixed64(value as bigint);
      return;
    case "bool":
      w.bool(value as boolean);
      return;
    case "string":
      w.string(value as string);
      return;
    case "bytes":
      w.bytes(value as Uint8Array);
      return;
  }
}

const MAX_SAFE_U64 = BigInt(Number.MAX_SAFE_INTEGER);

/**
 * Payload bytes of a scalar on the sized path (a string's or bytes' content, without its length),
 * or -1 for a value only BinaryWriter writes as protobuf requires.
 */
function sizedScalarLength(kind: ScalarKind, value: unknown): number {
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
function writeSizedScalar(w: SizedWriter, kind: ScalarKind, value: unknown, length: number): void {
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

/**
 * What a field contributes to an encoding: a repeated field's list when it is not empty, a
 * singular field's value when it is not the default; otherwise undefined (the field is omitted).
 */
function encodedValue(field: FieldDef, value: unknown): unknown {
  if (field.repeated) return (value as unknown[] | undefined)?.length ? value : undefined;
  return value === undefined || isDefault(field, value) ? undefined : value;
}

/** A length-delimited field's bytes: tag, length, payload. */
const delimitedSize = (tagSize: number, length: number) => tagSize + varintSize(length) + length;

function readScalar(r: BinaryReader, kind: ScalarKind): unknown {
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
    case "bytes":
      return r.bytes();
  }
}

const UINT32_MAX = 0xffff_ffffn;

/**
 * A varint as an unsigned 64-bit bigint, read straight from the buffer (cosmjs goes through a
 * decimal string): small values, the common case, never touch bigint arithmetic until the end.
 */
function readVarint64(r: BinaryReader): bigint {
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

const isNumeric = (kind: FieldDef["kind"]) => wireType(kind) !== WIRE_LEN;

function snakeCase(name: string): string {
  return name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}

function toSchemaField(field: FieldDef): FieldSchema {
  const base = { name: snakeCase(field.name), ...(field.repeated ? { repeated: true } : {}) };
  if (field.kind === "message") {
    const type = field.type;
    return { ...base, kind: { message: () => type().schema } };
  }
  if (field.kind === "enum" && field.values) return { ...base, kind: "enum", enumValues: field.values };
  return { ...base, kind: field.kind };
}

const DEFINED = new Map<string, ProtoMessage<unknown>>();

/** Every message defined so far in this process, by full protobuf name (the .proto sources test reads it). */
export function definedMessages(): ReadonlyMap<string, ProtoMessage<unknown>> {
  return DEFINED;
}

/**
 * The value names of a TypeScript numeric enum, by number: `enumNames(VoteDirection)` →
 * `["VOTE_DIRECTION_UNSPECIFIED", "UP", "DOWN"]`; a gap in the numbering stays a number in JSON.
 */
export function enumNames(e: Record<string, string | number>): string[] {
  const names: string[] = [];
  for (const [name, value] of Object.entries(e)) if (typeof value === "number") names[value] = name;
  return Array.from(names, (n, i) => n ?? String(i));
}

/**
 * The protobuf value names of an enum whose TypeScript members are unprefixed: proto3 enum values
 * share their package's scope, so `Role.OWNER` is `ROLE_OWNER` in .proto sources and gateway JSON.
 */
export function prefixedEnumNames(prefix: string, e: Record<string, string | number>): string[] {
  return enumNames(e).map((n) => (/^\d+$/.test(n) ? n : `${prefix}_${n}`));
}

/**
 * Defines a message from its full protobuf name (e.g. "vivim.social.v1.MsgCreatePost") and fields.
 * The caller declares `T`, the JS shape: scalars as in cosmjs-types (64-bit as bigint, bytes as
 * Uint8Array), optional nested messages as `T | undefined`, repeated fields as arrays.
 */
export function defineMessage<T>(fullName: string, fields: readonly FieldDef[]): ProtoMessage<T> {
  const sorted = [...fields].sort((a, b) => a.no - b.no);
  // By field number: an array lookup per field decoded (field numbers are small; 2^16 at most).
  const byNo: Array<FieldDef | undefined> = [];
  for (const f of sorted) {
    if (f.no < 1 || f.no > 65_535 || byNo[f.no] !== undefined)
      throw new Error(`${fullName}: bad field number ${f.no}`);
    byNo[f.no] = f;
  }
  const schemaFields: Record<number, FieldSchema> = {};
  for (const f of sorted) schemaFields[f.no] = toSchemaField(f);
  const schema: MessageSchema = { name: fullName, fields: schemaFields };

  // Each field's tag as written: packed repeated numbers, like every string, bytes and message
  // field, are length-delimited.
  const tags = sorted.map((f) => (f.no << 3) | (f.repeated ? WIRE_LEN : wireType(f.kind)));
  const tagSizes = tags.map(varintSize);

  /** A repeated numeric field's packed payload length, or -1. */
  const packedLength = (kind: ScalarKind, list: readonly unknown[]): number => {
    let length = 0;
    for (const item of list) {
      const n = sizedScalarLength(kind, item);
      if (n < 0) return -1;
      length += n;
    }
    return length;
  };

  const defaults = (): Record<string, unknown> => {
    const m: Record<string, unknown> = {};
    for (const f of sorted) m[f.name] = defaultOf(f);
    return m;
  };

  if (DEFINED.has(fullName))
    throw new Error(
      `message ${fullName} defined twice (shared Cosmos types such as Coin and PageRequest live in contracts/lib/proto-common.ts)`,
    );
  const message: ProtoMessage<T> = {
    typeUrl: `/${fullName}`,
    schema,
    encode(msg, writer = BinaryWriter.create()) {
      const m = msg as Record<string, unknown>;
      for (const f of sorted) {
        const value = encodedValue(f, m[f.name]);
        if (value === undefined) continue;
        if (f.repeated) {
          const list = value as unknown[];
          if (f.kind === "message") {
            const type = f.type();
            for (const item of list) type.encode(item, writer.uint32((f.no << 3) | WIRE_LEN).fork()).ldelim();
          } else if (isNumeric(f.kind)) {
            writer.uint32((f.no << 3) | WIRE_LEN).fork();
            for (const item of list) writeScalar(writer, f.kind, item);
            writer.ldelim();
          } else {
            for (const item of list) writeScalar(writer.uint32((f.no << 3) | WIRE_LEN), f.kind, item);
          }
          continue;
        }
        if (f.kind === "message") {
          f.type()
            .encode(value, writer.uint32((f.no << 3) | WIRE_LEN).fork())
            .ldelim();
        } else {
          writeScalar(writer.uint32((f.no << 3) | wireType(f.kind)), f.kind, value);
        }
      }
      return writer;
    },
    toBytes(msg) {
      const size = message.sizedLength(msg);
      if (size < 0) return message.encode(msg).finish();
      const w = new SizedWriter(size);
      message.writeSized(w, msg);
      return w.finish();
    },
    sizedLength(msg) {
      const m = msg as Record<string, unknown>;
      let size = 0;
      for (let i = 0; i < sorted.length; i++) {
        const f = sorted[i]!;
        const value = encodedValue(f, m[f.name]);
        if (value === undefined) continue;
        if (f.repeated) {
          const list = value as unknown[];
          if (f.kind === "message") {
            const type = f.type();
            for (const item of list) {
              const n = type.sizedLength(item);
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
        const n = f.kind === "message" ? f.type().sizedLength(value) : sizedScalarLength(f.kind, value);
        if (n < 0) return -1;
        size +=
          f.kind === "message" || !isNumeric(f.kind) ? delimitedSize(tagSizes[i]!, n) : tagSizes[i]! + n;
      }
      return size;
    },
    writeSized(w, msg) {
      const m = msg as Record<string, unknown>;
      for (let i = 0; i < sorted.length; i++) {
        const f = sorted[i]!;
        const value = encodedValue(f, m[f.name]);
        if (value === undefined) continue;
        const tag = tags[i]!;
        if (f.repeated) {
          const list = value as unknown[];
          if (f.kind === "message") {
            const type = f.type();
            for (const item of list) type.writeSized(w.varint(tag).varint(type.sizedLength(item)), item);
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
          const type = f.type();
          type.writeSized(w.varint(tag).varint(type.sizedLength(value)), value);
        } else {
          writeSizedScalar(w.varint(tag), f.kind, value, sizedScalarLength(f.kind, value));
        }
      }
    },
    decode(input, length) {
      const r = input instanceof BinaryReader ? input : viewReader(input);
      const end = length === undefined ? r.len : r.pos + length;
      const m = defaults();
      while (r.pos < end) {
        const tag = r.uint32();
        const f = byNo[tag >>> 3];
        const wire = tag & 7;
        if (f === undefined) {
          r.skipType(wire);
          continue;
        }
        if (f.kind === "message") {
          const value = f.type().decode(r, r.uint32());
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
    fromPartial(object) {
      const m = defaults();
      const o = object as Record<string, unknown>;
      for (const f of sorted) {
        const value = o[f.name];
        if (value === undefined || value === null) continue;
        if (f.kind === "message") {
          const type = f.type() as ProtoMessage<unknown>;
          m[f.name] = f.repeated
            ? (value as unknown[]).map((v) => type.fromPartial(v as never))
            : type.fromPartial(value as never);
        } else {
          m[f.name] = f.repeated ? [...(value as unknown[])] : value;
        }
      }
      return m as T;
    },
  };
  DEFINED.set(fullName, message as ProtoMessage<unknown>);
  return message;
}
