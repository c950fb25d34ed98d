/**
 * The hot half of a message definition — defaults, decode, the sized encoder, fromPartial — as code
 * generated for that message alone, like protobufjs does. A generic loop over a field table reads
 * and writes properties by computed name from one shared function, so V8 sees every message's
 * shape at the same sites and falls back to slow dictionary-style lookups; each message's own
 * functions, with its field names as constants, stay on the fast path. Stored social records are
 * decoded and encoded several times per tx, so this is per-tx work.
 *
 * The generated source is built only from the definition's field numbers, kinds and names, which
 * are checked here (names must be plain identifiers), never from data being decoded.
 */
import {
  type CodecField,
  type CodecKind,
  type FieldCodec,
  is64,
  isNumeric,
  readVarint64,
  WIRE_LEN,
  wireType,
} from "./field-kinds.js";
import { interpretMessage } from "./interpreted-message.js";
import { utf8Size, varintSize } from "./sized-writer.js";
import { viewReader } from "./view-reader.js";

/** False in a page whose Content-Security-Policy forbids eval: its messages are interpreted. */
const CAN_GENERATE = (() => {
  try {
    return new Function("return true")() === true;
  } catch {
    return false;
  }
})();

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * `fields`' codec (in number order), generated, or interpreted where code generation is refused.
 * `name` only labels errors.
 */
export function compileMessage<T>(name: string, fields: readonly CodecField[]): FieldCodec<T> {
  if (CAN_GENERATE) return generateMessage<T>(fields, name);
  assertPlainNames(name, fields);
  return interpretMessage<T>(fields);
}

/** Field names become properties of plain objects in both codecs: no `__proto__`, no oddities. */
function assertPlainNames(name: string, fields: readonly CodecField[]): void {
  for (const f of fields) {
    if (!IDENTIFIER.test(f.name) || f.name === "__proto__")
      throw new Error(`${name}: field name ${JSON.stringify(f.name)} is not a plain identifier`);
  }
}

/** The generated codec (exported for the spec, which checks it against the interpreted one). */
export function generateMessage<T>(fields: readonly CodecField[], name = "message"): FieldCodec<T> {
  assertPlainNames(name, fields);
  const src = [
    defaultsSource(fields),
    decodeSource(fields),
    sizedLengthSource(fields),
    writeSizedSource(fields),
    fromPartialSource(fields),
    "return { defaults, decode, sizedLength, writeSized, fromPartial };",
  ].join("\n");
  const helpers = { viewReader, readVarint64, utf8Size, varintSize, types: fields.map((f) => f.type) };
  // Built from the checked field table only (see the file comment).
  return new Function(
    "h",
    `"use strict";\n${helpers.types.map((_, i) => `const T${i} = h.types[${i}];`).join("\n")}\n${src}`,
  )(helpers) as FieldCodec<T>;
}

const prop = (f: CodecField) => `m[${JSON.stringify(f.name)}]`;

function defaultLiteral(f: CodecField): string {
  if (f.repeated) return "[]";
  if (is64(f.kind)) return "0n";
  switch (f.kind) {
    case "bool":
      return "false";
    case "string":
      return '""';
    case "bytes":
      return "new Uint8Array()";
    case "message":
      return "undefined";
    default:
      return "0";
  }
}

function defaultsSource(fields: readonly CodecField[]): string {
  const entries = fields.map((f) => `${JSON.stringify(f.name)}: ${defaultLiteral(f)}`);
  return `function defaults() { return { ${entries.join(", ")} }; }`;
}

/** An expression reading one scalar of `kind` from reader `r`. */
function readExpr(kind: CodecKind): string {
  switch (kind) {
    case "uint32":
      return "r.uint32()";
    case "int32":
    case "enum":
      return "r.int32()";
    case "fixed32":
      return "r.fixed32()";
    case "uint64":
      return "h.readVarint64(r)";
    case "int64":
      return "BigInt.asIntN(64, h.readVarint64(r))";
    case "fixed64":
      return "r.fixed64()";
    case "bool":
      return "r.bool()";
    case "string":
      return "r.string()";
    default:
      return "r.bytes()";
  }
}

function decodeSource(fields: readonly CodecField[]): string {
  const cases: string[] = [];
  fields.forEach((f, i) => {
    const p = prop(f);
    const tagOf = (wire: number) => (f.no << 3) | wire;
    if (f.kind === "message") {
      const value = `T${i}().decode(r, r.uint32())`;
      cases.push(
        `case ${tagOf(WIRE_LEN)}: ${f.repeated ? `${p}.push(${value})` : `${p} = ${value}`}; break;`,
      );
      return;
    }
    const wire = wireType(f.kind);
    if (!f.repeated) {
      cases.push(`case ${tagOf(wire)}: ${p} = ${readExpr(f.kind)}; break;`);
      return;
    }
    cases.push(`case ${tagOf(wire)}: ${p}.push(${readExpr(f.kind)}); break;`);
    // Repeated numbers may also come packed, as protobuf requires parsers to accept.
    if (wire !== WIRE_LEN)
      cases.push(
        `case ${tagOf(WIRE_LEN)}: { const stop = r.uint32() + r.pos; while (r.pos < stop) ${p}.push(${readExpr(f.kind)}); break; }`,
      );
  });
  return `function decode(input, length) {
  const r = input instanceof Uint8Array ? h.viewReader(input) : input;
  const end = length === undefined ? r.len : r.pos + length;
  const m = defaults();
  while (r.pos < end) {
    const tag = r.uint32();
    switch (tag) {
      ${cases.join("\n      ")}
      default: r.skipType(tag & 7);
    }
  }
  return m;
}`;
}

/**
 * An expression for a scalar's payload length on the sized path (a string's or bytes' content,
 * without its length prefix), or -1 for a value only BinaryWriter writes as protobuf requires.
 */
function lengthExpr(kind: CodecKind, x: string): string {
  switch (kind) {
    case "uint32":
      return `(Number.isInteger(${x}) && ${x} >= 0 && ${x} <= 0xffffffff ? h.varintSize(${x}) : -1)`;
    case "int32":
    case "enum":
      return `(Number.isInteger(${x}) && ${x} >= 0 && ${x} <= 0x7fffffff ? h.varintSize(${x}) : -1)`;
    case "uint64":
    case "int64":
      return `(typeof ${x} === "bigint" && ${x} >= 0n && ${x} <= ${Number.MAX_SAFE_INTEGER}n ? h.varintSize(Number(${x})) : -1)`;
    case "bool":
      return `(typeof ${x} === "boolean" ? 1 : -1)`;
    case "string":
      return `(typeof ${x} === "string" ? h.utf8Size(${x}) : -1)`;
    case "bytes":
      return `(${x} instanceof Uint8Array ? ${x}.length : -1)`;
    default:
      return "-1"; // fixed-width kinds always take BinaryWriter
  }
}

/** A condition: singular value `v` is not its kind's default (so it is encoded). */
function notDefault(kind: CodecKind): string {
  if (is64(kind)) return "v !== 0n";
  switch (kind) {
    case "bool":
      return "v !== false";
    case "string":
      return 'v !== ""';
    case "bytes":
      return "v.length !== 0";
    case "message":
      return "true";
    default:
      return "v !== 0";
  }
}

function sizedLengthSource(fields: readonly CodecField[]): string {
  const parts = fields.map((f, i) => {
    const p = prop(f);
    const tagSize = varintSize((f.no << 3) | (f.repeated ? WIRE_LEN : wireType(f.kind)));
    if (f.repeated) {
      if (f.kind === "message")
        return `v = ${p}; if (v?.length) { const t = T${i}(); for (const x of v) { n = t.sizedLength(x); if (n < 0) return -1; size += ${tagSize} + h.varintSize(n) + n; } }`;
      if (isNumeric(f.kind))
        return `v = ${p}; if (v?.length) { n = 0; for (const x of v) { const k = ${lengthExpr(f.kind, "x")}; if (k < 0) return -1; n += k; } size += ${tagSize} + h.varintSize(n) + n; }`;
      return `v = ${p}; if (v?.length) for (const x of v) { n = ${lengthExpr(f.kind, "x")}; if (n < 0) return -1; size += ${tagSize} + h.varintSize(n) + n; }`;
    }
    const length = f.kind === "message" ? `T${i}().sizedLength(v)` : lengthExpr(f.kind, "v");
    const add = isNumeric(f.kind) ? `${tagSize} + n` : `${tagSize} + h.varintSize(n) + n`;
    return `v = ${p}; if (v !== undefined && ${notDefault(f.kind)}) { n = ${length}; if (n < 0) return -1; size += ${add}; }`;
  });
  return `function sizedLength(m) {
  let size = 0, v, n;
  ${parts.join("\n  ")}
  return size;
}`;
}

/** Statements writing scalar `x` (already measured by `lengthExpr`) to writer `w`. */
function writeStatements(kind: CodecKind, x: string): string {
  if (is64(kind)) return `w.varint(Number(${x}));`;
  switch (kind) {
    case "bool":
      return `w.varint(${x} ? 1 : 0);`;
    case "string":
      return `n = h.utf8Size(${x}); w.varint(n).utf8(${x}, n);`;
    case "bytes":
      return `w.varint(${x}.length).raw(${x});`;
    default:
      return `w.varint(${x});`;
  }
}

function writeSizedSource(fields: readonly CodecField[]): string {
  const parts = fields.map((f, i) => {
    const p = prop(f);
    const tag = (f.no << 3) | (f.repeated ? WIRE_LEN : wireType(f.kind));
    if (f.repeated) {
      if (f.kind === "message")
        return `v = ${p}; if (v?.length) { const t = T${i}(); for (const x of v) { w.varint(${tag}).varint(t.sizedLength(x)); t.writeSized(w, x); } }`;
      if (isNumeric(f.kind))
        return `v = ${p}; if (v?.length) { n = 0; for (const x of v) n += ${lengthExpr(f.kind, "x")}; w.varint(${tag}).varint(n); for (const x of v) { ${writeStatements(f.kind, "x")} } }`;
      return `v = ${p}; if (v?.length) for (const x of v) { w.varint(${tag}); ${writeStatements(f.kind, "x")} }`;
    }
    if (f.kind === "message")
      return `v = ${p}; if (v !== undefined) { const t = T${i}(); w.varint(${tag}).varint(t.sizedLength(v)); t.writeSized(w, v); }`;
    return `v = ${p}; if (v !== undefined && ${notDefault(f.kind)}) { w.varint(${tag}); ${writeStatements(f.kind, "v")} }`;
  });
  return `function writeSized(w, m) {
  let v, n;
  ${parts.join("\n  ")}
}`;
}

function fromPartialSource(fields: readonly CodecField[]): string {
  const parts = fields.map((f, i) => {
    const from = `o[${JSON.stringify(f.name)}]`;
    let copy = "v";
    if (f.kind === "message")
      copy = f.repeated ? `v.map((x) => T${i}().fromPartial(x))` : `T${i}().fromPartial(v)`;
    else if (f.repeated) copy = "[...v]";
    return `v = ${from}; if (v !== undefined && v !== null) ${prop(f)} = ${copy};`;
  });
  return `function fromPartial(o) {
  const m = defaults();
  let v;
  ${parts.join("\n  ")}
  return m;
}`;
}
