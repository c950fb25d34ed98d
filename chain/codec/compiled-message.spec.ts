import { describe, expect, it } from "vitest";
import { everyKindFields } from "../../test/support/codec-fields.js";
import { randomString, rng } from "../../test/support/random-strings.js";
import { compileMessage, generateMessage } from "./compiled-message.js";
import type { CodecField, FieldCodec } from "./field-kinds.js";
import { interpretMessage } from "./interpreted-message.js";
import { SizedWriter } from "./sized-writer.js";

const COIN: CodecField[] = [
  { no: 1, name: "denom", kind: "string" },
  { no: 2, name: "amount", kind: "string" },
];

const fieldsOf = (coin: () => FieldCodec<unknown>) => everyKindFields(coin) as CodecField[];

const genCoin = generateMessage<unknown>(COIN);
const interpCoin = interpretMessage<unknown>(COIN);
const generated = generateMessage<Record<string, unknown>>(fieldsOf(() => genCoin));
const interpreted = interpretMessage<Record<string, unknown>>(fieldsOf(() => interpCoin));

function sized(codec: FieldCodec<Record<string, unknown>>, m: Record<string, unknown>): string | number {
  const n = codec.sizedLength(m);
  if (n < 0) return n;
  const w = new SizedWriter(n);
  codec.writeSized(w, m);
  return Buffer.from(w.finish()).toString("hex");
}

describe("generated message codecs", () => {
  it("give the interpreted codec's results for every kind, value and shape", () => {
    const random = rng(7);
    const pick = <T>(choices: readonly T[]): T => choices[Math.floor(random() * choices.length)]!;
    const small = () => pick([0, 1, 127, 128, 300, 2 ** 21, 2 ** 31 - 1]);
    const list = <T>(make: () => T) => Array.from({ length: pick([0, 0, 1, 3]) }, make);
    const bytes = () => Uint8Array.from({ length: pick([0, 1, 40]) }, () => Math.floor(random() * 256));
    let sizedCount = 0;
    for (let i = 0; i < 1_500; i++) {
      // Half the messages keep to values the sized path takes (no lone surrogates, no negative or
      // fixed-width numbers, 64-bit ones below 2^53); the rest may hold anything.
      const plain = random() < 0.5;
      const str = (max: number) =>
        plain ? pick(["", "x", "é€"]).repeat(pick([1, 7, 30])) : randomString(random, max);
      const leaf = () => ({ denom: str(30), amount: String(small()) });
      const partial = {
        u32: small(),
        ...(!plain && random() < 0.5
          ? { i32: pick([5, -1, -(2 ** 31)]), e: pick([0, 3, -2]), f32: small() }
          : {}),
        u64: plain || random() < 0.5 ? BigInt(small()) : pick([2n ** 53n - 1n, 2n ** 53n, 2n ** 64n - 1n]),
        i64: plain || random() < 0.5 ? BigInt(small()) : pick([-1n, -(2n ** 63n)]),
        ...(!plain && random() < 0.3 ? { f64: pick([1n, 2n ** 64n - 1n]) } : {}),
        flag: random() < 0.5,
        text: random() < 0.5 ? "x".repeat(pick([0, 19, 20, 300])) : str(60),
        data: bytes(),
        leaf: random() < 0.5 ? leaf() : undefined,
        leaves: list(leaf),
        texts: list(() => str(40)),
        blobs: list(bytes),
        i32s: list(small),
        u64s: list(() => BigInt(small())),
        flags: list(() => random() < 0.5),
        far: small(),
      };
      const a = generated.fromPartial(partial);
      expect(a, `message ${i}`).toEqual(interpreted.fromPartial(partial));
      const encoding = sized(generated, a);
      expect(encoding, `message ${i}`).toBe(sized(interpreted, a));
      if (typeof encoding === "string") {
        sizedCount++;
        const bytesOf = new Uint8Array(Buffer.from(encoding, "hex"));
        expect(generated.decode(bytesOf), `message ${i}`).toEqual(interpreted.decode(bytesOf));
        expect(generated.decode(bytesOf), `message ${i}`).toEqual(a);
      }
    }
    expect(sizedCount).toBeGreaterThan(300);
    expect(generated.defaults()).toEqual(interpreted.defaults());
  });

  it("decode packed and unpacked repeated numbers, and skip unknown fields and wrong wire types alike", () => {
    const tag = (no: number, wire: number) => {
      const out: number[] = [];
      let v = (no << 3) | wire;
      for (; v >= 128; v >>>= 7) out.push((v & 127) | 128);
      return [...out, v];
    };
    const cases = [
      [...tag(16, 0), 3, ...tag(16, 0), 4], // u64s unpacked
      [...tag(16, 2), 2, 5, 6], // u64s packed
      [...tag(99, 0), 1, ...tag(1, 0), 9], // an unknown varint field, then u32
      [...tag(9, 0), 1, ...tag(1, 0), 9], // text sent as a varint: skipped
      [...tag(11, 0), 1], // a message sent as a varint: skipped
      [...tag(3, 5), 1, 2, 3, 4], // enum sent as fixed32: skipped
    ];
    for (const bytes of cases) {
      const input = Uint8Array.from(bytes);
      expect(generated.decode(input)).toEqual(interpreted.decode(input));
    }
    expect(generated.decode(Uint8Array.from(cases[0]!)).u64s).toEqual([3n, 4n]);
    expect(generated.decode(Uint8Array.from(cases[1]!)).u64s).toEqual([5n, 6n]);
    expect(generated.decode(Uint8Array.from(cases[2]!)).u32).toBe(9);
    expect(generated.decode(Uint8Array.from(cases[3]!))).toMatchObject({ text: "", u32: 9 });
  });

  it("refuse a field name that is not a plain identifier", () => {
    for (const name of ["a-b", "__proto__", "x;y", ""])
      expect(() => compileMessage("test.Bad", [{ no: 1, name, kind: "string" }])).toThrow(/plain identifier/);
  });
});
