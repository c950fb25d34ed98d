/**
 * A checkpoint of one of this chain's headers, (chain id, height, header hash, app hash), and its
 * memo form `vivim-anchor:v1:<chain>:<height>:<HEADER HASH>:<APP HASH>` for targets that only
 * carry it in a MsgSend memo. Hashes are upper-case hex, as CometBFT prints them.
 */
import type { CommittedBlock } from "../consensus/engine.js";

export interface HeaderCheckpoint {
  readonly chainId: string;
  readonly height: bigint;
  readonly headerHash: Uint8Array;
  readonly appHash: Uint8Array;
}

export function checkpointOf(chainId: string, committed: CommittedBlock): HeaderCheckpoint {
  return {
    chainId,
    height: committed.block.header.height,
    headerHash: committed.blockId.hash,
    appHash: committed.block.header.appHash,
  };
}

export const MEMO_PREFIX = "vivim-anchor:v1:";
/** Far above the longest valid memo (about 210 characters); longer text is not looked at. */
const MAX_MEMO_CHARS = 512;
const MEMO =
  /^vivim-anchor:v1:([a-zA-Z0-9][a-zA-Z0-9._-]{0,49}):([1-9][0-9]{0,18}):([0-9a-fA-F]{64}):((?:[0-9a-fA-F]{2}){0,64})$/;

const hexUpper = (b: Uint8Array) => Buffer.from(b).toString("hex").toUpperCase();

export function anchorMemo(cp: HeaderCheckpoint): string {
  return `${MEMO_PREFIX}${cp.chainId}:${cp.height}:${hexUpper(cp.headerHash)}:${hexUpper(cp.appHash)}`;
}

/** The checkpoint a memo carries, or undefined for any other text. */
export function parseAnchorMemo(memo: string): HeaderCheckpoint | undefined {
  if (memo.length > MAX_MEMO_CHARS) return undefined;
  const m = MEMO.exec(memo);
  if (!m?.[1] || !m[2] || !m[3] || m[4] === undefined) return undefined;
  const height = BigInt(m[2]);
  if (height >= 1n << 63n) return undefined;
  return {
    chainId: m[1],
    height,
    headerHash: Uint8Array.from(Buffer.from(m[3], "hex")),
    appHash: Uint8Array.from(Buffer.from(m[4], "hex")),
  };
}

export function sameCheckpoint(a: HeaderCheckpoint, b: HeaderCheckpoint): boolean {
  return (
    a.chainId === b.chainId &&
    a.height === b.height &&
    Buffer.from(a.headerHash).equals(Buffer.from(b.headerHash)) &&
    Buffer.from(a.appHash).equals(Buffer.from(b.appHash))
  );
}
