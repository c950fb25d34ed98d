/**
 * Protobuf bytes → gRPC-gateway JSON, driven by the same MessageSchemas strict decoding uses: proto
 * field names, 64-bit integers as strings, bytes as base64, Any as `{"@type": url, ...fields}`, and
 * every declared field present (defaults included), as the Cosmos SDK's gateway emits them.
 */
import { BinaryReader } from "cosmjs-types/binary";
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
  if (typeof kind === "object") return [protoToJson(r.bytes(), kind.message(), resolve, depth + 1)];
  if (wireType === 2 && PACKABLE.has(kind)) {
    const end = r.uint32() + r.pos;
    const values: Json[] = [];
    while (r.pos < end) values.push(readScalar(r, schema, field, kind));
    return values;
  }
  return [readScalar(r, schema, field, kind)];
}
