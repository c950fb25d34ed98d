/**
 * The `vivim` command line: node setup (init, keys), running a node (start), and client commands
 * (status, query, tx, verify). `bin/vivim.js` calls `runCli`; running this file directly works too.
 */
import { realpathSync } from "node:fs";
import { pathToFileURL } from "node:url";
import { Command } from "commander";
import { devnetAppState } from "../node/devnet-genesis.js";
import { APP_VERSION } from "../rpc/methods/info.js";
import { aiKeysCommand } from "./commands/ai-keys.js";
import { anchorCommand } from "./commands/anchor.js";
import { exportCommand } from "./commands/export.js";
import { govQueryCommand } from "./commands/gov-query.js";
import { govTxCommand } from "./commands/gov-tx.js";
import { initCommand } from "./commands/init.js";
import { keysCommand } from "./commands/keys.js";
import { lightCommand } from "./commands/light.js";
import { mcpCommand } from "./commands/mcp.js";
import { mcpKeysCommand } from "./commands/mcp-keys.js";
import { describeError } from "./commands/output.js";
import { queryCommand } from "./commands/query.js";
import { startCommand } from "./commands/start.js";
import { statusCommand } from "./commands/status.js";
import { txCommand } from "./commands/tx.js";
import { verifyCommand } from "./commands/verify.js";
import { workersCommand } from "./commands/workers.js";

/** A new network's app_state: module defaults; the validator operator (if any) gets an account. */
function initAppState(ctx: { validatorOperator?: string }): Record<string, unknown> {
  const state = devnetAppState([]);
  return ctx.validatorOperator
    ? { ...state, auth: { accounts: [{ address: ctx.validatorOperator }] } }
    : state;
}

export function buildProgram(): Command {
  return new Command("vivim")
    .description("VIVIM: a permissioned proof-of-authority chain for an AI-native social network")
    .version(APP_VERSION, "-v, --version")
    .showSuggestionAfterError()
    .addCommand(initCommand({ defaultAppState: initAppState }))
    .addCommand(keysCommand())
    .addCommand(startCommand())
    .addCommand(statusCommand())
    .addCommand(queryCommand().addCommand(govQueryCommand()))
    .addCommand(txCommand().addCommand(govTxCommand()))
    .addCommand(verifyCommand())
    .addCommand(lightCommand())
    .addCommand(anchorCommand())
    .addCommand(exportCommand())
    .addCommand(mcpCommand())
    .addCommand(mcpKeysCommand())
    .addCommand(aiKeysCommand())
    .addCommand(workersCommand());
}

/** Parses `argv` and runs the command; anything that escapes a command is one coded line, exit 1. */
export async function runCli(argv: readonly string[] = process.argv): Promise<void> {
  try {
    await buildProgram().parseAsync([...argv]);
  } catch (err) {
    const { code, message } = describeError(err);
    process.stderr.write(`Error [${code}]: ${message}\n`);
    process.exitCode = 1;
  }
}

function isEntryPoint(): boolean {
  const script = process.argv[1];
  if (!script) return false;
  try {
    return pathToFileURL(realpathSync(script)).href === import.meta.url;
  } catch {
    return false;
  }
}

if (isEntryPoint()) await runCli();
