/**
 * Signing in with Keplr, in a real browser against a real devnet node. Keplr is a browser
 * extension that cannot be installed here, so test/support/keplr-standin.ts speaks its
 * `window.keplr` interface over bob's key held in the test process (the only stand-in: node, app
 * server, app and cosmjs client are real). Without the extension the sign-in screen hides the
 * button and links to Keplr; with it, bob first declines in Keplr (the screen says so), then
 * connects (the app suggests VIVIM's chain, enables it and reads the account), the live stream
 * signs in through Keplr's signArbitrary, and a post made through a confirmed chat card is signed
 * by Keplr (sign mode direct) and lands on chain from the Keplr address. The page never sees a
 * phrase; adding an account explains why not; choosing another account in Keplr signs out.
 */
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { KeplrStandin } from "../support/keplr-standin.js";
import { getJson, screenshot, startUiTestNet, type UiTestNet } from "../support/ui.js";

describe("signing in with Keplr", () => {
  let net: UiTestNet;
  let page: Page;
  let pageErrors: string[];
  let keplr: KeplrStandin;

  beforeAll(async () => {
    net = await startUiTestNet();
    keplr = await KeplrStandin.fromMnemonic(net.mnemonic("bob"), "vivim", "Bob's Keplr");
    ({ page, errors: pageErrors } = await net.newPage());
    await keplr.install(page);
  });

  afterAll(async () => {
    await net?.stop();
  });

  it("hides Connect Keplr without the extension and links to it instead", async () => {
    const { page: plain, context } = await net.newPage();
    await plain.goto(net.ui.url);
    await plain.getByRole("link", { name: "Install the Keplr extension" }).waitFor();
    expect(await plain.getByRole("button", { name: "Connect Keplr" }).count()).toBe(0);
    await context.close();
  });

  it("connects: suggests VIVIM's chain, enables it and signs in as the Keplr account", async () => {
    await page.goto(net.ui.url);
    await page.getByRole("radio", { name: /Bob/ }).waitFor();
    await page.getByRole("button", { name: "Connect Keplr" }).waitFor();
    await screenshot(page, "keplr-1-signin");
    // Declined in Keplr's pop-up first: the screen says so and stays.
    keplr.declineNextEnable = true;
    await page.getByRole("button", { name: "Connect Keplr" }).click();
    await page.getByText("Keplr did not connect: the request was declined.").waitFor({ timeout: 10_000 });
    await page.getByRole("button", { name: "Connect Keplr" }).click();
    await page.getByTestId("feed").waitFor({ timeout: 20_000 });
    expect(keplr.suggested).toHaveLength(2);
    expect(keplr.suggested[0]).toMatchObject({
      chainId: net.devnet.chainId,
      rpc: net.rpcUrl,
      bech32Config: { bech32PrefixAccAddr: "vivim" },
      currencies: [{ coinDenom: "VIVIM", coinMinimalDenom: "uvivim", coinDecimals: 6 }],
    });
    expect(keplr.calls.slice(0, 5)).toEqual([
      "experimentalSuggestChain",
      "enable",
      "experimentalSuggestChain",
      "enable",
      "getKey",
    ]);
    // The live stream's challenge was answered by Keplr's signArbitrary.
    await expect.poll(() => keplr.calls.includes("signArbitrary"), { timeout: 20_000 }).toBe(true);
    await page.locator(".live.live-live").first().waitFor({ timeout: 20_000 });
  });

  it("posts through a confirmed chat card, signed by Keplr, on chain from the Keplr address", async () => {
    await page.getByRole("link", { name: "Assistant" }).click();
    const box = page.getByRole("textbox", { name: "Message the assistant" });
    await box.fill("post 'signed in Keplr' in #general");
    await box.press("Enter");
    const card = page.getByTestId("chat-card-create_post");
    await card.waitFor({ timeout: 20_000 });
    const directBefore = keplr.calls.filter((c) => c === "signDirect").length;
    await card.getByRole("button", { name: "Confirm and sign" }).click();
    await card.getByTestId("chat-committed").waitFor({ timeout: 30_000 });
    expect(keplr.calls.filter((c) => c === "signDirect").length).toBe(directBefore + 1);
    await screenshot(page, "keplr-2-posted");

    const communities = await getJson<{ communities: { community: { id: string; slug: string } }[] }>(
      `${net.apiUrl}/vivim/social/v1/communities`,
    );
    const general = communities.communities.find((c) => c.community.slug === "general")!;
    const feed = await getJson<{ posts: { title: string; content: { author: string } }[] }>(
      `${net.apiUrl}/vivim/social/v1/communities/${general.community.id}/feed?pagination.limit=100`,
    );
    const post = feed.posts.find((p) => p.title === "signed in Keplr");
    expect(post?.content.author).toBe(keplr.address);
    expect(keplr.address).toBe(net.address("bob"));
    // Nothing of the key is in the page or its storage.
    const stored = await page.evaluate("JSON.stringify({ ...localStorage })");
    expect(typeof stored).toBe("string");
    expect(stored).not.toContain(net.mnemonic("bob").split(" ").slice(0, 3).join(" "));
    expect(stored).not.toContain("vivim.vault.v1");
    expect(pageErrors).toEqual([]);
  });

  it("explains that accounts are not added to a Keplr session", async () => {
    await page.getByRole("button", { name: /Switch account/ }).click();
    await page.getByRole("button", { name: "Add an account" }).click();
    await page.getByText("You are signed in with Keplr, which keeps its keys to itself.").waitFor();
    await page.getByRole("button", { name: "Back" }).click();
    await page.getByTestId("active-account").waitFor();
  });

  it("tells that DMs are unavailable, and signs out when another account is chosen in Keplr", async () => {
    // DMs are end-to-end encrypted with the account's own key, which Keplr does not give out.
    await page.getByRole("link", { name: "Messages" }).click();
    await page.getByRole("alert").first().waitFor({ timeout: 10_000 });
    await page.getByText("which Keplr keeps to itself").first().waitFor({ timeout: 10_000 });
    await screenshot(page, "keplr-3-messages");
    await page.evaluate("window.dispatchEvent(new Event('keplr_keystorechange'))");
    await page.getByRole("button", { name: "Connect Keplr" }).waitFor({ timeout: 10_000 });
    expect(await page.getByTestId("feed").count()).toBe(0);
    expect(pageErrors).toEqual([]);
  });
});
