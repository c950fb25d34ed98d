/**
 * `vivim verify tx <hash> [--node URL] [--genesis genesis.json] [--save proof.json]` fetches a tx's
 * inclusion bundle from a node (which is not trusted) and checks it; `vivim verify tx --file
 * proof.json --genesis genesis.json` checks a saved bundle fully offline. The checks themselves are
 * `verifyTxBundle` (chain/light), which light clients call directly.
 */
import { writeFile } from "node:fs/promises";
import { Command } from "commander";
import { readTextCapped } from "../../config/config.js";
import { loadGenesis } from "../../config/genesis.js";
import type { Validator } from "../../consensus/validator-set.js";
import { fetchTxBundle } from "../../light/fetch-bundle.js";
import { RpcClient } from "../../light/rpc.js";
import { validatorsFromGenesis } from "../../light/trusted.js";
import { type VerifyResult, verifyTxBundle } from "../../light/verify-tx.js";
import { CliError, fail, nodeOption, nodeUrl, type OutputFormat, outputOption, print } from "./output.js";

const MAX_BUNDLE_FILE_BYTES = 64 << 20;

interface VerifyOpts {
  node: string;
  output: OutputFormat;
  file?: string;
  save?: string;
  genesis?: string;
}

function readBundle(file: string): unknown {
  const read = readTextCapped(file, MAX_BUNDLE_FILE_BYTES);
  if ("problem" in read) throw new CliError("BUNDLE_UNREADABLE", read.problem);
  try {
    return JSON.parse(read.text);
  } catch {
    throw new CliError("BUNDLE_INVALID", `${file} is not valid JSON`);
  }
}

function trustedFrom(file: string): { validators: Validator[]; chainId: string } {
  // Only the validators and chain id are trusted from it; the app state is not this command's business.
  const genesis = loadGenesis(file, { validateAppState: () => {} });
  return { validators: validatorsFromGenesis(genesis), chainId: genesis.chain_id };
}

function report(result: VerifyResult, format: OutputFormat, subject: string, trusted: boolean): void {
  if (format === "json") {
    print("json", { ok: result.ok, checks: result.checks.map((c) => ({ ...c })) });
    return;
  }
  const lines = [
    subject,
    ...result.checks.map((c) => `  ${c.ok ? "passed" : "FAILED"}  ${c.name}: ${c.detail}`),
  ];
  const verdict = trusted
    ? "verified: the tx is in a block committed by +2/3 of the trusted validator set"
    : "consistent: the tx is in a block committed by +2/3 of the validator set the node reported " +
      "(pass --genesis to check it against a trusted set)";
  lines.push(result.ok ? verdict : "NOT verified");
  process.stdout.write(`${lines.join("\n")}\n`);
}

async function verifyTx(o: VerifyOpts, hash: string | undefined): Promise<VerifyResult> {
  if (o.file !== undefined && hash !== undefined)
    throw new CliError("INVALID_ARGS", "give a tx hash or --file, not both");
  if (o.file === undefined && hash === undefined)
    throw new CliError("INVALID_ARGS", "give a tx hash, or --file proof.json");
  if (hash !== undefined && !/^[0-9a-fA-F]{64}$/.test(hash)) {
    throw new CliError("INVALID_HASH", "tx hash must be 64 hex characters");
  }
  const trusted = o.genesis === undefined ? undefined : trustedFrom(o.genesis);
  const bundle =
    o.file !== undefined
      ? readBundle(o.file)
      : await fetchTxBundle(new RpcClient(nodeUrl(o.node)), hash ?? "");
  if (o.save !== undefined) await writeFile(o.save, `${JSON.stringify(bundle, null, 2)}\n`, { mode: 0o644 });
  const result = verifyTxBundle(bundle, trusted?.validators, trusted ? { chainId: trusted.chainId } : {});
  const b = bundle as { tx_hash?: unknown; height?: unknown; chain_id?: unknown };
  const subject = `tx ${String(b.tx_hash ?? "?")} at height ${String(b.height ?? "?")} on chain ${String(b.chain_id ?? "?")}${
    trusted ? " (trusted validators from genesis)" : ""
  }`;
  report(result, o.output, subject, trusted !== undefined);
  return result;
}

function verifyTxCommand(): Command {
  const cmd = new Command("tx")
    .description("Verify that a tx is in a block finalised by the validator set (Merkle proof + commit)")
    .argument("[hash]", "tx hash to fetch from --node")
    .option("--file <proof.json>", "verify a saved bundle offline instead of fetching")
    .option("--save <proof.json>", "write the fetched bundle to this file")
    .option("--genesis <genesis.json>", "trust this genesis's validator set and chain id")
    .addOption(nodeOption())
    .addOption(outputOption());
  return cmd.action(async (hash: string | undefined) => {
    const o = cmd.optsWithGlobals<VerifyOpts>();
    let result: VerifyResult;
    try {
      result = await verifyTx(o, hash);
    } catch (err) {
      fail(cmd, err, o.node);
    }
    if (!result.ok) {
      const failed = result.checks.filter((c) => !c.ok).length;
      fail(cmd, new CliError("VERIFY_FAILED", `${failed} of ${result.checks.length} checks failed`));
    }
  });
}

export function verifyCommand(): Command {
  return new Command("verify")
    .description("Light-client verification of chain data")
    .addCommand(verifyTxCommand());
}
