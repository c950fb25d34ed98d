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
        const value = m[f.name];
        if (f.repeated) {
          const list = (value ?? []) as unknown[];
          if (list.length === 0) continue;
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
        if (value === undefined || isDefault(f, value)) continue;
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
