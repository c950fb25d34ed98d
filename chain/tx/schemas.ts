/**
 * Strict-decoding schemas of the Cosmos SDK tx envelope (cosmos/tx/v1beta1/tx.proto, SDK v0.50+),
 * field numbers as in the .proto files. Every field the SDK defines is listed, even those the node
 * then refuses (multisig, tips, extension options), so that refusing them gives a precise error
 * instead of a generic "unknown field".
 */
import type { MessageSchema } from "../codec/schema.js";

export const CoinSchema: MessageSchema = {
  name: "cosmos.base.v1beta1.Coin",
  fields: {
    1: { name: "denom", kind: "string" },
    2: { name: "amount", kind: "string" },
  },
};

export const AnySchema: MessageSchema = {
  name: "google.protobuf.Any",
  fields: {
    1: { name: "type_url", kind: "string" },
    2: { name: "value", kind: "bytes" },
  },
};

export const TimestampSchema: MessageSchema = {
  name: "google.protobuf.Timestamp",
  fields: {
    1: { name: "seconds", kind: "int64" },
    2: { name: "nanos", kind: "int32" },
  },
};

export const TxRawSchema: MessageSchema = {
  name: "cosmos.tx.v1beta1.TxRaw",
  fields: {
    1: { name: "body_bytes", kind: "bytes" },
    2: { name: "auth_info_bytes", kind: "bytes" },
    3: { name: "signatures", kind: "bytes", repeated: true },
  },
};

export const TxBodySchema: MessageSchema = {
  name: "cosmos.tx.v1beta1.TxBody",
  fields: {
    1: { name: "messages", kind: "any", repeated: true },
    2: { name: "memo", kind: "string" },
    3: { name: "timeout_height", kind: "uint64" },
    4: { name: "unordered", kind: "bool" },
    5: { name: "timeout_timestamp", kind: { message: () => TimestampSchema } },
    // Declared as opaque bytes (wire-compatible with Any) on purpose: the walker must not try to
    // resolve their type_url, so that decodeTx can answer UnknownExtensionOptions (code 31) as
    // Cosmos's RejectExtensionOptionsDecorator does, rather than a generic UnpackAny.
    1023: { name: "extension_options", kind: "bytes", repeated: true },
    2047: { name: "non_critical_extension_options", kind: "bytes", repeated: true },
  },
};

export const CompactBitArraySchema: MessageSchema = {
  name: "cosmos.crypto.multisig.v1beta1.CompactBitArray",
  fields: {
    1: { name: "extra_bits_stored", kind: "uint32" },
    2: { name: "elems", kind: "bytes" },
  },
};

export const ModeInfoSingleSchema: MessageSchema = {
  name: "cosmos.tx.v1beta1.ModeInfo.Single",
  fields: { 1: { name: "mode", kind: "enum" } },
};

export const ModeInfoMultiSchema: MessageSchema = {
  name: "cosmos.tx.v1beta1.ModeInfo.Multi",
  fields: {
    1: { name: "bitarray", kind: { message: () => CompactBitArraySchema } },
    // Recursive: the walker's depth cap is what bounds it.
    2: { name: "mode_infos", kind: { message: () => ModeInfoSchema }, repeated: true },
  },
};

export const ModeInfoSchema: MessageSchema = {
  name: "cosmos.tx.v1beta1.ModeInfo",
  fields: {
    1: { name: "single", kind: { message: () => ModeInfoSingleSchema } },
    2: { name: "multi", kind: { message: () => ModeInfoMultiSchema } },
  },
};

export const SignerInfoSchema: MessageSchema = {
  name: "cosmos.tx.v1beta1.SignerInfo",
  fields: {
    1: { name: "public_key", kind: "any" },
    2: { name: "mode_info", kind: { message: () => ModeInfoSchema } },
    3: { name: "sequence", kind: "uint64" },
  },
};

export const FeeSchema: MessageSchema = {
  name: "cosmos.tx.v1beta1.Fee",
  fields: {
    1: { name: "amount", kind: { message: () => CoinSchema }, repeated: true },
    2: { name: "gas_limit", kind: "uint64" },
    3: { name: "payer", kind: "string" },
    4: { name: "granter", kind: "string" },
  },
};

export const TipSchema: MessageSchema = {
  name: "cosmos.tx.v1beta1.Tip",
  fields: {
    1: { name: "amount", kind: { message: () => CoinSchema }, repeated: true },
    2: { name: "tipper", kind: "string" },
  },
};

export const AuthInfoSchema: MessageSchema = {
  name: "cosmos.tx.v1beta1.AuthInfo",
  fields: {
    1: { name: "signer_infos", kind: { message: () => SignerInfoSchema }, repeated: true },
    2: { name: "fee", kind: { message: () => FeeSchema } },
    3: { name: "tip", kind: { message: () => TipSchema } },
  },
};

export const Secp256k1PubKeySchema: MessageSchema = {
  name: "cosmos.crypto.secp256k1.PubKey",
  fields: { 1: { name: "key", kind: "bytes" } },
};

export const Ed25519PubKeySchema: MessageSchema = {
  name: "cosmos.crypto.ed25519.PubKey",
  fields: { 1: { name: "key", kind: "bytes" } },
};

/** Known to Cosmos but not accepted by VIVIM: decoded so the refusal can say InvalidPubKey. */
export const Secp256r1PubKeySchema: MessageSchema = {
  name: "cosmos.crypto.secp256r1.PubKey",
  fields: { 1: { name: "key", kind: "bytes" } },
};

export const LegacyAminoPubKeySchema: MessageSchema = {
  name: "cosmos.crypto.multisig.LegacyAminoPubKey",
  fields: {
    1: { name: "threshold", kind: "uint32" },
    2: { name: "public_keys", kind: "any", repeated: true },
  },
};

export const SECP256K1_PUBKEY_TYPE_URL = "/cosmos.crypto.secp256k1.PubKey";
export const ED25519_PUBKEY_TYPE_URL = "/cosmos.crypto.ed25519.PubKey";

/** Every pubkey type an AuthInfo may carry and still strict-decode; only the first two can sign. */
export const PUBKEY_SCHEMAS: Readonly<Record<string, MessageSchema>> = {
  [SECP256K1_PUBKEY_TYPE_URL]: Secp256k1PubKeySchema,
  [ED25519_PUBKEY_TYPE_URL]: Ed25519PubKeySchema,
  "/cosmos.crypto.secp256r1.PubKey": Secp256r1PubKeySchema,
  "/cosmos.crypto.multisig.LegacyAminoPubKey": LegacyAminoPubKeySchema,
};
