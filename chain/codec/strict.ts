/**
 * Strict protobuf wire-format validation (Cosmos SDK's RejectUnknownFields, ADR-020, plus the
 * GO-2024-3339 depth cap). Runs over untrusted bytes before any generated decoder sees them, so that
 *  - a field the schema does not list cannot smuggle data past the signature (the signer's wallet
 *    would not have shown it), and
 *  - the lenient generated decoders (which skip unknown fields, replace invalid UTF-8, keep the last
 *    copy of a repeated singular field) never disagree with what we validated.
 *
 * Guarantees: throws only CodedError; recursion depth is bounded by `opts.maxDepth` (clamped to
 * HARD_MAX_DEPTH); each input byte is examined once, so the cost is O(bytes).
 */
import { isUtf8 } from "node:buffer";
import { CodedError, type RegisteredError, SdkErrors } from "../errors/codes.js";
import { WIRE_LEN, wireType } from "./field-kinds.js";
import type { AnyResolver, FieldSchema, MessageSchema, ScalarKind } from "./schema.js";

export interface StrictOptions {
  /** Max nesting of messages (plain sub-messages and Any values both count one level). */
  readonly maxDepth: number;
  /**
   * ADR-027 for the top-level message only (Cosmos applies it to TxRaw): fields in ascending
   * number order. TxRaw is the one part of a tx the signature does not cover, so its encoding must
   * be canonical, or the same signed tx could circulate under many hashes.
   */
  readonly ascendingFields?: boolean;
}

/** Protects the call stack even when a caller passes a silly maxDepth. */
export const HARD_MAX_DEPTH = 100;

const MAX_FIELD_NUMBER = 0x1fffffff;
const TWO_POW_31 = 0x80000000;

/** Where we are, for error logs; a linked list so the happy path builds no strings. */
interface Frame {
  readonly parent: Frame | undefined;
  readonly message: string;
  /** The field of `parent` that holds this message. */
  readonly via: string;
}

function pathOf(frame: Frame): string {
  const parts: string[] = [];
  for (let f: Frame | undefined = frame; f !== undefined; f = f.parent) {
    parts.push(f.via ? `${f.via} > ${f.message}` : f.message);
  }
  return parts.reverse().join(" > ");
}

function fail(kind: RegisteredError, frame: Frame, detail: string): never {
  throw new CodedError(kind, `${pathOf(frame)}: ${detail}`);
}

// Varint decoding into two 32-bit halves, so 64-bit values need no BigInt. A negative return is
// an error code; the halves live in module scope to avoid allocating a result per varint.
const VARINT_TRUNCATED = -1;
const VARINT_OVERFLOW = -2;
const VARINT_NON_MINIMAL = -3;
let varLo = 0;
let varHi = 0;

function readVarint(buf: Uint8Array, start: number, end: number): number {
  let pos = start;
  let lo = 0;
  let hi = 0;
  for (let i = 0; i < 10; i++) {
    if (pos >= end) return VARINT_TRUNCATED;
    const b = buf[pos++]!;
    const bits = b & 0x7f;
    if (i < 4) lo |= bits << (7 * i);
    else if (i === 4) {
      lo |= (bits & 0x0f) << 28;
      hi = bits >>> 4;
    } else hi |= bits << (7 * i - 32);
    if (b < 0x80) {
      // The 10th byte may only carry bit 63.
      if (i === 9 && b > 1) return VARINT_OVERFLOW;
      // A trailing zero byte means the same value fits in fewer bytes: a second encoding of it.
      if (i > 0 && b === 0) return VARINT_NON_MINIMAL;
      varLo = lo >>> 0;
      varHi = hi >>> 0;
      return pos;
    }
  }
  return VARINT_OVERFLOW;
}

function varintError(code: number): string {
  if (code === VARINT_TRUNCATED) return "truncated varint";
  if (code === VARINT_OVERFLOW) return "varint overflows 64 bits";
  return "non-minimal varint encoding";
}

/** Range checks for the value just read by readVarint, per proto scalar type. */
function varintFits(kind: ScalarKind): boolean {
  switch (kind) {
    case "uint32":
      return varHi === 0;
    case "int32":
    case "enum":
      // Negative int32 values are sign-extended to 64 bits on the wire.
      return (varHi === 0 && varLo < TWO_POW_31) || (varHi === 0xffffffff && varLo >= TWO_POW_31);
    case "bool":
      return varHi === 0 && varLo <= 1;
    default:
      return true;
  }
}

class Walker {
  private readonly maxDepth: number;

  constructor(
    private readonly buf: Uint8Array,
    private readonly resolveAny: AnyResolver,
    opts: StrictOptions,
  ) {
    const d = Number.isFinite(opts.maxDepth) ? Math.floor(opts.maxDepth) : 0;
    this.maxDepth = Math.max(0, Math.min(d, HARD_MAX_DEPTH));
  }

  /** Validates buf[start, end) as one `schema` message at nesting `depth`. */
  message(
    schema: MessageSchema,
    start: number,
    end: number,
    depth: number,
    frame: Frame,
    ordered: boolean,
  ): void {
    const buf = this.buf;
    let pos = start;
    let prevField = 0;
    // Singular fields seen so far. Schemas are small, so a linear scan keeps the walk O(bytes).
    const seen: number[] = [];
    while (pos < end) {
      const p = readVarint(buf, pos, end);
      if (p < 0) fail(SdkErrors.TxDecode, frame, `field tag: ${varintError(p)}`);
      pos = p;
      if (varHi !== 0 || varLo >>> 3 === 0 || varLo >>> 3 > MAX_FIELD_NUMBER) {
        fail(SdkErrors.TxDecode, frame, "invalid field number");
      }
      const fieldNo = varLo >>> 3;
      const wire = varLo & 7;
      const field = schema.fields[fieldNo];
      if (field === undefined)
        fail(SdkErrors.TxDecode, frame, `unknown field ${fieldNo} (wire type ${wire})`);
      if (ordered && fieldNo < prevField) {
        fail(
          SdkErrors.TxDecode,
          frame,
          `field ${fieldNo} after field ${prevField}: fields must be in ascending order`,
        );
      }
      prevField = fieldNo;
      if (!field.repeated) {
        if (seen.includes(fieldNo))
          fail(SdkErrors.TxDecode, frame, `field ${fieldNo} (${field.name}) occurs twice`);
        seen.push(fieldNo);
      }
      pos = this.field(field, fieldNo, wire, pos, end, depth, frame);
    }
  }

  /** Validates one field's payload starting at `pos`; returns the position after it. */
  private field(
    field: FieldSchema,
    fieldNo: number,
    wire: number,
    pos: number,
    end: number,
    depth: number,
    frame: Frame,
  ): number {
    const kind = field.kind;
    const what = `field ${fieldNo} (${field.name})`;
    if (wire === 3 || wire === 4) fail(SdkErrors.TxDecode, frame, `${what}: groups are not allowed`);

    if (typeof kind === "string" && kind !== "any" && wire !== WIRE_LEN) {
      // Scalar, non-packed.
      if (wire !== wireType(kind)) fail(SdkErrors.TxDecode, frame, `${what}: wrong wire type ${wire}`);
      return this.scalar(kind, pos, end, frame, what);
    }
    if (wire !== WIRE_LEN) fail(SdkErrors.TxDecode, frame, `${what}: wrong wire type ${wire}`);

    const p = readVarint(this.buf, pos, end);
    if (p < 0) fail(SdkErrors.TxDecode, frame, `${what}: length ${varintError(p)}`);
    if (varHi !== 0 || varLo > end - p)
      fail(SdkErrors.TxDecode, frame, `${what}: length exceeds the message`);
    const start = p;
    const stop = p + varLo;

    if (kind === "string") {
      if (!isUtf8(this.buf.subarray(start, stop))) fail(SdkErrors.TxDecode, frame, `${what}: invalid UTF-8`);
    } else if (kind === "bytes") {
      // Opaque.
    } else if (kind === "any") {
      this.any(start, stop, depth, frame, what);
    } else if (typeof kind === "string") {
      if (!field.repeated) fail(SdkErrors.TxDecode, frame, `${what}: wrong wire type 2`);
      this.packed(kind, start, stop, frame, what);
    } else {
      const child = kind.message();
      if (depth + 1 > this.maxDepth) {
        fail(SdkErrors.TxDecode, frame, `${what}: messages nested deeper than ${this.maxDepth}`);
      }
      this.message(
        child,
        start,
        stop,
        depth + 1,
        { parent: frame, message: child.name, via: field.name },
        false,
      );
    }
    return stop;
  }

  private scalar(kind: ScalarKind, pos: number, end: number, frame: Frame, what: string): number {
    if (kind === "fixed32" || kind === "fixed64") {
      const size = kind === "fixed32" ? 4 : 8;
      if (end - pos < size) fail(SdkErrors.TxDecode, frame, `${what}: truncated`);
      return pos + size;
    }
    const p = readVarint(this.buf, pos, end);
    if (p < 0) fail(SdkErrors.TxDecode, frame, `${what}: ${varintError(p)}`);
    if (!varintFits(kind)) fail(SdkErrors.TxDecode, frame, `${what}: value out of range for ${kind}`);
    return p;
  }

  /** Packed repeated scalars: a run of values with no tags. */
  private packed(kind: ScalarKind, start: number, stop: number, frame: Frame, what: string): void {
    let pos = start;
    while (pos < stop) pos = this.scalar(kind, pos, stop, frame, what);
  }

  /**
   * google.protobuf.Any{type_url=1 string, value=2 bytes}: the envelope is read inline (it is not a
   * nesting level of its own), then the value is validated against the resolved schema one level down.
   */
  private any(start: number, stop: number, depth: number, frame: Frame, what: string): void {
    const buf = this.buf;
    let pos = start;
    let typeUrl: string | undefined;
    let valueStart = 0;
    let valueStop = 0;
    let haveValue = false;
    const at = `${what} (google.protobuf.Any)`;
    while (pos < stop) {
      const p = readVarint(buf, pos, stop);
      if (p < 0) fail(SdkErrors.TxDecode, frame, `${at}: field tag: ${varintError(p)}`);
      const fieldNo = varHi === 0 ? varLo >>> 3 : 0;
      const wire = varLo & 7;
      if (fieldNo !== 1 && fieldNo !== 2) fail(SdkErrors.TxDecode, frame, `${at}: unknown field ${fieldNo}`);
      if (wire !== WIRE_LEN)
        fail(SdkErrors.TxDecode, frame, `${at}: field ${fieldNo}: wrong wire type ${wire}`);
      const q = readVarint(buf, p, stop);
      if (q < 0) fail(SdkErrors.TxDecode, frame, `${at}: field ${fieldNo}: length ${varintError(q)}`);
      if (varHi !== 0 || varLo > stop - q)
        fail(SdkErrors.TxDecode, frame, `${at}: field ${fieldNo}: length exceeds the message`);
      const end = q + varLo;
      if (fieldNo === 1) {
        if (typeUrl !== undefined) fail(SdkErrors.TxDecode, frame, `${at}: type_url occurs twice`);
        const raw = buf.subarray(q, end);
        if (!isUtf8(raw)) fail(SdkErrors.TxDecode, frame, `${at}: type_url is not UTF-8`);
        typeUrl = Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength).toString("utf8");
      } else {
        if (haveValue) fail(SdkErrors.TxDecode, frame, `${at}: value occurs twice`);
        haveValue = true;
        valueStart = q;
        valueStop = end;
      }
      pos = end;
    }
    if (!typeUrl) fail(SdkErrors.UnpackAny, frame, `${at}: empty type_url`);
    const schema = this.resolveAny(typeUrl);
    if (schema === undefined)
      fail(SdkErrors.UnpackAny, frame, `${at}: unresolvable type_url ${JSON.stringify(typeUrl)}`);
    if (depth + 1 > this.maxDepth) {
      fail(SdkErrors.UnpackAny, frame, `${at}: Any values nested deeper than ${this.maxDepth}`);
    }
    this.message(
      schema,
      valueStart,
      valueStop,
      depth + 1,
      { parent: frame, message: schema.name, via: what },
      false,
    );
  }
}

/**
 * Throws a CodedError (TxDecode, or UnpackAny for Any problems) unless `bytes` is a well-formed
 * encoding of `schema` whose every field, at every depth, is listed in its schema with the right
 * wire type; strings must be UTF-8, varints minimal, singular fields must not repeat.
 */
export function assertKnownFields(
  bytes: Uint8Array,
  schema: MessageSchema,
  resolveAny: AnyResolver,
  opts: StrictOptions,
): void {
  const walker = new Walker(bytes, resolveAny, opts);
  const root: Frame = { parent: undefined, message: schema.name, via: "" };
  try {
    walker.message(schema, 0, bytes.length, 0, root, opts.ascendingFields === true);
  } catch (err) {
    if (err instanceof CodedError) throw err;
    // A throwing AnyResolver or schema thunk is a bug, but must not escape as a non-coded error.
    throw new CodedError(
      SdkErrors.TxDecode,
      `${schema.name}: ${err instanceof Error ? err.message : "decode failed"}`,
    );
  }
}
