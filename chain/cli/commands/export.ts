/**
 * `vivim export proof (--tx <hash> | --event <txhash>:<index> | --block-event <height>:<index> |
 *  --balance <address>:<denom> | --store-key <hex>) --node <rpc> --genesis genesis.json
 *  [--trusted-height H] [--link-to A] --out proof.json`: writes a self-contained proof bundle
 * (chain/light/proof-bundle.ts) that `vivim light verify-event` checks with no network. The node is
 * not trusted: the bundle is built by verifying from the genesis validators, and verified once more
 * before it is written. A state subject (`--balance`, `--store-key`) is proven as of the node's
 * latest height, under that header's app_hash.
 */
import { writeFile } from "node:fs/promises";
import { Command } from "commander";
import { balancePrefix } from "../../../contracts/bank/keeper.js";
import { isValidDenom } from "../../../contracts/lib/coins.js";
import { key, utf8 } from "../../../contracts/lib/store.js";
import { loadGenesis } from "../../config/genesis.js";
import { decodeAddress, isValidAddress } from "../../crypto/address.js";
import { fromHex } from "../../crypto/hash.js";
import { exportProofBundle, type ProofSubject } from "../../light/export-proof.js";
import type { ProofJson } from "../../light/proof-bundle.js";
import { RpcClient } from "../../light/rpc.js";
import { validatorsFromGenesis } from "../../light/trusted.js";
import { CliError, fail, nodeOption, nodeUrl, type OutputFormat, outputOption, print } from "./output.js";

interface ExportProofOpts {
  tx?: string;
  event?: string;
  blockEvent?: string;
  balance?: string;
  storeKey?: string;
  node: string;
  genesis: string;
  trustedHeight?: string;
  linkTo?: string;
  out: string;
  output: OutputFormat;
}

const HASH = /^[0-9a-fA-F]{64}$/;
const INDEX = /^\d{1,6}$/;
const HEIGHT = /^[1-9]\d{0,18}$/;
/** abci_query's cap on a key (chain/execution/query.ts). */
const STORE_KEY_HEX = /^(?:[0-9a-fA-F]{2}){1,65536}$/;

/** The bank's balance record of `address` in `denom`: its balance prefix, then the denom (contracts/bank/keeper.ts). */
function balanceSubject(arg: string): ProofSubject {
  // A bech32 address has no ":", a denom may (e.g. "factory:…").
  const at = arg.indexOf(":");
  const address = arg.slice(0, at);
  const denom = arg.slice(at + 1);
  if (at < 0 || !isValidAddress(address) || !isValidDenom(denom))
    throw new CliError("INVALID_ARGS", "--balance must be <vivim1… address>:<denom>");
  return { kind: "state", key: key(balancePrefix(decodeAddress(address)), utf8(denom)) };
}

function subjectOf(o: ExportProofOpts): ProofSubject {
  const given = [o.tx, o.event, o.blockEvent, o.balance, o.storeKey].filter((x) => x !== undefined).length;
  if (given !== 1)
    throw new CliError(
      "INVALID_ARGS",
      "give exactly one of --tx, --event, --block-event, --balance or --store-key",
    );
  if (o.balance !== undefined) return balanceSubject(o.balance);
  if (o.storeKey !== undefined) {
    if (!STORE_KEY_HEX.test(o.storeKey))
      throw new CliError("INVALID_ARGS", "--store-key must be a state key in hex (1 to 65536 bytes)");
    return { kind: "state", key: fromHex(o.storeKey) };
  }
  if (o.tx !== undefined) {
    if (!HASH.test(o.tx)) throw new CliError("INVALID_ARGS", "--tx must be a tx hash (64 hex characters)");
    return { kind: "tx", txHash: o.tx };
  }
  if (o.event !== undefined) {
    const [hash = "", index = ""] = o.event.split(":");
    if (!HASH.test(hash) || !INDEX.test(index))
      throw new CliError(
        "INVALID_ARGS",
        "--event must be <txhash>:<index of the event among the tx's events>",
      );
    return { kind: "event", txHash: hash, eventIndex: Number(index) };
  }
  const [height = "", index = ""] = (o.blockEvent ?? "").split(":");
  if (!HEIGHT.test(height) || !INDEX.test(index))
    throw new CliError(
      "INVALID_ARGS",
      "--block-event must be <height>:<index among the block's end-block events>",
    );
  return { kind: "block-event", height: BigInt(height), eventIndex: Number(index) };
}

function proves(p: ProofJson): string {
  if (p.kind === "tx") return `tx ${p.tx_hash}`;
  if (p.kind === "event") return p.claim.type;
  return p.value === null ? `state key ${p.key} is absent` : `state key ${p.key} = ${p.value}`;
}

async function exportProof(o: ExportProofOpts) {
  const subject = subjectOf(o);
  for (const [flag, v] of [
    ["--trusted-height", o.trustedHeight],
    ["--link-to", o.linkTo],
  ] as const)
    if (v !== undefined && !HEIGHT.test(v))
      throw new CliError("INVALID_ARGS", `${flag} must be a positive height`);
  // Only the chain id, first height and validators are trusted from it; the app state is not ours to check.
  const genesis = loadGenesis(o.genesis, { validateAppState: () => {} });
  const bundle = await exportProofBundle(new RpcClient(nodeUrl(o.node)), {
    chainId: genesis.chain_id,
    genesisValidators: validatorsFromGenesis(genesis),
    initialHeight: BigInt(genesis.initial_height ?? "1"),
    trustedHeight: o.trustedHeight === undefined ? undefined : BigInt(o.trustedHeight),
    linkTo: o.linkTo === undefined ? undefined : BigInt(o.linkTo),
    subject,
  });
  const text = `${JSON.stringify(bundle, null, 2)}\n`;
  await writeFile(o.out, text, { mode: 0o644 });
  return {
    out: o.out,
    bytes: Buffer.byteLength(text),
    chain_id: bundle.chain_id,
    height: bundle.target.height,
    header_hash: bundle.target.header_hash,
    trust: bundle.trust.kind === "genesis" ? "genesis validators" : "light block",
    light_blocks: bundle.light_blocks.map((lb) =>
      String((lb.signed_header.header as { height?: unknown }).height),
    ),
    proves: proves(bundle.proof),
  };
}

function exportProofCommand(): Command {
  const cmd = new Command("proof")
    .description("Write a self-contained proof bundle of a tx, an event or a state value, verifiable offline")
    .option("--tx <hash>", "prove this tx is in a finalised block")
    .option("--event <txhash:index>", "prove event <index> of this tx (a post, vote, rating…)")
    .option("--block-event <height:index>", "prove end-block event <index> at <height>")
    .option(
      "--balance <address:denom>",
      "prove this account's balance (or that it has none) at the latest height",
    )
    .option("--store-key <hex>", "prove this raw state key's value (or its absence) at the latest height")
    .requiredOption("--genesis <genesis.json>", "the genesis whose validators and chain id you trust")
    .option("--trusted-height <height>", "root the bundle at this height's header instead of genesis")
    .option("--link-to <height>", "continue header by header up to this (anchored) height")
    .requiredOption("--out <proof.json>", "where to write the bundle")
    .addOption(nodeOption())
    .addOption(outputOption());
  return cmd.action(async () => {
    const o = cmd.optsWithGlobals<ExportProofOpts>();
    try {
      print(o.output, await exportProof(o));
    } catch (err) {
      fail(cmd, err, o.node);
    }
  });
}

export function exportCommand(): Command {
  return new Command("export")
    .description("Export chain data for others to verify")
    .addCommand(exportProofCommand());
}
