/**
 * The contract interface: deterministic modules executed by the node for every committed block.
 *
 * Nothing in `contracts/` may read a clock, randomness, the network or the disk: everything comes
 * from the `ExecContext` (block height and time, chain id, the state store, the gas meter). Handlers
 * are synchronous and either return a response or throw a `CodedError`; the node runs each tx's
 * messages in a branch of the state that is discarded when any of them throws.
 */
import type { MessageSchema } from "../chain/codec/schema.js";
import type { DuplicateVoteEvidence } from "../chain/evidence/types.js";

export interface Timestamp {
  readonly seconds: bigint;
  readonly nanos: number;
}

export interface BlockInfo {
  readonly chainId: string;
  readonly height: bigint;
  readonly time: Timestamp;
}

/** The key-value state a handler sees. Keys and values are raw bytes; reads are synchronous. */
export interface KVStore {
  get(key: Uint8Array): Uint8Array | undefined;
  has(key: Uint8Array): boolean;
  set(key: Uint8Array, value: Uint8Array): void;
  delete(key: Uint8Array): void;
}

export interface EventAttribute {
  readonly key: string;
  readonly value: string;
  /** Indexed attributes can be searched with tx_search (`type.key='value'`). */
  readonly index: boolean;
}

export interface AbciEvent {
  readonly type: string;
  readonly attributes: readonly EventAttribute[];
}

export interface GasMeter {
  readonly limit: bigint;
  consumed(): bigint;
  /** Throws an OutOfGas CodedError when the limit would be exceeded. */
  consume(amount: number, descriptor: string): void;
}

export interface ExecContext {
  readonly block: BlockInfo;
  readonly store: KVStore;
  readonly gas: GasMeter;
  emit(event: AbciEvent): void;
  /** The module parameters and cross-module services known to the node (see `ModuleRegistry`). */
  readonly modules: ModuleRegistry;
}

/** The read half of a store: what getters that serve both handlers and queries need. */
export type KVReader = Pick<KVStore, "get">;

/** A read-only view for queries (abci_query); may iterate over key ranges. */
export interface QueryContext {
  readonly block: BlockInfo;
  get(key: Uint8Array): Uint8Array | undefined;
  /** Entries whose key starts with `prefix`, in key order, at most `limit`, starting after `after`. */
  range(
    prefix: Uint8Array,
    opts: { limit: number; after?: Uint8Array },
  ): Promise<Array<[Uint8Array, Uint8Array]>>;
}

/** What cosmjs-types' generated objects provide: enough to decode, encode and build a message. */
export interface ProtoType<T> {
  encode(message: T, writer?: unknown): { finish(): Uint8Array };
  decode(input: Uint8Array): T;
  fromPartial(object: never): T;
}

export interface MsgDefinition<T = unknown> {
  readonly typeUrl: string;
  readonly type: ProtoType<T>;
  readonly schema: MessageSchema;
  /** Bech32 addresses that must sign this message (the first one pays the fee, as in Cosmos). */
  signers(msg: T): string[];
  /** Stateless checks (addresses, amounts, lengths); throws a CodedError. */
  validateBasic(msg: T): void;
  /** Executes the message; returns the encoded response and its type URL for TxMsgData. */
  handle(ctx: ExecContext, msg: T): MsgResponse;
}

export interface MsgResponse {
  readonly typeUrl: string;
  readonly value: Uint8Array;
}

export type QueryHandler = (ctx: QueryContext, request: Uint8Array) => Promise<Uint8Array> | Uint8Array;

/** A type that may appear inside an Any nested in a Msg but is not itself a Msg (a gov proposal's legacy content). */
export interface AnyType {
  readonly typeUrl: string;
  readonly schema: MessageSchema;
}

export interface ContractModule {
  readonly name: string;
  readonly msgs: readonly MsgDefinition<never>[];
  /** Non-Msg types this module's Msgs carry inside an Any; strict decoding resolves them. */
  readonly anyTypes?: readonly AnyType[];
  /** gRPC-style query paths, e.g. "/cosmos.bank.v1beta1.Query/Balance". */
  readonly queries: Readonly<Record<string, QueryHandler>>;
  /** Checks this module's part of genesis.json; throws an Error naming the bad field. */
  validateGenesis(state: unknown): void;
  initGenesis(ctx: ExecContext, state: unknown): void;
  /**
   * Runs before the block's txs (CometBFT's BeginBlock) with the evidence the block carries;
   * events it emits lead the block's end-block events.
   */
  beginBlock?(ctx: ExecContext, info: BeginBlockInfo): void;
  /** Runs after the block's txs; may hand validator-set changes to consensus (effective at H+2). */
  // biome-ignore lint/suspicious/noConfusingVoidType: a hook with nothing to hand back just returns.
  endBlock?(ctx: ExecContext): EndBlockResult | void;
}

/** A change of one validator's voting power; power 0 removes it (CometBFT's ABCI ValidatorUpdate). */
export interface ValidatorUpdate {
  /** ed25519 consensus public key, 32 bytes. */
  readonly pubKey: Uint8Array;
  readonly power: bigint;
}

export interface EndBlockResult {
  readonly validatorUpdates?: readonly ValidatorUpdate[];
}

/** What a block hands the modules before its txs run. */
export interface BeginBlockInfo {
  /** Verified misbehaviour committed by this block, in block order. */
  readonly evidence: readonly DuplicateVoteEvidence[];
}

export interface ModuleRegistry {
  readonly modules: readonly ContractModule[];
  msg(typeUrl: string): MsgDefinition<unknown> | undefined;
}
