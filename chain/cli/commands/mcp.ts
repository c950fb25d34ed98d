/**
 * `vivim mcp`: the MCP server of a node home.
 *
 *   vivim mcp --key vmcp_…        one session over stdio, for desktop clients (key also $VIVIM_MCP_KEY)
 *   vivim mcp serve               Streamable HTTP at http://127.0.0.1:8808/mcp, with sessions
 *
 * Both sign with the home's keyring (the `file` backend's passphrase from $VIVIM_KEYRING_PASSPHRASE)
 * and read bearer keys from `<home>/mcp/keys.json`, managed with `vivim mcp-keys`. DMs go through
 * the node's app API (`--api`, default http://127.0.0.1:1317).
 */
import { Command, Option } from "commander";
import { McpHttpServer } from "../../../mcp-server/http.js";
import { createMcpServices } from "../../../mcp-server/services.js";
import { serveStdio } from "../../../mcp-server/stdio.js";
import { defaultHome } from "../../config/home.js";
import type { KeyringBackend } from "../../keys/keyring.js";
import { createLogger } from "../../util/logger.js";
import { CliError, fail, keyringBackendOption, nodeOption, nodeUrl } from "./output.js";

interface McpOpts {
  home?: string;
  node: string;
  keyringBackend: KeyringBackend;
  key?: string;
  laddr: string;
  logLevel: string;
  sseResponses?: boolean;
  redis?: string;
  api?: string;
}

/** How long `serve` waits for its node to answer (npm start launches both at once). */
const NODE_WAIT_MS = 60_000;

async function services(o: McpOpts, level: string, waitMs = 0) {
  const log = createLogger({ level, format: "plain" }).child({ component: "mcp" });
  const deadline = Date.now() + waitMs;
  for (;;) {
    try {
      return await createMcpServices({
        home: o.home ?? defaultHome(),
        rpcUrl: nodeUrl(o.node),
        keyringBackend: o.keyringBackend,
        ...(process.env.VIVIM_KEYRING_PASSPHRASE
          ? { keyringPassphrase: process.env.VIVIM_KEYRING_PASSPHRASE }
          : {}),
        ...(o.redis ? { redisUrl: o.redis } : {}),
        ...(o.api ? { apiUrl: apiUrl(o.api) } : {}),
        log,
      });
    } catch (e) {
      if (Date.now() > deadline) throw e;
      await new Promise((r) => setTimeout(r, 500));
    }
  }
}

/** `--api`: the node's app API, where DMs go (tcp:// or http(s)://). */
function apiUrl(text: string): string {
  const url = text.startsWith("tcp://") ? `http://${text.slice("tcp://".length)}` : text;
  try {
    const parsed = new URL(url);
    if (parsed.protocol === "http:" || parsed.protocol === "https:") return url.replace(/\/+$/, "");
  } catch {
    // falls through to the error below
  }
  throw new CliError("INVALID_API", `--api must be a URL like ${DEFAULT_API}, got ${JSON.stringify(text)}`);
}

const DEFAULT_API = "http://127.0.0.1:1317";

function common(cmd: Command): Command {
  return cmd
    .option("--home <dir>", "node home: keyring and MCP keys (default: $VIVIM_HOME or ~/.vivim)")
    .addOption(nodeOption())
    .addOption(
      new Option("--api <url>", "the node's app API, which carries direct messages (send_dm, read_dms)")
        .env("VIVIM_API")
        .default(DEFAULT_API),
    )
    .addOption(keyringBackendOption())
    .option("--log-level <level>", "log level (logs go to stderr)", "info");
}

function parseLaddr(text: string): { host: string; port: number } {
  const m = /^(?:tcp:\/\/)?(\[[^\]]+\]|[^:]+):(\d{1,5})$/.exec(text);
  const port = Number(m?.[2]);
  if (!m || port > 65535)
    throw new CliError("INVALID_LADDR", `--laddr must look like 127.0.0.1:8808, got ${JSON.stringify(text)}`);
  return { host: m[1]!.replace(/^\[|\]$/g, ""), port };
}

function serveCommand(): Command {
  const cmd = common(
    new Command("serve")
      .description("Serve MCP over Streamable HTTP (default http://127.0.0.1:8808/mcp)")
      .option("--laddr <host:port>", "address to listen on", "127.0.0.1:8808")
      .option("--sse-responses", "answer each POST with an SSE stream instead of plain JSON")
      .option("--redis <url>", "the service workers' Redis: get_feed serves the feed agent's rankings"),
  );
  return cmd.action(async () => {
    const o = cmd.optsWithGlobals<McpOpts>();
    try {
      const { host, port } = parseLaddr(o.laddr);
      const svc = await services(o, o.logLevel, NODE_WAIT_MS);
      const http = new McpHttpServer(svc, { host, port, jsonResponse: !o.sseResponses });
      await http.start();
      svc.log.info({ url: http.url, chainId: svc.chainId }, "MCP server listening");
      const stop = async () => {
        await http.stop();
        await svc.close();
        process.exit(0);
      };
      process.once("SIGINT", stop);
      process.once("SIGTERM", stop);
    } catch (err) {
      fail(cmd, err, o.node);
    }
  });
}

export function mcpCommand(): Command {
  const cmd = common(
    new Command("mcp")
      .description("MCP server: over stdio with --key (for desktop clients), or `vivim mcp serve` over HTTP")
      .addOption(new Option("--key <bearer>", "MCP bearer key (vivim mcp-keys create)").env("VIVIM_MCP_KEY")),
  ).addCommand(serveCommand());
  return cmd.action(async () => {
    const o = cmd.optsWithGlobals<McpOpts>();
    try {
      if (!o.key)
        throw new CliError(
          "KEY_REQUIRED",
          "give --key vmcp_… (or $VIVIM_MCP_KEY); create one with vivim mcp-keys create",
        );
      // stdout carries the protocol: only warnings and errors, on stderr.
      const svc = await services(o, o.logLevel === "info" ? "warn" : o.logLevel);
      const session = await serveStdio(svc, o.key);
      const stop = async () => {
        await session.close();
        await svc.close();
        process.exit(0);
      };
      process.stdin.once("end", stop);
      process.once("SIGINT", stop);
      process.once("SIGTERM", stop);
    } catch (err) {
      fail(cmd, err, o.node);
    }
  });
}
