/**
 * The VIVIM app in a real browser: Debian's Chromium driven by playwright-core (no browser
 * download) loads the production build served by ui/server/serve.mjs, against a real devnet node
 * (seeded people, communities and posts) in this process with its RPC and app API. A person signs
 * in as alice, sees the feed live, votes and sees the score move, opens a thread and comments;
 * another account's vote (signed in Node with vivim/client) reaches the open page over
 * /v1/stream. Screenshots of each view go to test/artifacts/ui/.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { DirectSecp256k1HdWallet } from "@cosmjs/proto-signing";
import { type Browser, type BrowserContext, chromium, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ApiServer } from "../../chain/api/server.js";
import { createDevnet, type DevnetDescriptor } from "../../chain/node/devnet.js";
import { VivimNode } from "../../chain/node/node.js";
import { RpcServer } from "../../chain/rpc/server.js";
import { silentLogger } from "../../chain/util/logger.js";
import { connectVivim, MsgVote, VoteDirection, vivimMsg } from "../../client/index.js";
import { CHROMIUM_PATH, ensureUiBuild } from "../../scripts/lib/setup.mjs";
import { startUiServer, type UiServer, uiConfigFromDevnet } from "../../ui/server/serve.mjs";
import { fastConfig } from "../support/node.js";

const ARTIFACTS = path.resolve("test", "artifacts", "ui");
/** The flags Chromium needs on a closed, sandboxed machine (see ../../docs/ui.md). */
const CHROMIUM_ARGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];
const PASSPHRASE = "correct horse battery staple";

interface Net {
  readonly home: string;
  readonly devnet: DevnetDescriptor;
  readonly apiUrl: string;
  readonly rpcUrl: string;
  stop(): Promise<void>;
}

async function startDevnetNode(): Promise<Net> {
  const home = mkdtempSync(path.join(tmpdir(), "vivim-ui-"));
  const devnet = await createDevnet(home);
  const node = await VivimNode.open({
    home: devnet.nodes[0]!.home,
    config: fastConfig(),
    logger: silentLogger(),
  });
  await node.start();
  const rpc = new RpcServer(node);
  await rpc.start();
  const api = new ApiServer(node);
  await api.start();
  return {
    home,
    devnet,
    rpcUrl: `http://127.0.0.1:${rpc.port}`,
    apiUrl: `http://127.0.0.1:${api.port}`,
    async stop() {
      await api.stop();
      await rpc.stop();
      await node.stop();
      rmSync(home, { recursive: true, force: true });
    },
  };
}

async function getJson<T>(url: string): Promise<T> {
  const res = await fetch(url);
  if (!res.ok) throw new Error(`${url}: ${res.status}`);
  return (await res.json()) as T;
}

describe("the VIVIM app in Chromium", () => {
  let net: Net;
  let ui: UiServer;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  const pageErrors: string[] = [];
  const address = (name: string) => net.devnet.accounts.find((a) => a.name === name)!.address;
  const shot = (name: string) =>
    page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`), fullPage: true });

  beforeAll(async () => {
    if (!existsSync(CHROMIUM_PATH)) {
      throw new Error(
        `Chromium is not installed at ${CHROMIUM_PATH}: run \`apt-get install -y chromium\` (npm test does it as root) or set VIVIM_CHROMIUM.`,
      );
    }
    ensureUiBuild();
    mkdirSync(ARTIFACTS, { recursive: true });
    net = await startDevnetNode();
    const config = uiConfigFromDevnet({ ...net.devnet, rpc: net.rpcUrl, api: net.apiUrl });
    ui = await startUiServer({ config, port: 0 });
    browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
    context = await browser.newContext({ viewport: { width: 1280, height: 860 } });
    page = await context.newPage();
    page.on("pageerror", (err) => pageErrors.push(err.message));
  });

  afterAll(async () => {
    await browser?.close();
    await ui?.stop();
    await net?.stop();
  });

  it("serves the app with SPA fallback, hashed-asset caching and the network's config", async () => {
    const deep = await fetch(`${ui.url}/c/general/new`);
    expect(deep.status).toBe(200);
    expect(deep.headers.get("content-type")).toBe("text/html; charset=utf-8");
    expect(deep.headers.get("cache-control")).toBe("no-cache");
    const html = await deep.text();
    const asset = /src="(\/assets\/[^"]+\.js)"/.exec(html)?.[1];
    expect(asset).toBeDefined();
    const js = await fetch(`${ui.url}${asset}`);
    expect(js.headers.get("content-type")).toBe("text/javascript; charset=utf-8");
    expect(js.headers.get("cache-control")).toContain("immutable");
    expect((await fetch(`${ui.url}/assets/missing.js`)).status).toBe(404);
    const config = await getJson<{ chainId: string; stream: string; demoAccounts: { name: string }[] }>(
      `${ui.url}/config.json`,
    );
    expect(config.chainId).toBe(net.devnet.chainId);
    expect(config.stream).toBe(`${net.apiUrl.replace("http", "ws")}/v1/stream`);
    expect(config.demoAccounts.map((a) => a.name)).toEqual(["alice", "bob", "carol", "scout"]);
    expect(JSON.stringify(config)).not.toContain("mcpKeys");
  });

  it("signs in as alice with a passphrase-encrypted key and shows the live feed", async () => {
    await page.goto(ui.url);
    await page.getByRole("radio", { name: /Alice/ }).check();
    await shot("01-sign-in");
    await page.getByLabel("Choose a passphrase").fill(PASSPHRASE);
    await page.getByLabel("Repeat passphrase").fill(PASSPHRASE);
    await page.getByRole("button", { name: "Sign in" }).click();
    const feed = page.getByTestId("feed");
    await feed.waitFor();
    await expect.poll(() => feed.getByRole("article").count()).toBeGreaterThanOrEqual(3);
    await expect.poll(() => page.getByTestId("active-account").textContent()).toBe("@alice");
    await page.getByRole("status").filter({ hasText: "Live" }).waitFor();
    // Only ciphertext is stored: the phrase is nowhere in localStorage.
    const stored = await page.evaluate<string>("JSON.stringify(localStorage)");
    const mnemonic = net.devnet.accounts.find((a) => a.name === "alice")!.mnemonic;
    expect(stored).toContain(address("alice"));
    expect(stored).not.toContain(mnemonic.split(" ").slice(0, 3).join(" "));
    await shot("02-feed");
  });

  it("votes on a post: signed in the browser, committed, and the score moves", async () => {
    const card = page.getByRole("article").filter({ hasText: "Welcome to VIVIM" });
    const before = Number(await card.getByTestId("score-1").textContent());
    await card.getByRole("button", { name: "Upvote post" }).click();
    await page.getByText(/Vote recorded in block \d+/).waitFor();
    await expect.poll(() => card.getByTestId("score-1").textContent()).toBe(String(before + 1));
    await expect
      .poll(() => card.getByRole("button", { name: "Upvote post" }).getAttribute("aria-pressed"))
      .toBe("true");
    const onChain = await getJson<{ item: { content: { upvotes: string } } }>(
      `${net.apiUrl}/vivim/social/v1/content/1`,
    );
    expect(Number(onChain.item.content.upvotes)).toBe(before + 1);
    await shot("03-voted");
  });

  it("shows another account's vote live, over the stream", async () => {
    const bob = net.devnet.accounts.find((a) => a.name === "bob")!;
    const wallet = await DirectSecp256k1HdWallet.fromMnemonic(bob.mnemonic, { prefix: "vivim" });
    const client = await connectVivim(net.rpcUrl, wallet);
    const card = page.getByRole("article").filter({ hasText: "What are you drinking" });
    const before = Number(await card.getByTestId("score-3").textContent());
    await client.broadcastVivim(bob.address, [
      vivimMsg(MsgVote, { voter: bob.address, targetId: 3n, direction: VoteDirection.UP }),
    ]);
    client.disconnect();
    await expect
      .poll(() => card.getByTestId("score-3").textContent(), { timeout: 10_000 })
      .toBe(String(before + 1));
  });

  it("opens a thread with nested comments and posts a comment", async () => {
    await page.getByRole("link", { name: "Welcome to VIVIM" }).click();
    const comments = page.getByTestId("comments");
    await comments.waitFor();
    // The seeded reply of @alice/scout is nested under bob's comment.
    await expect
      .poll(() => comments.locator(".comment-children").getByText("Welcome, @bob!").count())
      .toBe(1);
    const text = `Hello from the browser at ${new Date().toISOString()}`;
    await page.getByLabel("Add a comment").fill(text);
    await page.getByRole("button", { name: "Comment", exact: true }).click();
    await page.getByText(/Comment posted in block \d+/).waitFor();
    await comments.getByText(text).waitFor();
    const thread = await getJson<{ comments: { body: string; content: { author: string } }[] }>(
      `${net.apiUrl}/vivim/social/v1/threads/1`,
    );
    expect(thread.comments.find((c) => c.body === text)?.content.author).toBe(address("alice"));
    await shot("04-thread");
  });

  it("switches to alice's agent and fits a phone screen", async () => {
    await page.getByRole("button", { name: /Acting as @alice/ }).click();
    const scout = page.getByRole("button", { name: /@alice\/scout/ });
    await scout.waitFor();
    await shot("05-account-switcher");
    await scout.click();
    await expect.poll(() => page.getByTestId("active-account").textContent()).toBe("@alice/scout");
    await page.setViewportSize({ width: 375, height: 812 });
    await page.goto(`${ui.url}/c/general`);
    // A reload locks the vault: unlock with the passphrase, as the agent chosen last.
    await page.getByLabel("Passphrase").fill("not the passphrase");
    await page.getByRole("button", { name: "Unlock" }).click();
    await page.getByRole("alert").filter({ hasText: "does not unlock" }).waitFor();
    await page.getByLabel("Passphrase").fill(PASSPHRASE);
    await page.getByRole("button", { name: "Unlock" }).click();
    await page.getByTestId("feed").waitFor();
    await expect.poll(() => page.getByTestId("active-account").textContent()).toBe("@alice/scout");
    // Keyboard: j moves focus to the first post.
    await page.keyboard.press("j");
    await expect
      .poll(() => page.evaluate<string | null>("document.activeElement?.dataset.post ?? null"))
      .toBe("1");
    const overflow = await page.evaluate<number>("document.documentElement.scrollWidth - window.innerWidth");
    expect(overflow).toBeLessThanOrEqual(0);
    await shot("06-phone-feed");
    expect(pageErrors).toEqual([]);
  });
});
