/**
 * `vivim mcp-keys create|list|revoke`: bearer keys for the MCP server, stored hashed in
 * `<home>/mcp/keys.json`. `create` prints the key once; `list` never shows it again.
 *
 *   vivim mcp-keys create alice --scopes social           a key acting as alice
 *   vivim mcp-keys create alice --agent scout --scopes social,governance
 *   vivim mcp-keys list
 *   vivim mcp-keys revoke <id|label>
 */

import { connectComet } from "@cosmjs/tendermint-rpc";
import { Command } from "commander";
import { issueMcpKey } from "../../../mcp-server/auth/issue-key.js";
import { McpKeyStore } from "../../../mcp-server/auth/key-store.js";
import { parseScopes } from "../../../mcp-server/auth/scopes.js";
import { ChainReader } from "../../../mcp-server/chain/chain-reader.js";
import { defaultHome } from "../../config/home.js";
import { Keyring, type KeyringBackend } from "../../keys/keyring.js";
import {
  CliError,
  fail,
  keyringBackendOption,
  nodeOption,
  nodeUrl,
  type OutputFormat,
  outputOption,
  print,
} from "./output.js";
import { readPassphrase } from "./passphrase.js";

interface KeysOpts {
  home?: string;
  node: string;
  keyringBackend: KeyringBackend;
  output: OutputFormat;
  agent?: string;
  scopes: string;
  label?: string;
  unsigned?: boolean;
}

function withHome(cmd: Command): Command {
  return cmd
    .option("--home <dir>", "node home holding the keyring and MCP keys (default: $VIVIM_HOME or ~/.vivim)")
    .addOption(outputOption());
}

function createCommand(): Command {
  const cmd = withHome(
    new Command("create")
      .description("Create a bearer key for yourself or one of your agents (printed once)")
      .argument("<owner-key>", "your key's name in the keyring (proves you own the identity)")
      .option("--agent <name>", "bind the key to your agent @you/<name> instead of yourself")
      .option("--scopes <list>", "read-only, social, governance, moderation (comma-separated)", "social")
      .option("--label <text>", "a name to recognise the key by")
      .option("--unsigned", "never sign on the node: writes return unsigned txs")
      .addOption(nodeOption())
      .addOption(keyringBackendOption()),
  );
  return cmd.action(async (ownerKey: string) => {
    const o = cmd.optsWithGlobals<KeysOpts>();
    try {
      let scopes: ReturnType<typeof parseScopes>;
      try {
        scopes = parseScopes(o.scopes);
      } catch (e) {
        throw new CliError("INVALID_SCOPE", (e as Error).message);
      }
      const home = o.home ?? defaultHome();
      const comet = await connectComet(nodeUrl(o.node));
      try {
        const { key, info } = await issueMcpKey(
          {
            keyring: new Keyring({ home, backend: o.keyringBackend, passphrase: readPassphrase }),
            reader: new ChainReader(comet, () => undefined),
            store: new McpKeyStore(home),
          },
          {
            ownerKey,
            scopes,
            ...(o.agent ? { agent: o.agent } : {}),
            ...(o.label ? { label: o.label } : {}),
            ...(o.unsigned ? { unsigned: true } : {}),
          },
        );
        print(o.output, {
          key,
          ...info,
          scopes: info.scopes.join(","),
          signing: info.keyName ? "server" : "client",
        });
        if (o.output === "text")
          process.stderr.write("\nThis key is shown once: store it now (it is kept only as a hash).\n");
      } finally {
        comet.disconnect();
      }
    } catch (err) {
      fail(cmd, err, o.node);
    }
  });
}

export function mcpKeysCommand(): Command {
  const list = withHome(new Command("list").description("List MCP keys (never the keys themselves)"));
  list.action(() => {
    const o = list.optsWithGlobals<KeysOpts>();
    try {
      const keys = new McpKeyStore(o.home ?? defaultHome()).list();
      print(
        o.output,
        keys.map((k) => ({ ...k, scopes: k.scopes.join(","), status: k.revokedAt ? "revoked" : "active" })),
      );
    } catch (err) {
      fail(list, err);
    }
  });
  const revoke = withHome(
    new Command("revoke")
      .description("Revoke an MCP key at once (its sessions get 401)")
      .argument("<id-or-label>"),
  );
  revoke.action((which: string) => {
    const o = revoke.optsWithGlobals<KeysOpts>();
    try {
      const done = new McpKeyStore(o.home ?? defaultHome()).revoke(which);
      if (!done)
        throw new CliError("KEY_NOT_FOUND", `no active MCP key with id or label ${JSON.stringify(which)}`);
      print(o.output, { ...done, scopes: done.scopes.join(","), status: "revoked" });
    } catch (err) {
      fail(revoke, err);
    }
  });
  return new Command("mcp-keys")
    .description("Create, list and revoke bearer keys for the MCP server")
    .addCommand(createCommand())
    .addCommand(list)
    .addCommand(revoke);
}
