/**
 * Protobuf encodings of the validators module (proto/vivim/validators/v1/*.proto), written by hand
 * in the shape of cosmjs-types' generated objects (`encode`, `decode`, `fromPartial`), so that the
 * same objects serve the node, a cosmjs `Registry` and the typed client. Encoding is canonical
 * proto3: fields in number order, default values omitted.
 */
import { BinaryReader, BinaryWriter } from "cosmjs-types/binary";
import { PageRequest, PageResponse } from "cosmjs-types/cosmos/base/query/v1beta1/pagination";

type Reader = BinaryReader;
type Writer = BinaryWriter;

interface Codec<T> {
  readonly typeUrl: string;
  encode(message: T, writer?: Writer): Writer;
  decode(input: Uint8Array | Reader, length?: number): T;
  fromPartial(object: Partial<T>): T;
}

/** Builds a codec from a field writer and a field reader; unknown fields are skipped (strict decoding happens before). */
function codec<T>(
  typeUrl: string,
  defaults: () => T,
  write: (m: T, w: Writer) => void,
  read: (m: T, r: Reader, tag: number) => boolean,
): Codec<T> {
  return {
    typeUrl,
    encode(message, writer = BinaryWriter.create()) {
      write(message, writer);
      return writer;
    },
    decode(input, length) {
      const r = input instanceof BinaryReader ? input : new BinaryReader(input);
      const end = length === undefined ? r.len : r.pos + length;
      const m = defaults();
      while (r.pos < end) {
        const tag = r.uint32();
        if (!read(m, r, tag)) r.skipType(tag & 7);
      }
      return m;
    },
    fromPartial(object) {
      return { ...defaults(), ...object };
    },
  };
}

function writeBytes(w: Writer, field: number, b: Uint8Array): void {
  if (b.length > 0) w.uint32((field << 3) | 2).bytes(b);
}
function writeString(w: Writer, field: number, s: string): void {
  if (s.length > 0) w.uint32((field << 3) | 2).string(s);
}
function writeInt64(w: Writer, field: number, v: bigint): void {
  if (v !== 0n) w.uint32(field << 3).int64(v);
}
function writeUint64(w: Writer, field: number, v: bigint): void {
  if (v !== 0n) w.uint32(field << 3).uint64(v);
}
function writeUint32(w: Writer, field: number, v: number): void {
  if (v !== 0) w.uint32(field << 3).uint32(v);
}
function writeMessage<T>(w: Writer, field: number, c: Codec<T>, m: T): void {
  c.encode(m, w.uint32((field << 3) | 2).fork()).ldelim();
}

// ---------------------------------------------------------------- state

/** A validator of the registry: the set consensus uses (or will, once pending updates are applied). */
export interface ValidatorRecord {
  /** ed25519 consensus public key, 32 bytes. */
  pubKey: Uint8Array;
  power: bigint;
  moniker: string;
  /**
   * Bech32 account that runs the validator (as Cosmos's valoper): it holds the validator's council
   * voting power in governance. Empty: no operator (a legacy record, or one added without), no vote.
   */
  operator: string;
}

export const ValidatorRecord = codec<ValidatorRecord>(
  "/vivim.validators.v1.Validator",
  () => ({ pubKey: new Uint8Array(), power: 0n, moniker: "", operator: "" }),
  (m, w) => {
    writeBytes(w, 1, m.pubKey);
    writeInt64(w, 2, m.power);
    writeString(w, 3, m.moniker);
    writeString(w, 4, m.operator);
  },
  (m, r, tag) => {
    if (tag === 10) m.pubKey = r.bytes();
    else if (tag === 16) m.power = r.int64();
    else if (tag === 26) m.moniker = r.string();
    else if (tag === 34) m.operator = r.string();
    else return false;
    return true;
  },
);

/** A queued change: `power` is the target (0 removes); applied in FIFO order under the per-block cap. */
export interface PendingUpdate {
  id: bigint;
  pubKey: Uint8Array;
  power: bigint;
  moniker: string;
  /** Height of the block whose tx (or governance) queued it. */
  queuedHeight: bigint;
  /** The operator the validator gets when the update applies; empty keeps the current one. */
  operator: string;
}

export const PendingUpdate = codec<PendingUpdate>(
  "/vivim.validators.v1.PendingUpdate",
  () => ({ id: 0n, pubKey: new Uint8Array(), power: 0n, moniker: "", queuedHeight: 0n, operator: "" }),
  (m, w) => {
    writeUint64(w, 1, m.id);
    writeBytes(w, 2, m.pubKey);
    writeInt64(w, 3, m.power);
    writeString(w, 4, m.moniker);
    writeInt64(w, 5, m.queuedHeight);
    writeString(w, 6, m.operator);
  },
  (m, r, tag) => {
    if (tag === 8) m.id = r.uint64();
    else if (tag === 18) m.pubKey = r.bytes();
    else if (tag === 24) m.power = r.int64();
    else if (tag === 34) m.moniker = r.string();
    else if (tag === 40) m.queuedHeight = r.int64();
    else if (tag === 50) m.operator = r.string();
    else return false;
    return true;
  },
);

export interface Params {
  /** Bech32 address allowed to send MsgUpdateValidator (the gov module account by default). */
  authority: string;
  maxValidators: number;
  /** Sum of |Δpower| applied in one block, as a percentage of the total power at the block's start. */
  maxPowerChangePerBlockPercent: number;
  maxValidatorPower: bigint;
  maxPendingUpdates: number;
}

export const Params = codec<Params>(
  "/vivim.validators.v1.Params",
  () => ({
    authority: "",
    maxValidators: 0,
    maxPowerChangePerBlockPercent: 0,
    maxValidatorPower: 0n,
    maxPendingUpdates: 0,
  }),
  (m, w) => {
    writeString(w, 1, m.authority);
    writeUint32(w, 2, m.maxValidators);
    writeUint32(w, 3, m.maxPowerChangePerBlockPercent);
    writeInt64(w, 4, m.maxValidatorPower);
    writeUint32(w, 5, m.maxPendingUpdates);
  },
  (m, r, tag) => {
    if (tag === 10) m.authority = r.string();
    else if (tag === 16) m.maxValidators = r.uint32();
    else if (tag === 24) m.maxPowerChangePerBlockPercent = r.uint32();
    else if (tag === 32) m.maxValidatorPower = r.int64();
    else if (tag === 40) m.maxPendingUpdates = r.uint32();
    else return false;
    return true;
  },
);

// ---------------------------------------------------------------- tx

export interface MsgUpdateValidator {
  authority: string;
  pubKey: Uint8Array;
  power: bigint;
  moniker: string;
  /** Optional bech32 operator account; empty keeps the current one (a new validator then has none). */
  operator: string;
}

export const MsgUpdateValidator = codec<MsgUpdateValidator>(
  "/vivim.validators.v1.MsgUpdateValidator",
  () => ({ authority: "", pubKey: new Uint8Array(), power: 0n, moniker: "", operator: "" }),
  (m, w) => {
    writeString(w, 1, m.authority);
    writeBytes(w, 2, m.pubKey);
    writeInt64(w, 3, m.power);
    writeString(w, 4, m.moniker);
    writeString(w, 5, m.operator);
  },
  (m, r, tag) => {
    if (tag === 10) m.authority = r.string();
    else if (tag === 18) m.pubKey = r.bytes();
    else if (tag === 24) m.power = r.int64();
    else if (tag === 34) m.moniker = r.string();
    else if (tag === 42) m.operator = r.string();
    else return false;
    return true;
  },
);

export interface MsgUpdateValidatorResponse {
  updateId: bigint;
}

export const MsgUpdateValidatorResponse = codec<MsgUpdateValidatorResponse>(
  "/vivim.validators.v1.MsgUpdateValidatorResponse",
  () => ({ updateId: 0n }),
  (m, w) => writeUint64(w, 1, m.updateId),
  (m, r, tag) => {
    if (tag !== 8) return false;
    m.updateId = r.uint64();
    return true;
  },
);

// ---------------------------------------------------------------- queries

export interface PagedRequest {
  pagination: PageRequest | undefined;
}

function pagedRequest(typeUrl: string): Codec<PagedRequest> {
  return codec<PagedRequest>(
    typeUrl,
    () => ({ pagination: undefined }),
    (m, w) => {
      if (m.pagination) writeMessage(w, 1, PageRequest as unknown as Codec<PageRequest>, m.pagination);
    },
    (m, r, tag) => {
      if (tag !== 10) return false;
      m.pagination = PageRequest.decode(r, r.uint32());
      return true;
    },
  );
}

export const QueryValidatorsRequest = pagedRequest("/vivim.validators.v1.QueryValidatorsRequest");
export const QueryPendingUpdatesRequest = pagedRequest("/vivim.validators.v1.QueryPendingUpdatesRequest");

export interface QueryValidatorsResponse {
  validators: ValidatorRecord[];
  pagination: PageResponse | undefined;
  /** Total power of the registry (all pages). */
  totalPower: bigint;
}

export const QueryValidatorsResponse = codec<QueryValidatorsResponse>(
  "/vivim.validators.v1.QueryValidatorsResponse",
  () => ({ validators: [], pagination: undefined, totalPower: 0n }),
  (m, w) => {
    for (const v of m.validators) writeMessage(w, 1, ValidatorRecord, v);
    if (m.pagination) writeMessage(w, 2, PageResponse as unknown as Codec<PageResponse>, m.pagination);
    writeInt64(w, 3, m.totalPower);
  },
  (m, r, tag) => {
    if (tag === 10) m.validators.push(ValidatorRecord.decode(r, r.uint32()));
    else if (tag === 18) m.pagination = PageResponse.decode(r, r.uint32());
    else if (tag === 24) m.totalPower = r.int64();
    else return false;
    return true;
  },
);

export interface QueryPendingUpdatesResponse {
  updates: PendingUpdate[];
  pagination: PageResponse | undefined;
}

export const QueryPendingUpdatesResponse = codec<QueryPendingUpdatesResponse>(
  "/vivim.validators.v1.QueryPendingUpdatesResponse",
  () => ({ updates: [], pagination: undefined }),
  (m, w) => {
    for (const u of m.updates) writeMessage(w, 1, PendingUpdate, u);
    if (m.pagination) writeMessage(w, 2, PageResponse as unknown as Codec<PageResponse>, m.pagination);
  },
  (m, r, tag) => {
    if (tag === 10) m.updates.push(PendingUpdate.decode(r, r.uint32()));
    else if (tag === 18) m.pagination = PageResponse.decode(r, r.uint32());
    else return false;
    return true;
  },
);

export interface QueryParamsResponse {
  params: Params | undefined;
}

export const QueryParamsResponse = codec<QueryParamsResponse>(
  "/vivim.validators.v1.QueryParamsResponse",
  () => ({ params: undefined }),
  (m, w) => {
    if (m.params) writeMessage(w, 1, Params, m.params);
  },
  (m, r, tag) => {
    if (tag !== 10) return false;
    m.params = Params.decode(r, r.uint32());
    return true;
  },
);
