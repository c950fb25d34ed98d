/**
 * Fuzzing decodeTx (chain-anchors.md §4.3): random bytes and mutations of a committed seed corpus
 * (test/fuzz/corpus/tx, regenerate with `node scripts/fuzz-corpus.mjs`) must each end in a
 * DecodedTx or a CodedError with code and codespace set, never another exception, and quickly.
 * Fixed seeds keep CI deterministic; set FUZZ_SEED to explore, and a failure prints the seed/path
 * to replay it.
 */
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { BinaryWriter } from "cosmjs-types/binary";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { MessageSchema } from "../../chain/codec/schema.js";
import { CodedError } from "../../chain/errors/codes.js";
import { DEFAULT_TX_LIMITS, decodeTx } from "../../chain/tx/decode.js";
import { MsgRegistry } from "../../chain/tx/msg-registry.js";
import { msgSend } from "../../contracts/bank/msg-send.js";

const SEED = Number(process.env.FUZZ_SEED ?? 20_261_121);
/** Generous: a decode takes ~10-50 µs; this only catches super-linear blow-ups on a noisy VM. */
const MAX_MS_PER_INPUT = 50;

const CORPUS_DIR = join(dirname(fileURLToPath(import.meta.url)), "corpus", "tx");
const corpus = readdirSync(CORPUS_DIR)
  .filter((f) => f.endsWith(".bin"))
  .sort()
  .map((name) => ({ name, bytes: new Uint8Array(readFileSync(join(CORPUS_DIR, name))) }));

/** Lets Anys nest without limit in the schema, so only the decoder's cap stops them. */
const NestSchema: MessageSchema = { name: "vivim.test.Nest", fields: { 1: { name: "inner", kind: "any" } } };
const registry = new MsgRegistry([msgSend], [{ typeUrl: "/vivim.test.Nest", schema: NestSchema }]);

let slowest = 0;

/** One decode: a DecodedTx or a CodedError with code, codespace and log set; anything else throws. */
function decodeOnce(bytes: Uint8Array, simulate: boolean): number {
  const t0 = performance.now();
  try {
    const tx = decodeTx(bytes, registry, DEFAULT_TX_LIMITS, { simulate });
    if (tx.msgs.length === 0 || tx.hashHex.length !== 64) throw new Error("DecodedTx without msgs or hash");
  } catch (err) {
    if (!(err instanceof CodedError)) throw err;
    if (!(err.code > 0) || err.codespace === "" || err.log === "") {
      throw new Error(`CodedError without code: ${err.log}`);
    }
  }
  return performance.now() - t0;
}

/** The property, in both modes, within the time budget. */
function decodeEither(bytes: Uint8Array): void {
  for (const simulate of [false, true]) {
    let ms = decodeOnce(bytes, simulate);
    // A GC pause or a busy shared VM can stall any single call: only a repeatable slow input fails.
    for (let retry = 0; retry < 2 && ms > MAX_MS_PER_INPUT; retry++)
      ms = Math.min(ms, decodeOnce(bytes, simulate));
    slowest = Math.max(slowest, ms);
    if (ms > MAX_MS_PER_INPUT) throw new Error(`decodeTx took ${ms.toFixed(1)} ms on ${bytes.length} bytes`);
  }
}

function run(name: string, prop: fc.IRawProperty<unknown>, numRuns: number): void {
  try {
    fc.assert(prop, { seed: SEED, numRuns });
  } catch (err) {
    // fast-check's message carries { seed, path } for replay; name the property and the base seed too.
    throw new Error(
      `fuzz property "${name}" failed (FUZZ_SEED=${SEED}): ${err instanceof Error ? err.message : String(err)}`,
    );
  }
}

function varint(n: number): number[] {
  const out: number[] = [];
  let x = n;
  while (x >= 0x80) {
    out.push((x % 0x80) | 0x80);
    x = Math.floor(x / 0x80);
  }
  out.push(x);
  return out;
}

type Mutation =
  | { kind: "flip"; at: number; bit: number }
  | { kind: "set"; at: number; value: number }
  | { kind: "truncate"; at: number }
  | { kind: "delete"; at: number; len: number }
  | { kind: "insert"; at: number; bytes: Uint8Array }
  | { kind: "splice"; at: number; from: number; start: number; len: number }
  | { kind: "inflate"; at: number; len: number }
  | { kind: "duplicate"; at: number; len: number };

const mutationArb: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant("flip" as const), at: fc.nat(), bit: fc.integer({ min: 0, max: 7 }) }),
  fc.record({
    kind: fc.constant("set" as const),
    at: fc.nat(),
    value: fc.constantFrom(0, 1, 0x7f, 0x80, 0xff),
  }),
  fc.record({ kind: fc.constant("truncate" as const), at: fc.nat() }),
  fc.record({ kind: fc.constant("delete" as const), at: fc.nat(), len: fc.integer({ min: 1, max: 16 }) }),
  fc.record({
    kind: fc.constant("insert" as const),
    at: fc.nat(),
    bytes: fc.uint8Array({ minLength: 1, maxLength: 12 }),
  }),
  fc.record({
    kind: fc.constant("splice" as const),
    at: fc.nat(),
    from: fc.nat(),
    start: fc.nat(),
    len: fc.integer({ min: 1, max: 64 }),
  }),
  // Overwrite a byte with a huge varint: a length field that claims more than there is.
  fc.record({
    kind: fc.constant("inflate" as const),
    at: fc.nat(),
    len: fc.constantFrom(128, 65_536, 2 ** 31, 2 ** 35),
  }),
  fc.record({ kind: fc.constant("duplicate" as const), at: fc.nat(), len: fc.integer({ min: 1, max: 64 }) }),
);

function mutate(input: Uint8Array, m: Mutation): Uint8Array {
  const b = Array.from(input);
  const at = b.length === 0 ? 0 : m.at % (b.length + 1);
  switch (m.kind) {
    case "flip":
      if (at < b.length) b[at] = b[at]! ^ (1 << m.bit);
      break;
    case "set":
      if (at < b.length) b[at] = m.value;
      break;
    case "truncate":
      b.length = at;
      break;
    case "delete":
      b.splice(at, m.len);
      break;
    case "insert":
      b.splice(at, 0, ...m.bytes);
      break;
    case "splice": {
      const donor = corpus[m.from % corpus.length]!.bytes;
      const start = donor.length === 0 ? 0 : m.start % donor.length;
      b.splice(at, 0, ...donor.subarray(start, start + m.len));
      break;
    }
    case "inflate":
      b.splice(at, 1, ...varint(m.len));
      break;
    case "duplicate":
      b.splice(at, 0, ...b.slice(at, at + m.len));
      break;
  }
  return Uint8Array.from(b);
}

/** TxRaw fields as leniently parsed, so mutations can target the body or auth info inside. */
function rawParts(bytes: Uint8Array): Uint8Array[] {
  const parts: Uint8Array[] = [new Uint8Array(), new Uint8Array()];
  let p = 0;
  while (p < bytes.length) {
    const tag = bytes[p++]!;
    let len = 0;
    let shift = 0;
    while (p < bytes.length) {
      const c = bytes[p++]!;
      len += (c & 0x7f) * 2 ** shift;
      shift += 7;
      if (c < 0x80) break;
    }
    const field = bytes.subarray(p, p + len);
    p += len;
    if (tag === 10) parts[0] = field;
    else if (tag === 18) parts[1] = field;
    else parts.push(field);
  }
  return parts;
}

function txRaw(parts: Uint8Array[]): Uint8Array {
  const w = BinaryWriter.create().uint32(10).bytes(parts[0]!).uint32(18).bytes(parts[1]!);
  for (const sig of parts.slice(2)) w.uint32(26).bytes(sig);
  return w.finish();
}

/** TxBody{messages: [Nest^depth]} with the seed's auth info and signatures. */
function nestedTx(depth: number, base: Uint8Array): Uint8Array {
  let value: Uint8Array = new Uint8Array();
  for (let i = 0; i < depth; i++) {
    value = BinaryWriter.create()
      .uint32(10)
      .fork()
      .uint32(10)
      .string("/vivim.test.Nest")
      .uint32(18)
      .bytes(value)
      .ldelim()
      .finish();
  }
  const body = BinaryWriter.create()
    .uint32(10)
    .fork()
    .uint32(10)
    .string("/vivim.test.Nest")
    .uint32(18)
    .bytes(value)
    .ldelim()
    .finish();
  const parts = rawParts(base);
  parts[0] = body;
  return txRaw(parts);
}

const seedArb = fc.nat({ max: corpus.length - 1 });

describe("decodeTx fuzzing", () => {
  it("has a corpus whose ok-* seeds decode and whose bad-* seeds fail with a CodedError", () => {
    expect(corpus.length).toBeGreaterThanOrEqual(12);
    for (const { name, bytes } of corpus) {
      const simulate = name.includes("simulate");
      if (name.startsWith("ok-")) {
        expect(() => decodeTx(bytes, registry, DEFAULT_TX_LIMITS, { simulate }), name).not.toThrow();
      } else {
        expect(() => decodeTx(bytes, registry, DEFAULT_TX_LIMITS, { simulate }), name).toThrow(CodedError);
      }
    }
  });

  it("survives ~20k random and mutated inputs", () => {
    const t0 = performance.now();
    run("random bytes", fc.property(fc.uint8Array({ maxLength: 600 }), decodeEither), 4000);
    run(
      "byte mutations of seeds",
      fc.property(seedArb, fc.array(mutationArb, { minLength: 1, maxLength: 6 }), (i, ms) =>
        decodeEither(ms.reduce(mutate, corpus[i]!.bytes)),
      ),
      8000,
    );
    run(
      "mutations inside body / auth info / signatures",
      fc.property(seedArb, fc.nat(), fc.array(mutationArb, { minLength: 1, maxLength: 4 }), (i, part, ms) => {
        const parts = rawParts(corpus[i]!.bytes);
        const k = part % parts.length;
        parts[k] = ms.reduce(mutate, parts[k]!);
        decodeEither(txRaw(parts));
      }),
      6000,
    );
    run(
      "deep Any nesting",
      fc.property(seedArb, fc.integer({ min: 0, max: 400 }), (i, depth) =>
        decodeEither(nestedTx(depth, corpus[i]!.bytes)),
      ),
      1000,
    );
    run(
      "oversized inputs",
      fc.property(
        fc.integer({ min: DEFAULT_TX_LIMITS.maxTxBytes - 2, max: DEFAULT_TX_LIMITS.maxTxBytes + 2 }),
        (n) => decodeEither(new Uint8Array(n).fill(0x0a)),
      ),
      50,
    );
    console.info(
      `tx-decode fuzz: 19050 cases x 2 modes in ${(performance.now() - t0).toFixed(0)} ms, slowest ${slowest.toFixed(2)} ms`,
    );
  });
});
