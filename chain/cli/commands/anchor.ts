/**
 * `vivim anchor status [--node URL] [--limit N] [--check --target-rpc URL] [--output json]`: the
 * latest anchors this chain has recorded (MsgRecordAnchor: height, header hash, target chain and
 * tx), newest first. With `--check`, each one is confirmed on the target itself with cosmjs
 * (`findAnchor`), and the command exits 1 if any is not found there.
 */
import { connectComet } from "@cosmjs/tendermint-rpc";
import { Command, Option } from "commander";
import { QueryAnchorsRequest, QueryAnchorsResponse } from "../../../contracts/anchor/query.js";
import type { AnchorRecord } from "../../../contracts/anchor/records.js";
import { isAnchorMode } from "../../../contracts/anchor/validate.js";
import { findAnchor } from "../../anchor/check.js";
import { CliError, fail, nodeOption, nodeUrl, type OutputFormat, outputOption, print } from "./output.js";

interface StatusOpts {
  node: string;
  output: OutputFormat;
  limit: string;
  check?: boolean;
  targetRpc?: string;
}

interface AnchorLine {
  [key: string]: string | boolean;
}

const hexUpper = (b: Uint8Array) => Buffer.from(b).toString("hex").toUpperCase();

function lineOf(a: AnchorRecord): AnchorLine {
  return {
    height: a.height.toString(),
    header_hash: hexUpper(a.headerHash),
    app_hash: hexUpper(a.appHash),
    target_chain_id: a.targetChainId,
    target_tx_hash: a.targetTxHash,
    target_height: a.targetHeight.toString(),
    mode: a.mode,
    signer: a.signer,
    recorded_height: a.recordedHeight.toString(),
  };
}

function limitArg(text: string): bigint {
  if (!/^[1-9][0-9]{0,3}$/.test(text) || Number(text) > 1000)
    throw new CliError("INVALID_LIMIT", "--limit must be a whole number from 1 to 1000");
  return BigInt(text);
}

/** The chain's id and its latest anchor records, newest first. */
async function recordedAnchors(
  node: string,
  limit: bigint,
): Promise<{ chainId: string; anchors: AnchorRecord[] }> {
  const comet = await connectComet(node);
  try {
    const chainId = (await comet.status()).nodeInfo.network;
    const r = await comet.abciQuery({
      path: "/vivim.anchor.v1.Query/Anchors",
      data: QueryAnchorsRequest.encode(QueryAnchorsRequest.fromPartial({ pagination: { limit } })).finish(),
    });
    if (r.code) throw new CliError("QUERY_REFUSED", `${r.codespace}/${r.code}: ${r.log ?? ""}`);
    return { chainId, anchors: QueryAnchorsResponse.decode(r.value).anchors };
  } finally {
    comet.disconnect();
  }
}

/** Whether the target holds the anchor as recorded: same tx, same target chain. */
async function confirmed(targetRpc: string, sourceChainId: string, a: AnchorRecord): Promise<boolean> {
  if (!isAnchorMode(a.mode)) return false;
  const found = await findAnchor({
    targetRpc,
    mode: a.mode,
    sourceChainId,
    height: a.height,
    headerHash: a.headerHash,
    txHash: a.targetTxHash,
  });
  return found !== undefined && found.targetChainId === a.targetChainId && found.txHash === a.targetTxHash;
}

export function anchorCommand(): Command {
  const anchor = new Command("anchor").description("Anchors of this chain's headers on another chain");
  const status = new Command("status")
    .description("The latest anchors recorded on this chain; --check confirms each on the target")
    .addOption(nodeOption())
    .option("--limit <n>", "how many of the latest anchors", "10")
    .option("--check", "confirm each anchor on the target chain (needs --target-rpc)")
    .addOption(
      new Option("--target-rpc <url>", "CometBFT RPC of the target chain").env("VIVIM_ANCHOR_TARGET_RPC"),
    )
    .addOption(outputOption());
  status.action(async () => {
    const o = status.optsWithGlobals<StatusOpts>();
    let lines: AnchorLine[];
    let chainId: string;
    try {
      const limit = limitArg(o.limit);
      if (o.check && !o.targetRpc)
        throw new CliError("MISSING_TARGET_RPC", "--check needs --target-rpc <url>");
      const targetRpc = o.check && o.targetRpc ? nodeUrl(o.targetRpc) : undefined;
      const recorded = await recordedAnchors(nodeUrl(o.node), limit);
      chainId = recorded.chainId;
      lines = [];
      for (const a of recorded.anchors) {
        const line = lineOf(a);
        if (targetRpc) line.confirmed = await confirmed(targetRpc, chainId, a);
        lines.push(line);
      }
    } catch (err) {
      fail(status, err, o.node);
    }
    print(o.output, { chain_id: chainId, anchors: lines });
    const missing = lines.filter((l) => l.confirmed === false).length;
    if (missing > 0)
      status.error(`Error [ANCHOR_NOT_CONFIRMED]: ${missing} anchor(s) not found on the target as recorded`, {
        exitCode: 1,
        code: "ANCHOR_NOT_CONFIRMED",
      });
  });
  return anchor.addCommand(status);
}
