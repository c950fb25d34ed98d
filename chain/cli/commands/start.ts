/**
 * `vivim start [--home DIR]`: opens the node home and runs consensus, the CometBFT RPC server and
 * the app API until SIGINT/SIGTERM, then stops them in reverse order and exits 0.
 */
import { Command } from "commander";
import { ApiServer } from "../../api/server.js";
import { defaultHome } from "../../config/home.js";
import { VivimNode } from "../../node/node.js";
import { RpcServer } from "../../rpc/server.js";
import { CliError, fail } from "./output.js";

const STOP_TIMEOUT_MS = 15_000;

interface StartOpts {
  home?: string;
}

interface Running {
  node?: VivimNode;
  rpc?: RpcServer;
  api?: ApiServer;
}

/** Stops whatever was started, last first; every part is stopped even if another fails. */
async function stopAll(r: Running): Promise<void> {
  const log = r.node?.logger.child({ component: "cli" });
  for (const [name, stop] of [
    ["api", () => r.api?.stop()],
    ["rpc", () => r.rpc?.stop()],
    ["node", () => r.node?.stop()],
  ] as const) {
    try {
      await stop();
    } catch (err) {
      log?.error({ err, part: name }, "stop failed");
    }
  }
}

function waitForSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const on = (sig: NodeJS.Signals) => {
      process.off("SIGINT", on);
      process.off("SIGTERM", on);
      resolve(sig);
    };
    process.on("SIGINT", on);
    process.on("SIGTERM", on);
  });
}

export function startCommand(): Command {
  const cmd = new Command("start")
    .description("Run the node: consensus, the CometBFT RPC (26657) and the app API (1317)")
    .option("--home <dir>", "node home directory (default: $VIVIM_HOME or ~/.vivim)");
  return cmd.action(async () => {
    const o = cmd.optsWithGlobals<StartOpts>();
    const running: Running = {};
    const stopped = waitForSignal();
    try {
      running.node = await VivimNode.open({ home: o.home ?? defaultHome() });
      await running.node.start();
      running.rpc = new RpcServer(running.node);
      await running.rpc.start();
      running.api = new ApiServer(running.node);
      await running.api.start();
    } catch (err) {
      await stopAll(running);
      if ((err as { code?: unknown }).code === "EADDRINUSE") {
        fail(
          cmd,
          new CliError(
            "ADDRESS_IN_USE",
            "a listen address is already in use; check rpc.laddr and api.address",
          ),
        );
      }
      fail(cmd, err);
    }
    const log = running.node.logger.child({ component: "cli" });
    log.info(
      { chainId: running.node.chainId, rpcPort: running.rpc.port, apiPort: running.api.port },
      "node started; Ctrl-C to stop",
    );
    const signal = await stopped;
    log.info({ signal }, "stopping");
    // A second signal, or a stop that hangs, ends the process without waiting further.
    const force = () => process.exit(1);
    process.once("SIGINT", force);
    process.once("SIGTERM", force);
    setTimeout(force, STOP_TIMEOUT_MS).unref();
    await stopAll(running);
    process.exit(0);
  });
}
