/**
 * Protobuf message schemas used for strict decoding: every field a message may carry, by number.
 * A field that is not listed, or that arrives with the wrong wire type, is rejected before anything
 * else looks at the bytes (Cosmos SDK's RejectUnknownFields, ADR-020).
 */
export type ScalarKind =
  | "uint32"
  | "uint64"
  | "int32"
  | "int64"
  | "bool"
  | "enum"
  | "string"
  | "bytes"
  | "fixed32"
  | "fixed64";

export type FieldKind =
  | ScalarKind
  /** A nested message validated against its own schema. */
  | { readonly message: () => MessageSchema }
  /** A google.protobuf.Any whose type_url must be a registered type; its value is validated recursively. */
  | "any";

export interface FieldSchema {
  readonly name: string;
  readonly kind: FieldKind;
  readonly repeated?: boolean;
  /** For enums: value names by number, so JSON shows `"VOTE_UP"` rather than `1`. */
  readonly enumValues?: readonly string[];
}

export interface MessageSchema {
  /** Full protobuf name, e.g. "cosmos.bank.v1beta1.MsgSend". */
  readonly name: string;
  readonly fields: Readonly<Record<number, FieldSchema>>;
}

/** Resolves an Any's type_url (e.g. "/cosmos.bank.v1beta1.MsgSend") to the schema of its value. */
export type AnyResolver = (typeUrl: string) => MessageSchema | undefined;
