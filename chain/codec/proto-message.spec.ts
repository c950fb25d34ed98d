import { MsgSend } from "cosmjs-types/cosmos/bank/v1beta1/tx";
import { describe, expect, it } from "vitest";
import { everyKindFields } from "../../test/support/codec-fields.js";
import { randomString, rng } from "../../test/support/random-strings.js";
import { defineMessage, type FieldDef } from "./proto-message.js";
import { assertKnownFields } from "./strict.js";

interface Coin {
  denom: string;
  amount: string;
}
const Coin = defineMessage<Coin>("test.Coin", [
  { no: 1, name: "denom", kind: "string" },
  { no: 2, name: "amount", kind: "string" },
]);

interface Send {
  fromAddress: string;
  toAddress: string;
  amount: Coin[];
}
const Send = defineMessage<Send>("test.MsgSend", [
  { no: 2, name: "toAddress", kind: "string" },
  { no: 1, name: "fromAddress", kind: "string" },
  { no: 3, name: "amount", kind: "message", type: () => Coin, repeated: true },
]);

interface Everything {
  id: bigint;
  count: number;
  signed: bigint;
  flag: boolean;
  data: Uint8Array;
  tags: string[];
  ids: bigint[];
  stars: number[];
  inner: Coin | undefined;
}
const Everything = defineMessage<Everything>("test.Everything", [
  { no: 1, name: "id", kind: "uint64" },
  { no: 2, name: "count", kind: "uint32" },
  { no: 3, name: "signed", kind: "int64" },
  { no: 4, name: "flag", kind: "bool" },
  { no: 5, name: "data", kind: "bytes" },
  { no: 6, name: "tags", kind: "string", repeated: true },
  { no: 7, name: "ids", kind: "uint64", repeated: true },
  { no: 8, name: "stars", kind: "enum", repeated: true },
  { no: 9, name: "inner", kind: "message", type: () => Coin },
]);

const strict = (bytes: Uint8Array, schema = Everything.schema) =>
  assertKnownFields(bytes, schema, () => undefined, { maxDepth: 8 });

describe("defineMessage", () => {
  it("encodes byte for byte as cosmjs-types does, and decodes what cosmjs-types encodes", () => {
    const value = {
      fromAddress: "vivim1a",
      toAddress: "vivim1b",
      amount: [{ denom: "uvivim", amount: "5" }],
    };
    const ours = Send.encode(Send.fromPartial(value)).finish();
    const theirs = MsgSend.encode(MsgSend.fromPartial(value)).finish();
    expect(Buffer.from(ours).toString("hex")).toBe(Buffer.from(theirs).toString("hex"));
    expect(Send.decode(theirs)).toEqual(value);
    expect(Send.typeUrl).toBe("/test.MsgSend");
  });

  it("round-trips every kind, omits defaults and fills them back on decode", () => {
    const full: Everything = {
      id: 2n ** 63n + 5n,
      count: 7,
      signed: -3n,
      flag: true,
      data: Uint8Array.from([1, 2, 3]),
      tags: ["a", "", "c"],
      ids: [1n, 2n ** 40n],
      stars: [1, 5],
      inner: { denom: "x", amount: "" },
    };
    const bytes = Everything.encode(full).finish();
    expect(Everything.decode(bytes)).toEqual(full);
    strict(bytes);
    expect(Everything.encode(Everything.fromPartial({})).finish()).toHaveLength(0);
    expect(Everything.decode(new Uint8Array())).toEqual(Everything.fromPartial({}));
  });

  it("gives the strict decoder a schema with snake_case names that rejects unknown fields", () => {
    expect(Send.schema.fields[1]?.name).toBe("from_address");
    const bytes = Everything.encode(Everything.fromPartial({ id: 1n })).finish();
    const withUnknown = Uint8Array.from([...bytes, (15 << 3) | 0, 1]);
    expect(() => strict(withUnknown)).toThrow(/15/);
    // The plain decoder skips it (strictness is the tx decoder's job).
    expect(Everything.decode(withUnknown).id).toBe(1n);
  });

  it("decodes unpacked repeated numbers too", () => {
    // field 7, varint wire type, twice: protobuf parsers must accept this form.
    const bytes = Uint8Array.from([(7 << 3) | 0, 3, (7 << 3) | 0, 4]);
    expect(Everything.decode(bytes).ids).toEqual([3n, 4n]);
  });

  it("fromPartial completes nested messages and copies arrays", () => {
    const tags = ["x"];
    const m = Everything.fromPartial({ inner: { denom: "d" }, tags });
    expect(m.inner).toEqual({ denom: "d", amount: "" });
    tags.push("y");
    expect(m.tags).toEqual(["x"]);
  });

  it("refuses duplicate field numbers at definition time", () => {
    expect(() =>
      defineMessage("test.Bad", [
        { no: 1, name: "a", kind: "string" },
        { no: 1, name: "b", kind: "string" },
      ]),
    ).toThrow(/field number 1/);
  });
});

describe("64-bit integers", () => {
  interface Wide {
    u: bigint;
    s: bigint;
  }
  const Wide = defineMessage<Wide>("test.Wide", [
    { no: 1, name: "u", kind: "uint64" },
    { no: 2, name: "s", kind: "int64" },
  ]);
  const EDGES = [
    1n,
    127n,
    128n,
    2n ** 28n - 1n,
    2n ** 28n,
    2n ** 32n - 1n,
    2n ** 32n,
    2n ** 35n,
    2n ** 63n - 1n,
  ];

  /** Textbook protobuf varint of the 64-bit two's complement, as the reference. */
  const varint = (v: bigint): number[] => {
    let x = BigInt.asUintN(64, v);
    const out: number[] = [];
    do {
      const low = Number(x & 0x7fn);
      x >>= 7n;
      out.push(x > 0n ? low | 0x80 : low);
    } while (x > 0n);
    return out;
  };

  it("encodes every size as protobuf specifies and reads it back", () => {
    for (const u of [...EDGES, 2n ** 31n, 2n ** 63n, 2n ** 64n - 1n]) {
      for (const s of [...EDGES, 2n ** 31n, -1n, -(2n ** 32n), -(2n ** 63n)]) {
        const ours = Wide.encode({ u, s }).finish();
        expect(Array.from(ours), `${u} ${s}`).toEqual([8, ...varint(u), 16, ...varint(s)]);
        expect(Wide.decode(ours)).toEqual({ u, s });
      }
    }
  });

  it("gets right the values from 2^31 to 2^32 that cosmjs-types' own writer mangles", async () => {
    const { BinaryWriter } = await import("cosmjs-types/binary");
    const value = 2n ** 31n;
    // cosmjs-types 0.11 writes 2^31 as five zero bytes (it decodes as 0); our codec must not.
    expect(Array.from(BinaryWriter.create().uint64(value).finish())).not.toEqual(varint(value));
    expect(Wide.decode(Wide.encode({ u: value, s: value }).finish())).toEqual({ u: value, s: value });
  });

  it("refuses a truncated or overlong varint", () => {
    expect(() => Wide.decode(Uint8Array.from([8, 0x80, 0x80]))).toThrow(/past the end/);
    expect(() => Wide.decode(Uint8Array.from([8, ...new Array(11).fill(0xff)]))).toThrow(/longer than 10/);
  });
});

describe("toBytes", () => {
  interface Wide {
    u32: number;
    i32: number;
    e: number;
    f32: number;
    u64: bigint;
    i64: bigint;
    f64: bigint;
    flag: boolean;
    text: string;
    data: Uint8Array;
    leaf: Coin | undefined;
    leaves: Coin[];
    texts: string[];
    blobs: Uint8Array[];
    i32s: number[];
    u64s: bigint[];
    flags: boolean[];
    far: number;
  }
  const Wide = defineMessage<Wide>("test.SizedWide", everyKindFields(() => Coin) as FieldDef[]);

  it("writes exactly encode()'s bytes for every kind, value and shape, and decodes them back", () => {
    const random = rng(21);
    const pick = <T>(choices: readonly T[]): T => choices[Math.floor(random() * choices.length)]!;
    const small = () => pick([0, 1, 127, 128, 300, 2 ** 21, 2 ** 31 - 1]);
    const int32 = () => pick([0, 5, 2 ** 31 - 1, -1, -(2 ** 31)]);
    const u64 = () => pick([0n, 1n, 2n ** 31n, 2n ** 32n, 2n ** 53n - 1n, 2n ** 53n, 2n ** 64n - 1n]);
    const i64 = () => pick([0n, 7n, 2n ** 40n, -1n, -(2n ** 63n)]);
    const bytes = () => Uint8Array.from({ length: pick([0, 1, 40, 200]) }, () => Math.floor(random() * 256));
    const list = <T>(make: () => T) => Array.from({ length: pick([0, 0, 1, 3]) }, make);
    const leaf = () => ({ denom: randomString(random, 12), amount: String(small()) });
    let viaSizedPath = 0;
    for (let i = 0; i < 2_000; i++) {
      const value = Wide.fromPartial({
        u32: small(),
        // Most messages keep to the values the sized path takes; the rest fall back.
        ...(random() < 0.3 ? { i32: int32(), e: int32(), f32: small(), f64: u64() } : {}),
        u64: random() < 0.7 ? BigInt(small()) : u64(),
        i64: random() < 0.7 ? BigInt(small()) : i64(),
        flag: random() < 0.5,
        text: random() < 0.5 ? "x".repeat(pick([0, 1, 127, 128, 300])) : randomString(random, 60),
        data: bytes(),
        leaf: random() < 0.5 ? leaf() : undefined,
        leaves: list(leaf),
        texts: list(() => randomString(random, 20)),
        blobs: list(bytes),
        i32s: list(random() < 0.8 ? small : int32),
        u64s: list(() => BigInt(small())),
        flags: list(() => random() < 0.5),
        far: small(),
      });
      const expected = Buffer.from(Wide.encode(value).finish()).toString("hex");
      expect(Buffer.from(Wide.toBytes(value)).toString("hex"), `message ${i}`).toBe(expected);
      expect(Wide.decode(Wide.toBytes(value)), `message ${i}`).toEqual(value);
      if (Wide.sizedLength(value) >= 0) viaSizedPath++;
    }
    // Both paths were exercised.
    expect(viaSizedPath).toBeGreaterThan(100);
    expect(viaSizedPath).toBeLessThan(1_900);
  });
});
