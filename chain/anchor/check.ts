/**
 * Confirms on the target chain that a header of a source chain was anchored there, by asking the
 * target with cosmjs (no trust in the source chain's own anchor records):
 *
 * - "memo": the tx `txHash` (required: a memo is not searchable) succeeded and its memo is the
 *   checkpoint `vivim-anchor:v1:<chain>:<height>:<header hash>:<app hash>` of this header;
 * - "vivim": the target's `vivim.anchor.v1` Checkpoint of (chain, height) holds this header hash;
 *   with `txHash`, that tx must also have succeeded on the target.
 *
 * Resolves undefined when the target does not hold the anchor (or holds another hash); throws an
 * AnchorError for bad input or a target that cannot be asked.
 */
import { decodeTxRaw } from "@cosmjs/proto-signing";
import { type IndexedTx, StargateClient } from "@cosmjs/stargate";
import { connectComet } from "@cosmjs/tendermint-rpc";
import { QueryCheckpointRequest, QueryCheckpointResponse } from "../../contracts/anchor/query.js";
import {
  type AnchorMode,
  CHAIN_ID,
  HEADER_HASH_BYTES,
  isAnchorMode,
  TX_HASH,
} from "../../contracts/anchor/validate.js";
import { parseAnchorMemo } from "./checkpoint.js";
import { AnchorError, asAnchorError, targetName } from "./errors.js";

export interface FindAnchorQuery {
  readonly targetRpc: string;
  readonly mode: AnchorMode;
  readonly sourceChainId: string;
  readonly height: bigint | number;
  /** 32 bytes, or 64 hex digits. */
  readonly headerHash: Uint8Array | string;
  /** The target tx (64 hex digits); required in "memo" mode. */
  readonly txHash?: string;
}

export interface FoundAnchor {
  readonly targetChainId: string;
  /** Upper-case; absent when a "vivim" checkpoint was found without a tx hash to look at. */
  readonly txHash?: string;
  /** The target block holding the anchoring tx. */
  readonly targetHeight: bigint;
}

/** A tx bigger than this is not an anchor (a memo send is a few hundred bytes); not decoded. */
const MAX_TX_BYTES = 64 * 1024;

interface CheckedQuery {
  readonly rpc: string;
  readonly mode: AnchorMode;
  readonly sourceChainId: string;
  readonly height: bigint;
  readonly headerHash: Buffer;
  readonly txHash: string | undefined;
}

const invalid = (message: string) => new AnchorError("INVALID_ANCHOR_QUERY", message);

function checkQuery(q: FindAnchorQuery): CheckedQuery {
  let url: URL;
  try {
    url = new URL(q.targetRpc);
  } catch {
    throw invalid("targetRpc must be an http(s) URL");
  }
  if (url.protocol !== "http:" && url.protocol !== "https:")
    throw invalid("targetRpc must be an http(s) URL");
  if (!isAnchorMode(q.mode)) throw invalid('mode must be "memo" or "vivim"');
  if (!CHAIN_ID.test(q.sourceChainId)) throw invalid(`sourceChainId must match ${CHAIN_ID.source}`);
  const height = typeof q.height === "number" && Number.isSafeInteger(q.height) ? BigInt(q.height) : q.height;
  if (typeof height !== "bigint" || height < 1n || height >= 1n << 63n)
    throw invalid("height must be a positive int64");
  const headerHash =
    typeof q.headerHash === "string"
      ? /^[0-9a-fA-F]{64}$/.test(q.headerHash)
        ? Buffer.from(q.headerHash, "hex")
        : undefined
      : Buffer.from(q.headerHash);
  if (headerHash?.length !== HEADER_HASH_BYTES)
    throw invalid(`headerHash must be ${HEADER_HASH_BYTES} bytes`);
  if (q.txHash !== undefined && !TX_HASH.test(q.txHash)) throw invalid("txHash must be 64 hex digits");
  if (q.mode === "memo" && q.txHash === undefined)
    throw invalid('"memo" mode needs the target txHash: a memo cannot be searched for');
  return {
    rpc: q.targetRpc,
    mode: q.mode,
    sourceChainId: q.sourceChainId,
    height,
    headerHash,
    txHash: q.txHash?.toUpperCase(),
  };
}

/** The tx if it is on the target and succeeded. */
async function successfulTx(client: StargateClient, txHash: string): Promise<IndexedTx | undefined> {
  const tx = await client.getTx(txHash);
  return tx && tx.code === 0 && tx.tx.length <= MAX_TX_BYTES ? tx : undefined;
}

async function findByMemo(client: StargateClient, q: CheckedQuery): Promise<FoundAnchor | undefined> {
  const tx = await successfulTx(client, q.txHash!);
  if (!tx) return undefined;
  let memo: string;
  try {
    memo = decodeTxRaw(tx.tx).body.memo;
  } catch {
    throw new AnchorError("BAD_TARGET_RESPONSE", `tx ${q.txHash} from ${targetName(q.rpc)} does not decode`);
  }
  const cp = parseAnchorMemo(memo);
  if (
    !cp ||
    cp.chainId !== q.sourceChainId ||
    cp.height !== q.height ||
    !q.headerHash.equals(Buffer.from(cp.headerHash))
  )
    return undefined;
  return { targetChainId: await client.getChainId(), txHash: q.txHash!, targetHeight: BigInt(tx.height) };
}

async function findCheckpoint(client: StargateClient, q: CheckedQuery): Promise<FoundAnchor | undefined> {
  const comet = await connectComet(q.rpc);
  try {
    const r = await comet.abciQuery({
      path: "/vivim.anchor.v1.Query/Checkpoint",
      data: QueryCheckpointRequest.encode({ chainId: q.sourceChainId, height: q.height }).finish(),
    });
    if (r.code)
      throw new AnchorError(
        "TARGET_REFUSED",
        `${targetName(q.rpc)} refused the Checkpoint query (${r.codespace}/${r.code}): ${(r.log ?? "").slice(0, 200)}`,
      );
    let cp: QueryCheckpointResponse["checkpoint"];
    try {
      cp = QueryCheckpointResponse.decode(r.value).checkpoint;
    } catch {
      throw new AnchorError(
        "BAD_TARGET_RESPONSE",
        `the Checkpoint answer from ${targetName(q.rpc)} does not decode`,
      );
    }
    if (!cp || !q.headerHash.equals(Buffer.from(cp.headerHash))) return undefined;
    const targetChainId = await client.getChainId();
    if (q.txHash === undefined) return { targetChainId, targetHeight: cp.recordedHeight };
    const tx = await successfulTx(client, q.txHash);
    return tx ? { targetChainId, txHash: q.txHash, targetHeight: BigInt(tx.height) } : undefined;
  } finally {
    comet.disconnect();
  }
}

export async function findAnchor(query: FindAnchorQuery): Promise<FoundAnchor | undefined> {
  const q = checkQuery(query);
  let client: StargateClient | undefined;
  try {
    client = await StargateClient.connect(q.rpc);
    return q.mode === "memo" ? await findByMemo(client, q) : await findCheckpoint(client, q);
  } catch (err) {
    throw asAnchorError(err, targetName(q.rpc));
  } finally {
    client?.disconnect();
  }
}
