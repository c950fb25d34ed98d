// The VIVIM app's static server: serves the production build (ui/dist) with SPA fallback, correct
// content types, long-lived caching for hashed assets, gzip, and /config.json, which tells the app
// the network it talks to (chain id, RPC, API and stream URLs, and on the devnet its published demo
// accounts), and with an AI-key vault POST /chat (./chat.mjs). Plain node:http. `npm start` runs it at http://127.0.0.1:3000;
// alone: `node ui/server/serve.mjs [--home .vivim/devnet] [--port 3000] [--host 127.0.0.1]`.
import { existsSync, readFileSync, statSync } from "node:fs";
import { createServer } from "node:http";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { gzipSync } from "node:zlib";

const HERE = path.dirname(fileURLToPath(import.meta.url));
export const UI_DIST = path.resolve(HERE, "..", "dist");
export const DEFAULT_UI_PORT = 3000;

const TYPES = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".jpg": "image/jpeg",
  ".jpeg": "image/jpeg",
  ".webp": "image/webp",
  ".ico": "image/x-icon",
  ".woff2": "font/woff2",
  ".woff": "font/woff",
  ".txt": "text/plain; charset=utf-8",
  ".map": "application/json; charset=utf-8",
  ".wasm": "application/wasm",
};
const COMPRESSIBLE = new Set([".html", ".js", ".mjs", ".css", ".json", ".svg", ".txt", ".map"]);

/**
 * The app's /config.json for a devnet descriptor (devnet.json): its endpoints, and its demo
 * accounts (names, addresses, mnemonics), which the devnet publishes for local use. Nothing else
 * of devnet.json (MCP keys, node homes) is served.
 */
export function uiConfigFromDevnet(devnet) {
  const api = String(devnet.api).replace(/\/$/, "");
  return {
    chainId: devnet.chainId,
    prefix: devnet.prefix ?? "vivim",
    denom: devnet.denom ?? "uvivim",
    rpc: devnet.rpc,
    api,
    stream: `${api.replace(/^http/, "ws")}/v1/stream`,
    gasPrice: `0.025${devnet.denom ?? "uvivim"}`,
    demoAccounts: (devnet.accounts ?? []).map((a) => ({
      name: a.name,
      address: a.address,
      mnemonic: a.mnemonic,
    })),
  };
}

function origins(config) {
  const out = new Set();
  for (const u of [config.rpc, config.api, config.stream]) {
    try {
      const url = new URL(u);
      out.add(`${url.protocol}//${url.host}`);
    } catch {
      // Not a URL: left out of connect-src (the app will say it cannot reach the node).
    }
  }
  return [...out];
}

function securityHeaders(config) {
  const connect = ["'self'", ...origins(config)].join(" ");
  return {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
    "Content-Security-Policy": [
      "default-src 'self'",
      "script-src 'self'",
      "style-src 'self'",
      "img-src 'self' data:",
      `connect-src ${connect}`,
      "base-uri 'none'",
      "form-action 'self'",
      "frame-ancestors 'none'",
      "object-src 'none'",
    ].join("; "),
  };
}

/**
 * Starts the server. `config` is what /config.json answers (see uiConfigFromDevnet). Resolves once
 * it listens; `stop()` closes it and its connections.
 */
export async function startUiServer(opts) {
  const dist = path.resolve(opts.dist ?? UI_DIST);
  const host = opts.host ?? "127.0.0.1";
  const wantPort = opts.port ?? DEFAULT_UI_PORT;
  // With a chat handler (./chat.mjs), the app is told to ask POST /chat before its offline assistant.
  const configBody = Buffer.from(JSON.stringify({ ...opts.config, ...(opts.chat ? { chat: true } : {}) }));
  const headers = securityHeaders(opts.config);
  /** path -> { body, gzip, type, etag, mtime } */
  const cache = new Map();

  function load(file) {
    let st;
    try {
      st = statSync(file);
    } catch {
      return undefined;
    }
    if (!st.isFile()) return undefined;
    const hit = cache.get(file);
    if (hit && hit.mtime === st.mtimeMs && hit.size === st.size) return hit;
    const body = readFileSync(file);
    const ext = path.extname(file).toLowerCase();
    const entry = {
      body,
      gzip: COMPRESSIBLE.has(ext) && body.length > 512 ? gzipSync(body, { level: 9 }) : undefined,
      type: TYPES[ext] ?? "application/octet-stream",
      etag: `"${st.size.toString(16)}-${Math.floor(st.mtimeMs).toString(16)}"`,
      mtime: st.mtimeMs,
      size: st.size,
    };
    cache.set(file, entry);
    return entry;
  }

  function send(req, res, status, entry, cacheControl) {
    const gz = entry.gzip && /\bgzip\b/.test(String(req.headers["accept-encoding"] ?? ""));
    const out = gz ? entry.gzip : entry.body;
    const h = {
      ...headers,
      "Content-Type": entry.type,
      "Cache-Control": cacheControl,
      Vary: "Accept-Encoding",
      "Content-Length": out.length,
      ...(entry.etag ? { ETag: entry.etag } : {}),
      ...(gz ? { "Content-Encoding": "gzip" } : {}),
    };
    if (status === 200 && entry.etag && req.headers["if-none-match"] === entry.etag) {
      res.writeHead(304, {
        ...headers,
        ETag: entry.etag,
        "Cache-Control": cacheControl,
        Vary: "Accept-Encoding",
      });
      res.end();
      return;
    }
    res.writeHead(status, h);
    res.end(req.method === "HEAD" ? undefined : out);
  }

  function plain(req, res, status, text) {
    const body = Buffer.from(`${text}\n`);
    res.writeHead(status, {
      ...headers,
      "Content-Type": "text/plain; charset=utf-8",
      "Content-Length": body.length,
      "Cache-Control": "no-store",
    });
    res.end(req.method === "HEAD" ? undefined : body);
  }

  const server = createServer((req, res) => {
    if (opts.chat && req.method === "POST" && (req.url ?? "").split("?")[0] === "/chat") {
      return void opts.chat.handle(req, res);
    }
    if (req.method !== "GET" && req.method !== "HEAD") {
      res.setHeader("Allow", "GET, HEAD");
      return plain(req, res, 405, "Method not allowed");
    }
    let pathname;
    try {
      pathname = decodeURIComponent(new URL(req.url ?? "/", "http://x").pathname);
    } catch {
      return plain(req, res, 400, "Bad request");
    }
    if (pathname === "/config.json") {
      return send(
        req,
        res,
        200,
        { body: configBody, type: TYPES[".json"], gzip: undefined, etag: undefined },
        "no-store",
      );
    }
    if (pathname === "/healthz") return plain(req, res, 200, "ok");
    const file = path.join(dist, path.normalize(pathname));
    if (file !== dist && !file.startsWith(dist + path.sep)) return plain(req, res, 400, "Bad request");
    const asset = pathname !== "/" ? load(file) : undefined;
    if (asset) {
      const immutable = pathname.startsWith("/assets/");
      return send(req, res, 200, asset, immutable ? "public, max-age=31536000, immutable" : "no-cache");
    }
    // A path with a file extension that does not exist is a missing file, not an app route.
    if (path.extname(pathname) && !pathname.endsWith(".html")) return plain(req, res, 404, "Not found");
    const index = load(path.join(dist, "index.html"));
    if (!index) {
      return plain(
        req,
        res,
        503,
        "The VIVIM app is not built yet: run `npm run build:ui` (npm start does it for you).",
      );
    }
    return send(req, res, 200, index, "no-cache");
  });
  server.keepAliveTimeout = 5_000;

  await new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(wantPort, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : wantPort;
  return {
    url: `http://${host}:${port}`,
    port,
    async stop() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

// Run directly: serve the devnet's app.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { parseArgs } = await import("node:util");
  const { values } = parseArgs({
    options: {
      home: { type: "string", default: path.join(".vivim", "devnet") },
      port: { type: "string", default: String(DEFAULT_UI_PORT) },
      host: { type: "string", default: "127.0.0.1" },
    },
    strict: true,
  });
  const file = path.resolve(values.home, "devnet.json");
  if (!existsSync(file)) {
    console.error(`${file} not found: start the devnet first (npm start).`);
    process.exit(2);
  }
  const devnet = JSON.parse(readFileSync(file, "utf8"));
  const { createChatHandler } = await import("./chat.mjs");
  const chat = await createChatHandler({
    home: path.resolve(values.home),
    passphrase: process.env.VIVIM_VAULT_PASSPHRASE,
    chainId: devnet.chainId,
  });
  const ui = await startUiServer({
    config: uiConfigFromDevnet(devnet),
    ...(chat ? { chat } : {}),
    port: Number(values.port),
    host: values.host,
  });
  console.info(`VIVIM app at ${ui.url}`);
  const stop = () => void ui.stop().then(() => process.exit(0));
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
}
