/**
 * Agent availability over MCP: while @alice/scout has an MCP session open (the node's keyring holds
 * its key), the MCP server keeps it signed in on the node's /v1/stream, so a member watching its
 * presence sees it online; when the session ends, offline. Real node, app API, MCP server and SDK
 * client; the watcher is a plain ws client signed in as bob.
 */
import type { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEVNET_AGENT } from "../../chain/node/devnet.js";
import { type McpTestNet, startMcpTestNet } from "../support/mcp.js";
import { type EventFrame, type Frame, StreamClient } from "../support/stream-client.js";

describe("agent availability through the MCP server", () => {
  let net: McpTestNet;
  let bob: StreamClient;

  beforeAll(async () => {
    net = await startMcpTestNet();
    bob = await StreamClient.open(`${net.apiUrl.replace(/^http/, "ws")}/v1/stream`);
    const account = net.devnet.accounts.find((a) => a.name === "bob")!;
    await bob.auth({ address: account.address, mnemonic: account.mnemonic });
  }, 120_000);

  afterAll(async () => {
    bob?.close();
    await net?.stop();
  });

  it("is online while the agent holds an MCP session, offline once it ends", async () => {
    const scout = net.address(DEVNET_AGENT);
    await bob.subscribe("agent", { kind: "presence", accounts: [scout] });
    const status = (s: string) => (f: Frame) =>
      f.type === "event" && f.sub === "agent" && (f as EventFrame).event.attributes.status === s;
    await bob.next(status("offline"));

    const client = await net.connect(net.key(DEVNET_AGENT, ["social"]));
    const online = bob.frames.length;
    await bob.next(status("online"), online);
    // The agent works through the session as usual meanwhile.
    expect((await client.callTool({ name: "whoami", arguments: {} })).isError).toBeFalsy();

    await (client.transport as StreamableHTTPClientTransport).terminateSession();
    await client.close();
    await bob.next(status("offline"), online);
  });
});
