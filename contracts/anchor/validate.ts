/**
 * Stateless field checks of the anchor module, shared with the anchoring service and `findAnchor`
 * (chain/anchor/), which validate what they read from other chains by the same rules.
 */
import { CodedError } from "../../chain/errors/codes.js";
import { AnchorErrors } from "./errors.js";

/** CometBFT chain ids are at most 50 characters; ':' is excluded because anchor memos use it as a separator. */
export const CHAIN_ID = /^[a-zA-Z0-9][a-zA-Z0-9._-]{0,49}$/;
export const HEADER_HASH_BYTES = 32;
export const MAX_APP_HASH_BYTES = 64;
export const TX_HASH = /^[0-9a-fA-F]{64}$/;
export const ANCHOR_MODES = ["memo", "vivim"] as const;
export type AnchorMode = (typeof ANCHOR_MODES)[number];
/** int64 heights as the chain stores them. */
const MAX_HEIGHT = (1n << 63n) - 1n;

const invalid = (message: string) => new CodedError(AnchorErrors.InvalidField, message);

export function checkChainId(chainId: string, field: string): void {
  if (!CHAIN_ID.test(chainId)) throw invalid(`${field} must match ${CHAIN_ID.source}`);
}

export function checkHeight(height: bigint, field: string): void {
  if (height < 1n || height > MAX_HEIGHT) throw invalid(`${field} must be between 1 and ${MAX_HEIGHT}`);
}

export function checkHeaderAndAppHash(headerHash: Uint8Array, appHash: Uint8Array): void {
  if (headerHash.length !== HEADER_HASH_BYTES)
    throw invalid(`header_hash must be ${HEADER_HASH_BYTES} bytes`);
  if (appHash.length > MAX_APP_HASH_BYTES)
    throw invalid(`app_hash must be at most ${MAX_APP_HASH_BYTES} bytes`);
}

export function checkTxHash(txHash: string): void {
  if (!TX_HASH.test(txHash)) throw invalid("target_tx_hash must be 64 hex digits");
}

export function isAnchorMode(mode: string): mode is AnchorMode {
  return (ANCHOR_MODES as readonly string[]).includes(mode);
}

export function checkMode(mode: string): void {
  if (!isAnchorMode(mode)) throw invalid(`mode must be one of ${ANCHOR_MODES.join(", ")}`);
}

/** A chain does not anchor into, or checkpoint, itself. */
export function checkOtherChain(chainId: string, ownChainId: string, field: string): void {
  if (chainId === ownChainId) throw invalid(`${field} must be another chain than ${ownChainId}`);
}
