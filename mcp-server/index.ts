/** The VIVIM MCP server: services, Streamable HTTP and stdio transports, bearer keys. */
export { type McpKeyInfo, McpKeyStore } from "./auth/key-store.js";
export { parseScopes, SCOPES, type Scope } from "./auth/scopes.js";
export { type McpHttpOptions, McpHttpServer } from "./http.js";
export { ALL_TOOLS, buildMcpServer, SERVER_INFO } from "./server.js";
export { createMcpServices, type McpServicesOptions, type RunningServices } from "./services.js";
export { serveStdio } from "./stdio.js";
