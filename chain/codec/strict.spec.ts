import { BinaryWriter } from "cosmjs-types/binary";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { CodedError } from "../errors/codes.js";
import type { AnyResolver, MessageSchema } from "./schema.js";
import { assertKnownFields } from "./strict.js";

const Inner: MessageSchema = {
  name: "test.Inner",
  fields: { 1: { name: "n", kind: "uint64" }, 2: { name: "s", kind: "string" } },
};

const Outer: MessageSchema = {
  name: "test.Outer",
  fields: {
    1: { name: "name", kind: "string" },
    2: { name: "data", kind: "bytes" },
    3: { name: "count", kind: "uint32" },
    4: { name: "flag", kind: "bool" },
    5: { name: "delta", kind: "int32" },
    6: { name: "inner", kind: { message: () => Inner } },
    7: { name: "inners", kind: { message: () => Inner }, repeated: true },
    8: { name: "ids", kind: "uint64", repeated: true },
    9: { name: "payload", kind: "any" },
    10: { name: "f32", kind: "fixed32" },
    11: { name: "f64", kind: "fixed64" },
  },
};

/** A message that can nest itself, directly and through Any. */
const Node: MessageSchema = {
  name: "test.Node",
  fields: { 1: { name: "child", kind: { message: () => Node } }, 2: { name: "any", kind: "any" } },
};

const resolve: AnyResolver = (url) =>
  url === "/test.Inner" ? Inner : url === "/test.Node" ? Node : url === "/test.Outer" ? Outer : undefined;
const opts = { maxDepth: 8 };

function w(): BinaryWriter {
  return BinaryWriter.create();
}

function anyBytes(typeUrl: string, value: Uint8Array): Uint8Array {
  return w().uint32(10).string(typeUrl).uint32(18).bytes(value).finish();
}

/** Asserts a CodedError with the given code whose log matches `log`. */
function expectCode(fn: () => void, code: number, log?: RegExp): void {
  let caught: unknown;
  try {
    fn();
  } catch (err) {
    caught = err;
  }
  expect(caught).toBeInstanceOf(CodedError);
  expect((caught as CodedError).code).toBe(code);
  if (log) expect((caught as CodedError).log).toMatch(log);
}

const check = (
  bytes: Uint8Array,
  schema = Outer,
  o: { maxDepth: number; ascendingFields?: boolean } = opts,
) => assertKnownFields(bytes, schema, resolve, o);

describe("assertKnownFields accepts", () => {
  it("every kind of listed field, repeated and packed fields, nested messages and Anys", () => {
    const inner = w().uint32(8).uint64(5n).uint32(18).string("héllo").finish();
    const bytes = w()
      .uint32(10)
      .string("name")
      .uint32(18)
      .bytes(new Uint8Array([0, 255]))
      .uint32(24)
      .uint32(0xffffffff)
      .uint32(32)
      .bool(true)
      .uint32(40)
      .int32(-5)
      .uint32(50)
      .bytes(inner)
      .uint32(58)
      .bytes(inner)
      .uint32(58)
      .bytes(inner)
      .uint32(64)
      .uint64(1n)
      .uint32(64)
      .uint64(2n)
      .uint32(66)
      .fork()
      .uint64(3n)
      .uint64(1n << 63n)
      .ldelim()
      .uint32(74)
      .bytes(anyBytes("/test.Inner", inner))
      .uint32(85)
      .fixed32(7)
      .uint32(89)
      .fixed64(9n)
      .finish();
    expect(() => check(bytes)).not.toThrow();
  });

  it("the empty message and an Any with an empty value", () => {
    expect(() => check(new Uint8Array())).not.toThrow();
    expect(() =>
      check(w().uint32(74).bytes(anyBytes("/test.Inner", new Uint8Array())).finish()),
    ).not.toThrow();
  });
});

describe("assertKnownFields rejects with TxDecode (2)", () => {
  it("an unknown field, naming the message and the field number", () => {
    expectCode(
      () =>
        check(
          w()
            .uint32(99 * 8)
            .uint64(1n)
            .finish(),
        ),
      2,
      /test\.Outer: unknown field 99/,
    );
  });

  it("an unknown field inside a nested message, naming the path", () => {
    const inner = w()
      .uint32(3 * 8)
      .uint64(1n)
      .finish();
    expectCode(
      () => check(w().uint32(50).bytes(inner).finish()),
      2,
      /test\.Outer > inner > test\.Inner: unknown field 3/,
    );
  });

  it("an unknown field inside an Any value", () => {
    const inner = w()
      .uint32(7 * 8)
      .uint64(1n)
      .finish();
    expectCode(
      () => check(w().uint32(74).bytes(anyBytes("/test.Inner", inner)).finish()),
      2,
      /test\.Inner: unknown field 7/,
    );
  });

  it("a wrong wire type", () => {
    expectCode(
      () =>
        check(
          w()
            .uint32(8 + 0)
            .uint64(1n)
            .finish(),
        ),
      2,
      /field 1 \(name\): wrong wire type 0/,
    );
    expectCode(
      () =>
        check(
          w()
            .uint32((3 << 3) | 2)
            .bytes(new Uint8Array(1))
            .finish(),
        ),
      2,
      /field 3.*wrong wire type 2/,
    );
    expectCode(
      () =>
        check(
          w()
            .uint32((6 << 3) | 0)
            .uint64(1n)
            .finish(),
        ),
      2,
      /field 6.*wrong wire type 0/,
    );
    expectCode(
      () =>
        check(
          w()
            .uint32((10 << 3) | 1)
            .fixed64(1n)
            .finish(),
        ),
      2,
      /field 10.*wrong wire type 1/,
    );
  });

  it("groups (wire types 3 and 4)", () => {
    expectCode(() => check(new Uint8Array([(1 << 3) | 3, (1 << 3) | 4])), 2, /groups/);
    expectCode(() => check(new Uint8Array([(1 << 3) | 4])), 2, /groups/);
  });

  it("truncated tags, varints, lengths and fixed fields", () => {
    expectCode(() => check(new Uint8Array([0x80])), 2, /field tag: truncated varint/);
    expectCode(() => check(new Uint8Array([24, 0xff])), 2, /truncated varint/);
    expectCode(() => check(new Uint8Array([10, 5, 97])), 2, /length exceeds the message/);
    expectCode(() => check(new Uint8Array([10])), 2, /length truncated varint/);
    expectCode(() => check(new Uint8Array([85, 1, 2, 3])), 2, /truncated/);
    expectCode(() => check(new Uint8Array([89, 1, 2, 3, 4, 5, 6, 7])), 2, /truncated/);
  });

  it("a nested length that runs past its parent", () => {
    // Outer.inner claims 2 bytes; inside, field 2 claims 5.
    expectCode(
      () => check(new Uint8Array([50, 2, 18, 5, 97, 97, 97, 97, 97])),
      2,
      /length exceeds the message/,
    );
  });

  it("varints that overflow 64 bits or are not minimal", () => {
    const overflow = [24, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x02];
    expectCode(() => check(new Uint8Array(overflow)), 2, /overflows 64 bits/);
    expectCode(() => check(new Uint8Array([64, ...Array(10).fill(0xff), 0x01])), 2, /overflows 64 bits/);
    expectCode(() => check(new Uint8Array([24, 0x81, 0x00])), 2, /non-minimal/);
    expectCode(() => check(new Uint8Array([0x8a, 0x00, 0])), 2, /non-minimal/);
    expectCode(() => check(new Uint8Array([10, 0x80, 0x00])), 2, /non-minimal/);
  });

  it("values out of range for their type", () => {
    expectCode(
      () =>
        check(
          w()
            .uint32(24)
            .uint64(1n << 32n)
            .finish(),
        ),
      2,
      /out of range for uint32/,
    );
    expectCode(() => check(w().uint32(32).uint64(2n).finish()), 2, /out of range for bool/);
    // 2^31 as a raw varint (cosmjs-types' BinaryWriter.uint64 miscodes values in [2^31, 2^32)).
    expectCode(() => check(new Uint8Array([40, 0x80, 0x80, 0x80, 0x80, 0x08])), 2, /out of range for int32/);
    expect(() =>
      check(
        w()
          .uint32(40)
          .int32(-(2 ** 31))
          .finish(),
      ),
    ).not.toThrow();
  });

  it("invalid UTF-8 in strings, also in a nested message", () => {
    expectCode(() => check(new Uint8Array([10, 2, 0xc3, 0x28])), 2, /invalid UTF-8/);
    expectCode(() => check(new Uint8Array([10, 3, 0xed, 0xa0, 0x80])), 2, /invalid UTF-8/); // lone surrogate
    expectCode(() => check(new Uint8Array([50, 4, 18, 2, 0xc0, 0xaf])), 2, /test\.Inner.*invalid UTF-8/); // overlong
  });

  it("garbage after the last field", () => {
    const ok = w().uint32(10).string("x").finish();
    expectCode(() => check(new Uint8Array([...ok, 0])), 2, /invalid field number/);
    expectCode(() => check(new Uint8Array([...ok, 0xff])), 2, /truncated varint/);
  });

  it("a singular field that occurs twice (parsers disagree on which copy wins)", () => {
    const bytes = w().uint32(10).string("a").uint32(10).string("b").finish();
    expectCode(() => check(bytes), 2, /field 1 \(name\) occurs twice/);
  });

  it("fields out of order when ascendingFields is set (ADR-027), and only then", () => {
    const bytes = w().uint32(18).bytes(new Uint8Array()).uint32(10).string("a").finish();
    expect(() => check(bytes)).not.toThrow();
    expectCode(() => check(bytes, Outer, { maxDepth: 8, ascendingFields: true }), 2, /ascending order/);
    const repeated = w().uint32(64).uint64(1n).uint32(64).uint64(2n).finish();
    expect(() => check(repeated, Outer, { maxDepth: 8, ascendingFields: true })).not.toThrow();
  });

  it("plain messages nested past maxDepth", () => {
    let bytes: Uint8Array = new Uint8Array();
    for (let i = 0; i < 9; i++) bytes = w().uint32(10).bytes(bytes).finish();
    expectCode(() => check(bytes, Node), 2, /nested deeper than 8/);
    expect(() => check(bytes, Node, { maxDepth: 9 })).not.toThrow();
  });
});

describe("assertKnownFields rejects Any problems with UnpackAny (34)", () => {
  it("an unresolvable or empty type_url", () => {
    expectCode(
      () => check(w().uint32(74).bytes(anyBytes("/nope.Msg", new Uint8Array())).finish()),
      34,
      /unresolvable type_url "\/nope\.Msg"/,
    );
    expectCode(() => check(w().uint32(74).bytes(new Uint8Array()).finish()), 34, /empty type_url/);
  });

  it("Any values nested past maxDepth", () => {
    let bytes: Uint8Array = new Uint8Array();
    for (let i = 0; i < 9; i++) bytes = w().uint32(18).bytes(anyBytes("/test.Node", bytes)).finish();
    expectCode(() => check(bytes, Node), 34, /Any values nested deeper than 8/);
  });

  it("malformed Any envelopes as TxDecode", () => {
    const extra = new Uint8Array([...anyBytes("/test.Inner", new Uint8Array()), 24, 1]);
    expectCode(() => check(w().uint32(74).bytes(extra).finish()), 2, /Any\): unknown field 3/);
    const twice = new Uint8Array([...anyBytes("/test.Inner", new Uint8Array()), 10, 1, 97]);
    expectCode(() => check(w().uint32(74).bytes(twice).finish()), 2, /type_url occurs twice/);
  });
});

describe("assertKnownFields robustness", () => {
  it("bounds recursion even for huge inputs and absurd maxDepth", () => {
    // 30k levels of self-nesting: a naive recursive walker would blow the stack.
    const levels = 30_000;
    const bytes = new Uint8Array(levels * 4);
    let len = 0;
    for (let i = 0; i < levels; i++) {
      // Built from the inside out: each level is a field-1 header wrapping everything written so far.
      const header = w().uint32(10).uint32(len).finish();
      bytes.set(header, bytes.length - len - header.length);
      len += header.length;
    }
    const input = bytes.subarray(bytes.length - len);
    expectCode(() => check(input, Node, { maxDepth: 1e9 }), 2, /nested deeper than 100/);
  });

  it("takes linear time on adversarial input (64 KiB of tiny fields)", () => {
    const bytes = new Uint8Array(64 * 1024);
    for (let i = 0; i < bytes.length; i += 2) {
      bytes[i] = 64; // field 8, repeated uint64
      bytes[i + 1] = 1;
    }
    // Best of 3, so that a GC pause on a busy machine does not fail the test; ~1-2 ms normally.
    let best = Number.POSITIVE_INFINITY;
    for (let i = 0; i < 3; i++) {
      const t0 = performance.now();
      check(bytes);
      best = Math.min(best, performance.now() - t0);
    }
    expect(best).toBeLessThan(100);
  });

  it("a throwing resolver or schema thunk still yields a CodedError", () => {
    const bad: AnyResolver = () => {
      throw new Error("boom");
    };
    expect(() =>
      assertKnownFields(w().uint32(74).bytes(anyBytes("/x.Y", new Uint8Array())).finish(), Outer, bad, opts),
    ).toThrow(CodedError);
  });

  it("throws nothing but CodedError on random bytes", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (bytes) => {
        try {
          check(bytes);
          check(bytes, Node);
        } catch (err) {
          if (!(err instanceof CodedError)) throw err;
        }
      }),
      { seed: 1234, numRuns: 3000 },
    );
  });
});
