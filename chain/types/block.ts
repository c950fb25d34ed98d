/**
 * The block data model. Field names follow CometBFT's so the RPC layer maps them one to one; the
 * header additionally commits to an event root, so any event can be proven against a header.
 */
import type { AbciEvent } from "../../contracts/types.js";
import type { DuplicateVoteEvidence } from "../evidence/types.js";
import type { Timestamp } from "./timestamp.js";

export const BLOCK_PROTOCOL_VERSION = 11n;
export const APP_PROTOCOL_VERSION = 1n;

export interface PartSetHeader {
  readonly total: number;
  readonly hash: Uint8Array;
}

/** A block id; an empty `hash` means "no block" (nil votes, the first block's parent). */
export interface BlockId {
  readonly hash: Uint8Array;
  readonly parts: PartSetHeader;
}

export interface Header {
  readonly version: { readonly block: bigint; readonly app: bigint };
  readonly chainId: string;
  readonly height: bigint;
  readonly time: Timestamp;
  readonly lastBlockId: BlockId;
  /** Merkle root of the last commit's signatures. */
  readonly lastCommitHash: Uint8Array;
  /** Tx root: Merkle root over sha256(tx bytes) in block order. */
  readonly dataHash: Uint8Array;
  readonly validatorsHash: Uint8Array;
  readonly nextValidatorsHash: Uint8Array;
  readonly consensusHash: Uint8Array;
  /** Authenticated state root after executing this block's txs (immediate execution). */
  readonly appHash: Uint8Array;
  /** Merkle root over this block's deterministic tx results (code, data, gas). */
  readonly lastResultsHash: Uint8Array;
  /** Merkle root over every event emitted by this block (tx events in order, then end-block events). */
  readonly eventRoot: Uint8Array;
  /** Merkle root over this block's evidence (chain/evidence/codec.ts `evidenceListHash`). */
  readonly evidenceHash: Uint8Array;
  readonly proposerAddress: Uint8Array;
}

export enum BlockIdFlag {
  Absent = 1,
  Commit = 2,
  Nil = 3,
}

export interface CommitSig {
  readonly flag: BlockIdFlag;
  readonly validatorAddress: Uint8Array;
  readonly timestamp: Timestamp;
  readonly signature: Uint8Array;
}

/** The +2/3 precommits for a block, carried as the next block's last commit and stored per height. */
export interface Commit {
  readonly height: bigint;
  readonly round: number;
  readonly blockId: BlockId;
  readonly signatures: readonly CommitSig[];
}

export interface Block {
  readonly header: Header;
  readonly txs: readonly Uint8Array[];
  /** Misbehaviour (double signs) committed by this block; executed before its txs. */
  readonly evidence: readonly DuplicateVoteEvidence[];
  readonly lastCommit: Commit;
}

/** The outcome of one tx in a block, as DeliverTx/ExecTxResult reports it. */
export interface TxResult {
  readonly code: number;
  readonly codespace: string;
  readonly log: string;
  /** Encoded cosmos.base.abci.v1beta1.TxMsgData. */
  readonly data: Uint8Array;
  readonly gasWanted: bigint;
  readonly gasUsed: bigint;
  readonly events: readonly AbciEvent[];
}

export const EMPTY_HASH: Uint8Array = new Uint8Array(0);

export const NIL_BLOCK_ID: BlockId = Object.freeze({
  hash: EMPTY_HASH,
  parts: Object.freeze({ total: 0, hash: EMPTY_HASH }),
});

export function isNilBlockId(id: BlockId): boolean {
  return id.hash.length === 0;
}
