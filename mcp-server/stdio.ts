/**
 * MCP over stdio for desktop clients (`vivim mcp --key vmcp_…`): one session for one key. Protocol
 * messages own stdout; logs go to stderr.
 */
import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
import { type McpServices, McpSession } from "./context.js";
import { McpToolError } from "./errors.js";
import { buildMcpServer } from "./server.js";

export async function serveStdio(
  services: McpServices,
  bearerKey: string,
): Promise<{ close(): Promise<void> }> {
  const key = services.keys.verify(bearerKey);
  if (!key)
    throw new McpToolError(
      "UNAUTHORIZED",
      "the MCP key is unknown or revoked (vivim mcp-keys list shows your keys)",
    );
  const server = buildMcpServer(new McpSession(services, key));
  const transport = new StdioServerTransport();
  await server.connect(transport);
  // The one session lives as long as the process: the identity is available meanwhile.
  services.presence.open(key);
  return {
    close: async () => {
      services.presence.close(key);
      await server.close();
    },
  };
}
