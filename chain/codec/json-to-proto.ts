/**
 * Cosmos SDK JSON → protobuf bytes, driven by the same MessageSchemas strict decoding and
 * chain/api/proto-json.ts use: the inverse of the REST rendering, for JSON that people write (a
 * governance proposal's messages, `vivim tx gov submit-proposal`). It takes what the SDK's JSON
 * takes: proto field names (or their lowerCamelCase JSON names), 64-bit integers as strings (or
 * safe JS integers), enums by name or number, bytes as base64, Any as `{"@type": url, ...fields}`,
 * Timestamps as RFC3339 and Durations as `"172800s"` (or either as `{seconds, nanos}`).
 *
 * Strict: an unknown field, a value of the wrong type or out of range, an unknown type URL or
 * nesting deeper than MAX_DEPTH is a JsonToProtoError naming the path to the bad value. The output
 * is canonical proto3 (fields in number order, defaults omitted, repeated numbers packed), so the
 * node's strict decoder accepts it and it equals what cosmjs-types' encoders write.
 */
import { BinaryWriter } from "cosmjs-types/binary";
import { timestampFromRfc3339 } from "../types/timestamp.js";
import { WIRE_LEN, wireType } from "./field-kinds.js";
import type { AnyResolver, FieldSchema, MessageSchema, ScalarKind } from "./schema.js";

/** Messages nested deeper than this are refused (Any values count one level), as in proto-json.ts. */
export const MAX_DEPTH = 32;

export class JsonToProtoError extends Error {
  readonly code = "INVALID_JSON_MESSAGE";
  /** Where the bad value is, e.g. `messages[0].amount[1].denom`. */
  readonly path: string;
  constructor(path: string, reason: string) {
    super(path ? `${path}: ${reason}` : reason);
    this.name = "JsonToProtoError";
    this.path = path;
  }
}

const TIMESTAMP = "google.protobuf.Timestamp";
const DURATION = "google.protobuf.Duration";
const MAX_SECONDS = 315_576_000_000n; // protobuf's Duration range, ±10 000 years

type JsonObject = Record<string, unknown>;

const isObject = (v: unknown): v is JsonObject => typeof v === "object" && v !== null && !Array.isArray(v);

/** `min_deposit` → `minDeposit`, the JSON name protojson also accepts. */
const camel = (name: string) => name.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());

const join = (path: string, name: string) => (path ? `${path}.${name}` : name);

function fieldWireType(field: FieldSchema): number {
  const kind = field.kind;
  return typeof kind === "object" || kind === "any" ? WIRE_LEN : wireType(kind);
}

const RANGES: Partial<Record<ScalarKind, readonly [bigint, bigint]>> = {
  uint32: [0n, 2n ** 32n - 1n],
  fixed32: [0n, 2n ** 32n - 1n],
  int32: [-(2n ** 31n), 2n ** 31n - 1n],
  enum: [-(2n ** 31n), 2n ** 31n - 1n],
  uint64: [0n, 2n ** 64n - 1n],
  fixed64: [0n, 2n ** 64n - 1n],
  int64: [-(2n ** 63n), 2n ** 63n - 1n],
};

/** An integer from a decimal string, a JSON number (safe integers only) or a bigint, within the kind's range. */
function integer(value: unknown, kind: ScalarKind, path: string): bigint {
  let v: bigint;
  if (typeof value === "bigint") v = value;
  else if (typeof value === "number" && Number.isSafeInteger(value)) v = BigInt(value);
  else if (typeof value === "string" && /^-?(0|[1-9][0-9]{0,19})$/.test(value)) v = BigInt(value);
  else
    throw new JsonToProtoError(
      path,
      `must be an integer (a string for 64-bit values), got ${preview(value)}`,
    );
  const [min, max] = RANGES[kind] ?? [0n, 0n];
  if (v < min || v > max) throw new JsonToProtoError(path, `${v} is out of range for ${kind}`);
  return v;
}

function preview(value: unknown): string {
  const text = typeof value === "bigint" ? value.toString() : (JSON.stringify(value) ?? String(value));
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

function enumValue(value: unknown, field: FieldSchema, path: string): number {
  if (typeof value === "string" && !/^-?[0-9]+$/.test(value)) {
    const index = field.enumValues?.indexOf(value) ?? -1;
    if (index < 0) {
      const names = field.enumValues?.filter((n) => !/^[0-9]+$/.test(n)).join(", ");
      throw new JsonToProtoError(
        path,
        `unknown enum value ${preview(value)}${names ? `; one of ${names}` : ""}`,
      );
    }
    return index;
  }
  return Number(integer(value, "enum", path));
}

const BASE64 = /^[A-Za-z0-9+/_-]*={0,2}$/;

function bytesValue(value: unknown, path: string): Uint8Array {
  if (typeof value !== "string" || !BASE64.test(value) || value.replace(/=+$/, "").length % 4 === 1)
    throw new JsonToProtoError(path, "must be base64");
  return new Uint8Array(Buffer.from(value.replace(/-/g, "+").replace(/_/g, "/"), "base64"));
}

type Scalar = number | bigint | boolean | string | Uint8Array;

/** The JSON value checked and converted for its kind. */
function scalar(field: FieldSchema, kind: ScalarKind, value: unknown, path: string): Scalar {
  switch (kind) {
    case "uint32":
    case "int32":
    case "fixed32":
      return Number(integer(value, kind, path));
    case "enum":
      return enumValue(value, field, path);
    case "uint64":
    case "int64":
    case "fixed64":
      return integer(value, kind, path);
    case "bool":
      if (typeof value !== "boolean")
        throw new JsonToProtoError(path, `must be true or false, got ${preview(value)}`);
      return value;
    case "string":
      if (typeof value !== "string")
        throw new JsonToProtoError(path, `must be a string, got ${preview(value)}`);
      return value;
    case "bytes":
      return bytesValue(value, path);
  }
}

/** Whether a singular scalar holds its proto3 default, which canonical encoding leaves out. */
function isDefault(v: Scalar): boolean {
  if (v instanceof Uint8Array) return v.length === 0;
  return v === 0 || v === 0n || v === false || v === "";
}

function writeScalar(w: BinaryWriter, kind: ScalarKind, v: Scalar): void {
  switch (kind) {
    case "uint32":
      w.uint32(v as number);
      return;
    case "int32":
    case "enum":
      w.int32(v as number);
      return;
    case "fixed32":
      w.fixed32(v as number);
      return;
    case "uint64":
      w.uint64(v as bigint);
      return;
    case "int64":
      w.int64(v as bigint);
      return;
    case "fixed64":
      w.fixed64(v as bigint);
      return;
    case "bool":
      w.bool(v as boolean);
      return;
    case "string":
      w.string(v as string);
      return;
    case "bytes":
      w.bytes(v as Uint8Array);
      return;
  }
}

/** `"172800s"`, `"1.5s"`, `"-0.000000001s"` → seconds and nanos, as protojson parses Durations. */
function durationFromText(text: string, path: string): { seconds: bigint; nanos: number } {
  const m = /^(-)?([0-9]{1,12})(?:\.([0-9]{1,9}))?s$/.exec(text);
  if (!m) throw new JsonToProtoError(path, `must be a duration such as "172800s", got ${preview(text)}`);
  const sign = m[1] ? -1 : 1;
  const seconds = BigInt(m[2]!);
  if (seconds > MAX_SECONDS) throw new JsonToProtoError(path, "duration out of range");
  const nanos = Number((m[3] ?? "").padEnd(9, "0"));
  return { seconds: sign < 0 ? -seconds : seconds, nanos: sign * nanos };
}

/** A well-known type written as a string becomes its `{seconds, nanos}` object. */
function wellKnown(schema: MessageSchema, value: unknown, path: string): unknown {
  if (typeof value !== "string") return value;
  if (schema.name === DURATION) return durationFromText(value, path);
  if (schema.name === TIMESTAMP) {
    const t = timestampFromRfc3339(value);
    if (!t)
      throw new JsonToProtoError(
        path,
        `must be an RFC3339 time such as "2025-01-01T00:00:00Z", got ${preview(value)}`,
      );
    return t;
  }
  return value;
}

/** The JSON value of each schema field present in `obj`; unknown keys and duplicates are refused. */
function fieldValues(
  obj: JsonObject,
  schema: MessageSchema,
  path: string,
  skip: string,
): Map<number, unknown> {
  const byName = new Map<string, number>();
  for (const [no, field] of Object.entries(schema.fields)) {
    byName.set(field.name, Number(no));
    byName.set(camel(field.name), Number(no));
  }
  const values = new Map<number, unknown>();
  for (const [key, value] of Object.entries(obj)) {
    if (key === skip) continue;
    const no = byName.get(key);
    if (no === undefined)
      throw new JsonToProtoError(join(path, key), `${schema.name} has no field ${preview(key)}`);
    if (values.has(no))
      throw new JsonToProtoError(join(path, key), "given twice (by its proto and JSON names)");
    if (value !== null) values.set(no, value);
  }
  return values;
}

function writeMessage(
  w: BinaryWriter,
  value: unknown,
  schema: MessageSchema,
  resolve: AnyResolver,
  path: string,
  depth: number,
  skip = "",
): void {
  if (depth > MAX_DEPTH) throw new JsonToProtoError(path, "nested too deeply");
  const obj = wellKnown(schema, value, path);
  if (!isObject(obj))
    throw new JsonToProtoError(path, `must be a ${schema.name} object, got ${preview(value)}`);
  const values = fieldValues(obj, schema, path, skip);
  for (const no of [...values.keys()].sort((a, b) => a - b)) {
    const field = schema.fields[no]!;
    const fieldPath = join(path, field.name);
    const v = values.get(no);
    if (field.repeated) {
      if (!Array.isArray(v)) throw new JsonToProtoError(fieldPath, `must be an array, got ${preview(v)}`);
      writeRepeated(w, no, field, v, resolve, fieldPath, depth);
    } else {
      writeField(w, no, field, v, resolve, fieldPath, depth, true);
    }
  }
}

function writeRepeated(
  w: BinaryWriter,
  no: number,
  field: FieldSchema,
  items: unknown[],
  resolve: AnyResolver,
  path: string,
  depth: number,
): void {
  if (items.length === 0) return;
  const kind = field.kind;
  if (typeof kind === "string" && kind !== "any" && fieldWireType(field) !== WIRE_LEN) {
    w.uint32((no << 3) | WIRE_LEN).fork();
    items.forEach((item, i) => {
      writeScalar(w, kind, scalar(field, kind, item, `${path}[${i}]`));
    });
    w.ldelim();
    return;
  }
  items.forEach((item, i) => {
    if (item === null) throw new JsonToProtoError(`${path}[${i}]`, "must not be null");
    writeField(w, no, field, item, resolve, `${path}[${i}]`, depth, false);
  });
}

function writeField(
  w: BinaryWriter,
  no: number,
  field: FieldSchema,
  value: unknown,
  resolve: AnyResolver,
  path: string,
  depth: number,
  omitDefault: boolean,
): void {
  const kind = field.kind;
  if (kind === "any") {
    w.uint32((no << 3) | WIRE_LEN).fork();
    writeAny(w, value, resolve, path, depth + 1);
    w.ldelim();
    return;
  }
  if (typeof kind === "object") {
    w.uint32((no << 3) | WIRE_LEN).fork();
    writeMessage(w, value, kind.message(), resolve, path, depth + 1);
    w.ldelim();
    return;
  }
  const v = scalar(field, kind, value, path);
  if (omitDefault && isDefault(v)) return;
  writeScalar(w.uint32((no << 3) | fieldWireType(field)), kind, v);
}

/** An Any's type URL and value, encoded from `{"@type": url, ...fields}`. */
function encodeAny(
  value: unknown,
  resolve: AnyResolver,
  path: string,
  depth: number,
): { typeUrl: string; value: Uint8Array } {
  if (depth > MAX_DEPTH) throw new JsonToProtoError(path, "nested too deeply");
  if (!isObject(value))
    throw new JsonToProtoError(path, `must be an object with "@type", got ${preview(value)}`);
  const typeUrl = value["@type"];
  if (typeof typeUrl !== "string" || typeUrl === "")
    throw new JsonToProtoError(path, 'must name its type in "@type", e.g. "/cosmos.bank.v1beta1.MsgSend"');
  const schema = resolve(typeUrl);
  if (!schema)
    throw new JsonToProtoError(join(path, "@type"), `${preview(typeUrl)} is not a type this chain knows`);
  const w = BinaryWriter.create();
  writeMessage(w, value, schema, resolve, path, depth, "@type");
  return { typeUrl, value: w.finish() };
}

/** google.protobuf.Any{type_url = 1, value = 2}. */
function writeAny(w: BinaryWriter, value: unknown, resolve: AnyResolver, path: string, depth: number): void {
  const any = encodeAny(value, resolve, path, depth);
  w.uint32((1 << 3) | WIRE_LEN).string(any.typeUrl);
  if (any.value.length > 0) w.uint32((2 << 3) | WIRE_LEN).bytes(any.value);
}

/** Encodes `json` as a `schema` message. */
export function jsonToProto(
  json: unknown,
  schema: MessageSchema,
  resolve: AnyResolver,
  path = "",
): Uint8Array {
  const w = BinaryWriter.create();
  writeMessage(w, json, schema, resolve, path, 0);
  return w.finish();
}

/** `{"@type": url, ...fields}` → the Any cosmjs puts in a message (`{typeUrl, value}`). */
export function anyFromJson(
  json: unknown,
  resolve: AnyResolver,
  path = "",
): { typeUrl: string; value: Uint8Array } {
  return encodeAny(json, resolve, path, 1);
}
