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
import { type BinaryReader, BinaryWriter } from "cosmjs-types/binary";
import { compileMessage } from "./compiled-message.js";
import { encodedValue, isNumeric, WIRE_LEN, wireType } from "./field-kinds.js";
import type { FieldSchema, MessageSchema, ScalarKind } from "./schema.js";
import { SizedWriter } from "./sized-writer.js";

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

const UINT32_MAX = 0xffff_ffffn;

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
  const seen = new Set<number>();
  for (const f of sorted) {
    if (f.no < 1 || f.no > 65_535 || seen.has(f.no)) throw new Error(`${fullName}: bad field number ${f.no}`);
    seen.add(f.no);
  }
  const schemaFields: Record<number, FieldSchema> = {};
  for (const f of sorted) schemaFields[f.no] = toSchemaField(f);
  const schema: MessageSchema = { name: fullName, fields: schemaFields };
  const compiled = compileMessage<T>(fullName, sorted);

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
      const size = compiled.sizedLength(msg);
      if (size < 0) return message.encode(msg).finish();
      const w = new SizedWriter(size);
      compiled.writeSized(w, msg);
      return w.finish();
    },
    sizedLength: compiled.sizedLength,
    writeSized: compiled.writeSized,
    decode: compiled.decode,
    fromPartial: compiled.fromPartial as ProtoMessage<T>["fromPartial"],
  };
  DEFINED.set(fullName, message as ProtoMessage<unknown>);
  return message;
}
