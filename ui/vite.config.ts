import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import react from "@vitejs/plugin-react";
import { defineConfig, type Plugin } from "vite";
import { uiConfigFromDevnet } from "./server/serve.mjs";

const ROOT = path.resolve(import.meta.dirname, "..");
const NODE_HASH = path.join(ROOT, "chain", "crypto", "hash.ts");
const BROWSER_HASH = path.join(import.meta.dirname, "src", "shims", "hash.ts");

/**
 * The app encodes its Msgs with the very definitions the node executes (contracts/social/tx.ts).
 * Those reach chain/crypto/hash.ts, which uses node:crypto; the browser gets a drop-in with the
 * same exports built on @noble/hashes.
 */
function browserHash(): Plugin {
  return {
    name: "vivim-browser-hash",
    enforce: "pre",
    async resolveId(source, importer, options) {
      if (!source.endsWith("hash.js") || !importer) return null;
      const resolved = await this.resolve(source, importer, { ...options, skipSelf: true });
      return resolved && path.normalize(resolved.id) === NODE_HASH ? BROWSER_HASH : null;
    },
  };
}

/** `npx vite ui` (development): /config.json from the devnet `npm start` runs (VIVIM_HOME, else .vivim/devnet). */
function devConfig(): Plugin {
  return {
    name: "vivim-dev-config",
    configureServer(server) {
      server.middlewares.use("/config.json", (_req, res) => {
        const file = path.resolve(
          ROOT,
          process.env.VIVIM_HOME ?? path.join(".vivim", "devnet"),
          "devnet.json",
        );
        res.setHeader("Content-Type", "application/json; charset=utf-8");
        res.setHeader("Cache-Control", "no-store");
        if (!existsSync(file)) {
          res.statusCode = 503;
          res.end(JSON.stringify({ error: `${file} not found: run npm start first` }));
          return;
        }
        res.end(JSON.stringify(uiConfigFromDevnet(JSON.parse(readFileSync(file, "utf8")))));
      });
    },
  };
}

// The VIVIM app: built to ui/dist and served by ui/server/serve.mjs (npm start) at 127.0.0.1:3000.
// Views other than the first one, and the signing stack (cosmjs), are separate chunks loaded on
// demand, so the first view stays small.
export default defineConfig({
  root: import.meta.dirname,
  base: "/",
  plugins: [browserHash(), devConfig(), react()],
  build: {
    outDir: "dist",
    emptyOutDir: true,
    target: "es2022",
    sourcemap: false,
    chunkSizeWarningLimit: 1500,
    reportCompressedSize: true,
  },
  server: { host: "127.0.0.1", port: 3000, strictPort: true },
  preview: { host: "127.0.0.1", port: 3000, strictPort: true },
});
