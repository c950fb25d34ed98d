/**
 * `vivim init <moniker> --chain-id <id>`: creates a node home (config, one-validator genesis, node and
 * validator keys), as `cometbft init` / `<app>d init` do, and prints the node id and validator address.
 */
import { Command } from "commander";
import { defaultHome, initHome } from "../../config/home.js";
import { decodeAddress } from "../../crypto/address.js";
import { fail } from "./output.js";

export interface InitCommandOptions {
  /** The genesis app_state for a new network; `validatorOperator` is the --operator account, if any. */
  defaultAppState: (ctx: { validatorOperator?: string }) => Record<string, unknown>;
}

interface InitOpts {
  chainId: string;
  home?: string;
  overwrite?: boolean;
  operator?: string;
}

export function initCommand(opts: InitCommandOptions): Command {
  return new Command("init")
    .description(
      "Initialize a node home: config, genesis with this node as the only validator, node and validator keys",
    )
    .argument("<moniker>", "human-readable name of this node")
    .requiredOption("--chain-id <id>", "chain id of the new network ([a-zA-Z0-9_.-], at most 50 characters)")
    .option("--home <dir>", "node home directory (default: $VIVIM_HOME or ~/.vivim)")
    .option("--overwrite", "replace an existing config, genesis, node key and validator key")
    .option(
      "--operator <address>",
      "vivim1... account that operates this validator, passed to the app genesis",
    )
    .action((moniker: string, _options: InitOpts, cmd: Command) => {
      const o = cmd.optsWithGlobals<InitOpts>();
      try {
        if (o.operator !== undefined) decodeAddress(o.operator);
        const result = initHome({
          home: o.home ?? defaultHome(),
          moniker,
          chainId: o.chainId,
          overwrite: o.overwrite === true,
          genesisAppState: opts.defaultAppState(o.operator ? { validatorOperator: o.operator } : {}),
        });
        const out = {
          moniker,
          chain_id: o.chainId,
          node_id: result.nodeId,
          validator_address: result.validator.address,
          validator_pub_key: result.validator.pub_key,
          home: result.home,
        };
        process.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
      } catch (err) {
        fail(cmd, err);
      }
    });
}
