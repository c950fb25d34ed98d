/**
 * Protobuf bytes → gRPC-gateway JSON, driven by the same MessageSchemas strict decoding uses: proto
 * field names, 64-bit integers as strings, bytes as base64, Any as `{"@type": url, ...fields}`,
 * google.protobuf.Timestamp as RFC3339 and Duration as "172800s" wherever they are nested, and
 * every declared field present (defaults included), as the Cosmos SDK's gateway emits them.
 */
import { BinaryReader } from "cosmjs-types/binary";
import type { Duration } from "cosmjs-types/google/protobuf/duration";
import type { Timestamp } from "cosmjs-types/google/protobuf/timestamp";
import type { AnyResolver, FieldSchema, MessageSchema, ScalarKind } from "../codec/schema.js";
import { toBase64 } from "../crypto/hash.js";
import type { Json } from "../rpc/json.js";

type JsonObject = { [key: string]: Json };

const MAX_DEPTH = 32;

export class ProtoJsonError extends Error {
  readonly code = "PROTO_JSON";
  constructor(reason: string) {
    super(reason);
    this.name = "ProtoJsonError";
  }
}

// ---------------------------------------------------------------- well-known types, as Go's jsonpb

const TIMESTAMP = "google.protobuf.Timestamp";
const DURATION = "google.protobuf.Duration";
/** 0001-01-01T00:00:00Z and 9999-12-31T23:59:59Z: the range protobuf allows a Timestamp. */
const MIN_TIMESTAMP_SECONDS = -62_135_596_800n;
const MAX_TIMESTAMP_SECONDS = 253_402_300_799n;
/** ±10 000 years: the range protobuf allows a Duration. */
const MAX_DURATION_SECONDS = 315_576_000_000n;

/** ".5", ".000001", ".000000001": nanos in groups of three digits, as Go's jsonpb trims them. */
function fraction(nanos: number): string {
  if (nanos === 0) return "";
  const digits = String(nanos).padStart(9, "0");
  return `.${digits.endsWith("000000") ? digits.slice(0, 3) : digits.endsWith("000") ? digits.slice(0, 6) : digits}`;
}

/**
 * RFC3339 in UTC as the SDK's gateway writes it: "2025-01-01T00:00:00Z", "…:00.250Z". Throws a
 * ProtoJsonError for a Timestamp protobuf does not allow (outside years 1–9999, nanos outside
 * [0, 1e9)), which Go's jsonpb refuses to write too.
 */
export function timestampJson(t: Timestamp | undefined): string | null {
  if (!t) return null;
  if (
    t.seconds < MIN_TIMESTAMP_SECONDS ||
    t.seconds > MAX_TIMESTAMP_SECONDS ||
    !Number.isInteger(t.nanos) ||
    t.nanos < 0 ||
    t.nanos >= 1e9
  )
    throw new ProtoJsonError(`Timestamp ${t.seconds}s ${t.nanos}ns is out of range`);
  const iso = new Date(Number(t.seconds) * 1000).toISOString();
  return `${iso.slice(0, 19)}${fraction(t.nanos)}Z`;
}

/** "172800s", "1.500s", "-0.500s", as the SDK's gateway writes Durations. */
export function durationJson(d: Duration | undefined): string | null {
  if (!d) return null;
  const seconds = d.seconds < 0n ? -d.seconds : d.seconds;
  if (
    seconds > MAX_DURATION_SECONDS ||
    !Number.isInteger(d.nanos) ||
    Math.abs(d.nanos) >= 1e9 ||
    (d.seconds > 0n && d.nanos < 0) ||
    (d.seconds < 0n && d.nanos > 0)
  )
    throw new ProtoJsonError(`Duration ${d.seconds}s ${d.nanos}ns is out of range`);
  const negative = d.seconds < 0n || d.nanos < 0;
  return `${negative ? "-" : ""}${seconds}${fraction(Math.abs(d.nanos))}s`;
}

/** seconds (field 1, int64) and nanos (field 2, int32): the shape both well-known types share. */
function readSecondsNanos(bytes: Uint8Array): { seconds: bigint; nanos: number } {
  const r = new BinaryReader(bytes);
  let seconds = 0n;
  let nanos = 0;
  while (r.pos < r.len) {
    const tag = r.uint32();
    if (tag === 8) seconds = r.int64();
    else if (tag === 16) nanos = r.int32();
    else r.skipType(tag & 7);
  }
  return { seconds, nanos };
}

/** A nested Timestamp or Duration as the gateway writes it; undefined for any other message. */
function wellKnownJson(schema: MessageSchema, bytes: Uint8Array): string | undefined {
  if (schema.name === TIMESTAMP) return timestampJson(readSecondsNanos(bytes)) ?? undefined;
  if (schema.name === DURATION) return durationJson(readSecondsNanos(bytes)) ?? undefined;
  return undefined;
}

// ---------------------------------------------------------------- enums

const SIGN_MODES = ["SIGN_MODE_UNSPECIFIED", "SIGN_MODE_DIRECT", "SIGN_MODE_TEXTUAL", "SIGN_MODE_DIRECT_AUX"];
const VOTE_OPTIONS = [
  "VOTE_OPTION_UNSPECIFIED",
  "VOTE_OPTION_YES",
  "VOTE_OPTION_ABSTAIN",
  "VOTE_OPTION_NO",
  "VOTE_OPTION_NO_WITH_VETO",
];

/** Enum value names by `<message>.<field>`, for the enums wallets show; others stay numbers. */
const ENUM_NAMES: Readonly<Record<string, readonly string[]>> = {
  "cosmos.tx.v1beta1.ModeInfo.Single.mode": SIGN_MODES,
  "cosmos.gov.v1beta1.MsgVote.option": VOTE_OPTIONS,
  "cosmos.gov.v1.MsgVote.option": VOTE_OPTIONS,
  "cosmos.gov.v1beta1.WeightedVoteOption.option": VOTE_OPTIONS,
  "cosmos.gov.v1.WeightedVoteOption.option": VOTE_OPTIONS,
};

function enumJson(schema: MessageSchema, field: FieldSchema, value: number): Json {
  const names = field.enumValues ?? ENUM_NAMES[`${schema.name}.${field.name}`];
  return names?.[value] ?? value;
}

function defaultOf(schema: MessageSchema, field: FieldSchema): Json {
  if (field.repeated) return [];
  const kind = field.kind;
  if (typeof kind === "object" || kind === "any") return null;
  switch (kind) {
    case "uint64":
    case "int64":
    case "fixed64":
      return "0";
    case "uint32":
    case "int32":
    case "fixed32":
      return 0;
    case "enum":
      return enumJson(schema, field, 0);
    case "bool":
      return false;
    case "string":
    case "bytes":
      return "";
  }
}

const PACKABLE: ReadonlySet<ScalarKind> = new Set([
  "uint32",
  "uint64",
  "int32",
  "int64",
  "bool",
  "enum",
  "fixed32",
  "fixed64",
]);

function readScalar(r: BinaryReader, schema: MessageSchema, field: FieldSchema, kind: ScalarKind): Json {
  switch (kind) {
    case "uint32":
      return r.uint32();
    case "int32":
      return r.int32();
    case "fixed32":
      return r.fixed32();
    case "enum":
      return enumJson(schema, field, r.int32());
    case "uint64":
      return r.uint64().toString();
    case "int64":
      return r.int64().toString();
    case "fixed64":
      return r.fixed64().toString();
    case "bool":
      return r.bool();
    case "string":
      return r.string();
    case "bytes":
      return toBase64(r.bytes());
  }
}

/** An Any as JSON: its value decoded when the type is known, else kept as base64 under `value`. */
export function anyToJson(bytes: Uint8Array, resolve: AnyResolver, depth = 0): JsonObject {
  const r = new BinaryReader(bytes);
  let typeUrl = "";
  let value: Uint8Array = new Uint8Array();
  while (r.pos < r.len) {
    const tag = r.uint32();
    if (tag >>> 3 === 1) typeUrl = r.string();
    else if (tag >>> 3 === 2) value = r.bytes();
    else r.skipType(tag & 7);
  }
  const schema = typeUrl ? resolve(typeUrl) : undefined;
  if (!schema) return { "@type": typeUrl, value: toBase64(value) };
  // jsonpb: an Any holding a well-known type carries its JSON under "value".
  const known = wellKnownJson(schema, value);
  if (known !== undefined) return { "@type": typeUrl, value: known };
  return { "@type": typeUrl, ...protoToJson(value, schema, resolve, depth + 1) };
}

/** Decodes `bytes` as `schema`; throws ProtoJsonError on malformed input or excessive nesting. */
export function protoToJson(
  bytes: Uint8Array,
  schema: MessageSchema,
  resolve: AnyResolver,
  depth = 0,
): JsonObject {
  if (depth > MAX_DEPTH) throw new ProtoJsonError(`${schema.name}: nested too deeply`);
  const out: JsonObject = {};
  const r = new BinaryReader(bytes);
  try {
    while (r.pos < r.len) {
      const tag = r.uint32();
      const field = schema.fields[tag >>> 3];
      if (!field) {
        r.skipType(tag & 7);
        continue;
      }
      const values = readField(r, tag & 7, schema, field, resolve, depth);
      if (field.repeated) {
        const list = (out[field.name] ?? []) as Json[];
        list.push(...values);
        out[field.name] = list;
      } else {
        out[field.name] = values[values.length - 1] ?? null;
      }
    }
  } catch (err) {
    if (err instanceof ProtoJsonError) throw err;
    throw new ProtoJsonError(`${schema.name}: malformed protobuf`);
  }
  for (const field of Object.values(schema.fields)) {
    if (!Object.hasOwn(out, field.name)) out[field.name] = defaultOf(schema, field);
  }
  return out;
}

function readField(
  r: BinaryReader,
  wireType: number,
  schema: MessageSchema,
  field: FieldSchema,
  resolve: AnyResolver,
  depth: number,
): Json[] {
  const kind = field.kind;
  if (kind === "any") return [anyToJson(r.bytes(), resolve, depth)];
  if (typeof kind === "object") {
    const nested = kind.message();
    const bytes = r.bytes();
    return [wellKnownJson(nested, bytes) ?? protoToJson(bytes, nested, resolve, depth + 1)];
  }
  if (wireType === 2 && PACKABLE.has(kind)) {
    const end = r.uint32() + r.pos;
    const values: Json[] = [];
    while (r.pos < end) values.push(readScalar(r, schema, field, kind));
    return values;
  }
  return [readScalar(r, schema, field, kind)];
}
