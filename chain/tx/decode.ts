/**
 * Stateless admission of a Cosmos SDK tx (TxRaw bytes as @cosmjs/stargate sends them): everything
 * that can be checked without state or signature verification, cheapest first, each failure with
 * the Cosmos code a wallet expects. Signatures are NOT verified here (see crypto/verify*.ts): the
 * result carries the raw body/auth-info bytes so sign bytes can be rebuilt without re-encoding.
 */
import { PubKey as Ed25519PubKey } from "cosmjs-types/cosmos/crypto/ed25519/keys";
import { PubKey as Secp256k1PubKey } from "cosmjs-types/cosmos/crypto/secp256k1/keys";
import { AuthInfo, type SignerInfo, TxBody, TxRaw } from "cosmjs-types/cosmos/tx/v1beta1/tx";
import type { Any } from "cosmjs-types/google/protobuf/any";
import type { MsgDefinition } from "../../contracts/types.js";
import { assertKnownFields } from "../codec/strict.js";
import { viewReader } from "../codec/view-reader.js";
import { addressBytesOf, addressOf, decodeAddress, type PubKeyType } from "../crypto/address.js";
import { bytesEqual, sha256, toHexUpper } from "../crypto/hash.js";
import { isHighS } from "../crypto/verify.js";
import { CodedError, type RegisteredError, SdkErrors } from "../errors/codes.js";
import type { MsgRegistry } from "./msg-registry.js";
import {
  AuthInfoSchema,
  ED25519_PUBKEY_TYPE_URL,
  SECP256K1_PUBKEY_TYPE_URL,
  TxBodySchema,
  TxRawSchema,
} from "./schemas.js";

export interface TxLimits {
  maxTxBytes: number;
  /** Nesting cap for strict decoding of the body (messages and Anys count alike). */
  maxAnyDepth: number;
  maxMsgs: number;
  maxMemoBytes: number;
  maxSignatures: number;
  maxGasLimit: bigint;
}

export const DEFAULT_TX_LIMITS: Readonly<TxLimits> = Object.freeze({
  maxTxBytes: 64 * 1024,
  maxAnyDepth: 8,
  maxMsgs: 32,
  maxMemoBytes: 512,
  maxSignatures: 7,
  maxGasLimit: 100_000_000n,
});

export interface DecodedSigner {
  pubkeyType: PubKeyType;
  pubkey: Uint8Array;
  /** Canonical (lower-case) bech32 address of `pubkey`, equal to the msg signer it signs for. */
  address: string;
  sequence: bigint;
  /** 64 bytes; empty only in a simulated tx. */
  signature: Uint8Array;
}

export interface DecodedMsg {
  typeUrl: string;
  value: unknown;
  def: MsgDefinition<unknown>;
}

export interface DecodedTx {
  bytes: Uint8Array;
  hash: Uint8Array;
  /** Uppercase hex sha256(TxRaw bytes): what broadcast_tx_sync returns and tx_search matches. */
  hashHex: string;
  bodyBytes: Uint8Array;
  authInfoBytes: Uint8Array;
  msgs: DecodedMsg[];
  memo: string;
  timeoutHeight: bigint;
  /** In GetSigners order: unique msg signers by first appearance; signers[0] pays unless fee.payer is set. */
  signers: DecodedSigner[];
  fee: { amount: Array<{ denom: string; amount: string }>; gasLimit: bigint; payer: string; granter: string };
}

export interface DecodeOptions {
  /**
   * Simulate (cosmjs fee "auto"): accept SIGN_MODE_UNSPECIFIED and empty signatures, as cosmjs's
   * Simulate sends them. Such a tx must never reach the mempool.
   */
  simulate?: boolean;
}

const SIGN_MODE_UNSPECIFIED = 0;
const SIGN_MODE_DIRECT = 1;
const SIGNATURE_BYTES = 64;
const SECP256K1_PUBKEY_BYTES = 33;
const ED25519_PUBKEY_BYTES = 32;
/** AuthInfo has a fixed shape (SignerInfo > ModeInfo > Multi > ModeInfo > Single is the deepest we still want to name). */
const AUTH_INFO_MAX_DEPTH = 8;
/** Cosmos sdk.Coin denom rule. */
const DENOM = /^[a-zA-Z][a-zA-Z0-9/:._-]{2,127}$/;
/** Canonical non-negative integer (no sign, no leading zeros); Cosmos Int is at most 256 bits. */
const AMOUNT = /^(?:0|[1-9][0-9]{0,77})$/;
const MAX_AMOUNT = (1n << 256n) - 1n;

function coded(kind: RegisteredError, detail: string): CodedError {
  return new CodedError(kind, detail);
}

/** Runs a generated decoder or contract callback; anything it throws becomes a CodedError. */
function guard<T>(kind: RegisteredError, detail: string, fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    if (err instanceof CodedError) throw err;
    throw coded(kind, `${detail}: ${err instanceof Error ? err.message : String(err)}`);
  }
}

export function decodeTx(
  bytes: Uint8Array,
  registry: MsgRegistry,
  limits: TxLimits,
  opts: DecodeOptions = {},
): DecodedTx {
  const simulate = opts.simulate === true;

  // 1. Size, before touching the bytes.
  if (bytes.length > limits.maxTxBytes) {
    throw coded(SdkErrors.TxTooLarge, `tx is ${bytes.length} bytes, max ${limits.maxTxBytes}`);
  }
  if (bytes.length === 0) throw coded(SdkErrors.TxDecode, "tx bytes are empty");

  // 2. Strict decoding: unknown fields, wire types, UTF-8, Any resolution and depth.
  assertKnownFields(bytes, TxRawSchema, noAny, { maxDepth: 0, ascendingFields: true });
  const raw = guard(SdkErrors.TxDecode, "TxRaw", () => TxRaw.decode(viewReader(bytes)));
  assertKnownFields(raw.bodyBytes, TxBodySchema, registry.resolveBodyAny, { maxDepth: limits.maxAnyDepth });
  assertKnownFields(raw.authInfoBytes, AuthInfoSchema, registry.resolveAuthInfoAny, {
    maxDepth: AUTH_INFO_MAX_DEPTH,
  });
  const body = guard(SdkErrors.TxDecode, "TxBody", () => TxBody.decode(viewReader(raw.bodyBytes)));
  const authInfo = guard(SdkErrors.TxDecode, "AuthInfo", () =>
    AuthInfo.decode(viewReader(raw.authInfoBytes)),
  );

  // 3. Cheap caps, before any message is decoded or validated.
  if (body.messages.length > limits.maxMsgs) {
    throw coded(SdkErrors.InvalidRequest, `too many messages: ${body.messages.length} > ${limits.maxMsgs}`);
  }
  const memoBytes = Buffer.byteLength(body.memo, "utf8");
  if (memoBytes > limits.maxMemoBytes) {
    throw coded(SdkErrors.MemoTooLarge, `memo is ${memoBytes} bytes, max ${limits.maxMemoBytes}`);
  }

  // 4. Structure.
  rejectUnsupportedBody(body);
  if (body.messages.length === 0) throw coded(SdkErrors.InvalidRequest, "must contain at least one message");
  const msgs = body.messages.map((any, i) => decodeMsg(any, i, registry));
  const expected = collectSigners(msgs);
  if (expected.length > limits.maxSignatures) {
    throw coded(SdkErrors.TooManySignatures, `${expected.length} signers, max ${limits.maxSignatures}`);
  }
  const signatures = checkSignatureCounts(raw.signatures, authInfo.signerInfos, expected.length, simulate);
  const signers = expected.map((signer, i) =>
    decodeSigner(authInfo.signerInfos[i]!, i, signer, signatures[i] ?? new Uint8Array(), simulate),
  );
  if (authInfo.tip !== undefined) throw coded(SdkErrors.NotSupported, "tips are not supported");
  const fee = checkFee(
    authInfo.fee,
    expected.map((e) => e.address),
    limits,
  );

  const hash = sha256(bytes);
  return {
    bytes,
    hash,
    hashHex: toHexUpper(hash),
    bodyBytes: raw.bodyBytes,
    authInfoBytes: raw.authInfoBytes,
    msgs,
    memo: body.memo,
    timeoutHeight: body.timeoutHeight,
    signers,
    fee,
  };
}

/** TxRaw holds only bytes fields. */
const noAny = (): undefined => undefined;

/** Body features cosmjs never sends and the node does not implement: refuse rather than ignore. */
function rejectUnsupportedBody(body: TxBody): void {
  if (body.extensionOptions.length > 0 || body.nonCriticalExtensionOptions.length > 0) {
    throw coded(SdkErrors.UnknownExtensionOptions, "extension options are not supported");
  }
  // Ignoring these would drop a guarantee the signer asked for (replay rules / expiry time).
  if (body.unordered) throw coded(SdkErrors.NotSupported, "unordered transactions are not supported");
  if (body.timeoutTimestamp !== undefined) {
    throw coded(SdkErrors.NotSupported, "timeout_timestamp is not supported; use timeout_height");
  }
}

function decodeMsg(any: Any, i: number, registry: MsgRegistry): DecodedMsg {
  const def = registry.get(any.typeUrl);
  if (def === undefined) {
    throw coded(SdkErrors.UnpackAny, `message ${i}: ${JSON.stringify(any.typeUrl)} is not a registered Msg`);
  }
  const value = guard(SdkErrors.TxDecode, `message ${i} (${any.typeUrl})`, () => def.type.decode(any.value));
  guard(SdkErrors.InvalidRequest, `message ${i} (${any.typeUrl})`, () => def.validateBasic(value));
  return { typeUrl: any.typeUrl, value, def };
}

interface ExpectedSigner {
  /** Canonical (lower-case) bech32. */
  readonly address: string;
  readonly bytes: Uint8Array;
}

/** Cosmos GetSigners: every msg's signers, de-duplicated, in order of first appearance. */
function collectSigners(msgs: DecodedMsg[]): ExpectedSigner[] {
  const out: ExpectedSigner[] = [];
  msgs.forEach((m, i) => {
    const list = guard(SdkErrors.InvalidRequest, `message ${i} (${m.typeUrl}) signers`, () =>
      m.def.signers(m.value),
    );
    if (list.length === 0)
      throw coded(SdkErrors.InvalidRequest, `message ${i} (${m.typeUrl}) has no signers`);
    for (const s of list) {
      const bytes = decodeAddress(s);
      // Valid bech32 is all lower or all upper case, so lower-casing a validated string canonicalizes it.
      const address = s.toLowerCase();
      if (!out.some((e) => e.address === address)) out.push({ address, bytes });
    }
  });
  return out;
}

function checkSignatureCounts(
  signatures: Uint8Array[],
  signerInfos: SignerInfo[],
  expected: number,
  simulate: boolean,
): Uint8Array[] {
  if (signerInfos.length !== expected) {
    throw coded(
      SdkErrors.Unauthorized,
      `wrong number of signer infos; expected ${expected}, got ${signerInfos.length}`,
    );
  }
  // A simulated tx may omit signatures altogether.
  if (simulate && signatures.length === 0) return signatures;
  if (signatures.length === 0) throw coded(SdkErrors.NoSignatures, "no signatures supplied");
  if (signatures.length !== expected) {
    throw coded(
      SdkErrors.Unauthorized,
      `wrong number of signatures; expected ${expected}, got ${signatures.length}`,
    );
  }
  return signatures;
}

function decodeSigner(
  info: SignerInfo,
  i: number,
  expected: ExpectedSigner,
  signature: Uint8Array,
  simulate: boolean,
): DecodedSigner {
  const { type, key } = decodePubKey(info, i);
  // Compare raw address bytes; the bech32 string is only built for the error message.
  if (!bytesEqual(addressBytesOf(type, key), expected.bytes)) {
    throw coded(
      SdkErrors.InvalidSigner,
      `signer ${i}: public key belongs to ${addressOf(type, key)}, but the message signer is ${expected.address}`,
    );
  }

  const modeInfo = info.modeInfo;
  if (modeInfo?.multi !== undefined)
    throw coded(SdkErrors.NotSupported, `signer ${i}: multisig is not supported`);
  if (modeInfo?.single === undefined) throw coded(SdkErrors.InvalidRequest, `signer ${i}: missing mode_info`);
  const mode = modeInfo.single.mode;
  if (mode !== SIGN_MODE_DIRECT && !(simulate && mode === SIGN_MODE_UNSPECIFIED)) {
    throw coded(
      SdkErrors.NotSupported,
      `signer ${i}: sign mode ${mode} is not supported; use SIGN_MODE_DIRECT`,
    );
  }

  if (signature.length !== SIGNATURE_BYTES && !(simulate && signature.length === 0)) {
    throw coded(
      SdkErrors.Unauthorized,
      `signature ${i} must be ${SIGNATURE_BYTES} bytes, got ${signature.length}`,
    );
  }
  // Cosmos accepts only the low-S form; refusing the other here saves a verify (~0.6 ms).
  if (type === "secp256k1" && signature.length === SIGNATURE_BYTES && isHighS(signature)) {
    throw coded(SdkErrors.Unauthorized, `signature ${i} is not in lower-S form`);
  }
  return { pubkeyType: type, pubkey: key, address: expected.address, sequence: info.sequence, signature };
}

function decodePubKey(info: SignerInfo, i: number): { type: PubKeyType; key: Uint8Array } {
  const pk = info.publicKey;
  if (pk === undefined) throw coded(SdkErrors.InvalidPubKey, `signer ${i}: public key is required`);
  if (pk.typeUrl === SECP256K1_PUBKEY_TYPE_URL) {
    const key = guard(
      SdkErrors.TxDecode,
      `signer ${i} public key`,
      () => Secp256k1PubKey.decode(viewReader(pk.value)).key,
    );
    if (key.length !== SECP256K1_PUBKEY_BYTES || (key[0] !== 0x02 && key[0] !== 0x03)) {
      throw coded(SdkErrors.InvalidPubKey, `signer ${i}: secp256k1 key must be 33 bytes, compressed (02/03)`);
    }
    return { type: "secp256k1", key };
  }
  if (pk.typeUrl === ED25519_PUBKEY_TYPE_URL) {
    const key = guard(
      SdkErrors.TxDecode,
      `signer ${i} public key`,
      () => Ed25519PubKey.decode(viewReader(pk.value)).key,
    );
    if (key.length !== ED25519_PUBKEY_BYTES)
      throw coded(SdkErrors.InvalidPubKey, `signer ${i}: ed25519 key must be 32 bytes`);
    return { type: "ed25519", key };
  }
  throw coded(SdkErrors.InvalidPubKey, `signer ${i}: unsupported public key type ${pk.typeUrl}`);
}

function checkFee(fee: AuthInfo["fee"], signers: string[], limits: TxLimits): DecodedTx["fee"] {
  if (fee === undefined) throw coded(SdkErrors.InvalidRequest, "missing fee");
  let prev = "";
  fee.amount.forEach((c, i) => {
    if (!DENOM.test(c.denom))
      throw coded(SdkErrors.InvalidCoins, `fee coin ${i}: invalid denom ${JSON.stringify(c.denom)}`);
    if (!AMOUNT.test(c.amount) || BigInt(c.amount) > MAX_AMOUNT) {
      throw coded(SdkErrors.InvalidCoins, `fee coin ${i}: invalid amount ${JSON.stringify(c.amount)}`);
    }
    // Denoms are ASCII (checked above), so UTF-16 order equals Go's byte order.
    if (i > 0 && c.denom <= prev)
      throw coded(SdkErrors.InvalidCoins, "fee coins must be sorted by denom, without duplicates");
    prev = c.denom;
  });
  if (fee.gasLimit > limits.maxGasLimit) {
    throw coded(SdkErrors.InvalidGasLimit, `gas limit ${fee.gasLimit} exceeds max ${limits.maxGasLimit}`);
  }
  if (fee.granter !== "") throw coded(SdkErrors.NotSupported, "fee grants are not supported");
  let payer = "";
  if (fee.payer !== "") {
    // Cosmos would add a non-signer payer to the signers; we only let a signer be named payer.
    decodeAddress(fee.payer);
    payer = fee.payer.toLowerCase();
    if (!signers.includes(payer))
      throw coded(SdkErrors.InvalidRequest, "fee payer must be one of the message signers");
  }
  return {
    amount: fee.amount.map((c) => ({ denom: c.denom, amount: c.amount })),
    gasLimit: fee.gasLimit,
    payer,
    granter: "",
  };
}
