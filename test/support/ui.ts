/**
 * Shared set-up of the app's browser tests: a real devnet node (seeded people, communities, posts)
 * in this process with its RPC and app API, the production build served by ui/server/serve.mjs,
 * and Debian's Chromium driven by playwright-core (no browser download), plus sign-in as a demo
 * person and screenshots under test/artifacts/ui/.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { type Browser, type BrowserContext, chromium, type Page } from "playwright-core";
import { ApiServer } from "../../chain/api/server.js";
import { createDevnet, type DevnetDescriptor } from "../../chain/node/devnet.js";
import { VivimNode } from "../../chain/node/node.js";
import { RpcServer } from "../../chain/rpc/server.js";
import { silentLogger } from "../../chain/util/logger.js";
import { CHROMIUM_PATH, ensureUiBuild } from "../../scripts/lib/setup.mjs";
import { type ChatHandler, createChatHandler } from "../../ui/server/chat.mjs";
import { startUiServer, type UiServer, uiConfigFromDevnet } from "../../ui/server/serve.mjs";
import { fastConfig } from "./node.js";

export const UI_ARTIFACTS = path.resolve("test", "artifacts", "ui");
/** The flags Chromium needs on a closed, sandboxed machine (see docs/ui.md). */
const CHROMIUM_ARGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];
export const PASSPHRASE = "correct horse battery staple";

export interface UiTestNet {
  readonly home: string;
  readonly devnet: DevnetDescriptor;
  readonly node: VivimNode;
  readonly apiUrl: string;
  readonly rpcUrl: string;
  readonly ui: UiServer;
  readonly browser: Browser;
  address(name: string): string;
  mnemonic(name: string): string;
  /** A fresh browser context and page (a second person: another context), its page errors collected. */
  newPage(): Promise<{ context: BrowserContext; page: Page; errors: string[] }>;
  stop(): Promise<void>;
}

/** The app's production build served for a running network, and a Chromium to drive it. */
export interface UiFront {
  readonly ui: UiServer;
  readonly browser: Browser;
  /** A fresh browser context and page (a second person: another context), its page errors collected. */
  newPage(): Promise<{ context: BrowserContext; page: Page; errors: string[] }>;
  stop(): Promise<void>;
}

/** Serves the app for `devnet` (its node's RPC and app API at the given URLs) and launches Chromium. */
export async function startUiFront(
  devnet: DevnetDescriptor,
  rpcUrl: string,
  apiUrl: string,
  chat?: ChatHandler,
): Promise<UiFront> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(
      `Chromium is not installed at ${CHROMIUM_PATH}: run \`apt-get install -y chromium\` (npm test does it as root) or set VIVIM_CHROMIUM.`,
    );
  }
  ensureUiBuild();
  mkdirSync(UI_ARTIFACTS, { recursive: true });
  const ui = await startUiServer({
    config: uiConfigFromDevnet({ ...devnet, rpc: rpcUrl, api: apiUrl }),
    port: 0,
    ...(chat ? { chat } : {}),
  });
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
  return {
    ui,
    browser,
    async newPage() {
      const context = await browser.newContext({ viewport: { width: 1280, height: 860 } });
      const page = await context.newPage();
      const errors: string[] = [];
      page.on("pageerror", (err) => errors.push(err.message));
      return { context, page, errors };
    },
    async stop() {
      await browser.close();
      await ui.stop();
    },
  };
}

/**
 * `chat`: the workers' AI-key vault (home and passphrase) the app server answers POST /chat with,
 * as `npm start` does when one is configured; without it the app's assistant is offline.
 */
export async function startUiTestNet(
  o: { chat?: { home: string; passphrase: string } } = {},
): Promise<UiTestNet> {
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
  const rpcUrl = `http://127.0.0.1:${rpc.port}`;
  const apiUrl = `http://127.0.0.1:${api.port}`;
  const chat = o.chat ? await createChatHandler({ ...o.chat, chainId: devnet.chainId }) : undefined;
  if (o.chat && !chat) throw new Error("the chat vault holds no usable AI key");
  const front = await startUiFront(devnet, rpcUrl, apiUrl, chat);
  const account = (name: string) => {
    const a = devnet.accounts.find((x) => x.name === name);
    if (!a) throw new Error(`no devnet account ${name}`);
    return a;
  };
  return {
    home,
    devnet,
    node,
    apiUrl,
    rpcUrl,
    ui: front.ui,
    browser: front.browser,
    address: (name) => account(name).address,
    mnemonic: (name) => account(name).mnemonic,
    newPage: front.newPage,
    async stop() {
      await front.stop();
      await api.stop();
      await rpc.stop();
      await node.stop();
      rmSync(home, { recursive: true, force: true });
    },
  };
}

/** Signs in on the app's sign-in page as one of the devnet's demo people. */
export async function signInAs(
  page: Page,
  url: string,
  name: string,
  passphrase = PASSPHRASE,
): Promise<void> {
  await page.goto(url);
  await page.getByRole("radio", { name: new RegExp(name, "i") }).check();
  await page.getByLabel("Choose a passphrase").fill(passphrase);
  await page.getByLabel("Repeat passphrase").fill(passphrase);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.getByTestId("feed").waitFor();
}

/** Signs in on the app's sign-in page with a recovery phrase (e.g. a validator operator's). */
export async function signInWithPhrase(
  page: Page,
  url: string,
  phrase: string,
  passphrase = PASSPHRASE,
): Promise<void> {
  await page.goto(url);
  await page.getByRole("radio", { name: /recovery phrase/i }).check();
  await page.getByRole("textbox", { name: "Recovery phrase" }).fill(phrase);
  await page.getByLabel("Choose a passphrase").fill(passphrase);
  await page.getByLabel("Repeat passphrase").fill(passphrase);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.getByTestId("feed").waitFor();
}

/** A full-page screenshot under test/artifacts/ui/<name>.png. */
export function screenshot(page: Page, name: string): Promise<Buffer> {
  return page.screenshot({ path: path.join(UI_ARTIFACTS, `${name}.png`), fullPage: true });
}

/** A JSON answer of the node's REST API (a non-2xx status throws with the URL). */
export async function getJson<T>(url: string): Promise<T> {
  const res = await fetch(url);
  if (!res.ok) throw new Error(`${url}: ${res.status}`);
  return (await res.json()) as T;
}
