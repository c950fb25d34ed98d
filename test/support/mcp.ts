/**
 * A devnet (alice, bob, carol, alice's agent @alice/scout, #general/#random/#agents) on a real node
 * in this process with its RPC and app API (where DMs go), and the real MCP server over Streamable
 * HTTP in front of it, with bearer keys made the way `vivim mcp-keys create` makes them. Clients
 * are the MCP SDK's own.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { ApiServer } from "../../chain/api/server.js";
import { createDevnet, DEVNET_AGENT, type DevnetDescriptor } from "../../chain/node/devnet.js";
import { VivimNode } from "../../chain/node/node.js";
import { RpcServer } from "../../chain/rpc/server.js";
import { silentLogger } from "../../chain/util/logger.js";
import { McpKeyStore } from "../../mcp-server/auth/key-store.js";
import type { Scope } from "../../mcp-server/auth/scopes.js";
import { McpHttpServer } from "../../mcp-server/http.js";
import { DEFAULT_RATE_LIMITS, type RateLimits } from "../../mcp-server/safety/rate-limit.js";
import { createMcpServices, type RunningServices } from "../../mcp-server/services.js";
import { fastConfig } from "./node.js";

export interface McpTestNet {
  readonly home: string;
  readonly nodeHome: string;
  readonly devnet: DevnetDescriptor;
  readonly node: VivimNode;
  readonly rpcUrl: string;
  /** The node's app API (DM routes among them). */
  readonly apiUrl: string;
  readonly services: RunningServices;
  readonly http: McpHttpServer;
  readonly keys: McpKeyStore;
  address(name: string): string;
  /** Creates a bearer key for a devnet account or scout (signing with its keyring key unless `unsigned`). */
  key(name: string, scopes: Scope[], opts?: { unsigned?: boolean }): string;
  connect(bearer: string, opts?: { elicit?: (message: string) => boolean }): Promise<Client>;
  stop(): Promise<void>;
}

export async function startMcpTestNet(
  opts: { rateLimits?: RateLimits /** The workers' Redis, for get_feed. */; redisUrl?: string } = {},
): Promise<McpTestNet> {
  const home = mkdtempSync(path.join(tmpdir(), "vivim-mcp-"));
  const devnet = await createDevnet(home);
  const nodeHome = devnet.nodes[0]!.home;
  const node = await VivimNode.open({ home: nodeHome, config: fastConfig(), logger: silentLogger() });
  await node.start();
  const rpc = new RpcServer(node);
  await rpc.start();
  const rpcUrl = `http://127.0.0.1:${rpc.port}`;
  const api = new ApiServer(node);
  await api.start();
  const apiUrl = `http://127.0.0.1:${api.port}`;
  const services = await createMcpServices({
    home: nodeHome,
    rpcUrl,
    apiUrl,
    keyringBackend: "test",
    rateLimits: opts.rateLimits ?? DEFAULT_RATE_LIMITS,
    ...(opts.redisUrl ? { redisUrl: opts.redisUrl } : {}),
    log: silentLogger(),
  });
  // Tests start once the chain has a block, so heights and caches are live from the first call.
  while ((services.watcher.latestHeight ?? 0) < 1) await new Promise((r) => setTimeout(r, 20));
  const http = new McpHttpServer(services, { port: 0 });
  await http.start();
  const keys = new McpKeyStore(nodeHome);
  const clients: Client[] = [];
  const address = (name: string) => {
    const a = devnet.accounts.find((x) => x.name === name);
    if (!a) throw new Error(`no devnet account ${name}`);
    return a.address;
  };
  return {
    home,
    nodeHome,
    devnet,
    node,
    rpcUrl,
    apiUrl,
    services,
    http,
    keys,
    address,
    key(name, scopes, o = {}) {
      const owner = name === DEVNET_AGENT ? address("alice") : address(name);
      return keys.create({
        label: `${name}-${scopes.join("+")}`,
        address: address(name),
        owner,
        scopes: ["read", ...scopes.filter((s) => s !== "read")],
        ...(o.unsigned ? {} : { keyName: name }),
      }).key;
    },
    async connect(bearer, o = {}) {
      const client = new Client(
        { name: "vivim-test", version: "1.0.0" },
        o.elicit ? { capabilities: { elicitation: { form: {} } } } : {},
      );
      if (o.elicit) {
        const { ElicitRequestSchema } = await import("@modelcontextprotocol/sdk/types.js");
        const decide = o.elicit;
        client.setRequestHandler(ElicitRequestSchema, async (req) => ({
          action: "accept",
          content: { approve: decide(String(req.params.message)) },
        }));
      }
      await client.connect(
        new StreamableHTTPClientTransport(new URL(http.url), {
          requestInit: { headers: { Authorization: `Bearer ${bearer}` } },
        }),
      );
      clients.push(client);
      return client;
    },
    async stop() {
      await Promise.all(clients.map((c) => c.close().catch(() => undefined)));
      await http.stop();
      await services.close();
      await api.stop();
      await rpc.stop();
      await node.stop();
      rmSync(home, { recursive: true, force: true });
    },
  };
}

/** The structured content of a successful call; fails the test with the error text otherwise. */
export function structured<T = Record<string, unknown>>(r: CallToolResult | Record<string, unknown>): T {
  const result = r as CallToolResult;
  if (result.isError) throw new Error(`tool failed: ${JSON.stringify(result.content)}`);
  return result.structuredContent as T;
}

/** The `{ code, message, ... }` of a failed call (SDK-level failures: code "SDK"). */
export function toolErrorOf(r: CallToolResult | Record<string, unknown>): {
  code: string;
  message: string;
  [detail: string]: unknown;
} {
  const result = r as CallToolResult;
  if (!result.isError) throw new Error(`expected an error, got ${JSON.stringify(result.structuredContent)}`);
  const text = (result.content[0] as { text: string }).text;
  try {
    const parsed = JSON.parse(text) as { error?: { code: string; message: string } };
    if (parsed.error) return parsed.error;
  } catch {
    // The SDK's own failures (input validation) are plain text.
  }
  return { code: "SDK", message: text };
}
