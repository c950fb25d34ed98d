// One bench:mcp client process: opens MCP sessions over Streamable HTTP for the bearer keys it is
// given — with the SDK's own client, or a minimal JSON-RPC load generator — and runs the phases the
// parent asks for, reporting raw latencies.
import http from "node:http";
import { performance } from "node:perf_hooks";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";

let clients = [];

/** The MCP SDK's own client. */
async function sdkClient(url, bearer) {
  const client = new Client({ name: "bench", version: "1.0.0" });
  await client.connect(
    new StreamableHTTPClientTransport(new URL(url), {
      requestInit: { headers: { Authorization: `Bearer ${bearer}` } },
    }),
  );
  return {
    async callTool(name, args) {
      const r = await client.callTool({ name, arguments: args });
      if (r.isError) throw new Error(`${name}: ${r.content[0]?.text}`);
      return r.structuredContent;
    },
    close: () => client.close(),
  };
}

/**
 * A minimal load generator speaking the same protocol (initialize, notifications/initialized,
 * tools/call as JSON-RPC over keep-alive HTTP), so that the clients' CPU, on the same two cores,
 * takes less from the server being measured.
 */
const agent = new http.Agent({ keepAlive: true, maxSockets: 1024 });
async function rawClient(url, bearer) {
  const headers = {
    authorization: `Bearer ${bearer}`,
    "content-type": "application/json",
    accept: "application/json, text/event-stream",
  };
  const post = (body) =>
    new Promise((resolve, reject) => {
      const req = http.request(url, { method: "POST", headers, agent }, (res) => {
        const chunks = [];
        res.on("data", (c) => chunks.push(c));
        res.on("end", () => {
          const text = Buffer.concat(chunks).toString("utf8");
          resolve({
            status: res.statusCode,
            session: res.headers["mcp-session-id"],
            body: text ? JSON.parse(text) : undefined,
          });
        });
      });
      req.once("error", reject);
      req.end(JSON.stringify(body));
    });
  const init = await post({
    jsonrpc: "2.0",
    id: 0,
    method: "initialize",
    params: {
      protocolVersion: "2025-11-25",
      capabilities: {},
      clientInfo: { name: "bench-raw", version: "1.0.0" },
    },
  });
  if (init.status !== 200 || !init.session) throw new Error(`initialize failed: ${init.status}`);
  headers["mcp-session-id"] = init.session;
  headers["mcp-protocol-version"] = init.body.result.protocolVersion;
  await post({ jsonrpc: "2.0", method: "notifications/initialized" });
  let id = 1;
  return {
    async callTool(name, args) {
      const r = await post({
        jsonrpc: "2.0",
        id: id++,
        method: "tools/call",
        params: { name, arguments: args },
      });
      const result = r.body?.result;
      if (!result || result.isError) throw new Error(`${name}: ${JSON.stringify(r.body).slice(0, 300)}`);
      return result.structuredContent;
    },
    close: () =>
      new Promise((resolve) => {
        const req = http.request(url, { method: "DELETE", headers, agent }, (res) =>
          res.resume().on("end", resolve),
        );
        req.once("error", resolve);
        req.end();
      }),
  };
}

async function connect(kind, url, bearer) {
  for (let i = 0; ; i++) {
    try {
      return await (kind === "sdk" ? sdkClient : rawClient)(url, bearer);
    } catch (e) {
      if (i > 200) throw e;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

const call = (client, name, args) => client.callTool(name, args);

const readArgs = {
  get_feed: () => ({ sort: "hot", scope: "community", community: "c0", limit: 20 }),
  get_thread: (postIds, i, k) => ({ postId: postIds[(i * 7 + k) % postIds.length] }),
  chain_status: () => ({}),
  whoami: () => ({}),
};

const phases = {
  async open({ url, bearers, kind }) {
    clients = [];
    for (const b of bearers) clients.push(await connect(kind, url, b));
    return { sessions: clients.length };
  },
  async write({ posts, first }) {
    const latencies = [];
    const postIds = [];
    await Promise.all(
      clients.map(async (c, j) => {
        const i = first + j;
        for (let k = 0; k < posts; k++) {
          const t = performance.now();
          const r = await call(c, "create_post", {
            community: "c0",
            title: `bench post ${i}.${k}`,
            body: `body of ${i}.${k}`,
          });
          latencies.push(performance.now() - t);
          postIds.push(r.postId);
        }
      }),
    );
    return { latencies, postIds };
  },
  async read({ tools, seconds, postIds, first }) {
    const latencies = Object.fromEntries(tools.map((t) => [t, []]));
    const deadline = performance.now() + seconds * 1000;
    await Promise.all(
      clients.map(async (c, j) => {
        for (let k = 0; performance.now() < deadline; k++) {
          const tool = tools[k % tools.length];
          const t = performance.now();
          await call(c, tool, readArgs[tool](postIds, first + j, k));
          latencies[tool].push(performance.now() - t);
        }
      }),
    );
    return { latencies };
  },
  async close() {
    await Promise.all(clients.map((c) => c.close()));
    return {};
  },
};

process.on("message", async ({ id, phase, params }) => {
  try {
    process.send({ id, result: await phases[phase](params) });
  } catch (e) {
    process.send({ id, error: e.message });
  }
});
process.send({ ready: true });
