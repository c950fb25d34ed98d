// `npm run bench:ui`: how fast the app is for a person, in the machine's headless Chromium.
//
//   1. First-view bundle: the gzip size of every JS and CSS file the browser fetched until the feed
//      was interactive (the entry, the feed's lazy chunk and their imports; other views are lazy).
//   2. Feed time to interactive with 1,000 posts on chain: a returning person opens the app
//      (empty HTTP cache), unlocks with their passphrase, and the feed's posts can be clicked.
//      Split into: load to the unlock form, the unlock (PBKDF2 of the key vault, deliberately slow),
//      and unlock to the interactive feed.
//   3. Commit-to-screen latency of a new post: with the feed open on "New", posts are broadcast one
//      at a time; latency = when the post's title appears in the page (a MutationObserver,
//      Date.now()) minus when the node's /websocket NewBlock event for its block reached this
//      process. Both clocks are this machine's.
//
// A real node (`vivim start`, its own process) with the devnet's people and communities plus 1,000
// posts from 10 bench accounts (rate limits raised in genesis: this measures the app, not the
// policy), the production build served by ui/server/serve.mjs. The last line is the JSON summary.
//
//   npm run bench:ui [-- --posts 1000 --trials 5 --live 40]
import { spawn } from "node:child_process";
import { createWriteStream, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { gzipSync } from "node:zlib";
import { benchAccount, signedTx } from "./bench/keys.mjs";
import { generousRateLimits } from "./bench/social-genesis.mjs";
import { watchBlocks } from "./bench/workers-stack.mjs";
import { NODE_V8_FLAGS } from "./lib/node-flags.mjs";
import {
  CHROMIUM_PATH,
  ensureBuild,
  ensureChromium,
  ensureDependencies,
  ensureUiBuild,
  ROOT,
} from "./lib/setup.mjs";

const { values: args } = parseArgs({
  options: {
    posts: { type: "string", default: "1000" },
    trials: { type: "string", default: "5" },
    live: { type: "string", default: "40" },
  },
});
const POSTS = Number(args.posts);
const TRIALS = Number(args.trials);
const LIVE = Number(args.live);
const AUTHORS = 10;
const PASSPHRASE = "bench passphrase for the ui";
const PORTS = { rpc: 46657, p2p: 46656, api: 41317 };

ensureDependencies();
ensureBuild();
ensureUiBuild();
if (!ensureChromium()) process.exit(1);

const DIST = path.join(ROOT, "dist");
const load = (...p) => import(path.join(DIST, ...p));
const { createDevnet } = await load("chain", "node", "devnet.js");
const { defaultConfig } = await load("chain", "config", "config.js");
const { loadGenesis } = await load("chain", "config", "genesis.js");
const { homePaths, writeGenesis } = await load("chain", "config", "home.js");
const social = await load("contracts", "social", "tx.js");
const { startUiServer, uiConfigFromDevnet } = await import(path.join(ROOT, "ui", "server", "serve.mjs"));
const { chromium } = await import("playwright-core");

const log = (...a) => console.error("[bench:ui]", ...a);
const pct = (xs, p) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)] : null;
};

// --- the network ----------------------------------------------------------------------------
const home = mkdtempSync(path.join(tmpdir(), "vivim-bench-ui-"));
const base = defaultConfig();
const devnet = await createDevnet(home, {
  ports: () => PORTS,
  config: {
    ...base,
    log_level: "warn",
    mempool: { ...base.mempool, max_txs_per_account: 256 },
  },
});
const authors = Array.from({ length: AUTHORS }, (_, i) => benchAccount(i));
const genesisFile = homePaths(devnet.nodes[0].home).genesisFile;
const genesis = loadGenesis(genesisFile, { validateAppState: () => undefined });
const app = genesis.app_state;
for (const a of authors)
  app.bank.balances.push({ address: a.address, coins: [{ denom: "uvivim", amount: "1000000000000" }] });
app.identity.profiles.push(
  ...authors.map((a, i) => ({ address: a.address, handle: `writer${i}`, display_name: `Writer ${i}` })),
);
app.social.params = { ...(app.social.params ?? {}), rate_limits: generousRateLimits() };
const general = app.social.communities.find((c) => c.slug === "general");
general.members.push(...authors.map((a) => a.address));
writeGenesis(devnet.nodes[0].home, genesis);

const nodeLog = path.join(home, "node.log");
const node = spawn(
  process.execPath,
  [...NODE_V8_FLAGS, path.join(ROOT, "bin", "vivim.js"), "start", "--home", devnet.nodes[0].home],
  {
    stdio: ["ignore", "pipe", "pipe"],
  },
);
const logStream = createWriteStream(nodeLog);
node.stdout.pipe(logStream);
node.stderr.pipe(logStream);
const rpcUrl = `http://127.0.0.1:${PORTS.rpc}`;
const apiUrl = `http://127.0.0.1:${PORTS.api}`;
let ui;
let browser;
const cleanup = async () => {
  await browser?.close().catch(() => undefined);
  await ui?.stop().catch(() => undefined);
  node.kill("SIGTERM");
  await new Promise((r) => setTimeout(r, 500));
  rmSync(home, { recursive: true, force: true });
};
process.on("SIGINT", () => void cleanup().then(() => process.exit(130)));
// A failure anywhere below must not leave the node running.
process.on("exit", () => node.kill("SIGKILL"));

const status = async () => (await (await fetch(`${rpcUrl}/status`)).json()).result;
for (let i = 0; ; i++) {
  try {
    if (Number((await status()).sync_info.latest_block_height) > 0) break;
  } catch {}
  if (i > 600) throw new Error(`the node did not start; see ${nodeLog}`);
  await new Promise((r) => setTimeout(r, 100));
}
const blocks = await watchBlocks(PORTS.rpc);

// --- 1,000 posts --------------------------------------------------------------------------------
const accountNumbers = await Promise.all(
  authors.map(async (a) => {
    const r = await (await fetch(`${apiUrl}/cosmos/auth/v1beta1/accounts/${a.address}`)).json();
    return {
      accountNumber: Number(r.account?.account_number ?? 0),
      sequence: Number(r.account?.sequence ?? 0),
    };
  }),
);
const nextPost = (i, title) => {
  const a = i % AUTHORS;
  const n = accountNumbers[a];
  const value = social.MsgCreatePost.encode(
    social.MsgCreatePost.fromPartial({
      author: authors[a].address,
      communityId: BigInt(general.id ?? 1),
      title,
      body: `Post ${i} of the UI benchmark: a paragraph of **markdown** so the cards have an excerpt to show.`,
    }),
  ).finish();
  const bytes = signedTx(authors[a], [{ typeUrl: social.MsgCreatePost.typeUrl, value }], {
    chainId: devnet.chainId,
    accountNumber: n.accountNumber,
    sequence: n.sequence++,
  });
  return Buffer.from(bytes).toString("base64");
};
const broadcast = async (txs) => {
  const res = await fetch(rpcUrl, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(
      txs.map((tx, j) => ({ jsonrpc: "2.0", id: j, method: "broadcast_tx_sync", params: { tx } })),
    ),
  });
  const out = await res.json();
  if (!Array.isArray(out))
    throw new Error(`the node refused the batch: ${JSON.stringify(out).slice(0, 300)}`);
  const bad = out.find((r) => r.result?.code !== 0);
  if (bad) throw new Error(`a post was refused: ${JSON.stringify(bad.result ?? bad.error).slice(0, 300)}`);
  return out.map((r) => r.result.hash);
};
log(`posting ${POSTS} posts ...`);
const hashes = [];
for (let i = 0; i < POSTS; i += 100) {
  const batch = Array.from({ length: Math.min(100, POSTS - i) }, (_, j) =>
    nextPost(i + j, `Bench post ${i + j}`),
  );
  hashes.push(...(await broadcast(batch)));
  const want = new Set(hashes);
  for (
    let w = 0;
    w < 600 &&
    [...blocks.blocks.values()].flatMap((b) => b.txs).filter((t) => want.has(t)).length < want.size;
    w++
  )
    await new Promise((r) => setTimeout(r, 100));
}
log(`${hashes.length} posts committed at height ${(await status()).sync_info.latest_block_height}`);

// --- the app ------------------------------------------------------------------------------------
ui = await startUiServer({ config: uiConfigFromDevnet({ ...devnet, rpc: rpcUrl, api: apiUrl }), port: 0 });
browser = await chromium.launch({
  executablePath: CHROMIUM_PATH,
  args: ["--no-sandbox", "--disable-gpu", "--no-first-run"],
});
const context = await browser.newContext({ viewport: { width: 1280, height: 860 } });
const setup = await context.newPage();
await setup.goto(ui.url);
await setup.getByRole("radio", { name: /alice/i }).check();
await setup.getByLabel("Choose a passphrase").fill(PASSPHRASE);
await setup.getByLabel("Repeat passphrase").fill(PASSPHRASE);
await setup.getByRole("button", { name: "Sign in" }).click();
await setup.getByTestId("feed").waitFor({ timeout: 60_000 });
await setup.close();

// --- time to interactive, and what the first view fetched ---------------------------------------
const firstViewFiles = new Set();
const tti = [];
for (let t = 0; t < TRIALS; t++) {
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send("Network.setCacheDisabled", { cacheDisabled: true });
  page.on("request", (r) => {
    const u = new URL(r.url());
    if (t === 0 && u.pathname.startsWith("/assets/") && /\.(js|css)$/.test(u.pathname))
      firstViewFiles.add(u.pathname);
  });
  const start = Date.now();
  await page.goto(ui.url);
  await page.getByLabel("Passphrase").waitFor();
  const formAt = Date.now();
  await page.getByLabel("Passphrase").fill(PASSPHRASE);
  const clickAt = Date.now();
  await page.getByRole("button", { name: "Unlock" }).click();
  // Unlocked: the signed-in shell (its navigation) is on screen.
  await page.getByRole("link", { name: "Workers" }).waitFor({ timeout: 60_000 });
  const shellAt = Date.now();
  // Interactive: the first post card's title link is on screen and enabled.
  const first = page.getByTestId("feed").locator("article a").first();
  await first.waitFor({ state: "visible", timeout: 60_000 });
  await page.waitForFunction(() => document.querySelectorAll("[data-testid=feed] article").length >= 10);
  const feedAt = Date.now();
  const cards = await page.getByTestId("feed").locator("article").count();
  tti.push({
    totalMs: feedAt - start - (clickAt - formAt),
    loadToFormMs: formAt - start,
    unlockMs: shellAt - clickAt,
    shellToFeedMs: feedAt - shellAt,
    cards,
  });
  log(`trial ${t + 1}: ${JSON.stringify(tti.at(-1))}`);
  await page.close();
}
// The unlock derives the vault key with PBKDF2-SHA-256 (600,000 iterations, ui/src/lib/vault.ts):
// a deliberate cost against passphrase guessing. Timed alone in the same browser, to split it out.
const kdfPage = await context.newPage();
await kdfPage.goto(ui.url);
const kdfMs = await kdfPage.evaluate(async () => {
  const times = [];
  for (let i = 0; i < 3; i++) {
    const base = await crypto.subtle.importKey(
      "raw",
      new TextEncoder().encode("a passphrase"),
      "PBKDF2",
      false,
      ["deriveBits"],
    );
    const t = performance.now();
    await crypto.subtle.deriveBits(
      { name: "PBKDF2", hash: "SHA-256", salt: new Uint8Array(16), iterations: 600_000 },
      base,
      256,
    );
    times.push(performance.now() - t);
  }
  return times.sort((a, b) => a - b)[1];
});
await kdfPage.close();
log(`PBKDF2 (600,000 iterations) in the page: ${Math.round(kdfMs)} ms`);

const gz = (p) => gzipSync(readFileSync(path.join(ROOT, "ui", "dist", p))).length;
const files = [...firstViewFiles].sort();
const jsGzip = files.filter((f) => f.endsWith(".js")).reduce((s, f) => s + gz(f), 0);
const cssGzip = files.filter((f) => f.endsWith(".css")).reduce((s, f) => s + gz(f), 0);
log(`first view fetched ${files.length} files: ${files.map((f) => path.basename(f)).join(", ")}`);

// --- commit to screen -------------------------------------------------------------------------
const page = await context.newPage();
await page.goto(ui.url);
await page.getByLabel("Passphrase").fill(PASSPHRASE);
await page.getByRole("button", { name: "Unlock" }).click();
await page.getByTestId("feed").waitFor({ timeout: 60_000 });
await page.getByRole("link", { name: "New", exact: true }).click();
await page.waitForFunction(() => document.querySelectorAll("[data-testid=feed] article").length >= 10);
await page.evaluate(() => {
  window.__seen = {};
  const mark = () => {
    for (const a of document.querySelectorAll("[data-testid=feed] article")) {
      const m = /Live post (\d+)/.exec(a.textContent ?? "");
      if (m && !(m[1] in window.__seen)) window.__seen[m[1]] = Date.now();
    }
  };
  new MutationObserver(mark).observe(document.body, { childList: true, subtree: true, characterData: true });
});
const liveHashes = [];
for (let i = 0; i < LIVE; i++) {
  liveHashes.push((await broadcast([nextPost(POSTS + i, `Live post ${i}`)]))[0]);
  await new Promise((r) => setTimeout(r, 700));
}
await new Promise((r) => setTimeout(r, 3000));
const seen = await page.evaluate(() => window.__seen);
const latencies = [];
for (const [i, hash] of liveHashes.entries()) {
  const block = [...blocks.blocks.values()].find((b) => b.txs.includes(hash));
  if (block && seen[i] !== undefined) latencies.push(seen[i] - block.seenAt);
}
log(`commit-to-screen for ${latencies.length}/${LIVE} live posts: ${JSON.stringify(latencies)}`);
blocks.close();

const ttiTotals = tti.map((x) => x.totalMs);
const summary = {
  posts: POSTS,
  firstViewGzipBytes: jsGzip + cssGzip,
  firstViewJsGzipBytes: jsGzip,
  firstViewCssGzipBytes: cssGzip,
  firstViewFiles: files.length,
  ttiMedianMs: pct(ttiTotals, 50),
  ttiMaxMs: Math.max(...ttiTotals),
  ttiWithoutKdfMedianMs: Math.round(pct(ttiTotals, 50) - kdfMs),
  kdfMs: Math.round(kdfMs),
  loadToUnlockFormMedianMs: pct(
    tti.map((x) => x.loadToFormMs),
    50,
  ),
  unlockMedianMs: pct(
    tti.map((x) => x.unlockMs),
    50,
  ),
  shellToFeedMedianMs: pct(
    tti.map((x) => x.shellToFeedMs),
    50,
  ),
  commitToScreenP50Ms: pct(latencies, 50),
  commitToScreenP99Ms: pct(latencies, 99),
  commitToScreenSeen: `${latencies.length}/${LIVE}`,
};
writeFileSync(path.join(home, "summary.json"), JSON.stringify(summary));
await cleanup();
console.log(JSON.stringify(summary));
