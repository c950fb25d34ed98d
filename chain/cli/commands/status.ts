/** `vivim status [--node URL]`: the node's CometBFT status JSON, as `cometbft status` prints it. */
import { Command } from "commander";
import { RpcClient } from "../../light/rpc.js";
import { fail, nodeOption, nodeUrl } from "./output.js";

interface StatusOpts {
  node: string;
}

export function statusCommand(): Command {
  const cmd = new Command("status")
    .description("Query the node's status: node info, latest block, validator info")
    .addOption(nodeOption());
  return cmd.action(async () => {
    const o = cmd.optsWithGlobals<StatusOpts>();
    try {
      const result = await new RpcClient(nodeUrl(o.node)).call("status");
      process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
    } catch (err) {
      fail(cmd, err, o.node);
    }
  });
}
