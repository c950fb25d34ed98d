/**
 * The VIVIM app in a real browser: Debian's Chromium driven by playwright-core (no browser
 * download) loads the production build served by ui/server/serve.mjs, against a real devnet node
 * (seeded people, communities and posts) in this process with its RPC and app API. A person signs
 * in as alice, sees the feed live, votes and sees the score move, opens a thread and comments;
 * another account's vote (signed in Node with vivim/client) reaches the open page over
 * /v1/stream. Screenshots of each view go to test/artifacts/ui/.
 */
import { DirectSecp256k1HdWallet } from "@cosmjs/proto-signing";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connectVivim, MsgVote, VoteDirection, vivimMsg } from "../../client/index.js";
import { getJson, PASSPHRASE, screenshot, signInAs, startUiTestNet, type UiTestNet } from "../support/ui.js";

describe("the VIVIM app in Chromium", () => {
  let net: UiTestNet;
  let page: Page;
  let pageErrors: string[];
  const address = (name: string) => net.address(name);
  const shot = (name: string) => screenshot(page, name);
  let ui: { url: string };

  beforeAll(async () => {
    net = await startUiTestNet();
    ui = net.ui;
    ({ page, errors: pageErrors } = await net.newPage());
  });

  afterAll(async () => {
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
    await page.getByRole("radio", { name: /Alice/ }).waitFor();
    await shot("01-sign-in");
    await signInAs(page, ui.url, "alice");
    const feed = page.getByTestId("feed");
    await expect.poll(() => feed.getByRole("article").count()).toBeGreaterThanOrEqual(3);
    await expect.poll(() => page.getByTestId("active-account").textContent()).toBe("@alice");
    await page.getByRole("status").filter({ hasText: "Live" }).waitFor();
    // Only ciphertext is stored: the phrase is nowhere in localStorage.
    const stored = await page.evaluate<string>("JSON.stringify(localStorage)");
    const mnemonic = net.mnemonic("alice");
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
    const bob = { address: net.address("bob"), mnemonic: net.mnemonic("bob") };
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
  it("follows the system's light theme", async () => {
    const context = await net.browser.newContext({
      viewport: { width: 1280, height: 860 },
      colorScheme: "light",
    });
    const light = await context.newPage();
    await signInAs(light, net.ui.url, "bob");
    const colors = await light.evaluate(
      "(() => { const s = getComputedStyle(document.body); return { bg: s.backgroundColor, text: s.color }; })()",
    );
    expect(colors).toEqual({ bg: "rgb(245, 246, 250)", text: "rgb(23, 26, 35)" });
    await screenshot(light, "ui-light-feed");
    await context.close();
  });
});
