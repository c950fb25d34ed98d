import { MsgSend } from "cosmjs-types/cosmos/bank/v1beta1/tx";
import { describe, expect, it } from "vitest";
import { defineMessage } from "./proto-message.js";
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
