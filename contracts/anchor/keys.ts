/**
 * Store layout of the anchor module; every key starts with `ModulePrefix.anchor`:
 *
 *   01 | len chain id | chain id | ~height (u64 BE) → Checkpoint (another chain's, latest first)
 *   02 | ~height (u64 BE) | signer → AnchorRecord (this chain's anchors, latest first)
 *
 * `~height` is 2^64 - 1 - height, so a forward range scan (the only kind queries have) lists the
 * latest height first.
 */
import { key, lengthPrefixed, ModulePrefix, uint64Bytes, utf8 } from "../lib/store.js";

const P = ModulePrefix.anchor;
const CHECKPOINT = 0x01;
const ANCHOR = 0x02;
const MAX_U64 = (1n << 64n) - 1n;

const descending = (height: bigint) => uint64Bytes(MAX_U64 - height);

export const AnchorKeys = {
  checkpointsPrefix: (chainId: string) => key(new Uint8Array([P, CHECKPOINT]), lengthPrefixed(utf8(chainId))),
  checkpoint: (chainId: string, height: bigint) =>
    key(AnchorKeys.checkpointsPrefix(chainId), descending(height)),
  anchorsPrefix: () => new Uint8Array([P, ANCHOR]),
  anchorsAt: (height: bigint) => key(AnchorKeys.anchorsPrefix(), descending(height)),
  anchor: (height: bigint, signer: string) => key(AnchorKeys.anchorsAt(height), utf8(signer)),
};
