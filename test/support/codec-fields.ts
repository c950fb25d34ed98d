/**
 * A field table with every protobuf kind, singular and repeated, a nested message (`coin`) and a
 * field number past one tag byte: the shape the codec property tests encode and decode.
 */
export interface EveryKindField {
  readonly no: number;
  readonly name: string;
  readonly kind: string;
  readonly repeated?: boolean;
  readonly type?: () => unknown;
}

export function everyKindFields(coin: () => unknown): EveryKindField[] {
  return [
    { no: 1, name: "u32", kind: "uint32" },
    { no: 2, name: "i32", kind: "int32" },
    { no: 3, name: "e", kind: "enum" },
    { no: 4, name: "f32", kind: "fixed32" },
    { no: 5, name: "u64", kind: "uint64" },
    { no: 6, name: "i64", kind: "int64" },
    { no: 7, name: "f64", kind: "fixed64" },
    { no: 8, name: "flag", kind: "bool" },
    { no: 9, name: "text", kind: "string" },
    { no: 10, name: "data", kind: "bytes" },
    { no: 11, name: "leaf", kind: "message", type: coin },
    { no: 12, name: "leaves", kind: "message", type: coin, repeated: true },
    { no: 13, name: "texts", kind: "string", repeated: true },
    { no: 14, name: "blobs", kind: "bytes", repeated: true },
    { no: 15, name: "i32s", kind: "int32", repeated: true },
    { no: 16, name: "u64s", kind: "uint64", repeated: true },
    { no: 17, name: "flags", kind: "bool", repeated: true },
    { no: 2000, name: "far", kind: "uint32" },
  ];
}
