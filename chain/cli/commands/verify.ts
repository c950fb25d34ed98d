/**
 * `vivim verify tx <hash> [--node URL] [--genesis genesis.json] [--save proof.json]` fetches a tx's
 * inclusion bundle from a node (which is not trusted) and checks it; `vivim verify tx --file
 * proof.json --genesis genesis.json` checks a saved bundle fully offline.
 *
 * `vivim verify event --height H --type vivim.social.v1.EventPostCreated --attr content_id=42` does the
 * same for an event (a post, comment, vote, rating, label…), proven against the header's event root.
 * The checks themselves are `verifyTxBundle` / `verifyEventBundle` (chain/light), which light clients
 * call directly.
 */
import { writeFile } from "node:fs/promises";
import { Command } from "commander";
import { loadGenesis } from "../../config/genesis.js";
import type { Validator } from "../../consensus/validator-set.js";
import { readProofBundleFile } from "../../light/bundle-file.js";
import { type EventSelector, fetchEventBundle, fetchTxBundle } from "../../light/fetch-bundle.js";
import { RpcClient } from "../../light/rpc.js";
import { validatorsFromGenesis } from "../../light/trusted.js";
import { verifyEventBundle } from "../../light/verify-event.js";
import { type VerifyResult, verifyTxBundle } from "../../light/verify-tx.js";
import { CliError, fail, nodeOption, nodeUrl, type OutputFormat, outputOption, print } from "./output.js";

interface VerifyOpts {
  node: string;
  output: OutputFormat;
  file?: string;
  save?: string;
  genesis?: string;
}

function trustedFrom(file: string): { validators: Validator[]; chainId: string } {
  // Only the validators and chain id are trusted from it; the app state is not this command's business.
  const genesis = loadGenesis(file, { validateAppState: () => {} });
  return { validators: validatorsFromGenesis(genesis), chainId: genesis.chain_id };
}

function report(
  result: VerifyResult,
  format: OutputFormat,
  subject: string,
  trusted: boolean,
  what: "tx" | "event",
): void {
  if (format === "json") {
    print("json", { ok: result.ok, checks: result.checks.map((c) => ({ ...c })) });
    return;
  }
  const lines = [
    subject,
    ...result.checks.map((c) => `  ${c.ok ? "passed" : "FAILED"}  ${c.name}: ${c.detail}`),
  ];
  const verdict = trusted
    ? `verified: the ${what} is in a block committed by +2/3 of the trusted validator set`
    : `consistent: the ${what} is in a block committed by +2/3 of the validator set the node reported ` +
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
      ? readProofBundleFile(o.file)
      : await fetchTxBundle(new RpcClient(nodeUrl(o.node)), hash ?? "");
  if (o.save !== undefined) await writeFile(o.save, `${JSON.stringify(bundle, null, 2)}\n`, { mode: 0o644 });
  const result = verifyTxBundle(bundle, trusted?.validators, trusted ? { chainId: trusted.chainId } : {});
  const b = bundle as { tx_hash?: unknown; height?: unknown; chain_id?: unknown };
  const subject = `tx ${String(b.tx_hash ?? "?")} at height ${String(b.height ?? "?")} on chain ${String(b.chain_id ?? "?")}${
    trusted ? " (trusted validators from genesis)" : ""
  }`;
  report(result, o.output, subject, trusted !== undefined, "tx");
  return result;
}

interface VerifyEventOpts extends VerifyOpts {
  height?: string;
  type?: string;
  attr: string[];
}

function eventSelector(o: VerifyEventOpts): EventSelector {
  if (o.height === undefined || !/^[1-9][0-9]{0,18}$/.test(o.height))
    throw new CliError("INVALID_ARGS", "--height must be a positive block height");
  if (o.type === undefined || !/^[\w.]{1,128}$/.test(o.type))
    throw new CliError(
      "INVALID_ARGS",
      "--type must be an event type such as vivim.social.v1.EventPostCreated",
    );
  const attributes: Record<string, string> = {};
  for (const a of o.attr) {
    const eq = a.indexOf("=");
    if (eq <= 0) throw new CliError("INVALID_ARGS", `--attr ${a}: expected key=value`);
    attributes[a.slice(0, eq)] = a.slice(eq + 1);
  }
  return { height: BigInt(o.height), type: o.type, attributes };
}

async function verifyEvent(o: VerifyEventOpts): Promise<VerifyResult> {
  const fromNode = o.height !== undefined || o.type !== undefined || o.attr.length > 0;
  if (o.file !== undefined && fromNode)
    throw new CliError("INVALID_ARGS", "give --height/--type/--attr or --file, not both");
  if (o.file === undefined && !fromNode)
    throw new CliError("INVALID_ARGS", "give --height, --type and --attr, or --file proof.json");
  const trusted = o.genesis === undefined ? undefined : trustedFrom(o.genesis);
  const bundle =
    o.file !== undefined
      ? readProofBundleFile(o.file)
      : await fetchEventBundle(new RpcClient(nodeUrl(o.node)), eventSelector(o));
  if (o.save !== undefined) await writeFile(o.save, `${JSON.stringify(bundle, null, 2)}\n`, { mode: 0o644 });
  const result = verifyEventBundle(bundle, trusted?.validators, trusted ? { chainId: trusted.chainId } : {});
  const b = bundle as { height?: unknown; chain_id?: unknown };
  const subject = `event at height ${String(b.height ?? "?")} on chain ${String(b.chain_id ?? "?")}${
    trusted ? " (trusted validators from genesis)" : ""
  }`;
  report(result, o.output, subject, trusted !== undefined, "event");
  return result;
}

function verifyEventCommand(): Command {
  const cmd = new Command("event")
    .description(
      "Verify that an event (post, comment, vote, rating, label…) is in a block finalised by the validator set",
    )
    .option("--height <height>", "height of the block whose event to fetch from --node")
    .option("--type <type>", "event type, e.g. vivim.social.v1.EventPostCreated")
    .option(
      "--attr <key=value>",
      "attribute the event must carry (repeatable)",
      (v: string, acc: string[]) => [...acc, v],
      [],
    )
    .option("--file <proof.json>", "verify a saved bundle offline instead of fetching")
    .option("--save <proof.json>", "write the fetched bundle to this file")
    .option("--genesis <genesis.json>", "trust this genesis's validator set and chain id")
    .addOption(nodeOption())
    .addOption(outputOption());
  return cmd.action(async () => {
    const o = cmd.optsWithGlobals<VerifyEventOpts>();
    await runVerification(cmd, o.node, () => verifyEvent(o));
  });
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
    await runVerification(cmd, o.node, () => verifyTx(o, hash));
  });
}

async function runVerification(cmd: Command, node: string, run: () => Promise<VerifyResult>): Promise<void> {
  let result: VerifyResult;
  try {
    result = await run();
  } catch (err) {
    fail(cmd, err, node);
  }
  if (!result.ok) {
    const failed = result.checks.filter((c) => !c.ok).length;
    fail(cmd, new CliError("VERIFY_FAILED", `${failed} of ${result.checks.length} checks failed`));
  }
}

export function verifyCommand(): Command {
  return new Command("verify")
    .description("Light-client verification of chain data")
    .addCommand(verifyTxCommand())
    .addCommand(verifyEventCommand());
}
