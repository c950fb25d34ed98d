/**
 * `vivim light sync --from <rpc> --genesis genesis.json [--to H] [--sequential]`: a light client's
 * catch-up. Trusting only the genesis validators, it verifies the chain's first block, then the
 * header at H (the latest by default) by skipping verification with bisection (chain/light/
 * skipping.ts), fetching light blocks from a node it does not trust. It prints the verified
 * header's hash and app hash, the heights it had to verify and the signatures it checked.
 */
import { Command } from "commander";
import { loadGenesis } from "../../config/genesis.js";
import { blockHash } from "../../consensus/block-builder.js";
import { toHexUpper } from "../../crypto/hash.js";
import { fetchLightBlock } from "../../light/fetch-bundle.js";
import { RpcClient } from "../../light/rpc.js";
import { verifyFromGenesis, verifySequential, verifyToHeight } from "../../light/skipping.js";
import { validatorsFromGenesis } from "../../light/trusted.js";
import { timestampToRfc3339 } from "../../types/timestamp.js";
import { CliError, fail, nodeUrl, type OutputFormat, outputOption, print } from "./output.js";

interface SyncOpts {
  from: string;
  genesis: string;
  to?: string;
  sequential?: boolean;
  output: OutputFormat;
}

async function sync(o: SyncOpts) {
  const genesis = loadGenesis(o.genesis, { validateAppState: () => {} });
  const chainId = genesis.chain_id;
  const rpc = new RpcClient(nodeUrl(o.from));
  const status = (await rpc.call("status")) as { sync_info?: { latest_block_height?: string } };
  const latest = BigInt(status.sync_info?.latest_block_height ?? "0");
  if (o.to !== undefined && !/^\d{1,20}$/.test(o.to))
    throw new CliError("INVALID_ARGS", "--to must be a height");
  const target = o.to === undefined ? latest : BigInt(o.to);
  const first = BigInt(genesis.initial_height ?? "1");
  if (target < first) throw new CliError("INVALID_ARGS", `the chain starts at height ${first}`);
  if (target > latest) throw new CliError("INVALID_ARGS", `the node's latest height is ${latest}`);
  const started = performance.now();
  let fetched = 0;
  const fetch = (h: bigint) => {
    fetched += 1;
    return fetchLightBlock(rpc, h);
  };
  const root = await fetch(first);
  const tally = { checked: 0 };
  verifyFromGenesis(chainId, validatorsFromGenesis(genesis), root, tally);
  const range =
    target === first
      ? { trusted: root, trace: [], signaturesChecked: 0 }
      : o.sequential
        ? await verifySequential(chainId, root, target, fetch)
        : await verifyToHeight(chainId, root, target, fetch);
  const h = range.trusted.header;
  return {
    chain_id: chainId,
    height: h.height.toString(),
    hash: toHexUpper(blockHash(h)),
    app_hash: toHexUpper(h.appHash),
    time: timestampToRfc3339(h.time),
    verified_heights: [first, ...range.trace].map(String),
    headers_fetched: fetched,
    signatures_checked: tally.checked + range.signaturesChecked,
    ms: Math.round(performance.now() - started),
  };
}

function syncCommand(): Command {
  const cmd = new Command("sync")
    .description("Verify the chain up to a height from its genesis validators alone (skipping + bisection)")
    .requiredOption("--from <rpc>", "CometBFT RPC of any node (not trusted)")
    .requiredOption("--genesis <genesis.json>", "the genesis whose validators and chain id you trust")
    .option("--to <height>", "height to verify (default: the node's latest)")
    .option("--sequential", "verify every header in turn instead of skipping")
    .addOption(outputOption());
  return cmd.action(async () => {
    const o = cmd.optsWithGlobals<SyncOpts>();
    try {
      print(o.output, await sync(o));
    } catch (err) {
      fail(cmd, err, o.from);
    }
  });
}

export function lightCommand(): Command {
  return new Command("light")
    .description("Light client: verify headers without running a node")
    .addCommand(syncCommand());
}
